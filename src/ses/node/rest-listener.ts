// The SES v2 restJson1 request listener: route table -> input binding -> backend[operation].
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DkimError } from '../../core/errors.js';
import { SesException } from '../errors.js';
import { isRetryableStoreError } from '../persistence.js';
import { readRequestBody } from './request-body.js';
import { sendError, sendJson } from './responses.js';
import { bindInput, matchRoute, parseJsonBody, parseQuery, RestProtocolError, splitTarget } from './rest-router.js';
import { backendMethodOf } from './rest-routes.js';

/** A node:http request listener. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Options of {@link createSesV2RestListener}. */
export interface SesV2RestListenerOptions {
  /** The backend that serves a request (e.g. its SigV4 region's); any object with operation methods. */
  backendFor(req: IncomingMessage): object | Promise<object>;
  /** True while the server shuts down: answers then close their connection. */
  readonly closing?: () => boolean;
  /** Most bytes of a request body; default 1 MiB. */
  readonly bodyLimit?: number;
  /** Sees errors that are bugs (answered as 500 InternalFailure without details). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A node:http request listener speaking SES v2's restJson1 protocol: every route of
 * SES_V2_ROUTES calls `backend[lowerCamelOperation](input)`. An operation the backend lacks is
 * a 404 UnknownOperationException naming it, like a path no operation has. Bodies that are not
 * a JSON object are SerializationException; bad percent-encoding is BadRequestException.
 */
export function createSesV2RestListener(options: SesV2RestListenerOptions): RequestListener {
  const closing = () => options.closing?.() ?? false;
  return (req, res) => {
    handle(options, req, res, closing).catch((error: unknown) => answerError(res, error, closing(), options.onError));
  };
}

/**
 * The restJson1 listener over one backend: request signatures are accepted and not verified.
 * The server composition (`startSesServer`) picks a backend per region instead.
 */
export function createSesV2RequestListener(backend: object): RequestListener {
  return createSesV2RestListener({ backendFor: () => backend });
}

async function handle(
  options: SesV2RestListenerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  closing: () => boolean,
): Promise<void> {
  const method = req.method ?? 'GET';
  const { path, query } = splitTarget(req.url ?? '/');
  const match = matchRoute(method, path);
  if (!match) {
    sendError(res, 404, 'UnknownOperationException', `No operation for ${method} ${path.slice(0, 200)}`, {
      closing: closing(),
    });
    return;
  }
  const params = parseQuery(query);
  const raw = await readRequestBody(req, res, match.route.bodyLimit ?? options.bodyLimit);
  const body = match.route.body ? parseJsonBody(raw) : {};
  const input = bindInput(match, params, body);
  const backend = (await options.backendFor(req)) as Record<string, unknown>;
  const name = backendMethodOf(match.route.operation);
  const operation = backend[name];
  if (typeof operation !== 'function') {
    sendError(
      res,
      404,
      'UnknownOperationException',
      `${match.route.operation} is not implemented by this emulator yet.`,
      { closing: closing() },
    );
    return;
  }
  const output = await (operation as (input: unknown) => Promise<unknown>).call(backend, input);
  sendJson(res, output, { closing: closing() });
}

/**
 * Answers an error thrown while serving: SES exceptions (known by their `httpStatus`) as they
 * are, protocol errors as built, DkimError as BadRequestException, anything else as a 500
 * without details (they could name internals).
 */
export function answerError(
  res: ServerResponse,
  error: unknown,
  closing: boolean,
  onError?: (error: unknown) => void,
): void {
  if (error instanceof RestProtocolError) {
    // A refused body may still be arriving: close rather than read the rest of it.
    sendError(res, error.status, error.type, error.message, { closing: closing || error.status === 413 });
    return;
  }
  if (isSesException(error)) {
    sendError(res, error.httpStatus, error.name, error.message, { closing });
    return;
  }
  if (error instanceof DkimError) {
    sendError(res, 400, 'BadRequestException', error.message, { closing });
    return;
  }
  if (isRetryableStoreError(error)) {
    // The store is away (a database restart): a 503 that SDKs retry with backoff.
    sendError(res, 503, 'ServiceUnavailable', 'Service is unavailable. Try again later.', { closing });
    return;
  }
  onError?.(error);
  sendError(res, 500, 'InternalFailure', 'The request processing has failed because of an unknown error.', {
    closing,
  });
}

function isSesException(error: unknown): error is Error & { httpStatus: number } {
  // SES's own names include MessageRejected (no suffix), so an SesException counts whatever its name.
  if (error instanceof SesException) return true;
  return (
    error instanceof Error &&
    typeof (error as { httpStatus?: unknown }).httpStatus === 'number' &&
    /^[A-Z]\w+(Exception|Error)$/.test(error.name)
  );
}
