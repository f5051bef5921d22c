// Canonicalization (RFC 6376 section 3.4), one test per known interop bug.
import { describe, expect, it } from 'vitest';
import {
  canonicalizeBody,
  canonicalizeHeader,
  parseMessage,
  parseSignatureField,
  signMessage,
  verifyMessage,
} from '../../../src/index.js';
import { NOW_S, rsaKey, SIMPLE_MESSAGE, zoneWith } from './fixtures.js';

const text = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);
const field = (raw: string) =>
  parseMessage(`${raw}\r\n\r\n`).headers[0] as NonNullable<ReturnType<typeof parseMessage>['headers'][0]>;

describe('c= defaults', () => {
  const signature = (c: string) =>
    `DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; h=from; bh=AAAA; b=AAAA${c}`;
  it('no c= means simple/simple', () => {
    const read = parseSignatureField(field(signature('')));
    expect(read.ok && [read.parsed.headerMode, read.parsed.bodyMode]).toEqual(['simple', 'simple']);
  });
  it('c=relaxed alone means relaxed/simple', () => {
    const read = parseSignatureField(field(signature('; c=relaxed')));
    expect(read.ok && [read.parsed.headerMode, read.parsed.bodyMode]).toEqual(['relaxed', 'simple']);
    expect(read.summary.canonicalization).toBe('relaxed/simple');
  });
  it('c=relaxed/foo is CANONICALIZATION_UNSUPPORTED', () => {
    const read = parseSignatureField(field(signature('; c=relaxed/foo')));
    expect(!read.ok && read.failure.code).toBe('CANONICALIZATION_UNSUPPORTED');
  });
});

describe('header canonicalization', () => {
  it('a header folded right after its colon', () => {
    const f = field('Subject:\r\n  Hello\r\n\t world  ');
    expect(canonicalizeHeader(f, 'relaxed')).toBe('subject:Hello world\r\n');
    expect(canonicalizeHeader(f, 'simple')).toBe('Subject:\r\n  Hello\r\n\t world  \r\n');
  });
  it('white space before the colon and runs of white space', () => {
    expect(canonicalizeHeader(field('X-Test \t:  a \t b  '), 'relaxed')).toBe('x-test:a b\r\n');
  });
  it('keeps octets above 127 as they are', () => {
    const f = parseMessage(Uint8Array.from([...bytes('Subject: caf'), 0xe9, 0x0d, 0x0a, 0x0d, 0x0a])).headers[0];
    expect(f && canonicalizeHeader(f, 'relaxed')).toBe('subject:caf\u00e9\r\n');
  });
});

describe('body canonicalization', () => {
  it('lines of only white space at the end of the body', () => {
    const body = bytes('text\r\n \t\r\n\t\r\n   \r\n');
    expect(text(canonicalizeBody(body, 'relaxed'))).toBe('text\r\n');
    expect(text(canonicalizeBody(body, 'simple'))).toBe('text\r\n \t\r\n\t\r\n   \r\n');
  });
  it('an empty body: CRLF for simple, nothing for relaxed', () => {
    expect(text(canonicalizeBody(new Uint8Array(0), 'simple'))).toBe('\r\n');
    expect(canonicalizeBody(new Uint8Array(0), 'relaxed').length).toBe(0);
    expect(text(canonicalizeBody(bytes('\r\n\r\n'), 'simple'))).toBe('\r\n');
    expect(canonicalizeBody(bytes('\r\n \r\n'), 'relaxed').length).toBe(0);
  });
  it('a body without a final CRLF gets one', () => {
    expect(text(canonicalizeBody(bytes('a  b '), 'relaxed'))).toBe('a b\r\n');
    expect(text(canonicalizeBody(bytes('a  b '), 'simple'))).toBe('a  b \r\n');
  });
  it('inner empty lines and leading white space stay (as one space)', () => {
    expect(text(canonicalizeBody(bytes('  a\r\n\r\n\r\nb\r\n\r\n'), 'relaxed'))).toBe(' a\r\n\r\n\r\nb\r\n');
  });
  it('\\r\\r\\n is never produced from bare LF or mixed line ends', () => {
    const message = parseMessage('From: a@example.com\nSubject: x\r\n\nline 1\nline 2\r\nline 3\n\n');
    expect(text(message.body)).toBe('line 1\r\nline 2\r\nline 3\r\n\r\n');
    for (const mode of ['simple', 'relaxed'] as const) {
      expect(text(canonicalizeBody(message.body, mode))).not.toContain('\r\r\n');
    }
    expect(message.headers.map((h) => h.raw)).toEqual(['From: a@example.com', 'Subject: x']);
    expect(message.lineEnding).toBe('\n');
  });
});

