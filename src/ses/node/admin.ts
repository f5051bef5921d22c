// The emulator's admin routes under /_dkim-engine/: move the clock, run due checks, click a link.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SesClock } from '../clock.js';
import { readRequestBody } from './request-body.js';
import { sendJson } from './responses.js';
import { answerError } from './rest-listener.js';
import { parseJsonBody, RestProtocolError, splitTarget } from './rest-router.js';

/** Where the admin routes live. */
export const ADMIN_PREFIX = '/_dkim-engine/';

/** What the admin routes act on. */
export interface AdminContext {
  readonly clock: SesClock;
  /** Runs every due check in every region; resolves to how many ran. */
  checkAll(): Promise<number>;
  /** The backend of `region`, else of the request's SigV4 region, else of the default region. */
  backendFor(req: IncomingMessage, region?: string): object | Promise<object>;
  readonly closing?: () => boolean;
}

/**
 * Serves the admin routes, answering like SES does (JSON; errors with `x-amzn-ErrorType`):
 * - `GET /_dkim-engine/clock` -> `{"now": <epoch ms>}`
 * - `POST /_dkim-engine/clock` `{"advanceMs": n}` -> `{"now": <epoch ms>}`
 * - `POST /_dkim-engine/check` -> `{"checked": n}`: every check that is due on the clock, now
 * - `POST /_dkim-engine/confirm` `{"emailAddress": "..."}` -> `{"confirmed": "..."}`: the click on
 *   SES's verification link, in the body's `region`, else the request's SigV4 region, else the default
 */
export function createAdminListener(context: AdminContext): (req: IncomingMessage, res: ServerResponse) => void {
  const closing = () => context.closing?.() ?? false;
  return (req, res) => {
    serve(context, req, res)
      .then((value) => sendJson(res, value, { closing: closing() }))
      .catch((error: unknown) => answerError(res, error, closing()));
  };
}

async function serve(context: AdminContext, req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const route = splitTarget(req.url ?? '/').path.slice(ADMIN_PREFIX.length);
  const key = `${req.method} ${route}`;
  if (key === 'GET clock') return { now: context.clock.now() };
  if (!['POST clock', 'POST check', 'POST confirm'].includes(key)) {
    throw new RestProtocolError(404, 'UnknownOperationException', `No admin route for ${key.slice(0, 120)}`);
  }
  const body = parseJsonBody(await readRequestBody(req, res, 64 * 1024));
  if (route === 'clock') {
    const advance = body.advanceMs;
    if (typeof advance !== 'number' || !Number.isFinite(advance) || advance < 0) {
      throw new RestProtocolError(400, 'BadRequestException', 'advanceMs must be a non-negative number.');
    }
    try {
      return { now: context.clock.advance(advance) };
    } catch (error) {
      throw new RestProtocolError(400, 'BadRequestException', (error as Error).message);
    }
  }
  if (route === 'check') return { checked: await context.checkAll() };
  const address = body.emailAddress;
  if (typeof address !== 'string' || address.length === 0) {
    throw new RestProtocolError(400, 'BadRequestException', 'emailAddress must be an email address identity.');
  }
  const region = body.region;
  if (region !== undefined && typeof region !== 'string') {
    throw new RestProtocolError(400, 'BadRequestException', 'region must be a region name.');
  }
  const backend = (await context.backendFor(req, region)) as { confirmEmailAddress?: (address: string) => unknown };
  if (typeof backend.confirmEmailAddress !== 'function') {
    throw new RestProtocolError(404, 'UnknownOperationException', 'This backend has no confirmEmailAddress.');
  }
  await backend.confirmEmailAddress(address);
  return { confirmed: address };
}
