// The generic restJson1 router: matches a request to a route of the table and binds its input.
import { SES_V2_ROUTES, type SesV2Route } from './rest-routes.js';

/**
 * A request the protocol layer refuses before any operation runs, answered as SES does:
 * `status`, the `x-amzn-ErrorType` header `type`, and a JSON `message`.
 */
export class RestProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request matched to a route, with its decoded path labels. */
export interface RouteMatch {
  readonly route: SesV2Route;
  readonly labels: Readonly<Record<string, string>>;
}

interface CompiledRoute {
  readonly route: SesV2Route;
  /** Literal segments as text; label segments as `{ label }`. */
  readonly segments: readonly (string | { readonly label: string })[];
}

/** Compiles a route table once: templates split into literal and label segments. */
export function compileRoutes(routes: readonly SesV2Route[]): readonly CompiledRoute[] {
  return routes.map((route) => ({
    route,
    segments: route.path
      .split('/')
      .slice(1)
      .map((segment) => (/^\{\w+\}$/.test(segment) ? { label: segment.slice(1, -1) } : segment)),
  }));
}

const DEFAULT_ROUTES = compileRoutes(SES_V2_ROUTES);

/** Splits a request target (origin form, or absolute form) into its raw path and raw query. */
export function splitTarget(target: string): { path: string; query: string } {
  let rest = target;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length) || '/';
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  return question < 0 ? { path: rest, query: '' } : { path: rest.slice(0, question), query: rest.slice(question + 1) };
}

/** Percent-decodes one URI component; bad encoding is a 400, not a crash nor a 404. */
export function percentDecode(text: string, where: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new RestProtocolError(
      400,
      'BadRequestException',
      `The ${where} is not valid percent-encoding: ${JSON.stringify(text.slice(0, 80))}.`,
    );
  }
}

/**
 * The route for `method` and the raw (still percent-encoded) `path`, or null when none matches.
 * Segments are compared before decoding, so an encoded `/` (`%2F`) stays inside its label. One
 * trailing slash is forgiven. Label values are percent-decoded; `+` is literal, as in SigV4.
 */
export function matchRoute(
  method: string,
  path: string,
  routes: readonly CompiledRoute[] = DEFAULT_ROUTES,
): RouteMatch | null {
  if (!path.startsWith('/')) return null;
  let segments = path.split('/').slice(1);
  if (segments.length > 1 && segments.at(-1) === '') segments = segments.slice(0, -1);
  for (const compiled of routes) {
    if (compiled.route.method !== method || compiled.segments.length !== segments.length) continue;
    const raw: Record<string, string> = {};
    const matched = compiled.segments.every((segment, i) => {
      const actual = segments[i] as string;
      if (typeof segment === 'string') return segment === actual;
      raw[segment.label] = actual;
      return actual.length > 0;
    });
    if (!matched) continue;
    const labels: Record<string, string> = {};
    for (const [label, value] of Object.entries(raw)) labels[label] = percentDecode(value, `path label ${label}`);
    return { route: compiled.route, labels };
  }
  return null;
}

/** Parses a raw query string: each name to its values in order. `+` stays `+`. */
export function parseQuery(query: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = percentDecode(equals < 0 ? pair : pair.slice(0, equals), 'query string');
    const value = equals < 0 ? '' : percentDecode(pair.slice(equals + 1), 'query string');
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return params;
}

/**
 * Parses a JSON request body. Empty is `{}`; anything but a JSON object is a
 * SerializationException (400), as SES answers it.
 */
export function parseJsonBody(body: Uint8Array): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new RestProtocolError(400, 'SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RestProtocolError(400, 'SerializationException', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/**
 * The operation's input: the route's body members from the JSON body, then its query members,
 * then its path labels (labels win, so a body cannot rename the resource in the path). JSON
 * types of body members are the backend's to check; query text is typed here.
 */
export function bindInput(
  match: RouteMatch,
  query: Map<string, string[]>,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const member of match.route.body ?? []) {
    if (Object.hasOwn(body, member) && body[member] !== null) input[member] = body[member];
  }
  for (const [member, spec] of Object.entries(match.route.query ?? {})) {
    const values = query.get(spec.wire);
    if (values === undefined) continue;
    if (spec.type === 'list') input[member] = values;
    else if (spec.type === 'integer') input[member] = queryInteger(spec.wire, values.at(-1) as string);
    else input[member] = values.at(-1);
  }
  Object.assign(input, match.labels);
  return input;
}

function queryInteger(name: string, text: string): number {
  if (!/^-?\d{1,15}$/.test(text)) {
    throw new RestProtocolError(
      400,
      'SerializationException',
      `${name} must be an integer, not ${JSON.stringify(text.slice(0, 40))}.`,
    );
  }
  return Number(text);
}
