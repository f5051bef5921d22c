// Generated messages for the interop tests: folded and long headers, tabs, trailing white space,
// 8-bit bodies, empty bodies, trailing blank lines and bare LFs; and the mutations relay software makes.
import fc from 'fast-check';

const NAMES = ['Subject', 'To', 'Cc', 'Date', 'Message-ID', 'X-Mailer', 'Reply-To', 'Content-Type', 'MIME-Version'];
const WORD = fc.stringMatching(/^[A-Za-z0-9.,!?@<>()=-]{1,12}$/);
const SPACE = fc.constantFrom(' ', '  ', '\t', ' \t ');

/** A header value: words separated by spaces or tabs, sometimes folded, sometimes long, sometimes with trailing white space. */
const headerValue = fc
  .tuple(
    fc.array(fc.tuple(WORD, SPACE, fc.constantFrom('', '', '', '\r\n ', '\r\n\t')), { minLength: 1, maxLength: 14 }),
    fc.constantFrom('', '', ' ', '\t', '  '),
    fc.boolean(),
  )
  .map(([words, trailing, foldAfterColon]) => {
    const text = words
      .map(([word, space, fold], i) => (i === 0 ? word : `${fold === '' ? space : fold}${word}`))
      .join('');
    return `${foldAfterColon ? '\r\n ' : ' '}${text}${trailing}`;
  });

const header = fc.tuple(fc.constantFrom(...NAMES), headerValue).map(([name, value]) => `${name}:${value}`);

/** A body line: text with spaces and tabs, white space only, empty, or 8-bit bytes (as ISO 8859-1 characters). */
const bodyLine = fc.oneof(
  fc.array(fc.tuple(WORD, SPACE), { maxLength: 10 }).map((parts) => parts.map(([w, s]) => `${w}${s}`).join('')),
  fc.constantFrom('', ' ', '\t', '   \t'),
  fc
    .array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 20 })
    .map((codes) => String.fromCharCode(...codes)),
  fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, '')),
);

export interface GeneratedMessage {
  /** Bytes, one per character of ISO 8859-1 text. */
  readonly bytes: Uint8Array;
  readonly lineEnd: 'CRLF' | 'LF';
}

/** Whole messages: From first or later, 0-8 other fields, a body of 0-12 lines with 0-3 trailing blank lines, CRLF or bare LF. */
export const message = fc
  .tuple(
    fc.array(header, { maxLength: 8 }),
    fc.nat(8),
    fc.array(bodyLine, { maxLength: 12 }),
    fc.nat(3),
    fc.constantFrom('CRLF', 'CRLF', 'LF') as fc.Arbitrary<'CRLF' | 'LF'>,
  )
  .map(([headers, fromAt, lines, blank, lineEnd]): GeneratedMessage => {
    const fields = [...headers];
    fields.splice(Math.min(fromAt, fields.length), 0, 'From: Sender <sender@example.com>');
    const bodyLines = [...lines, ...Array(blank).fill('')];
    // Every line ends with a line end, as SMTP delivers it (DATA ends with CRLF . CRLF). A body
    // without one is the disputed case pinned in independent.test.ts (hostile line ends).
    let text = `${fields.join('\r\n')}\r\n\r\n${bodyLines.map((line) => `${line}\r\n`).join('')}`;
    if (lineEnd === 'LF') text = text.replace(/\r\n/g, '\n');
    return { bytes: latin1(text), lineEnd };
  });

export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

/** Changes relay software makes, or an attacker makes: each says what RFC 6376's canonicalizations forgive. */
export const MUTATIONS: Record<string, (message: string) => string> = {
  // Forgiven by relaxed header canonicalization only.
  'header value re-spaced': (m) => m.replace(/^(Subject|To|Date):[ \t]*/m, '$1:   '),
  'header name case changed': (m) => m.replace(/^From:/m, 'FROM:'),
  'header refolded': (m) => m.replace(/^(From:) (Sender)/m, '$1\r\n\t$2'),
  // Forgiven by relaxed body canonicalization only.
  'body white space added at line ends': (m) => bodyOf(m, (b) => b.replace(/\r\n/g, ' \t\r\n')),
  'body runs of white space collapsed': (m) => bodyOf(m, (b) => b.replace(/[ \t]+/g, ' ')),
  // Forgiven by both body canonicalizations.
  'blank lines appended to the body': (m) => `${m}\r\n\r\n`,
  // Never forgiven.
  'signed header value changed': (m) => m.replace(/^From: Sender/m, 'From: Mallory'),
  'body text changed': (m) => bodyOf(m, (b) => `${b}tampered\r\n`),
};

function bodyOf(message: string, change: (body: string) => string): string {
  const at = message.indexOf('\r\n\r\n');
  return message.slice(0, at + 4) + change(message.slice(at + 4));
}

// Hostile bodies: bytes drawn mostly from SP, HTAB, CR, LF, 'a' and 8-bit octets, so lone CRs,
// bare LFs, CR CR LF, white space runs and 8-bit bytes next to white space are all common.
const HOSTILE_BYTE = fc.constantFrom(0x20, 0x20, 0x09, 0x0d, 0x0d, 0x0a, 0x0a, 0x61, 0x61, 0x80, 0xa0, 0xff);
const HOSTILE_HEADER_END = fc.constantFrom('\r\n\r\n', '\n\n', '\r\n\n', '\n\r\n');

/**
 * Hostile messages whose body, when not empty, ends with a line end (CRLF or bare LF), as SMTP
 * delivers every body: the header ends with any mix of CRLF and bare LF (a bare LF before the
 * empty line included), the body is random bytes from {@link HOSTILE_BYTE}.
 */
export const hostileMessage = fc
  .tuple(fc.boolean(), HOSTILE_HEADER_END, fc.array(HOSTILE_BYTE, { maxLength: 40 }), fc.constantFrom('\r\n', '\n'))
  .map(([bareInHeader, headerEnd, body, lineEnd]) => {
    const head = `From: Sender <sender@example.com>${bareInHeader ? '\n' : '\r\n'}Subject: hostile${headerEnd}`;
    return Uint8Array.from([...latin1(head), ...body, ...(body.length > 0 ? latin1(lineEnd) : [])]);
  });
