// The SES emulator server: restJson1 router, admin routes, mounts, regions, clock, provider DNS.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isRegionName, signingHostedZone } from '../../core/easy-dkim.js';
import { DkimError } from '../../core/errors.js';
import type { SignaturePrimitives } from '../../core/signature/primitives.js';
import { startZoneServer, type ZoneServer } from '../../dns/node/server.js';
import { createRoutingResolver } from '../../dns/routing.js';
import type { Resolver } from '../../dns/types.js';
import { createZoneResolver, type ZoneResolver } from '../../dns/zone.js';
import { nodeSignaturePrimitives } from '../../signature/node/crypto.js';
import { createSesClock, type SesClock } from '../clock.js';
import type { DocumentStore } from '../persistence.js';
import { createSesRegions, type SesRegions } from '../regions.js';
import { ADMIN_PREFIX, createAdminListener } from './admin.js';
import { hardenServer } from './body.js';
import { type PersistentBackends, persistentBackends } from './persistent.js';
import { regionOfRequest } from './region.js';
import { createRegionBackends, providerHostedZones, type RegionBackends } from './regions.js';
import { createSesV2RestListener } from './rest-listener.js';
import { RestProtocolError, splitTarget } from './rest-router.js';
import { startSesScheduler } from './scheduler.js';
import { sesV1Mounts } from './v1-mounts.js';

/** What every region's backend shares: one clock, one provider zone, one account. */
export interface SharedBackendOptions {
  /** Routes the provider's zones to `providerZone` and every other name to the customer's resolver. */
  readonly resolver: Resolver;
  readonly now: () => number;
  readonly providerZone: ZoneResolver;
  readonly accountId: string;
  readonly sandbox: boolean;
  readonly tokenSecret?: string;
  /** What sent mail is signed with: node:crypto's synchronous primitives. */
  readonly signatureCrypto: SignaturePrimitives;
}

/** What a mounted listener learns about its request. */
export interface SesServerMountContext {
  /** The request's region (its SigV4 scope, else the server's default). */
  readonly region: string;
  readonly backend: object;
  readonly regions: RegionBackends<object>;
  readonly clock: SesClock;
  readonly accountId: string;
  /** What checks ask: the provider's zones answered by the server, every other name by the customer's resolver. */
  readonly resolver: Resolver;
  /** True once shutdown started: long-lived answers (event streams) end then. */
  readonly closing: () => boolean;
}

/** A listener mounted before the admin routes and the SES v2 router: at a path prefix, or where a predicate says. */
export interface SesServerMount {
  readonly match: string | ((req: IncomingMessage) => boolean);
  listener(req: IncomingMessage, res: ServerResponse, context: SesServerMountContext): void;
}

/** Options of {@link startSesServer}. */
export interface SesServerOptions {
  /** The customer's resolver: where DNS checks look, except under the provider's own zones. */
  readonly resolver: Resolver;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Requests without a SigV4 credential scope use it; default us-east-1. */
  readonly region?: string;
  /** Twelve digits; default 000000000000. */
  readonly accountId?: string;
  /** Serve the provider's zones over UDP and TCP on this port (0: a free one), on `host`. */
  readonly dnsPort?: number;
  /** Recheck identities with an open verification window at least this often (ms), not at SES's cadence. */
  readonly checkEvery?: number;
  /** Accounts start in the sandbox (passed to backends that know it). */
  readonly sandbox?: boolean;
  /** The base clock under the emulator clock; default Date.now. */
  readonly now?: () => number;
  /** Deterministic Easy DKIM tokens. */
  readonly tokenSecret?: string;
  /** Checked in order, before the admin routes and the SES v2 router (the v1 API, the outbox, the console). */
  readonly mounts?: readonly SesServerMount[];
  /** Makes the backend of a region; default createSesBackend (v2, v1 and sending) over the shared options. */
  readonly createBackend?: (region: string, shared: SharedBackendOptions) => object;
  /** How long shutdown waits for in-flight requests before dropping them; default 10 s. */
  readonly closeGraceMs?: number;
  /** Sees errors that are bugs (answered as 500) and scheduler failures. */
  readonly onError?: (error: unknown) => void;
  /**
   * Where identities live (a file store, PostgreSQL); default memory. With it, checks are claimed
   * from the store with a lease, so several servers and workers can share it. The caller closes it.
   */
  readonly store?: DocumentStore;
  /** 'none': no checks on the cadence, only when `POST /_dkim-engine/check` asks. Default 'cadence'. */
  readonly checks?: 'cadence' | 'none';
  /** With `store`: how long a claimed check is this server's (ms); default 30 s. */
  readonly leaseMs?: number;
}

