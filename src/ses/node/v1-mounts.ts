// The SES v1 and outbox listeners as mounts for the server composition (startSesServer's `mounts` option).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSesOutboxListener, OUTBOX_PATH } from './outbox-listener.js';
import { createSesV1RequestListener, isSesV1Request, type SesV1ListenerOptions } from './v1-listener.js';

/** A mount: where it matches, and a listener that takes the server's context (its region's backend). */
export interface SesMount {
  readonly match: string | ((req: IncomingMessage) => boolean);
  listener(req: IncomingMessage, res: ServerResponse, context: { readonly backend: object }): void;
}

/**
 * The mounts issue 16 adds to `verify-dkim serve`: SES v1 on `POST /` with a form body, and the
 * LocalStack outbox at `/_aws/ses`. Both use the backend the server picked for the request's
 * region; the outbox is shared by the regions of one server (they share its provider zone).
 */
export function sesV1Mounts(options: SesV1ListenerOptions = {}): SesMount[] {
  const noBackend = (): never => {
    throw new Error('the SES v1 mount needs the server context');
  };
  return [
    { match: OUTBOX_PATH, listener: createSesOutboxListener() },
    { match: isSesV1Request, listener: createSesV1RequestListener(noBackend, options) },
  ];
}
