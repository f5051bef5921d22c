// Reads a request body up to a limit (the hostile-input work may replace this with its limits).
import type { IncomingMessage } from 'node:http';
import { RestProtocolError } from './rest-router.js';

/** The default most bytes of a request body: 1 MiB, well above SES's largest request (a 40 KB policy). */
export const MAX_REQUEST_BODY = 1024 * 1024;

/** The whole body, or a 413 RestProtocolError as soon as it passes `limit` bytes. */
export async function readRequestBody(req: IncomingMessage, limit = MAX_REQUEST_BODY): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function tooLarge(limit: number): RestProtocolError {
  return new RestProtocolError(413, 'RequestEntityTooLargeException', `The request body is over ${limit} bytes.`);
}
