// The message model: raw bytes split at the first empty line into header fields (folding and order kept) and body.
import { DkimError } from '../errors.js';
import { latin1 } from '../text.js';
import { trimWsp } from './canonicalize.js';

/** SES's limit on a message's size (40 MB, attachments included); larger input is refused before any work. */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
/**
 * The most header fields a message may have. Not an SES number: a bound on the work a hostile
 * header can cause, far above what real mail carries (Postfix's default caps headers at 100 KB).
 */
export const MAX_HEADER_FIELDS = 1000;

/** One header field as written: `raw` keeps its folding, without the final CRLF. */
export interface HeaderField {
  /** The name as written (white space before the colon removed). */
  readonly name: string;
  /** The name in lower case, for matching against `h=`; empty when the line has no colon. */
  readonly key: string;
  /** The whole field, one character per octet (ISO 8859-1), CRLF between folded lines. */
  readonly raw: string;
}

/** A message split for DKIM: line ends are CRLF throughout. */
export interface Message {
  readonly headers: readonly HeaderField[];
  /** The body after the empty line, CRLF line ends. */
  readonly body: Uint8Array;
  /** The line end the input used first: what a field added to it should use. */
  readonly lineEnding: '\r\n' | '\n';
  /** The input had bare LF line ends, now read as CRLF (as MTAs do on submission). */
  readonly bareLineFeeds: boolean;
  /** The body as the input had it, before bare LFs became CRLF (for explanations). */
  readonly originalBody: Uint8Array;
}

const CR = 0x0d;
const LF = 0x0a;
const utf8 = /* @__PURE__ */ new TextEncoder();

/** The message's bytes: a string is encoded as UTF-8. Refuses input over {@link MAX_MESSAGE_BYTES} first. */
export function messageBytes(input: string | Uint8Array): Uint8Array {
  if (typeof input === 'string') {
    // UTF-8 never has fewer bytes than UTF-16 code units: too many characters is too many bytes.
    if (input.length > MAX_MESSAGE_BYTES) throw tooLarge(input.length, 'characters');
    const bytes = utf8.encode(input);
    if (bytes.length > MAX_MESSAGE_BYTES) throw tooLarge(bytes.length, 'bytes');
    return bytes;
  }
  if (!(input instanceof Uint8Array)) {
    throw new DkimError(
      'EMPTY_INPUT',
      `expected a string or a Uint8Array, got ${input === null ? 'null' : typeof input}`,
    );
  }
  if (input.length > MAX_MESSAGE_BYTES) throw tooLarge(input.length, 'bytes');
  return input;
}

function tooLarge(size: number, unit: string): DkimError {
  return new DkimError('INPUT_TOO_LARGE', `the message is ${size} ${unit}; the limit is ${MAX_MESSAGE_BYTES} bytes`);
}

/**
 * Splits a message into header fields and body. Bare LF line ends are read as CRLF. A message
 * with no empty line is all header. Never throws for content, only for size
 * (`INPUT_TOO_LARGE`: over {@link MAX_MESSAGE_BYTES} or {@link MAX_HEADER_FIELDS}).
 */
export function parseMessage(input: string | Uint8Array): Message {
  return readMessage(input, findBareLineFeed);
}

/**
 * The first bare LF (one not after a CR) at or after `from`, or -1: what decides whether a
 * message is copied to CRLF or used as it is. The core's search; signers and verifiers may bring
 * a faster one (`SignaturePrimitives.findBareLineFeed`).
 */
export type BareLineFeedSearch = (bytes: Uint8Array, from: number) => number;

/** @internal The core's bare-LF search: a native search for each LF. */
export function findBareLineFeed(bytes: Uint8Array, from: number): number {
  for (let i = bytes.indexOf(LF, from); i >= 0; i = bytes.indexOf(LF, i + 1)) {
    if (i === 0 || bytes[i - 1] !== CR) return i;
  }
  return -1;
}

