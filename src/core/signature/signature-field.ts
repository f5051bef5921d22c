// Reading a DKIM-Signature field (RFC 6376 section 3.5): its tags checked and typed, or the result code that stops it.
import { base64Decode } from '../base64.js';
import type { CanonicalizationMode } from './canonicalize.js';
import type { HeaderField } from './message.js';
import type { Failure } from './results.js';
import { parseTagList, type Tag } from './tag-list.js';

/** The signing algorithms dkim-engine signs and verifies with. */
export type SigningAlgorithm = 'rsa-sha256' | 'ed25519-sha256';

/** The field name, in lower case as header matching uses it. */
export const SIGNATURE_FIELD = 'dkim-signature';

/** A DKIM-Signature whose tags are all well-formed. */
export interface ParsedSignature {
  /** `a=` as written (rsa-sha1 is parsed, then refused by policy). */
  readonly algorithm: SigningAlgorithm | 'rsa-sha1';
  readonly signature: Uint8Array;
  readonly bodyHash: Uint8Array;
  readonly headerMode: CanonicalizationMode;
  readonly bodyMode: CanonicalizationMode;
  /** `d=`, lower case. */
  readonly domain: string;
  readonly selector: string;
  /** `h=`, lower case, in order. */
  readonly signedHeaders: readonly string[];
  /** `i=` as written; absent means `@d`. */
  readonly identity?: string;
  /** The domain part of `i=` (or `d=`), lower case. */
  readonly identityDomain: string;
  readonly bodyLength?: number;
  readonly timestamp?: number;
  readonly expiration?: number;
  /** The field with the `b=` value emptied: what is hashed last (section 3.7). */
  readonly blanked: HeaderField;
  /** `b=` as written without white space, for Authentication-Results. */
  readonly signatureText: string;
}

/** What a field's tags say, as far as they could be read (for reports even when the field is bad). */
export interface SignatureSummary {
  readonly domain: string;
  readonly selector: string;
  readonly algorithm: string;
  readonly canonicalization: string;
  readonly signedHeaders: readonly string[];
  readonly bodyLength?: number;
  readonly identity?: string;
  readonly signatureText: string;
}

/** The parse of one field: always a summary; the typed signature or the failure that stops it. */
export type SignatureFieldResult = { readonly summary: SignatureSummary } & (
  | { readonly ok: true; readonly parsed: ParsedSignature }
  | { readonly ok: false; readonly failure: Failure }
);

const REQUIRED = ['v', 'a', 'b', 'bh', 'd', 'h', 's'] as const;
const ALL_WHITE = /[ \t\r\n]+/g;
const DIGITS = /^[0-9]{1,76}$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const SELECTOR = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*$/;
/** A header field name (RFC 5322 ftext: printable ASCII but the colon). */
export const FIELD_NAME = /^[!-9;-~]+$/;

