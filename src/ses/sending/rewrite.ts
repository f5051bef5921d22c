// SES's rewrites of an outgoing message: CRLF line ends, its own Date, Message-ID and Feedback-ID, X-SES-* removed.
import { badRequest } from '../errors.js';

/** A message as a byte-preserving string (one char per byte, latin-1), with CRLF line ends. */
export interface MessageText {
  /** Header fields, each with its folding, without the final CRLF. */
  readonly fields: readonly string[];
  /** Everything after the blank line. */
  readonly body: string;
}

/** Headers SES reads and then removes (SendRawEmail doc: "SES removes them before sending"). */
const SES_CONTROL_FIELDS = new Set([
  'x-ses-source-arn',
  'x-ses-from-arn',
  'x-ses-return-path-arn',
  'x-ses-configuration-set',
  'x-ses-message-tags',
]);
/** Fields SES writes itself: a given value is replaced (header-fields.html). */
const SES_STAMPED_FIELDS = new Set(['date', 'message-id', 'feedback-id']);

/** Bytes as a string of one char per byte, so 8-bit content survives unchanged. */
export function bytesToLatin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return out;
}

/** The inverse of {@link bytesToLatin1}. */
export function latin1ToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/**
 * Splits a raw message into header fields and body. Bare LF line ends become CRLF, as an MTA
 * does on submission. SES requires "a header and a body, separated by one blank line".
 */
export function splitMessage(raw: Uint8Array): MessageText {
  const text = bytesToLatin1(raw).replace(/\r?\n/g, '\r\n');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw badRequest('The message must have a header and a body, separated by one blank line.');
  const header = text.slice(0, end);
  const fields: string[] = [];
  for (const line of header.split('\r\n')) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && fields.length > 0) {
      fields[fields.length - 1] += `\r\n${line}`;
    } else if (/^[!-9;-~]+:/.test(line)) {
      fields.push(line);
    } else {
      throw badRequest(`Illegal header line: ${line.slice(0, 60)}`);
    }
  }
  return { fields, body: text.slice(end + 4) };
}

/** A field's lower-case name. */
export function fieldName(field: string): string {
  return field.slice(0, field.indexOf(':')).trim().toLowerCase();
}

/** A field's value, unfolded and trimmed. */
export function fieldValue(field: string): string {
  return field
    .slice(field.indexOf(':') + 1)
    .replace(/\r\n/g, '')
    .trim();
}

/** The unfolded value of the first field named `name`, or undefined. */
export function headerValue(message: MessageText, name: string): string | undefined {
  const lower = name.toLowerCase();
  const field = message.fields.find((f) => fieldName(f) === lower);
  return field === undefined ? undefined : fieldValue(field);
}

/** What SES stamps on every message it accepts. */
export interface Stamp {
  readonly date: string;
  readonly messageId: string;
  readonly feedbackId: string;
}

/**
 * SES's rewrites: the control headers (X-SES-*) and any given Date, Message-ID and Feedback-ID
 * are removed, then SES's own Date, Message-ID and Feedback-ID are appended.
 */
export function stampMessage(message: MessageText, stamp: Stamp): MessageText {
  const kept = message.fields.filter((f) => {
    const name = fieldName(f);
    return !SES_CONTROL_FIELDS.has(name) && !SES_STAMPED_FIELDS.has(name);
  });
  return {
    fields: [...kept, `Date: ${stamp.date}`, `Message-ID: ${stamp.messageId}`, `Feedback-ID: ${stamp.feedbackId}`],
    body: message.body,
  };
}

/** The message as bytes, header and body joined by the blank line. */
export function joinMessage(message: MessageText, prepend: readonly string[] = []): Uint8Array {
  return latin1ToBytes(`${[...prepend, ...message.fields].join('\r\n')}\r\n\r\n${message.body}`);
}
