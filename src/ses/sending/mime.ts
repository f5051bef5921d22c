// MIME for Simple content: header fields, RFC 2047 encoded words, quoted-printable bodies, multipart/alternative.
import { base64Encode } from '../../core/base64.js';
import { badRequest } from '../errors.js';
import type { Content } from './types.js';

const CRLF = '\r\n';
/** RFC 5322's hard limit on a line, without its CRLF. */
const MAX_LINE = 998;
/**
 * Bytes per RFC 2047 encoded word: 36 make 48 base64 characters, 60 with the wrapping, so even
 * the first word after `Subject: ` keeps its line within RFC 5322's 78 (2047 allows 75 a word).
 */
const ENCODED_WORD_BYTES = 36;

const encoder = new TextEncoder();

/** The charsets Data can be written in here; others are written as UTF-8 and labelled so. */
function charsetOf(content: Content | undefined): 'UTF-8' | 'US-ASCII' | 'ISO-8859-1' {
  const charset = content?.Charset?.trim().toUpperCase();
  if (charset === 'ISO-8859-1' || charset === 'LATIN1') return 'ISO-8859-1';
  if (charset === 'US-ASCII' || charset === 'ASCII') return 'US-ASCII';
  return 'UTF-8';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test is for anything outside ASCII
const NON_ASCII = /[^\u0000-\u007f]/;

function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** The bytes of `text` in `charset`; a character latin-1 cannot hold is a BadRequestException. */
function encodeText(text: string, charset: 'UTF-8' | 'US-ASCII' | 'ISO-8859-1'): Uint8Array {
  if (charset === 'UTF-8') return encoder.encode(text);
  const limit = charset === 'US-ASCII' ? 0x7f : 0xff;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > limit) throw badRequest(`The content has characters that ${charset} cannot represent.`);
    out[i] = code;
  }
  return out;
}

/**
 * A header text as it goes on the wire: as is when it is printable ASCII and fits a line,
 * else RFC 2047 B-encoded words (UTF-8), folded with CRLF SP, never splitting a character.
 */
export function encodeHeaderText(text: string): string {
  if (/^[\u0020-\u007e]*$/.test(text) && text.length <= 900) return text;
  const words: string[] = [];
  let chunk: number[] = [];
  for (const character of text) {
    const bytes = encoder.encode(character);
    if (chunk.length + bytes.length > ENCODED_WORD_BYTES) {
      words.push(encodedWord(chunk));
      chunk = [];
    }
    chunk.push(...bytes);
  }
  if (chunk.length > 0 || words.length === 0) words.push(encodedWord(chunk));
  return words.join(`${CRLF} `);
}

function encodedWord(bytes: number[]): string {
  return `=?UTF-8?B?${base64Encode(new Uint8Array(bytes))}?=`;
}

/** A mailbox for a header: a non-ASCII display name becomes an encoded word, the address stays. */
export function encodeMailbox(text: string): string {
  if (isAscii(text)) return text.trim();
  const open = text.lastIndexOf('<');
  if (open < 0) throw badRequest(`Illegal address: ${text.slice(0, 100)} (SMTPUTF8 addresses are not supported)`);
  const name = text
    .slice(0, open)
    .trim()
    .replace(/^"(.*)"$/, '$1');
  return `${encodeHeaderText(name)}${CRLF} ${text.slice(open).trim()}`;
}

/** RFC 2045 quoted-printable, lines ending CRLF, soft breaks keeping each line within 76 characters. */
export function quotedPrintable(bytes: Uint8Array): string {
  const lines: string[] = [];
  let line = '';
  const push = (token: string) => {
    if (line.length + token.length > 75) {
      lines.push(`${line}=`);
      line = '';
    }
    line += token;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === 0x0d && bytes[i + 1] === 0x0a) continue;
    if (b === 0x0a) {
      lines.push(line);
      line = '';
      continue;
    }
    const atLineEnd =
      i + 1 === bytes.length || bytes[i + 1] === 0x0a || (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a);
    const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !atLineEnd);
    push(literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`);
  }
  lines.push(line);
  return lines.join(CRLF);
}

/** One text part: its Content-Type, transfer encoding and body (7bit when ASCII with short lines). */
function part(content: Content, subtype: 'plain' | 'html'): { headers: string[]; body: string } {
  const data = content.Data ?? '';
  const charset = charsetOf(content);
  const lines = data.split(/\r?\n/);
  if (isAscii(data) && lines.every((l) => l.length <= MAX_LINE && !l.includes('\r'))) {
    return {
      headers: [`Content-Type: text/${subtype}; charset=${charset}`, 'Content-Transfer-Encoding: 7bit'],
      body: lines.join(CRLF),
    };
  }
  return {
    headers: [`Content-Type: text/${subtype}; charset=${charset}`, 'Content-Transfer-Encoding: quoted-printable'],
    body: quotedPrintable(encodeText(data, charset)),
  };
}

/** What a Simple message is made of. The SES-stamped fields come from the pipeline. */
export interface SimpleMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly replyTo: readonly string[];
  readonly subject: Content;
  readonly text?: Content;
  readonly html?: Content;
  /** Date and Message-ID: the send pipeline leaves them out and stamps SES's own on every message. */
  readonly date?: string;
  readonly messageId?: string;
  /** multipart/alternative boundary; random by default. */
  readonly boundary?: string;
}

function addressField(name: string, addresses: readonly string[]): string[] {
  return addresses.length === 0 ? [] : [`${name}: ${addresses.map(encodeMailbox).join(`,${CRLF} `)}`];
}

/**
 * The MIME message for Simple content: From, To, Cc (Bcc is never written), Reply-To, Subject,
 * Date, Message-ID, MIME-Version, then one text part, or multipart/alternative (text first,
 * then HTML, so clients prefer the last) when both are given.
 */
export function buildSimpleMessage(message: SimpleMessage): string {
  if (!message.text && !message.html) throw badRequest('The message body must have Text, Html, or both.');
  const headers = [
    `From: ${encodeMailbox(message.from)}`,
    ...addressField('To', message.to),
    ...addressField('Cc', message.cc),
    ...addressField('Reply-To', message.replyTo),
    `Subject: ${encodeHeaderText(message.subject.Data ?? '')}`,
    ...(message.date !== undefined ? [`Date: ${message.date}`] : []),
    ...(message.messageId !== undefined ? [`Message-ID: ${message.messageId}`] : []),
    'MIME-Version: 1.0',
  ];
  if (message.text && message.html) {
    const boundary =
      message.boundary ?? `=_${base64Encode(crypto.getRandomValues(new Uint8Array(18))).replace(/[+/]/g, 'x')}`;
    const parts = [part(message.text, 'plain'), part(message.html, 'html')];
    const body = parts.map((p) => `--${boundary}${CRLF}${p.headers.join(CRLF)}${CRLF}${CRLF}${p.body}${CRLF}`).join('');
    headers.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
    return `${headers.join(CRLF)}${CRLF}${CRLF}${body}--${boundary}--${CRLF}`;
  }
  const single = part((message.text ?? message.html) as Content, message.text ? 'plain' : 'html');
  return `${[...headers, ...single.headers].join(CRLF)}${CRLF}${CRLF}${single.body}${CRLF}`;
}
