// Paging and filtering of the list operations: NextToken/PageSize, and the newer SDKs' Filter map.
import { badRequest } from '../errors.js';
import { decodePageToken, encodePageToken, pageSize } from '../validate.js';

/** The paging input of a list operation. */
export interface ListInput {
  NextToken?: string;
  PageSize?: number;
  Filter?: Record<string, string>;
}

/** Where a page starts and how long it is. */
export function pageBounds(input: ListInput): { start: number; size: number } {
  const size = pageSize(input.PageSize);
  if (input.NextToken !== undefined && typeof input.NextToken !== 'string')
    throw badRequest('NextToken must be a string.');
  return { start: input.NextToken !== undefined ? decodePageToken(input.NextToken) : 0, size };
}

/** The Filter map, checked: string values, keys among `allowed`; undefined when absent or empty. */
export function filterOf(raw: unknown, allowed: readonly string[]): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('Filter must be a map of strings.');
  const entries = Object.entries(raw as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (!allowed.includes(key)) throw badRequest(`Invalid filter key ${key}; valid keys: ${allowed.join(', ')}.`);
    if (typeof value !== 'string') throw badRequest(`The value of filter ${key} must be a string.`);
  }
  return entries.length > 0 ? (raw as Record<string, string>) : undefined;
}

/** A page of `items` kept by every filter given. */
export function listPage<T>(
  items: readonly T[],
  input: ListInput,
  filters: Readonly<Record<string, (item: T, value: string) => boolean>>,
): { items: T[]; nextToken?: string } {
  const { start, size } = pageBounds(input);
  const filter = filterOf(input.Filter, Object.keys(filters));
  const kept = filter
    ? items.filter((item) => Object.entries(filter).every(([key, value]) => filters[key]?.(item, value) ?? true))
    : items;
  return {
    items: kept.slice(start, start + size),
    ...(start + size < kept.length ? { nextToken: encodePageToken(start + size) } : {}),
  };
}
