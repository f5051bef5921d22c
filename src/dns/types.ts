// The resolver contract: record types, the DnsAnswer union, and name and retry rules shared by every resolver.
/** The record types the resolvers answer for. */
export type DnsRecordType = 'TXT' | 'CNAME' | 'A' | 'AAAA' | 'NS' | 'MX';

/** What a record set holds, per type. */
export interface DnsRecordData {
  /** Each TXT record as its character-strings, as bytes: the key-record parser joins them. */
  readonly TXT: Uint8Array[][];
  /** Names, lower case, without the trailing dot. */
  readonly CNAME: string[];
  readonly A: string[];
  readonly AAAA: string[];
  readonly NS: string[];
  /** Mail exchangers: the exchange lower case, without the trailing dot. */
  readonly MX: { readonly preference: number; readonly exchange: string }[];
}

/** One CNAME followed on the way to the answer. */
export interface CnameStep {
  readonly name: string;
  readonly target: string;
}

/**
 * Everything DNS can say, told apart. Resolvers never throw for a DNS outcome.
 * - `records`: the RRset, with the CNAMEs walked and the AD bit of a validating resolver;
 * - `NXDOMAIN` / `NODATA`: no such name / no records of that type (both keep the chain, so a
 *   dangling CNAME shows);
 * - `SERVFAIL` (also a CNAME loop or chain over 8 steps), `REFUSED` (also NOTIMP, FORMERR),
 *   `TIMEOUT`, `NETWORK_ERROR`, `MALFORMED` (an answer that does not decode).
 */
export type DnsAnswer<T extends DnsRecordType = DnsRecordType> =
  | {
      readonly kind: 'records';
      readonly type: T;
      readonly records: DnsRecordData[T];
      /** Seconds; null when the resolver cannot tell (node:dns gives no TTL for TXT). */
      readonly ttl: number | null;
      readonly chain: readonly CnameStep[];
      /** The AD bit: a validating resolver vouched for the answer (DNSSEC). Not validated here. */
      readonly authenticated: boolean;
    }
  | {
      readonly kind: 'NXDOMAIN' | 'NODATA';
      readonly chain: readonly CnameStep[];
      readonly authenticated: boolean;
      /** Seconds resolvers may cache this negative answer (RFC 2308: the SOA's TTL and minimum), when known. */
      readonly negativeTtl?: number;
    }
  | {
      readonly kind: 'SERVFAIL' | 'REFUSED' | 'TIMEOUT' | 'NETWORK_ERROR' | 'MALFORMED';
      readonly detail: string;
      readonly chain?: readonly CnameStep[];
    };

/** The kinds of DnsAnswer that are failures to get an answer at all. */
export type DnsErrorKind = Extract<DnsAnswer, { detail: string }>['kind'];

/** A DNS resolver: one small interface, many implementations. */
export interface Resolver {
  /** Resolves `name` (any case, trailing dot optional); never throws for what DNS says. */
  resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<T>>;
  /** Releases sockets or timers, where the resolver holds any. */
  close?(): Promise<void>;
}

/** The most CNAMEs followed for one question before the answer is SERVFAIL. */
export const MAX_CNAME_STEPS = 8;

/** Lower case, no trailing dot: the form every name the engine returns takes. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Whether an answer is a transient failure worth retrying. */
export function isRetryable(answer: DnsAnswer): boolean {
  return answer.kind === 'TIMEOUT' || answer.kind === 'SERVFAIL' || answer.kind === 'NETWORK_ERROR';
}
