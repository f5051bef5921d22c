// The one `ip:port` / `[v6]:port` label of a DNS server address.

/** `192.0.2.1:53` or `[2001:db8::1]:53`: IPv6 addresses are bracketed so the port stays apart. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
