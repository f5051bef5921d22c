// Request bodies under a size limit and a deadline, refused requests finished cleanly, and server timeouts (#13 D1, W1).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Limits on one request body. */
export interface BodyLimits {
  /** The largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Milliseconds the whole body may take to arrive, from the first read. */
  readonly bodyTimeout: number;
  /** After a refusal, how much more of the body is read and thrown away before the socket is cut. */
  readonly drainBytes: number;
  /** After a refusal, how long the rest of the body is read and thrown away before the socket is cut. */
  readonly drainTimeout: number;
}

/** 1 MiB bodies (SES's own requests are far smaller), 10 s to send one. */
export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxBytes: 1024 * 1024,
  bodyTimeout: 10_000,
  drainBytes: 1024 * 1024,
  drainTimeout: 2_000,
};

/**
 * A refused request body: too large (413), or not arriving within its deadline (408). The
 * response is already marked `Connection: close` and the rest of the body is being drained.
 */
export class BodyRefusedError extends Error {
  constructor(
    readonly reason: 'too-large' | 'timeout',
    message: string,
  ) {
    super(message);
  }

  /** The HTTP status to answer with. */
  get status(): 413 | 408 {
    return this.reason === 'too-large' ? 413 : 408;
  }

  /** The error type to answer with, in the `x-amzn-ErrorType` style. */
  get type(): string {
    return this.reason === 'too-large' ? 'RequestEntityTooLargeException' : 'RequestTimeoutException';
  }
}

/** Server timeouts set by {@link hardenServer}, in milliseconds. */
export interface ServerTimeouts {
  /** The whole request head must arrive within this (slowloris). */
  readonly headersTimeout: number;
  /** The whole request, head and body, must arrive within this. */
  readonly requestTimeout: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeout: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
};

/**
 * Reads the body of `req` within `limits`. A body declared (Content-Length) or found to be over
 * the limit, or not arriving in time, is refused: the response is marked `Connection: close`, the
 * rest of the body is drained within a bound so the client reads the answer rather than a reset,
 * and a {@link BodyRefusedError} is thrown for the caller to send.
 */
export async function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: BodyLimits = DEFAULT_BODY_LIMITS,
): Promise<Uint8Array> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limits.maxBytes) {
    finishRefused(req, res, limits);
    throw new BodyRefusedError('too-large', `The request body is over ${limits.maxBytes} bytes.`);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    const refuse = (reason: BodyRefusedError['reason'], message: string) => {
      cleanup();
      finishRefused(req, res, limits);
      reject(new BodyRefusedError(reason, message));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) refuse('too-large', `The request body is over ${limits.maxBytes} bytes.`);
      else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(new Uint8Array(Buffer.concat(chunks, size)));
    };
    const onError = (error?: Error) => {
      cleanup();
      reject(error ?? new Error('the request was aborted'));
    };
    const timer = setTimeout(
      () => refuse('timeout', `The request body did not arrive within ${limits.bodyTimeout} ms.`),
      limits.bodyTimeout,
    );
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

/**
 * Finishes a request whose body is refused: no keep-alive (the rest of the body would be read as
 * the next request, or stall it), and the rest drained, at most `drainBytes` or `drainTimeout`,
 * after which the socket is cut.
 */
export function finishRefused(
  req: IncomingMessage,
  res: ServerResponse,
  limits: BodyLimits = DEFAULT_BODY_LIMITS,
): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
  res.shouldKeepAlive = false;
  if (req.complete) return;
  let drained = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, limits.drainTimeout);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > limits.drainBytes) cut();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

/**
 * Sets a listener's timeouts: Node's headers and request timeouts, and a keep-alive idle time.
 * Node checks its own timeouts only every `connectionsCheckingInterval` (30 s by default, set when
 * the server is created), so a head that trickles in is also cut by a timer of its own here.
 */
export function hardenServer(
  server: Server,
  timeouts: ServerTimeouts = DEFAULT_SERVER_TIMEOUTS,
  limits: BodyLimits = DEFAULT_BODY_LIMITS,
): Server {
  server.headersTimeout = timeouts.headersTimeout;
  server.requestTimeout = timeouts.requestTimeout;
  server.keepAliveTimeout = timeouts.keepAliveTimeout;
  // Armed while no request is being handled (on connect, and after each response), so a head
  // that trickles in, or an idle connection, is cut after headersTimeout.
  const deadlines = new WeakMap<Socket, { arm(): void; clear(): void }>();
  server.on('connection', (socket: Socket) => {
    let timer: NodeJS.Timeout | undefined;
    const clear = () => clearTimeout(timer);
    const arm = () => {
      clear();
      timer = setTimeout(() => socket.destroy(), timeouts.headersTimeout);
      timer.unref();
    };
    arm();
    socket.on('close', clear);
    deadlines.set(socket, { arm, clear });
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const deadline = deadlines.get(req.socket);
    deadline?.clear();
    res.once('finish', () => {
      deadline?.arm();
      // A response sent without reading the body (an unknown route): Node reads the rest to
      // keep the connection; bound that as for a refusal.
      if (!req.complete) finishRefused(req, res, limits);
    });
  });
  return server;
}
