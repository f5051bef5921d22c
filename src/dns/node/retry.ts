// Retrying transient DNS failures (TIMEOUT, SERVFAIL, network errors) with backoff, server by server.
import pRetry from 'p-retry';
import { type DnsAnswer, type DnsRecordType, isRetryable } from '../types.js';
import type { Final } from './exchange.js';
import type { DnsServer } from './server-address.js';

/** How {@link askWithRetry} retries. */
export interface RetryPolicy {
  readonly servers: readonly DnsServer[];
  readonly attempts: number;
  /** Backoff between attempts (exponential, with jitter), in milliseconds. */
  readonly backoff: { readonly min: number; readonly max: number };
  /** True once the resolver is closed: no more attempts. */
  readonly closed: () => boolean;
}

/** Thrown inside p-retry to ask for another attempt; carries the answer in case none is left. */
class RetryableAnswer extends Error {
  constructor(readonly answer: DnsAnswer) {
    super(answer.kind);
  }
}

/**
 * Asks the first server; on a transient failure asks again, moving through the servers in turn,
 * up to `attempts` in all. The last transient answer stands when every attempt fails.
 */
export async function askWithRetry<T extends DnsRecordType>(
  exchange: (server: DnsServer) => Promise<Final<T>>,
  policy: RetryPolicy,
): Promise<Final<T>> {
  const { servers, attempts, backoff, closed } = policy;
  const first = await exchange(servers[0] as DnsServer);
  if (first.kind !== 'answer' || !isRetryable(first.answer) || attempts === 1 || closed()) return first;
  // Only a transient failure pays for p-retry: it replays the first outcome as attempt 1, so
  // even the first retry waits its backoff, then moves through the servers in turn.
  try {
    return await pRetry(
      async (attempt: number) => {
        const server = servers[(attempt - 1) % servers.length] as DnsServer;
        const result = attempt === 1 ? first : await exchange(server);
        if (result.kind === 'answer' && isRetryable(result.answer) && !closed()) {
          throw new RetryableAnswer(result.answer);
        }
        return result;
      },
      {
        retries: attempts - 1,
        minTimeout: backoff.min,
        maxTimeout: backoff.max,
        factor: 2,
        randomize: true,
        shouldRetry: ({ error }) => error instanceof RetryableAnswer,
      },
    );
  } catch (error) {
    if (error instanceof RetryableAnswer) return { kind: 'answer', answer: error.answer as DnsAnswer<T> };
    return {
      kind: 'answer',
      answer: { kind: 'NETWORK_ERROR', detail: error instanceof Error ? error.message : String(error) },
    };
  }
}
