// SES-shaped HTTP answers: JSON bodies with epoch-second timestamps, and restJson1 errors.
import type { ServerResponse } from 'node:http';

/** Headers every answer carries while the server shuts down, so keep-alive connections end. */
export interface AnswerOptions {
  readonly closing?: boolean;
}

/** Answers 200 (or `status`) with `value` as JSON; Dates become epoch seconds, as restJson1 sends them. */
export function sendJson(res: ServerResponse, value: unknown, options: AnswerOptions & { status?: number } = {}): void {
  const body = JSON.stringify(value ?? {}, epochSeconds);
  res.writeHead(options.status ?? 200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': crypto.randomUUID(),
    ...(options.closing ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/**
 * Answers an error the way SES v2 does: the status, the exception name in `x-amzn-ErrorType`
 * (which the SDKs read first), and `{"message": ...}`.
 */
export function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  options: AnswerOptions = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ message });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': type,
    'x-amzn-requestid': crypto.randomUUID(),
    ...(options.closing ? { connection: 'close' } : {}),
  });
  res.end(body);
}

// The replacer sees Dates already turned into strings by toJSON, so it looks at the holder's
// original value.
function epochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Date ? original.getTime() / 1000 : value;
}