describe('signature field and header selection', async () => {
  const key = await rsaKey(1024);
  const resolver = zoneWith({ 's1._domainkey.example.com': key.record });
  const options = { domain: 'example.com', selector: 's1', key: key.key, timestamp: NOW_S } as const;
  const verify = async (message: string) => (await verifyMessage(message, resolver)).signatures[0];

  it('the b= value (and its folding) is emptied before the signature field is canonicalized', async () => {
    const signed = (await signMessage(SIMPLE_MESSAGE, { ...options, canonicalization: 'simple/simple' })).prepend(
      SIMPLE_MESSAGE,
    );
    const refolded = signed.replace(/b=([A-Za-z0-9+/=]+)\r\n\t/, 'b=$1 \r\n   ');
    expect(refolded).not.toBe(signed);
    expect((await verify(signed))?.result).toBe('pass');
    expect((await verify(refolded))?.result).toBe('pass');
    // Folding elsewhere in the field is covered by simple canonicalization.
    const moved = signed.replace('; s=s1;', ';  s=s1;');
    expect((await verify(moved))?.code).toBe('SIGNATURE_MISMATCH');
  });

  it('duplicate headers are taken bottom-up', async () => {
    const message = `X-Tag: first\r\nX-Tag: second\r\n${SIMPLE_MESSAGE}`;
    const signed = (await signMessage(message, { ...options, headers: ['From', 'X-Tag'] })).prepend(message);
    expect((await verify(signed))?.result).toBe('pass');
    expect((await verify(signed.replace('X-Tag: first', 'X-Tag: changed')))?.result).toBe('pass');
    expect((await verify(signed.replace('X-Tag: second', 'X-Tag: changed')))?.code).toBe('SIGNATURE_MISMATCH');
  });

  it('an over-signed absent header counts as empty, and adding it later breaks the signature', async () => {
    const signed = (
      await signMessage(SIMPLE_MESSAGE, { ...options, headers: ['From', 'Subject', 'Subject', 'Cc'] })
    ).prepend(SIMPLE_MESSAGE);
    expect(signed).toContain('h=From:Subject:Subject:Cc;');
    expect((await verify(signed))?.result).toBe('pass');
    expect((await verify(signed.replace('Subject: Hello\r\n', 'Subject: Hello\r\nSubject: Win!\r\n')))?.code).toBe(
      'SIGNATURE_MISMATCH',
    );
    expect((await verify(signed.replace('To: ', 'Cc: eve@example.net\r\nTo: ')))?.code).toBe('SIGNATURE_MISMATCH');
  });

  it('with l=, the unsigned remainder is reported', async () => {
    const signed = (await signMessage(SIMPLE_MESSAGE, { ...options, bodyLength: true })).prepend(SIMPLE_MESSAGE);
    const appended = `${signed}-- \r\nBuy now!\r\n`;
    const result = await verify(appended);
    expect(result?.result).toBe('pass');
    expect(result?.bodyLength).toBe('Hi Bob,\r\nhow are you?\r\n'.length);
    expect(result?.unsignedBodyBytes).toBe('-- \r\nBuy now!\r\n'.length);
    expect(result?.message).toContain(`leaves ${'-- \r\nBuy now!\r\n'.length} bytes of the body unsigned`);
    expect((await verify(signed))?.unsignedBodyBytes).toBe(0);
  });
});
