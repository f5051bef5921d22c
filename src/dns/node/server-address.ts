// DNS server addresses: parsing `ip`, `ip:port` and `[v6]:port`, their label, and the system's servers.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { DkimError } from '../../core/errors.js';
import { hostPort } from '../address.js';

/** A DNS server to ask. */
export interface DnsServer {
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
}

/** `address:port`, IPv6 bracketed: how errors and pools name a server. */
export function serverLabel(server: DnsServer): string {
  return hostPort(server.address, server.port);
}

/** Parses `'127.0.0.1:5300'`, `'[::1]:53'`, `'::1'` or `'192.0.2.1'`. */
export function parseServer(text: string): DnsServer {
  let address = text;
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    address = bracketed[1] as string;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (/^[^:]+:\d+$/.test(text)) {
    const colon = text.lastIndexOf(':');
    address = text.slice(0, colon);
    port = Number(text.slice(colon + 1));
  }
  const family = isIP(address);
  if (family === 0 || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new DkimError(
      'OPTION_INVALID',
      `"${text.slice(0, 80)}" is not a DNS server address (ip, ip:port or [ipv6]:port)`,
    );
  }
  return { address, port, family: family as 4 | 6 };
}

/** The name servers of /etc/resolv.conf, as `parseServer` takes them; empty when there is none. */
export function systemServers(): string[] {
  let text: string;
  try {
    text = readFileSync('/etc/resolv.conf', 'utf8').slice(0, 65_536);
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1])
    .filter((address): address is string => address !== undefined && isIP(address.replace(/%.*$/, '')) !== 0)
    .map((address) => {
      const bare = address.replace(/%.*$/, '');
      return isIP(bare) === 6 ? hostPort(bare, 53) : bare;
    });
}
