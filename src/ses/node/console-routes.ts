// The web console's routes on `serve`: the built page at /, its read-only data routes, its event stream and DoH.
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRegionName } from '../../core/easy-dkim.js';
import { serveDohRequest } from '../../dns/node/doh-handler.js';
import type { SesV2Snapshot } from '../snapshot.js';
import { type ConsoleEventsOptions, createConsoleEvents } from './console-events.js';
import { type ConsoleIdentities, consoleIdentity } from './console-view.js';
import { sendError, sendJson } from './responses.js';
import { splitTarget } from './rest-router.js';
import type { SesServerMount, SesServerMountContext } from './server.js';

/** Where the console's data routes live (beside the admin routes). */
export const CONSOLE_IDENTITIES_PATH = '/_dkim-engine/identities';
export const CONSOLE_EVENTS_PATH = '/_dkim-engine/events';
/** The DNS-over-HTTPS endpoint (RFC 8484) the page checks records through. */
export const DOH_PATH = '/dns-query';

/** The built page (`npm run build` writes it), by URL path: file name and content type. */
const FILES: Readonly<Record<string, readonly [string, string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/console.js': ['console.js', 'text/javascript; charset=utf-8'],
  '/console.css': ['console.css', 'text/css; charset=utf-8'],
};

/** Largest built file served; the page is far smaller, so more means a wrong file. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Most identities one answer lists. */
export const MAX_CONSOLE_IDENTITIES = 1000;

// The page may talk to its own origin only; the SVG timeline is inline markup.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";

/** Options of {@link createConsoleMounts}. */
export interface ConsoleMountOptions {
  /** Where the built page is; default the package's dist/console. */
  readonly directory?: string;
  readonly events?: ConsoleEventsOptions;
}

/** The package root is three levels above this file, in src/ and in dist/ alike. */
function defaultDirectory(): string {
  return join(fileURLToPath(new URL('../../../', import.meta.url)), 'dist', 'console');
}

/** Reads a built file, refusing one over {@link MAX_FILE_BYTES}; null when it is missing or too large. */
async function readBuiltFile(path: string): Promise<Uint8Array | null> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) return null;
    const buffer = new Uint8Array(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

async function serveFile(directory: string, path: string, req: IncomingMessage, res: ServerResponse) {
  req.resume();
  const [name, type] = FILES[path] ?? FILES['/'] ?? ['', ''];
  const body = await readBuiltFile(join(directory, name));
  if (body === null) {
    sendError(res, 503, 'ServiceUnavailable', 'The console is not built: run npm run build.');
    return;
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'content-security-policy': CSP,
    'referrer-policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** `GET /_dkim-engine/identities?region=`: the identities of a region, as the console shows them. */
async function serveIdentities(req: IncomingMessage, res: ServerResponse, context: SesServerMountContext) {
  req.resume();
  if (req.method !== 'GET') {
    sendError(res, 405, 'MethodNotAllowed', 'The console routes are read-only.');
    return;
  }
  const asked = new URLSearchParams(splitTarget(req.url ?? '/').query).get('region') || context.region;
  if (!isRegionName(asked)) {
    sendError(res, 400, 'BadRequestException', 'region must be a region name.');
    return;
  }
  const backend = context.regions.get(asked) as { snapshot?: () => Promise<SesV2Snapshot> };
  const records = (await backend.snapshot?.())?.identities ?? [];
  const now = context.clock.now();
  const answer: ConsoleIdentities = {
    region: asked,
    regions: context.regions.entries().map(([name]) => name),
    now,
    identities: records.slice(0, MAX_CONSOLE_IDENTITIES).map((record) => consoleIdentity(record, asked, now)),
    truncated: records.length > MAX_CONSOLE_IDENTITIES,
  };
  sendJson(res, answer);
}

/**
 * The console's mounts for {@link startSesServer}'s `mounts`: the page (GET `/`, `/console.js`,
 * `/console.css`; `/` with an `Action` query stays the v1 API's), the identities and events
 * routes, and DoH answering from the provider zone and, for other names, the customer's resolver.
 */
export function createConsoleMounts(options: ConsoleMountOptions = {}): SesServerMount[] {
  const directory = options.directory ?? defaultDirectory();
  const events = createConsoleEvents(options.events);
  const pathOf = (req: IncomingMessage) => splitTarget(req.url ?? '/');
  const fail = (res: ServerResponse, error: unknown) =>
    sendError(res, 500, 'InternalFailure', error instanceof Error ? error.message : 'internal error');
  return [
    {
      match: (req) => {
        const { path, query } = pathOf(req);
        if (req.method !== 'GET' && req.method !== 'HEAD') return false;
        return FILES[path] !== undefined && !new URLSearchParams(query).has('Action');
      },
      listener: (req, res) => void serveFile(directory, pathOf(req).path, req, res).catch((e) => fail(res, e)),
    },
    {
      match: (req) => pathOf(req).path === CONSOLE_IDENTITIES_PATH,
      listener: (req, res, context) => void serveIdentities(req, res, context).catch((e) => fail(res, e)),
    },
    { match: (req) => pathOf(req).path === CONSOLE_EVENTS_PATH, listener: events },
    {
      match: (req) => pathOf(req).path === DOH_PATH,
      listener: (req, res, context) => void serveDohRequest(context.resolver, req, res).catch((e) => fail(res, e)),
    },
  ];
}
