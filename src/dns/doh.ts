// The DNS-over-HTTPS resolver (RFC 8484), browser-safe.
import { base64Encode } from '../core/base64.js';
import { DkimError } from '../core/errors.js';
import {
  encodeQuery,
  type Interpretation,
  interpretResponse,
  MAX_MESSAGE_SIZE,
  resolveFollowingCnames,
} from './message.js';
import { canonicalName, type DnsAnswer, type DnsRecordType, type Resolver } from './types.js';

/** Options of {@link createDohResolver}. */
export interface DohResolverOptions {
  /** The DoH endpoint, e.g. `https://dns.example/dns-query`. */
  readonly url: string;
  /** The fetch to use; default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  /** RFC 8484 allows both; POST by default. */
  readonly method?: 'GET' | 'POST';
  /** Milliseconds per request; default 5000. */
  readonly timeout?: number;
  /** Ask for DNSSEC records and the AD bit (DO flag); default true. */
  readonly dnssec?: boolean;
}

const MEDIA_TYPE = 'application/dns-message';

/**
 * A DNS-over-HTTPS resolver (RFC 8484), browser-safe. The message ID is 0 as RFC 8484 section
 * 4.1 asks (HTTP already pairs answers with questions), so RFC 5452 ID matching applies to the
 * UDP/TCP resolver only; the question must still match.
 */
export function createDohResolver(options: DohResolverOptions): Resolver {
  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') throw new DkimError('OPTION_INVALID', 'no fetch available: pass options.fetch');
  let endpoint: URL;
  try {
    endpoint = new URL(options.url);
  } catch {
    throw new DkimError('OPTION_INVALID', 'the DoH url is not a URL');
  }
  const method = options.method ?? 'POST';
  const timeout = options.timeout ?? 5000;
  const dnssec = options.dnssec ?? true;

  const askOnce = async <T extends DnsRecordType>(name: string, type: T) => {
    const query = { id: 0, name, type, edns: true, dnssec };
    const body = encodeQuery(query);
    const url = new URL(endpoint);
    const init: RequestInit = { method, headers: { accept: MEDIA_TYPE }, signal: AbortSignal.timeout(timeout) };
    if (method === 'GET') {
      url.searchParams.set('dns', base64Encode(body).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
    } else {
      init.headers = { accept: MEDIA_TYPE, 'content-type': MEDIA_TYPE };
      init.body = body as Uint8Array<ArrayBuffer>;
    }
    let response: Response;
    let bytes: Uint8Array;
    try {
      response = await fetchFn(url, init);
      if (!response.ok) {
        await response.body?.cancel();
        const kind = response.status >= 500 ? 'SERVFAIL' : 'NETWORK_ERROR';
        return answer<T>({ kind, detail: `the DoH server answered HTTP ${response.status}` });
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.toLowerCase().startsWith(MEDIA_TYPE)) {
        await response.body?.cancel();
        return answer<T>({ kind: 'MALFORMED', detail: `the DoH server answered ${contentType || 'no content type'}` });
      }
      bytes = await readLimited(response, MAX_MESSAGE_SIZE);
    } catch (error) {
      return answer<T>(transportFailure(error));
    }
    const result: Interpretation<T> = interpretResponse(bytes, query);
    if (result.kind === 'ignore')
      return answer<T>({ kind: 'MALFORMED', detail: `the DoH answer is not for this question (${result.reason})` });
    if (result.kind === 'truncated') return answer<T>({ kind: 'MALFORMED', detail: 'the DoH answer is truncated' });
    return result;
  };

  return {
    resolve: (name, type) => resolveFollowingCnames(canonicalName(name), type, askOnce),
  };
}

function answer<T extends DnsRecordType>(a: DnsAnswer<T>): { kind: 'answer'; answer: DnsAnswer<T> } {
  return { kind: 'answer', answer: a };
}

function transportFailure(error: unknown): Extract<DnsAnswer, { detail: string }> {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'TIMEOUT', detail: 'the DoH request timed out' };
  if (name === 'SizeError') return { kind: 'MALFORMED', detail: (error as Error).message };
  return {
    kind: 'NETWORK_ERROR',
    detail: `the DoH request failed: ${error instanceof Error ? error.message : String(error)}`,
  };
}

// Reads at most `limit` bytes of the body; a longer body is refused, not buffered.
async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    await response.body?.cancel();
    throw sizeError(limit);
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw sizeError(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function sizeError(limit: number): Error {
  const error = new Error(`the DoH answer is larger than ${limit} bytes`);
  error.name = 'SizeError';
  return error;
}
