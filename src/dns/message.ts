// DNS messages: encoding queries and reading answers, shared by the wire (UDP/TCP) and DoH
// resolvers. wire.ts does the wire format; this module decides what an answer means.
import { CnameWalk } from './cname-walk.js';
import { type CnameStep, canonicalName, type DnsAnswer, type DnsRecordData, type DnsRecordType } from './types.js';
import { readMessage, type WireRecord, writeQuery } from './wire.js';

/** The largest DNS message there is (the TCP length prefix is 16 bits). */
export const MAX_MESSAGE_SIZE = 65_535;
/** The EDNS0 UDP payload size recommended since DNS Flag Day 2020. */
export const EDNS_PAYLOAD_SIZE = 1232;

/** One question as sent. */
export interface Query<T extends DnsRecordType = DnsRecordType> {
  readonly id: number;
  /** Canonical (lower case, no trailing dot). */
  readonly name: string;
  readonly type: T;
  /** Send an EDNS0 OPT record (with the DO bit when `dnssec`); false forces classic 512-byte UDP. */
  readonly edns: boolean;
  readonly dnssec: boolean;
}

/** Encodes a recursive query for `query`. */
export function encodeQuery(query: Query): Uint8Array {
  return writeQuery(query, query.edns ? { payloadSize: EDNS_PAYLOAD_SIZE, dnssec: query.dnssec } : null);
}

/** What one response message means for the query it answers. */
export type Interpretation<T extends DnsRecordType> =
  /**
   * Not an answer to this query (other ID, other question, not a response): drop it and keep
   * waiting. `undecodable` marks a message with the right ID that does not decode, so its
   * question cannot be checked: a wait that ends with nothing better reports it as MALFORMED.
   */
  | { readonly kind: 'ignore'; readonly reason: string; readonly undecodable?: true }
  /** TC bit set: ask again over TCP. */
  | { readonly kind: 'truncated' }
  | { readonly kind: 'answer'; readonly answer: DnsAnswer<T> }
  /** The answer ends at a CNAME whose target it does not carry: ask again for the target. */
  | { readonly kind: 'follow'; readonly chain: readonly CnameStep[]; readonly target: string };

/**
 * Reads a response to `query`. Responses that are not for this query (RFC 5452: ID and
 * question must match) are `ignore`d, not errors, so a spoofed packet cannot end the wait.
 */
export function interpretResponse<T extends DnsRecordType>(bytes: Uint8Array, query: Query<T>): Interpretation<T> {
  if (bytes.length > MAX_MESSAGE_SIZE) return { kind: 'ignore', reason: 'oversized message' };
  if (bytes.length < 12) return { kind: 'ignore', reason: 'shorter than a DNS header' };
  const id = ((bytes[0] as number) << 8) | (bytes[1] as number);
  if (id !== query.id) return { kind: 'ignore', reason: `ID ${id} is not ${query.id}` };
  const packet = readMessage(bytes);
  if (typeof packet === 'string')
    return { kind: 'ignore', reason: `the answer does not decode: ${packet}`, undecodable: true };
  if (!packet.response) return { kind: 'ignore', reason: 'not a response' };
  const rcode = packet.rcode;
  // A server may refuse or reject a query without echoing the question (BIND does for FORMERR);
  // with the right ID from the server asked, that is its answer, not silence.
  if (packet.questions.length === 0 && REFUSALS.has(rcode)) return fail('REFUSED', `the server answered ${rcode}`);
  const question = packet.questions[0];
  if (
    packet.questions.length !== 1 ||
    question === undefined ||
    canonicalName(question.name) !== query.name ||
    question.type !== query.type ||
    question.class !== 'IN'
  ) {
    return { kind: 'ignore', reason: 'the question does not match' };
  }
  if (packet.truncated) return { kind: 'truncated' };
  if (packet.overrun !== null) return malformed(packet.overrun);
  const authenticated = packet.authenticated;
  if (rcode === 'SERVFAIL') return fail('SERVFAIL', 'the server answered SERVFAIL');
  if (REFUSALS.has(rcode)) {
    return fail('REFUSED', `the server answered ${rcode}`);
  }
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') return fail('SERVFAIL', `the server answered ${rcode}`);

  const answers = packet.answers;
  const walk = new CnameWalk(query.name);
  const chain = walk.chain;
  let ttl = Number.POSITIVE_INFINITY;
  for (;;) {
    const current = walk.current;
    const here = answers.filter((a) => a.type === query.type && canonicalName(a.name) === current && isInternet(a));
    if (here.length > 0) {
      if (rcode === 'NXDOMAIN') return malformed('NXDOMAIN with records for the name');
      for (const a of here) ttl = Math.min(ttl, ttlOf(a.ttl));
      const records = here.map((a) => recordData(query.type, a.data));
      return {
        kind: 'answer',
        answer: {
          kind: 'records',
          type: query.type,
          records: records as DnsRecordData[T],
          ttl: Number.isFinite(ttl) ? ttl : 0,
          chain,
          authenticated,
        } as DnsAnswer<T>,
      };
    }
    const cname =
      query.type === 'CNAME' ? undefined : answers.find((a) => a.type === 'CNAME' && canonicalName(a.name) === current);
    if (cname === undefined || typeof cname.data !== 'string') break;
    ttl = Math.min(ttl, ttlOf(cname.ttl));
    const stop = walk.follow(canonicalName(cname.data));
    if (stop !== null) return fail('SERVFAIL', stop, chain);
  }
  const negativeTtl = negativeCacheTtl(packet.authorities);
  const negative = negativeTtl === undefined ? { chain, authenticated } : { chain, authenticated, negativeTtl };
  if (rcode === 'NXDOMAIN') return { kind: 'answer', answer: { kind: 'NXDOMAIN', ...negative } };
  if (chain.length > 0) return { kind: 'follow', chain, target: walk.current };
  return { kind: 'answer', answer: { kind: 'NODATA', ...negative } };
}

