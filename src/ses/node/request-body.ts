// A REST request body under the listener's limits, refusals as REST protocol errors (#13 D1, W1).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyRefusedError, DEFAULT_BODY_LIMITS, readBody } from './body.js';
import { RestProtocolError } from './rest-router.js';

/** The default most bytes of a request body: 1 MiB, well above SES's largest request (a 40 KB policy). */
export const MAX_REQUEST_BODY = DEFAULT_BODY_LIMITS.maxBytes;

/**
 * The whole body, or a RestProtocolError (413 over `limit` bytes, declared or counted; 408 past the
 * body deadline) with the response already marked `Connection: close` and the rest drained.
 */
export async function readRequestBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit = MAX_REQUEST_BODY,
): Promise<Uint8Array> {
  try {
    return await readBody(req, res, { ...DEFAULT_BODY_LIMITS, maxBytes: limit });
  } catch (error) {
    if (error instanceof BodyRefusedError) throw new RestProtocolError(error.status, error.type, error.message);
    throw error;
  }
}
