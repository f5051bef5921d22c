// The outbox routes LocalStack's test helpers use: GET /_aws/ses (?id=, ?email=) and DELETE /_aws/ses (?id=).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Outbox } from '../sending/outbox.js';

/** LocalStack's EMAILS_ENDPOINT (localstack services/ses/provider.py). */
export const OUTBOX_PATH = '/_aws/ses';

/** The outbox a request reads: one outbox, or the mount context's backend's (`backend.outbox()`). */
export type OutboxSource = Outbox | ((req: IncomingMessage) => Outbox);

function outboxOfContext(context: { readonly backend?: object } | undefined): Outbox | undefined {
  const backend = context?.backend as { outbox?: () => Outbox } | undefined;
  return typeof backend?.outbox === 'function' ? backend.outbox() : undefined;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

/**
 * A node:http listener for the outbox, as LocalStack answers it:
 * - `GET /_aws/ses` → 200 `{"messages":[…]}`, oldest first; `?id=` and `?email=` keep messages
 *   whose Id / Source equal them exactly (absent or empty: no filter);
 * - `DELETE /_aws/ses` → 204, every message removed; `?id=` removes that one (204 whether or
 *   not it was there: LocalStack itself fails on an unknown id);
 * - any other method → 405.
 * A mount context's backend (the server composition's) wins over `source`.
 */
export function createSesOutboxListener(
  source?: OutboxSource,
): (req: IncomingMessage, res: ServerResponse, context?: { readonly backend?: object }) => void {
  return (req, res, context) => {
    const outbox = outboxOfContext(context) ?? (typeof source === 'function' ? source(req) : source);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== OUTBOX_PATH && url.pathname !== `${OUTBOX_PATH}/`) {
      sendJson(res, 404, { message: `No route for ${url.pathname.slice(0, 100)}` });
      return;
    }
    if (!outbox) {
      sendJson(res, 500, { message: 'No outbox is configured.' });
      return;
    }
    const id = url.searchParams.get('id');
    if (req.method === 'GET') {
      sendJson(res, 200, { messages: outbox.list({ id, email: url.searchParams.get('email') }) });
    } else if (req.method === 'DELETE') {
      if (id) outbox.clear(id);
      else outbox.clear();
      // A stored outbox (serve --state) answers once the store has forgotten them too.
      const settled = outbox.settled?.() ?? Promise.resolve();
      settled.then(
        () => res.writeHead(204).end(),
        () => sendJson(res, 503, { message: 'The outbox store is unavailable; try again.' }),
      );
    } else {
      res.setHeader('allow', 'GET, DELETE');
      sendJson(res, 405, { message: `${String(req.method).slice(0, 10)} is not allowed on ${OUTBOX_PATH}.` });
    }
    req.resume();
  };
}