/** Reads one DKIM-Signature field. Never throws. */
export function parseSignatureField(field: HeaderField): SignatureFieldResult {
  const colon = field.raw.indexOf(':');
  const value = field.raw.slice(colon + 1);
  const list = parseTagList(value);
  if (!list.ok) return failed(emptySummary(), 'SYNTAX', `the tag-list is malformed: ${list.detail}`);
  const tags = list.tags;
  const text = (name: string) => tags.get(name)?.value;
  const summary = summarize(tags);
  const version = text('v');
  if (version !== undefined && version !== '1') {
    return failed(summary, 'VERSION_UNSUPPORTED', `v=${shorten(version)} is not DKIM version 1`);
  }
  const missing = REQUIRED.filter((name) => !tags.has(name));
  if (missing.length > 0) return failed(summary, 'SYNTAX', `required tags missing: ${missing.join(', ')}`);

  const signature = decode(text('b') as string);
  const bodyHash = decode(text('bh') as string);
  if (signature === undefined || signature.length === 0) return failed(summary, 'SYNTAX', 'b= is not base64');
  if (bodyHash === undefined || bodyHash.length === 0) return failed(summary, 'SYNTAX', 'bh= is not base64');
  const domain = (text('d') as string).toLowerCase();
  if (!DOMAIN.test(domain) || domain.length > 253) return failed(summary, 'SYNTAX', `d= is not a domain name`);
  const selector = (text('s') as string).toLowerCase();
  if (!SELECTOR.test(selector) || selector.length > 253) return failed(summary, 'SYNTAX', `s= is not a selector`);
  const signedHeaders = summary.signedHeaders;
  if (signedHeaders.some((name) => !FIELD_NAME.test(name))) {
    return failed(summary, 'SYNTAX', 'h= holds an empty or invalid field name');
  }
  const numbers: Partial<Record<'l' | 't' | 'x', number>> = {};
  for (const name of ['l', 't', 'x'] as const) {
    const raw = text(name);
    if (raw === undefined) continue;
    if (!DIGITS.test(raw)) return failed(summary, 'SYNTAX', `${name}= is not a number`);
    numbers[name] = Number(raw);
  }

  const algorithm = text('a') as string;
  if (algorithm !== 'rsa-sha256' && algorithm !== 'ed25519-sha256' && algorithm !== 'rsa-sha1') {
    return failed(summary, 'ALGORITHM_UNSUPPORTED', `a=${shorten(algorithm)} is not a known DKIM algorithm`);
  }
  const modes = canonicalization(text('c'));
  if (modes === undefined) {
    return failed(summary, 'CANONICALIZATION_UNSUPPORTED', `c=${shorten(text('c') ?? '')} is not simple or relaxed`);
  }
  const query = text('q');
  if (query !== undefined && !query.split(':').some((method) => method.trim().split('/', 2).join('/') === 'dns/txt')) {
    return failed(summary, 'QUERY_METHOD_UNSUPPORTED', `q=${shorten(query)} does not include dns/txt`);
  }
  if (!signedHeaders.includes('from')) return failed(summary, 'FROM_NOT_SIGNED', 'h= does not include From');
  const identity = text('i');
  const identityDomain = identity === undefined ? domain : identity.slice(identity.lastIndexOf('@') + 1).toLowerCase();
  if (identity !== undefined) {
    const under = identityDomain === domain || identityDomain.endsWith(`.${domain}`);
    if (!identity.includes('@') || !under) {
      return failed(summary, 'IDENTITY_MISMATCH', `i=${shorten(identity)} is not in d=${domain} or under it`);
    }
  }
  if (numbers.x !== undefined && numbers.t !== undefined && numbers.x < numbers.t) {
    return failed(summary, 'SYNTAX', 'x= is before t=');
  }
  const b = tags.get('b') as Tag;
  const raw = field.raw.slice(0, colon + 1 + b.start) + field.raw.slice(colon + 1 + b.end);
  const parsed: ParsedSignature = {
    algorithm,
    signature,
    bodyHash,
    headerMode: modes[0],
    bodyMode: modes[1],
    domain,
    selector,
    signedHeaders,
    ...(identity === undefined ? {} : { identity }),
    identityDomain,
    ...(numbers.l === undefined ? {} : { bodyLength: numbers.l }),
    ...(numbers.t === undefined ? {} : { timestamp: numbers.t }),
    ...(numbers.x === undefined ? {} : { expiration: numbers.x }),
    blanked: { name: field.name, key: field.key, raw },
    signatureText: summary.signatureText,
  };
  return { ok: true, summary, parsed };
}

function summarize(tags: ReadonlyMap<string, Tag>): SignatureSummary {
  const text = (name: string) => tags.get(name)?.value.replace(ALL_WHITE, '');
  const h = text('h');
  const l = text('l');
  const i = tags.get('i')?.value;
  const modes = canonicalization(text('c'));
  return {
    domain: (text('d') ?? '').toLowerCase(),
    selector: text('s') ?? '',
    algorithm: text('a') ?? '',
    canonicalization: modes === undefined ? (text('c') ?? '') : `${modes[0]}/${modes[1]}`,
    signedHeaders: h === undefined ? [] : h.split(':').map((name) => name.toLowerCase()),
    ...(l !== undefined && DIGITS.test(l) ? { bodyLength: Number(l) } : {}),
    ...(i === undefined ? {} : { identity: i }),
    signatureText: text('b') ?? '',
  };
}

function emptySummary(): SignatureSummary {
  return { domain: '', selector: '', algorithm: '', canonicalization: '', signedHeaders: [], signatureText: '' };
}

/** `c=`: absent is simple/simple; one word is that header mode with a simple body. */
function canonicalization(value: string | undefined): [CanonicalizationMode, CanonicalizationMode] | undefined {
  if (value === undefined) return ['simple', 'simple'];
  const [header, body = 'simple', extra] = value.split('/');
  if (extra !== undefined || !isMode(header) || !isMode(body)) return undefined;
  return [header, body];
}

function isMode(value: string | undefined): value is CanonicalizationMode {
  return value === 'simple' || value === 'relaxed';
}

// base64string allows folding white space anywhere (RFC 6376 section 2.4).
function decode(value: string): Uint8Array | undefined {
  try {
    return base64Decode(value.replace(ALL_WHITE, ''));
  } catch {
    return undefined;
  }
}

function failed(summary: SignatureSummary, code: Failure['code'], message: string): SignatureFieldResult {
  return { ok: false, summary, failure: { code, message } };
}

function shorten(text: string): string {
  const flat = text.replace(ALL_WHITE, ' ');
  return flat.length > 32 ? `${flat.slice(0, 32)}...` : flat;
}
