// SES v2 request validation: identities, tags, key lengths, BYODKIM attributes, paging.
import type { SigningKeyLength } from '../core/easy-dkim.js';
import { DkimError } from '../core/errors.js';
import { MAX_SES_KEY_LENGTH } from '../core/key.js';
import { normalizeDomain, normalizeSelector } from '../core/names.js';
import { addressProblem } from './address.js';
import { badRequest } from './errors.js';
import type { Tag } from './identity.js';

/** SES's patterns for the private key and tag attributes; the selector's is the core's. */
const PRIVATE_KEY_PATTERN = /^[a-zA-Z0-9+/]+={0,2}$/;
const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** The most tags a resource may have. */
export const MAX_TAGS = 50;

/** An EmailIdentity parameter, parsed: its type, the store key and the name SES shows. */
export interface ParsedIdentity {
  readonly type: 'DOMAIN' | 'EMAIL_ADDRESS';
  readonly key: string;
  readonly display: string;
}

/** Parses an EmailIdentity: an email address or a domain; BadRequestException otherwise. */
export function parseIdentity(raw: unknown): ParsedIdentity {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 320) {
    throw badRequest('EmailIdentity is required: an email address or a domain.');
  }
  const at = raw.lastIndexOf('@');
  try {
    if (at >= 0) {
      const local = raw.slice(0, at);
      const problem = addressProblem(raw);
      if (problem !== null) throw badRequest(problem);
      if (local.length > 64) throw badRequest('Local address is longer than 64 characters');
      const display = `${local}@${normalizeDomain(raw.slice(at + 1))}`;
      return { type: 'EMAIL_ADDRESS', key: display.toLowerCase(), display };
    }
    const domain = normalizeDomain(raw);
    return { type: 'DOMAIN', key: domain, display: domain };
  } catch (error) {
    if (error instanceof DkimError) throw badRequest(`Invalid email identity ${raw.slice(0, 100)}: ${error.message}.`);
    throw error;
  }
}

/** The store key of an EmailIdentity parameter. */
export function identityKey(raw: unknown): string {
  return parseIdentity(raw).key;
}

/** The store key, or null for a parameter that is not an identity. */
export function identityKeyOrNull(raw: string): string | null {
  try {
    return identityKey(raw);
  } catch {
    return null;
  }
}

/** Validates Tags as SES does and returns a copy with every Value present. */
export function validateTags(tags: unknown): Tag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw badRequest('Tags must be a list.');
  const seen = new Set<string>();
  for (const tag of tags as Tag[]) {
    const key = tag?.Key;
    const value = tag?.Value ?? '';
    if (typeof key !== 'string' || key.length < 1 || key.length > 128)
      throw badRequest('A tag key must be 1 to 128 characters.');
    if (typeof value !== 'string' || value.length > 256) throw badRequest('A tag value must be 0 to 256 characters.');
    if (!TAG_PATTERN.test(key) || !TAG_PATTERN.test(value)) {
      throw badRequest('Tags may contain Unicode letters, digits, white space and _ . : / = + - @ only.');
    }
    if (key.toLowerCase().startsWith('aws:') || value.toLowerCase().startsWith('aws:')) {
      throw badRequest('The aws: prefix is reserved for AWS use.');
    }
    if (seen.has(key)) throw badRequest(`Duplicate tag key ${key}.`);
    seen.add(key);
  }
  if (tags.length > MAX_TAGS) throw badRequest(`An identity can have at most ${MAX_TAGS} tags.`);
  return (tags as Tag[]).map((tag) => ({ Key: tag.Key, Value: tag.Value ?? '' }));
}

/** A NextSigningKeyLength parameter; RSA_2048_BIT when absent. */
export function keyLength(value: unknown): SigningKeyLength {
  if (value === undefined) return 'RSA_2048_BIT';
  if (value === 'RSA_1024_BIT' || value === 'RSA_2048_BIT') return value;
  throw badRequest('NextSigningKeyLength must be RSA_1024_BIT or RSA_2048_BIT.');
}

/** A SigningAttributesOrigin parameter: EXTERNAL, or AWS_SES (and its regional variants). */
export function signingOrigin(origin: unknown): 'EXTERNAL' | 'AWS_SES' {
  if (origin === 'EXTERNAL') return origin;
  if (typeof origin === 'string' && origin.startsWith('AWS_SES')) return 'AWS_SES';
  throw badRequest('SigningAttributesOrigin must be AWS_SES or EXTERNAL.');
}

/** BYODKIM's DomainSigningSelector and DomainSigningPrivateKey, checked as SES checks them. */
export function byodkimAttributes(selector: unknown, privateKey: unknown): { selector: string; privateKey: string } {
  if (typeof selector !== 'string' || !isSelector(selector)) {
    throw badRequest(`Invalid DomainSigningSelector: it must be 1 to 63 letters, digits and inner hyphens.`);
  }
  if (
    typeof privateKey !== 'string' ||
    privateKey.length < 1 ||
    privateKey.length > MAX_SES_KEY_LENGTH ||
    !PRIVATE_KEY_PATTERN.test(privateKey)
  ) {
    throw badRequest(`Invalid DomainSigningPrivateKey: it must be 1 to ${MAX_SES_KEY_LENGTH} characters of base64.`);
  }
  return { selector, privateKey };
}

function isSelector(selector: string): boolean {
  try {
    normalizeSelector(selector);
    return true;
  } catch (error) {
    if (error instanceof DkimError) return false;
    throw error;
  }
}

/** A PageSize parameter: 1 to 1000, default 100. */
export function pageSize(value: unknown): number {
  const size = value ?? 100;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 1000) {
    throw badRequest('PageSize must be an integer from 1 to 1000.');
  }
  return size;
}

/** The NextToken of the page starting at `offset`. */
export function encodePageToken(offset: number): string {
  return btoa(JSON.stringify({ o: offset }));
}

/** The offset a NextToken stands for; BadRequestException for a token this backend did not issue. */
export function decodePageToken(token: string): number {
  try {
    const offset = (JSON.parse(atob(token)) as { o?: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw badRequest('Invalid NextToken.');
}

/** A member that must be an object (a structure) when present: BadRequestException for a string, number or list. */
export function optionalObject<T extends object>(value: T | undefined, name: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(name, 'a structure', value);
  return value;
}

/** A member that must be a boolean when present (restJson1 does not coerce "true"). */
export function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(name, 'a boolean', value);
  return value;
}

/** A member that must be a string when present. */
export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(name, 'a string', value);
  return value;
}

function wrongType(name: string, expected: string, value: unknown): Error {
  const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
  return badRequest(`${name} must be ${expected}, not ${got}.`);
}
