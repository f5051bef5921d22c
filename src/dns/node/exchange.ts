// What one exchange with a DNS server settles to, shared by the UDP, TCP and pooled exchanges.
import type { Interpretation } from '../message.js';
import type { DnsRecordType } from '../types.js';
import { type DnsServer, serverLabel } from './server-address.js';

/** An exchange's outcome: an answer, a CNAME to follow, or (UDP only) truncation. */
export type Settled<T extends DnsRecordType> = Exclude<Interpretation<T>, { kind: 'ignore' }>;

/** An outcome with nothing left to retry over TCP. */
export type Final<T extends DnsRecordType> = Exclude<Interpretation<T>, { kind: 'ignore' | 'truncated' }>;

/** A NETWORK_ERROR answer naming the server. */
export function networkError<T extends DnsRecordType>(server: DnsServer, error: Error): Final<T> {
  return { kind: 'answer', answer: { kind: 'NETWORK_ERROR', detail: `${serverLabel(server)}: ${error.message}` } };
}

/** A TIMEOUT answer naming the server (`what`: "answer" or "TCP answer"). */
export function timedOut<T extends DnsRecordType>(server: DnsServer, timeout: number, what = 'answer'): Final<T> {
  return {
    kind: 'answer',
    answer: { kind: 'TIMEOUT', detail: `no ${what} from ${serverLabel(server)} in ${timeout} ms` },
  };
}

/** The sockets a resolver has open, so close() can end them. */
export type OpenSockets = Set<import('node:dgram').Socket | import('node:net').Socket>;

/** The end of a UDP wait: MALFORMED when the server sent only what did not decode, else TIMEOUT. */
export function waitEnded<T extends DnsRecordType>(
  server: DnsServer,
  timeout: number,
  undecodable: string | undefined,
): Final<T> {
  if (undecodable === undefined) return timedOut(server, timeout);
  return { kind: 'answer', answer: { kind: 'MALFORMED', detail: `${serverLabel(server)}: ${undecodable}` } };
}
