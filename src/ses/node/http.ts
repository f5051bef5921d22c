import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SesV2Backend } from '../backend.js';
import { SesException } from '../errors.js';
import { readJsonBody } from './body.js';

const PREFIX = '/v2/email/identities';
// Current SDKs list with POST and a JSON body; the older model used GET with query parameters.
const LIST_PATH = '/v2/email/list-identities';

type Handler = (
  backend: SesV2Backend,
  body: Record<string, unknown>,
  identity: string,
  query: URLSearchParams,
) => Promise<unknown>;

// restJson1 routes of the identity operations: method, path shape, backend call.
const ROUTES: readonly { method: string; suffix: string | null; handler: Handler }[] = [
  { method: 'POST', suffix: null, handler: (b, body) => b.createEmailIdentity(body) },
  {
    method: 'GET',
    suffix: null,
    handler: (b, _body, _identity, query) =>
      b.listEmailIdentities({
        ...(query.has('NextToken') ? { NextToken: query.get('NextToken') as string } : {}),
        ...(query.has('PageSize') ? { PageSize: Number(query.get('PageSize')) } : {}),
      }),
  },
  { method: 'GET', suffix: '', handler: (b, _body, identity) => b.getEmailIdentity({ EmailIdentity: identity }) },
  { method: 'DELETE', suffix: '', handler: (b, _body, identity) => b.deleteEmailIdentity({ EmailIdentity: identity }) },
  {
    method: 'PUT',
    suffix: '/dkim/signing',
    handler: (b, body, identity) => b.putEmailIdentityDkimSigningAttributes({ ...body, EmailIdentity: identity }),
  },
  {
    method: 'PUT',
    suffix: '/dkim',
    handler: (b, body, identity) =>
      b.putEmailIdentityDkimAttributes({ EmailIdentity: identity, SigningEnabled: body.SigningEnabled === true }),
  },
];

/**
 * A node:http request listener speaking SES v2's restJson1 protocol for the email-identity
 * operations, over a backend: POST/GET/DELETE /v2/email/identities[/{id}], PUT .../dkim and
 * .../dkim/signing, and listing by GET /v2/email/identities or POST /v2/email/list-identities.
 * Request signatures are accepted and not verified.
 */
export function createSesV2RequestListener(backend: SesV2Backend): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(backend, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendError(res, 500, 'InternalFailure', error instanceof Error ? error.message : 'internal error');
      else res.destroy();
    });
  };
}

async function handle(backend: SesV2Backend, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = routeOf(req.method ?? 'GET', url.pathname);
  if (!match) {
    sendError(res, 404, 'UnknownOperationException', `No operation for ${req.method} ${url.pathname}`);
    return;
  }
  let body: Record<string, unknown> = {};
  try {
    body = await readJsonBody(req, res);
  } catch (error) {
    sendError(
      res,
      error instanceof SesException ? error.httpStatus : 400,
      'SerializationException',
      (error as Error).message,
    );
    return;
  }
  try {
    const output = await match.handler(backend, body, match.identity, url.searchParams);
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId() });
    res.end(JSON.stringify(output, epochSeconds));
  } catch (error) {
    if (error instanceof SesException) {
      sendError(res, error.httpStatus, error.name, error.message);
      return;
    }
    throw error;
  }
}

const listFromBody: Handler = (b, body) =>
  b.listEmailIdentities({
    ...(typeof body.NextToken === 'string' ? { NextToken: body.NextToken } : {}),
    ...(body.PageSize !== undefined ? { PageSize: Number(body.PageSize) } : {}),
  });

function routeOf(method: string, path: string): { handler: Handler; identity: string } | null {
  if (path === LIST_PATH) return method === 'POST' ? { handler: listFromBody, identity: '' } : null;
  if (path === PREFIX || path === `${PREFIX}/`) {
    const route = ROUTES.find((r) => r.method === method && r.suffix === null);
    return route ? { handler: route.handler, identity: '' } : null;
  }
  if (!path.startsWith(`${PREFIX}/`)) return null;
  const rest = path.slice(PREFIX.length + 1);
  for (const route of ROUTES) {
    if (route.method !== method || route.suffix === null) continue;
    if (route.suffix === '' ? rest.includes('/') : !rest.endsWith(route.suffix)) continue;
    const raw = route.suffix === '' ? rest : rest.slice(0, -route.suffix.length);
    if (raw === '' || raw.includes('/')) continue;
    let identity: string;
    try {
      identity = decodeURIComponent(raw);
    } catch {
      return null;
    }
    return { handler: route.handler, identity };
  }
  return null;
}

// restJson1 sends timestamps as epoch seconds. The replacer sees Dates already turned into
// strings by toJSON, so it looks at the holder's original value.
function epochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Date ? original.getTime() / 1000 : value;
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': type,
    'x-amzn-requestid': requestId(),
  });
  res.end(JSON.stringify({ message }));
}

function requestId(): string {
  return crypto.randomUUID();
}
