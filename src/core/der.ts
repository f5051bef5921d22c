// Strict DER: reading and writing the few ASN.1 elements keys are made of (no BER accepted).
import { DkimError } from './errors.js';

/** Universal tags this engine reads and writes. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One DER element: its tag and where its contents lie in the shared buffer. */
export interface DerElement {
  readonly tag: number;
  /** Offset of the first content byte. */
  readonly start: number;
  /** Offset just past the last content byte. */
  readonly end: number;
}

/**
 * Reads one element at `offset`, checking DER's rules on the way: low tag numbers only,
 * definite minimal lengths, contents within `limit`. Lengths are capped at 4 octets, which
 * is far beyond anything our size limits let through.
 */
export function readElement(bytes: Uint8Array, offset: number, limit: number): DerElement {
  if (offset + 2 > limit) throw derError('truncated: element header runs past the end');
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw derError('high-number tags are not used in key structures');
  let length = bytes[offset + 1] as number;
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0) throw derError('indefinite length (BER, not DER)');
    if (octets > 4) throw derError('length field too long');
    if (start + octets > limit) throw derError('truncated: length field runs past the end');
    if (bytes[start] === 0) throw derError('length not minimally encoded');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (bytes[start + i] as number);
    if (length < 0x80) throw derError('length not minimally encoded');
    start += octets;
  }
  const end = start + length;
  if (end > limit) throw derError('truncated: contents run past the end');
  return { tag, start, end };
}

/** Reads an element and insists on its tag. */
export function expectElement(bytes: Uint8Array, offset: number, limit: number, tag: number, what: string): DerElement {
  const element = readElement(bytes, offset, limit);
  if (element.tag !== tag) {
    throw derError(`${what}: expected ${tagName(tag)}, found ${tagName(element.tag)}`);
  }
  return element;
}

/**
 * Reads a non-negative INTEGER and returns its magnitude bytes (without the sign octet).
 * DER demands the shortest two's complement form; a key component is never negative.
 */
export function readUnsignedInteger(bytes: Uint8Array, offset: number, limit: number, what: string): DerElement {
  const element = expectElement(bytes, offset, limit, TAG.INTEGER, what);
  const { start, end } = element;
  if (start === end) throw derError(`${what}: empty INTEGER`);
  const first = bytes[start] as number;
  if (first & 0x80) throw derError(`${what}: negative INTEGER`);
  if (first === 0 && end - start > 1) {
    if (((bytes[start + 1] as number) & 0x80) === 0) throw derError(`${what}: INTEGER not minimally encoded`);
    return { tag: element.tag, start: start + 1, end };
  }
  return element;
}

/** Returns the small INTEGER at `offset` as a number (for version fields). */
export function readSmallInteger(
  bytes: Uint8Array,
  offset: number,
  limit: number,
  what: string,
): { value: number; end: number } {
  const element = readUnsignedInteger(bytes, offset, limit, what);
  if (element.end - element.start > 4) throw derError(`${what}: value out of range`);
  let value = 0;
  for (let i = element.start; i < element.end; i++) value = value * 256 + (bytes[i] as number);
  return { value, end: element.end };
}

/** Decodes an OBJECT IDENTIFIER's contents to dotted form, rejecting non-minimal arcs. */
export function decodeOid(bytes: Uint8Array, element: DerElement): string {
  const { start, end } = element;
  if (start === end) throw derError('empty OBJECT IDENTIFIER');
  if (end - start > 64) throw derError('OBJECT IDENTIFIER too long');
  const arcs: number[] = [];
  let value = 0;
  let fresh = true;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (fresh && byte === 0x80) throw derError('OBJECT IDENTIFIER arc not minimally encoded');
    if (value > 0x1ffffff) throw derError('OBJECT IDENTIFIER arc too large');
    value = value * 128 + (byte & 0x7f);
    fresh = (byte & 0x80) === 0;
    if (fresh) {
      arcs.push(value);
      value = 0;
    }
  }
  if (!fresh) throw derError('OBJECT IDENTIFIER truncated');
  const first = arcs[0] as number;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** Encodes a DER length prefix. */
export function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  if (length < 0x100) return [0x81, length];
  if (length < 0x10000) return [0x82, length >> 8, length & 0xff];
  return [0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
}

/** Encodes a non-negative INTEGER from its magnitude bytes (leading zeros already stripped). */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  const pad = magnitude.length === 0 || ((magnitude[0] as number) & 0x80) !== 0 ? 1 : 0;
  const contentLength = magnitude.length + pad;
  const header = [TAG.INTEGER, ...encodeLength(contentLength)];
  const out = new Uint8Array(header.length + contentLength);
  out.set(header, 0);
  out.set(magnitude, header.length + pad);
  return out;
}

/** Wraps already-encoded contents in a tag and length. */
export function encodeElement(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let contentLength = 0;
  for (const part of parts) contentLength += part.length;
  const header = [tag, ...encodeLength(contentLength)];
  const out = new Uint8Array(header.length + contentLength);
  out.set(header, 0);
  let offset = header.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function tagName(tag: number): string {
  switch (tag) {
    case TAG.INTEGER:
      return 'INTEGER';
    case TAG.BIT_STRING:
      return 'BIT STRING';
    case TAG.OCTET_STRING:
      return 'OCTET STRING';
    case TAG.NULL:
      return 'NULL';
    case TAG.OID:
      return 'OBJECT IDENTIFIER';
    case TAG.SEQUENCE:
      return 'SEQUENCE';
    case TAG.SET:
      return 'SET';
    default:
      return `tag 0x${tag.toString(16).padStart(2, '0')}`;
  }
}

export function derError(message: string): DkimError {
  return new DkimError('DER_INVALID', `invalid DER: ${message}`);
}
