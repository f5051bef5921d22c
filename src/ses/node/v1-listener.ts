// The SES v1 (awsQuery) request listener: POST / with a form body -> the v1 operation table -> XML.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SesQueryError, toQueryError } from '../v1/errors.js';
import { parseQueryParams } from '../v1/form.js';
import { runQueryAction, type SesV1Backend } from '../v1/operations.js';
import { queryErrorXml, queryResponseXml } from '../v1/xml.js';
import { BodyRefusedError, DEFAULT_BODY_LIMITS, readBody } from './body.js';

/**
 * Most bytes of a v1 request body by default: SendRawEmail takes 10 MB of base64 (SES quotas),
 * which form encoding may grow (`+`, `/`, `=` become three bytes each), so 32 MiB.
 */
export const MAX_V1_BODY = 32 * 1024 * 1024;

/** Options of {@link createSesV1RequestListener}. */
export interface SesV1ListenerOptions {
  /** Most bytes of a request body; default {@link MAX_V1_BODY}. */
  readonly bodyLimit?: number;
  /** Sees errors that are bugs (answered as InternalFailure without details). */
  readonly onError?: (error: unknown) => void;
}

/** The backend a request goes to: one backend, or a picker (e.g. by the request's SigV4 region). */
export type SesV1BackendSource = SesV1Backend | ((req: IncomingMessage) => SesV1Backend);

/** A listener that also takes the server composition's mount context (its region's backend). */
export type SesV1RequestListener = (
  req: IncomingMessage,
  res: ServerResponse,
  context?: { readonly backend?: object },
) => void;

/**
 * Whether a request is SES v1's: `POST /` whose body is a form (botocore and the JS SDK's
 * awsQuery protocol). The server composition mounts the listener where this is true.
 */
export function isSesV1Request(req: IncomingMessage): boolean {
  const path = (req.url ?? '/').split('?')[0];
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  return req.method === 'POST' && path === '/' && type.startsWith('application/x-www-form-urlencoded');
}

/**
 * A node:http request listener speaking SES v1's awsQuery protocol: `POST /` with
 * `Action=…&Version=2010-12-01&…` in a form body (or the query string), answered with SES's
 * XML, and errors as `ErrorResponse` XML that awscli and boto3 report as "An error occurred
 * (Code) when calling the Action operation: Message". Request signatures are not verified.
 * A mount context's backend (the server's region pick) wins over `source`.
 */
export function createSesV1RequestListener(
  source: SesV1BackendSource,
  options: SesV1ListenerOptions = {},
): SesV1RequestListener {
  const pick = typeof source === 'function' ? source : () => source;
  return (req, res, context) => {
    const requestId = crypto.randomUUID();
    handle(req, res, requestId, (context?.backend as SesV1Backend | undefined) ?? pick(req), options).catch(
      (error: unknown) => {
        const known = toQueryError(error);
        if (!known) options.onError?.(error);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        answer(res, known?.httpStatus ?? 500, queryErrorXml(known ?? internalFailure(), requestId), requestId);
      },
    );
  };
}

function internalFailure(): SesQueryError {
  return new SesQueryError('InternalFailure', 'The request processing has failed because of an unknown error.', 500);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  backend: SesV1Backend,
  options: SesV1ListenerOptions,
): Promise<void> {
  if (req.method !== 'POST' && req.method !== 'GET') {
    throw new SesQueryError('InvalidAction', `SES v1 takes POST or GET, not ${String(req.method).slice(0, 10)}.`);
  }
  const url = req.url ?? '/';
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const params = parseQueryParams(query);
  const body = await readForm(req, res, options.bodyLimit ?? MAX_V1_BODY);
  parseQueryParams(body, params);
  const { action, result } = await runQueryAction(backend, params);
  answer(res, 200, queryResponseXml(action, result, requestId), requestId);
}

/** The body as text, read with the server's shared limited reader (413 past the limit, 408 when too slow). */
async function readForm(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string> {
  try {
    // A 32 MiB body needs more than the default 10 s on a slow link: a minute.
    const bytes = await readBody(req, res, { ...DEFAULT_BODY_LIMITS, maxBytes: limit, bodyTimeout: 60_000 });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  } catch (error) {
    if (error instanceof BodyRefusedError) {
      const code = error.reason === 'too-large' ? 'RequestEntityTooLarge' : 'RequestTimeout';
      throw new SesQueryError(code, error.message, error.status);
    }
    throw error;
  }
}

function answer(res: ServerResponse, status: number, xml: string, requestId: string): void {
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': body.length,
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}