/** @internal {@link parseMessage} with a given bare-LF search. */
export function readMessage(input: string | Uint8Array, findBare: BareLineFeedSearch): Message {
  const original = messageBytes(input);
  const { bytes, bare, firstEnding } = toCrlf(original, findBare);
  const end = headerEnd(bytes);
  const headerBytes = bytes.subarray(0, end.header);
  const body = bytes.subarray(end.body);
  const originalBody = bare ? original.subarray(originalBodyStart(original)) : body;
  return {
    headers: splitFields(latin1(headerBytes)),
    body,
    lineEnding: firstEnding,
    bareLineFeeds: bare,
    originalBody,
  };
}

// The usual message has no bare LF and is used as it is (one search, no copy). Otherwise one
// pass counts them and one copies: linear whatever the mix of line ends.
function toCrlf(
  input: Uint8Array,
  findBare: BareLineFeedSearch,
): { bytes: Uint8Array; bare: boolean; firstEnding: '\r\n' | '\n' } {
  const first = input.indexOf(LF);
  const firstEnding = first > 0 && input[first - 1] === CR ? '\r\n' : first < 0 ? undefined : '\n';
  const firstBare = firstEnding === '\n' ? first : first < 0 ? -1 : findBare(input, first + 1);
  if (firstBare < 0) return { bytes: input, bare: false, firstEnding: firstEnding ?? '\r\n' };
  let bareCount = 0;
  for (let i = firstBare; i >= 0; i = input.indexOf(LF, i + 1)) if (i === 0 || input[i - 1] !== CR) bareCount++;
  const out = new Uint8Array(input.length + bareCount);
  let o = 0;
  let from = 0;
  for (let i = input.indexOf(LF); i >= 0; i = input.indexOf(LF, i + 1)) {
    if (i > 0 && input[i - 1] === CR) continue;
    out.set(input.subarray(from, i), o);
    o += i - from;
    out[o++] = CR;
    from = i;
  }
  out.set(input.subarray(from), o);
  return { bytes: out, bare: true, firstEnding: firstEnding ?? '\n' };
}

// Where the header ends (its last CRLF included) and the body starts, in CRLF bytes.
function headerEnd(bytes: Uint8Array): { header: number; body: number } {
  if (bytes[0] === CR && bytes[1] === LF) return { header: 0, body: 2 };
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) {
    if (bytes[i + 1] === CR && bytes[i + 2] === LF && bytes[i - 1] === CR) return { header: i + 1, body: i + 3 };
  }
  return { header: bytes.length, body: bytes.length };
}

// The same split on the input as given (LF or CRLF ends), for the body as it was.
function originalBodyStart(bytes: Uint8Array): number {
  if (bytes[0] === LF) return 1;
  if (bytes[0] === CR && bytes[1] === LF) return 2;
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) {
    if (bytes[i + 1] === LF) return i + 2;
    if (bytes[i + 1] === CR && bytes[i + 2] === LF) return i + 3;
  }
  return bytes.length;
}

function splitFields(text: string): HeaderField[] {
  const fields: HeaderField[] = [];
  if (text === '') return fields;
  const lines = text.split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let current: string[] | undefined;
  const flush = () => {
    if (current === undefined) return;
    if (fields.length === MAX_HEADER_FIELDS) {
      throw new DkimError('INPUT_TOO_LARGE', `the message has more than ${MAX_HEADER_FIELDS} header fields`);
    }
    fields.push(fieldOf(current.join('\r\n')));
  };
  for (const line of lines) {
    const continuation = line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09;
    if (continuation && current !== undefined) {
      current.push(line);
      continue;
    }
    flush();
    current = [line];
  }
  flush();
  return fields;
}

/** A header field from its raw text (folding kept, no final CRLF). */
export function fieldOf(raw: string): HeaderField {
  const colon = raw.indexOf(':');
  if (colon < 0) return { name: raw, key: '', raw };
  const name = trimWsp(raw.slice(0, colon));
  return { name, key: name.toLowerCase(), raw };
}
