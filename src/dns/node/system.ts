// The system resolver: node:dns (c-ares) with its errors mapped onto the DnsAnswer union.
import { Resolver as NodeResolver } from 'node:dns/promises';
import { canonicalName, type DnsAnswer, type DnsRecordData, type DnsRecordType, type Resolver } from '../types.js';
import { parseServer, serverLabel } from './server-address.js';

/** Options of {@link createSystemResolver}. */
export interface SystemResolverOptions {
  /** As for the UDP resolver; default: the system's servers. */
  readonly servers?: readonly string[];
  /** Milliseconds per try; default 2000. */
  readonly timeout?: number;
  /** Tries per question; default 3. */
  readonly tries?: number;
}

/**
 * The system resolver: node:dns (c-ares), its error codes mapped onto the same answer union.
 * c-ares reports no TTL for TXT, no CNAME chain and no AD bit: `ttl` is null, `chain` empty,
 * `authenticated` false.
 */
export function createSystemResolver(options: SystemResolverOptions = {}): Resolver {
  const resolver = new NodeResolver({ timeout: options.timeout ?? 2000, tries: options.tries ?? 3 });
  if (options.servers) {
    resolver.setServers(options.servers.map((text) => serverLabel(parseServer(text))));
  }
  return {
    async resolve<T extends DnsRecordType>(rawName: string, type: T): Promise<DnsAnswer<T>> {
      const name = canonicalName(rawName);
      try {
        const records = await lookup(resolver, name, type);
        return { kind: 'records', type, records, ttl: null, chain: [], authenticated: false } as DnsAnswer<T>;
      } catch (error) {
        return mapError(error) as DnsAnswer<T>;
      }
    },
    async close() {
      resolver.cancel();
    },
  };
}

async function lookup<T extends DnsRecordType>(
  resolver: NodeResolver,
  name: string,
  type: T,
): Promise<DnsRecordData[T]> {
  switch (type) {
    case 'TXT': {
      const records = await resolver.resolveTxt(name);
      // c-ares hands TXT strings over one character per octet.
      return records.map((strings) => strings.map((s) => new Uint8Array(Buffer.from(s, 'latin1')))) as DnsRecordData[T];
    }
    case 'CNAME':
      return (await resolver.resolveCname(name)).map(canonicalName) as DnsRecordData[T];
    case 'A':
      return (await resolver.resolve4(name)) as DnsRecordData[T];
    case 'AAAA':
      return (await resolver.resolve6(name)) as DnsRecordData[T];
    case 'MX':
      return (await resolver.resolveMx(name)).map((mx) => ({
        preference: mx.priority,
        exchange: canonicalName(mx.exchange),
      })) as DnsRecordData[T];
    default:
      return (await resolver.resolveNs(name)).map(canonicalName) as DnsRecordData[T];
  }
}

function mapError(error: unknown): DnsAnswer {
  const code = (error as { code?: string }).code ?? '';
  const detail = `node:dns: ${code || (error instanceof Error ? error.message : String(error))}`;
  switch (code) {
    case 'ENOTFOUND':
      return { kind: 'NXDOMAIN', chain: [], authenticated: false };
    case 'ENODATA':
      return { kind: 'NODATA', chain: [], authenticated: false };
    case 'ESERVFAIL':
      return { kind: 'SERVFAIL', detail };
    case 'EREFUSED':
    case 'ENOTIMP':
    case 'EFORMERR':
      return { kind: 'REFUSED', detail };
    case 'ETIMEOUT':
      return { kind: 'TIMEOUT', detail };
    case 'EBADRESP':
    case 'EBADNAME':
    case 'EBADFAMILY':
      return { kind: 'MALFORMED', detail };
    default:
      return { kind: 'NETWORK_ERROR', detail };
  }
}
