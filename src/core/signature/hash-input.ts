// What DKIM hashes: the signed header fields chosen bottom-up, canonicalized, then the signature field itself.
import { type CanonicalizationMode, canonicalizeHeader } from './canonicalize.js';
import type { HeaderField } from './message.js';

/**
 * The field each `h=` name stands for. Duplicates are taken from the bottom up, one per
 * mention; a name mentioned more often than the field occurs stands for nothing (an
 * over-signed absent field hashes as the empty string, so adding one later breaks the signature).
 */
export function selectSignedFields(
  headers: readonly HeaderField[],
  names: readonly string[],
): (HeaderField | undefined)[] {
  const byName = new Map<string, HeaderField[]>();
  for (const field of headers) {
    const list = byName.get(field.key);
    if (list === undefined) byName.set(field.key, [field]);
    else list.push(field);
  }
  return names.map((name) => byName.get(name.toLowerCase())?.pop());
}

/**
 * The header hash input (RFC 6376 section 3.7): each signed field canonicalized with its CRLF,
 * then the signature field with `b=` empty and no final CRLF.
 */
export function headerHashInput(
  fields: readonly (HeaderField | undefined)[],
  signatureField: HeaderField,
  mode: CanonicalizationMode,
): Uint8Array {
  let text = '';
  for (const field of fields) if (field !== undefined) text += canonicalizeHeader(field, mode);
  const own = canonicalizeHeader(signatureField, mode);
  return latin1Bytes(text + own.slice(0, -2));
}

/** Text of one character per octet back to those octets. */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Bytes as WebCrypto's type wants them (messages never live in shared memory). */
export function source(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

/** Whether two byte strings are equal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
