// awsQuery request parameters: the form body (and query string) of a SES v1 request, parsed with limits.
import { invalidParameter, missingParameter, SesQueryError } from './errors.js';

/** Most parameters one request may carry: a 50-recipient SendEmail with tags is well under 300. */
export const MAX_PARAMETERS = 1000;
/** Most members of one `Name.member.N` list: SES's largest v1 list (Identities) takes 100. */
export const MAX_LIST_MEMBERS = 1000;

/** The parameters of one awsQuery request, by their flattened names (`Destination.ToAddresses.member.1`). */
export type QueryParams = ReadonlyMap<string, string>;

/**
 * Parses an `application/x-www-form-urlencoded` text (botocore's QuerySerializer output).
 * A name given twice is a MalformedQueryString (awsQuery flattens lists, so nothing repeats).
 * @throws {SesQueryError} MalformedQueryString for bad percent-encoding, too many or repeated parameters.
 */
export function parseQueryParams(text: string, into = new Map<string, string>()): Map<string, string> {
  if (text.length === 0) return into;
  for (const pair of text.split('&')) {
    if (pair.length === 0) continue;
    if (into.size >= MAX_PARAMETERS) throw malformed(`A request may carry at most ${MAX_PARAMETERS} parameters.`);
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (into.has(name)) throw malformed(`The parameter ${name.slice(0, 100)} is given more than once.`);
    into.set(name, value);
  }
  return into;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw malformed('The request has malformed percent-encoding.');
  }
}

function malformed(message: string): SesQueryError {
  // AWS's common errors give MalformedQueryString 404; clients read the code, not the status.
  return new SesQueryError('MalformedQueryString', message, 404);
}

/** A string parameter, or undefined when absent. */
export function optionalString(params: QueryParams, name: string): string | undefined {
  return params.get(name);
}

/** A required string parameter: MissingParameter when absent. */
export function requiredString(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw missingParameter(name);
  return value;
}

/** A boolean parameter (`true`/`false`, as botocore writes them). */
export function optionalBoolean(params: QueryParams, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParameter(`Value ${value.slice(0, 50)} for parameter ${name} is invalid: it must be true or false.`);
}

/** An integer parameter within [min, max]. */
export function optionalInteger(params: QueryParams, name: string, min: number, max: number): number | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  const number = /^-?\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    throw invalidParameter(
      `Value ${value.slice(0, 50)} for parameter ${name} is invalid: it must be from ${min} to ${max}.`,
    );
  }
  return number;
}

/**
 * A `Name.member.N` list (1-based, contiguous, as botocore writes it); undefined when absent.
 * An empty list is serialized by botocore as the bare `Name=`, which reads as [].
 */
export function optionalList(params: QueryParams, name: string): string[] | undefined {
  const prefix = `${name}.member.`;
  const values: string[] = [];
  for (let i = 1; ; i++) {
    const value = params.get(`${prefix}${i}`);
    if (value === undefined) break;
    if (i > MAX_LIST_MEMBERS) throw invalidParameter(`${name} may have at most ${MAX_LIST_MEMBERS} members.`);
    values.push(value);
  }
  if (values.length > 0) return values;
  return params.has(name) ? [] : undefined;
}

/** A required list: MissingParameter when absent. */
export function requiredList(params: QueryParams, name: string): string[] {
  const values = optionalList(params, name);
  if (values === undefined) throw missingParameter(name);
  return values;
}

/** A `Name.member.N.Key` structure list, e.g. `Tags.member.1.Name` / `.Value`. */
export function optionalStructList(
  params: QueryParams,
  name: string,
  fields: readonly string[],
): Record<string, string>[] | undefined {
  const out: Record<string, string>[] = [];
  for (let i = 1; i <= MAX_LIST_MEMBERS; i++) {
    const entry: Record<string, string> = {};
    for (const field of fields) {
      const value = params.get(`${name}.member.${i}.${field}`);
      if (value !== undefined) entry[field] = value;
    }
    if (Object.keys(entry).length === 0) break;
    out.push(entry);
  }
  return out.length > 0 ? out : undefined;
}

/** Whether any parameter starts with `prefix.` (a structure that was given at all). */
export function hasStruct(params: QueryParams, prefix: string): boolean {
  const dotted = `${prefix}.`;
  for (const name of params.keys()) if (name.startsWith(dotted)) return true;
  return false;
}
