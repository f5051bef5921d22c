// Explaining failures: which simple change to the body or headers would make a failing signature pass.
import { type CanonicalizationMode, canonicalizeBody, canonicalizeHeader } from './canonicalize.js';
import { bytesEqual, headerHashInput, selectSignedFields } from './hash-input.js';
import type { HeaderField, Message } from './message.js';
import type { SignaturePrimitives } from './primitives.js';
import type { ParsedSignature } from './signature-field.js';

/** The most cut points tried when looking for appended content. */
export const MAX_APPEND_CANDIDATES = 64;
/** The most bytes hashed while explaining one body hash failure (bounds the cost on large messages). */
export const EXPLAIN_HASH_BUDGET = 16 * 1024 * 1024;

/** Hashes with the verifier's primitives. */
type Digest = (data: Uint8Array) => Promise<Uint8Array>;

/**
 * Why the body hash failed, when a known change explains it: white space (relaxed would pass),
 * line ends, or content appended after the signed part. Bounded by {@link EXPLAIN_HASH_BUDGET}.
 */
export async function explainBodyHash(
  primitives: SignaturePrimitives,
  message: Message,
  signature: ParsedSignature,
  canonicalBody: Uint8Array,
): Promise<string> {
  let budget = EXPLAIN_HASH_BUDGET;
  const digest: Digest = async (data) => {
    budget -= data.length;
    return primitives.sha256(data);
  };
  const matches = async (body: Uint8Array) => {
    const length = signature.bodyLength;
    if (length !== undefined && length > body.length) return false;
    return bytesEqual(await digest(length === undefined ? body : body.subarray(0, length)), signature.bodyHash);
  };
  if (signature.bodyMode === 'simple' && (await matches(canonicalizeBody(message.body, 'relaxed')))) {
    return 'passes with relaxed body canonicalization: white space changed';
  }
  for (const body of lineEndVariants(message, signature.bodyMode)) {
    if (budget < body.length) break;
    if (await matches(body)) return 'line ends changed: the signer hashed the body with other line ends';
  }
  if (signature.bodyLength === undefined) {
    for (const end of lineEndsBackwards(canonicalBody)) {
      if (budget < end) break;
      if (bytesEqual(await digest(canonicalBody.subarray(0, end)), signature.bodyHash)) {
        return `the first ${end} bytes match, content was appended (${canonicalBody.length - end} bytes after them)`;
      }
    }
  }
  return 'the body changed after signing; no white-space, line-end or appended-content change explains it';
}

// The body as a signer that kept bare LFs, or that turned CRLF into LF, would have hashed it.
function lineEndVariants(message: Message, mode: CanonicalizationMode): Uint8Array[] {
  const variants: Uint8Array[] = [];
  if (message.bareLineFeeds) variants.push(canonicalizeBody(message.originalBody, mode));
  const crlfToLf = new Uint8Array(message.body.length);
  let o = 0;
  for (let i = 0; i < message.body.length; i++) {
    const c = message.body[i] as number;
    if (c === 0x0d && message.body[i + 1] === 0x0a) continue;
    crlfToLf[o++] = c;
  }
  if (o !== message.body.length) variants.push(canonicalizeBody(crlfToLf.subarray(0, o), mode));
  // A relay that wrote CR CR LF for each line end (a CRLF message treated as text once more).
  const doubled = new Uint8Array(message.body.length);
  o = 0;
  for (let i = 0; i < message.body.length; i++) {
    const c = message.body[i] as number;
    if (c === 0x0d && message.body[i + 1] === 0x0d && message.body[i + 2] === 0x0a) continue;
    doubled[o++] = c;
  }
  if (o !== message.body.length) variants.push(canonicalizeBody(doubled.subarray(0, o), mode));
  return variants;
}

// Ends of non-empty lines, last first: where a signed body may have stopped before a footer.
function* lineEndsBackwards(body: Uint8Array): Generator<number> {
  let found = 0;
  for (let i = body.length - 3; i >= 1 && found < MAX_APPEND_CANDIDATES; i--) {
    if (body[i] === 0x0a && body[i - 1] === 0x0d && !(i >= 3 && body[i - 2] === 0x0a && body[i - 3] === 0x0d)) {
      found++;
      yield i + 1;
    }
  }
}

/** The most signed fields re-spaced one at a time while explaining a signature failure. */
export const MAX_RESPACED_FIELDS = 32;

/**
 * Why the signature failed. With simple header canonicalization, tries each signed field
 * unfolded and re-spaced the usual way (`Name: value`): the fields whose re-spaced form makes
 * the signature pass are the ones a relaxed reading would have forgiven. Otherwise names the
 * signed fields.
 */
export async function explainSignature(
  message: Message,
  signature: ParsedSignature,
  verify: (input: Uint8Array) => Promise<boolean>,
): Promise<string> {
  const fields = selectSignedFields(message.headers, signature.signedHeaders);
  if (signature.headerMode === 'simple') {
    const respaced = fields.map((field) => (field === undefined ? undefined : respace(field)));
    const passesWith = async (replacing: (i: number) => boolean) =>
      verify(
        headerHashInput(
          fields.map((f, i) => (replacing(i) ? respaced[i] : f)),
          signature.blanked,
          'simple',
        ),
      );
    const forgiven: string[] = [];
    let tried = 0;
    for (const [i, field] of fields.entries()) {
      if (field === undefined || respaced[i]?.raw === field.raw || tried++ === MAX_RESPACED_FIELDS) continue;
      if (await passesWith((j) => j === i)) forgiven.push(field.name);
    }
    if (forgiven.length === 0 && (await passesWith(() => true))) forgiven.push('several fields');
    if (forgiven.length > 0) {
      return `white space changed in ${forgiven.join(', ')}: relaxed header canonicalization would have forgiven it`;
    }
  }
  const present = fields.filter((field) => field !== undefined).map((field) => field.name);
  const absent = signature.signedHeaders.filter((_, i) => fields[i] === undefined);
  const listed = present.length > 0 ? present.join(', ') : 'none';
  const note = absent.length > 0 ? `; over-signed (absent): ${absent.join(', ')}` : '';
  return `a signed header field changed after signing, or the key is not the signer's (signed: ${listed}${note})`;
}

// A field as most software writes it: unfolded, one space after the colon, runs of white space as one.
function respace(field: HeaderField): HeaderField {
  const relaxed = canonicalizeHeader(field, 'relaxed');
  const value = relaxed.slice(relaxed.indexOf(':') + 1, -2);
  return { ...field, raw: `${field.name}: ${value}` };
}