/** A running emulator. */
export interface SesServer {
  /** `http://<host>:<port>`, the endpoint URL for SDKs. */
  readonly url: string;
  readonly port: number;
  /** `<host>:<port>` of the provider DNS server, with `dnsPort`. */
  readonly dnsAddress?: string;
  readonly clock: SesClock;
  readonly regions: RegionBackends<object>;
  /** Runs every due check in every region now; resolves to how many ran. */
  checkAll(): Promise<number>;
  /** Stops accepting, finishes in-flight requests, closes the DNS sockets. */
  close(): Promise<void>;
}

/** Starting failed: `PORT_IN_USE` names the port that another process holds. */
export class SesServerError extends Error {
  constructor(
    readonly code: 'PORT_IN_USE',
    message: string,
  ) {
    super(message);
  }
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Starts the SES emulator: SES v2 over restJson1 (every route of the SDK models), one backend
 * per SigV4 region sharing one clock and one provider zone, the admin routes, the scheduler,
 * and with `dnsPort` the provider's zones over DNS.
 */
export async function startSesServer(options: SesServerOptions): Promise<SesServer> {
  const settings = validate(options);
  const clock = createSesClock(options.now);
  const providerZone = createZoneResolver();
  const shared: SharedBackendOptions = {
    resolver: createRoutingResolver([{ zones: providerHostedZones(), resolver: providerZone }], options.resolver),
    now: clock.now,
    providerZone,
    accountId: settings.accountId,
    sandbox: options.sandbox ?? false,
    signatureCrypto: nodeSignaturePrimitives,
    ...(options.tokenSecret !== undefined ? { tokenSecret: options.tokenSecret } : {}),
  };
  const { createBackend } = options;
  const persistent =
    options.store && !createBackend ? persistentOver(options.store, options, clock.now, providerZone) : undefined;
  const library = createBackend ? undefined : libraryBackends(shared, persistent);
  const create = createBackend
    ? (region: string) => createBackend(region, shared)
    : (region: string) => (library as SesRegions).backend(region);
  const regions = createRegionBackends<object>(settings.region, create);
  if (persistent && library) await persistent.load(library);
  // The provider's d=amazonses.com key is made at start-up (in the background) and published in the provider zone.
  const provider = (regions.get(null) as { providerSigner?: () => Promise<unknown> }).providerSigner;
  provider?.call(regions.get(null)).catch((error: unknown) => options.onError?.(error));
  // One run of checks at a time: the check route waits for a scheduled run instead of racing it.
  let checking: Promise<unknown> = Promise.resolve();
  const checkAll = (recheckAfterMs?: number): Promise<number> => {
    if (persistent) return persistent.worker.drain();
    const run = checking.then(() => checkRegions(regions, recheckAfterMs));
    checking = run.catch(() => {});
    return run;
  };

  let closing = false;
  const isClosing = () => closing;
  const backendFor = (req: IncomingMessage) => regions.get(regionOfRequest(req.headers));
  const admin = createAdminListener({
    clock,
    checkAll: () => checkAll(),
    backendFor: (req, region) => (region === undefined ? backendFor(req) : regions.get(checkedRegion(region))),
    closing: isClosing,
  });
  const rest = createSesV2RestListener({
    backendFor,
    closing: isClosing,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  // SES v1 (POST / with a form body) and the outbox (/_aws/ses) after the caller's own mounts (issue 16).
  const mounts: readonly SesServerMount[] = [
    ...(options.mounts ?? []),
    ...sesV1Mounts(options.onError ? { onError: options.onError } : {}),
  ];

  const server = createServer((req, res) => {
    // Once shutdown starts, a finished answer frees its keep-alive connection at once.
    res.on('finish', () => {
      if (closing) server.closeIdleConnections();
    });
    const path = splitTarget(req.url ?? '/').path;
    const mount = mounts.find((m) => (typeof m.match === 'string' ? path.startsWith(m.match) : m.match(req)));
    if (!mount) return path.startsWith(ADMIN_PREFIX) ? admin(req, res) : rest(req, res);
    const region = regionOfRequest(req.headers) ?? regions.defaultRegion;
    const { resolver } = shared;
    const context = { region, backend: regions.get(region), regions, clock, accountId: settings.accountId };
    mount.listener(req, res, { ...context, resolver, closing: isClosing });
  });
  hardenServer(server);
  await listen(server, settings.port, settings.host);
  let dns: ZoneServer | undefined;
  if (options.dnsPort !== undefined) {
    try {
      dns = await startDns(providerZone, settings.host, options.dnsPort);
    } catch (error) {
      await closeHttp(server, 0);
      throw error;
    }
  }
  const stopScheduler = startChecks(options, persistent, () => checkAll(options.checkEvery));

  const port = (server.address() as { port: number }).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl(settings.host)}:${port}`,
    port,
    ...(dns ? { dnsAddress: dns.server } : {}),
    clock,
    regions,
    checkAll: () => checkAll(),
    close() {
      closed ??= (async () => {
        closing = true;
        await stopScheduler();
        await Promise.all([closeHttp(server, options.closeGraceMs ?? 10_000), dns?.close()]);
        await shared.resolver.close?.();
      })();
      return closed;
    },
  };
}

function validate(options: SesServerOptions): { port: number; host: string; region: string; accountId: string } {
  const port = options.port ?? 0;
  for (const [name, value] of [
    ['port', port],
    ['dnsPort', options.dnsPort ?? 0],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 65_535) {
      throw new DkimError('OPTION_INVALID', `${name} must be a port number from 0 to 65535`);
    }
  }
  const checkEvery = options.checkEvery;
  if (checkEvery !== undefined && (!Number.isInteger(checkEvery) || checkEvery < 10 || checkEvery > 86_400_000)) {
    throw new DkimError('OPTION_INVALID', 'checkEvery must be a number of milliseconds from 10 to 86400000');
  }
  const accountId = options.accountId ?? '000000000000';
  if (!ACCOUNT_ID.test(accountId)) throw new DkimError('OPTION_INVALID', 'the account id must be twelve digits');
  const region = options.region ?? 'us-east-1';
  signingHostedZone({ region }); // throws OPTION_INVALID for a name that is not a region
  return { port, host: options.host ?? '127.0.0.1', region, accountId };
}

// The library's backends: one createSesRegions over the shared options, so DEED replicas in one
// region find their parent identity in another.
function libraryBackends(shared: SharedBackendOptions, persistent?: PersistentBackends): SesRegions {
  return createSesRegions({
    ...persistent?.regionOptions,
    accountId: shared.accountId,
    sandbox: shared.sandbox,
    resolver: shared.resolver,
    now: shared.now,
    providerZone: shared.providerZone,
    signatureCrypto: shared.signatureCrypto,
    ...(shared.tokenSecret !== undefined ? { tokenSecret: shared.tokenSecret } : {}),
  });
}

function persistentOver(
  store: DocumentStore,
  options: SesServerOptions,
  now: () => number,
  providerZone: ZoneResolver,
): PersistentBackends {
  return persistentBackends({
    store,
    providerZone,
    now,
    ...(options.checkEvery !== undefined ? { checkEvery: options.checkEvery } : {}),
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}

/** Checks on the cadence: the claim loop over a store, else the scheduler; none with `checks: 'none'`. */
function startChecks(
  options: SesServerOptions,
  persistent: PersistentBackends | undefined,
  run: () => Promise<number>,
): () => Promise<void> {
  if (options.checks === 'none') return async () => {};
  if (persistent) return persistent.startLoop(Math.min(options.checkEvery ?? 1000, 1000));
  const stop = startSesScheduler(
    { checkAll: async () => ({ checked: await run() }) },
    { intervalMs: options.checkEvery ?? 60_000, ...(options.onError ? { onError: options.onError } : {}) },
  );
  return async () => stop();
}

/**
 * Runs the due checks of every region. `recheckAfterMs` asks backends that support it to treat
 * an open verification window as due once its last check is that old (`--check-every`).
 */
async function checkRegions(regions: RegionBackends<object>, recheckAfterMs?: number): Promise<number> {
  let checked = 0;
  for (const [, backend] of regions.entries()) {
    const run = (backend as { checkAll?: (options?: { recheckAfterMs?: number }) => Promise<{ checked: number }> })
      .checkAll;
    if (typeof run !== 'function') continue;
    const result = await run.call(backend, recheckAfterMs === undefined ? undefined : { recheckAfterMs });
    checked += result.checked;
  }
  return checked;
}

async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' ? new SesServerError('PORT_IN_USE', `port ${port} on ${host} is in use`) : error,
      );
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

async function startDns(zone: ZoneResolver, host: string, port: number): Promise<ZoneServer> {
  try {
    return await startZoneServer(zone, { address: host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || /is taken/.test((error as Error).message)) {
      throw new SesServerError('PORT_IN_USE', `DNS port ${port} on ${host} is in use (UDP or TCP)`);
    }
    throw error;
  }
}

/** Stops accepting, lets in-flight requests finish (up to `graceMs`), then drops what is left. */
async function closeHttp(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return;
  const done = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await done;
  clearTimeout(timer);
}

function checkedRegion(region: string): string {
  if (!isRegionName(region)) throw new RestProtocolError(400, 'BadRequestException', 'region must be a region name.');
  return region;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
