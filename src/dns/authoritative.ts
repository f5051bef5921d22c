// Authoritative-server discovery: a resolver that asks a zone's own name servers, found through a base resolver.
import { hostPort } from './address.js';
import type { Resolver } from './types.js';

/** Makes a resolver that asks the given servers (`ip:port` or `[v6]:port`). */
export type ResolverFactory = (servers: readonly string[]) => Resolver;

/** Options of {@link authoritativeResolver}. */
export interface AuthoritativeOptions {
  /** The name servers' port; default 53 (emulators serve on others). */
  readonly port?: number;
}

/**
 * A resolver over the zone's own name servers for `name`: the nearest enclosing zone with NS
 * records, their A and AAAA addresses looked up through `base`, handed to `createResolver`.
 * Null when no enclosing zone has name servers with addresses. Asking them directly bypasses
 * resolver caches, so a record just published shows at once.
 * @example
 * const direct = await authoritativeResolver('sel._domainkey.example.com', base, (servers) =>
 *   createUdpResolver({ servers }));
 */
export async function authoritativeResolver(
  name: string,
  base: Resolver,
  createResolver: ResolverFactory,
  options: AuthoritativeOptions = {},
): Promise<Resolver | null> {
  const port = options.port ?? 53;
  const labels = name.toLowerCase().split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const zone = labels.slice(i).join('.');
    const ns = await base.resolve(zone, 'NS');
    if (ns.kind !== 'records') continue;
    const servers: string[] = [];
    for (const host of ns.records) {
      for (const type of ['A', 'AAAA'] as const) {
        const answer = await base.resolve(host, type);
        if (answer.kind === 'records') servers.push(...answer.records.map((address) => hostPort(address, port)));
      }
    }
    return servers.length === 0 ? null : createResolver(servers);
  }
  return null;
}