// RFC 2308 section 5: a negative answer may be cached for the lesser of the SOA's TTL and its MINIMUM.
function negativeCacheTtl(authorities: readonly WireRecord[]): number | undefined {
  const soa = authorities.find((record) => record.type === 'SOA');
  if (soa === undefined) return undefined;
  const { minimum } = soa.data as { minimum: number };
  return Math.min(ttlOf(soa.ttl), ttlOf(minimum));
}

/** The rcodes reported as REFUSED: the server will not or cannot answer this query. */
const REFUSALS = new Set(['REFUSED', 'NOTIMP', 'FORMERR']);

// RFC 2181 section 8: a TTL is 31 bits; one with the top bit set is treated as zero.
function ttlOf(ttl: number | undefined): number {
  return ttl === undefined || ttl >= 2 ** 31 ? 0 : ttl;
}

function isInternet(answer: WireRecord): boolean {
  return answer.class === 'IN';
}

// wire.ts decoded the data of every record of these types (TXT strings as fresh copies); names
// are made canonical here.
function recordData(type: DnsRecordType, data: unknown): unknown {
  if (type === 'CNAME' || type === 'NS') return canonicalName(data as string);
  if (type !== 'MX') return data;
  const mx = data as { preference: number; exchange: string };
  return { preference: mx.preference, exchange: canonicalName(mx.exchange) };
}

function fail<T extends DnsRecordType>(
  kind: 'SERVFAIL' | 'REFUSED',
  detail: string,
  chain?: readonly CnameStep[],
): Interpretation<T> {
  return { kind: 'answer', answer: chain ? { kind, detail, chain } : { kind, detail } };
}

function malformed<T extends DnsRecordType>(detail: string): Interpretation<T> {
  return { kind: 'answer', answer: { kind: 'MALFORMED', detail } };
}

/**
 * Asks for `name`, following CNAMEs that answers end on (an authoritative server answers only
 * for its own zones), with loop detection and at most MAX_CNAME_STEPS steps in all.
 */
export async function resolveFollowingCnames<T extends DnsRecordType>(
  name: string,
  type: T,
  askOnce: (name: string, type: T) => Promise<Exclude<Interpretation<T>, { kind: 'ignore' | 'truncated' }>>,
): Promise<DnsAnswer<T>> {
  const walk = new CnameWalk(name);
  for (;;) {
    const result = await askOnce(walk.current, type);
    // Every step of every answer counts against one limit: a chain split over several answers
    // (8 CNAMEs, then 8 more and the record) is as long as the whole.
    const steps = result.kind === 'answer' ? (result.answer.chain ?? []) : result.chain;
    const before = walk.chain.length;
    for (const step of steps) {
      const stop = walk.follow(step.target, step.name);
      if (stop !== null) return { kind: 'SERVFAIL', detail: stop, chain: walk.chain };
    }
    if (result.kind === 'answer') return before === 0 ? result.answer : withChain(walk.chain, result.answer);
  }
}

function withChain<T extends DnsRecordType>(chain: readonly CnameStep[], answer: DnsAnswer<T>): DnsAnswer<T> {
  return { ...answer, chain } as DnsAnswer<T>;
}
