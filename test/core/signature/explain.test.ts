// Explanations of failures: what change to the body or headers would have made the signature pass.
import { describe, expect, it } from 'vitest';
import { signMessage, verifyMessage } from '../../../src/index.js';
import { NOW_MS, NOW_S, rsaKey, SIMPLE_MESSAGE, zoneWith } from './fixtures.js';

describe('explanations', async () => {
  const key = await rsaKey(1024);
  const resolver = zoneWith({ 's1._domainkey.example.com': key.record });
  const sign = async (
    canonicalization: 'simple/simple' | 'relaxed/relaxed' | 'relaxed/simple',
    message = SIMPLE_MESSAGE,
  ) =>
    (
      await signMessage(message, {
        domain: 'example.com',
        selector: 's1',
        key: key.key,
        canonicalization,
        timestamp: NOW_S,
      })
    ).prepend(message);
  const check = async (message: string) => (await verifyMessage(message, resolver, { now: NOW_MS })).signatures[0];

  it('body white space changed: relaxed would pass', async () => {
    const result = await check((await sign('simple/simple')).replace('how are you?', 'how  are you?   '));
    expect(result).toMatchObject({ code: 'BODY_HASH_MISMATCH' });
    expect(result?.explanation).toBe('passes with relaxed body canonicalization: white space changed');
  });

  it('content appended: the first N bytes match', async () => {
    const signed = await sign('relaxed/simple');
    const result = await check(`${signed}-- \r\nSent by a list\r\n`);
    const n = 'Hi Bob,\r\nhow are you?\r\n'.length;
    expect(result?.explanation).toBe(
      `the first ${n} bytes match, content was appended (${'-- \r\nSent by a list\r\n'.length} bytes after them)`,
    );
  });

  it('line ends changed: CR CR LF written by a relay', async () => {
    const signed = await sign('relaxed/simple');
    const [head, body] = [
      signed.slice(0, signed.indexOf('\r\n\r\n') + 4),
      signed.slice(signed.indexOf('\r\n\r\n') + 4),
    ];
    const result = await check(head + body.replace(/\r\n/g, '\r\r\n'));
    expect(result?.explanation).toBe('line ends changed: the signer hashed the body with other line ends');
  });

  it('a changed body with no simple explanation says so', async () => {
    const result = await check((await sign('relaxed/relaxed')).replace('Hi Bob', 'Hi Eve'));
    expect(result?.explanation).toMatch(/^the body changed after signing/);
  });

  it('header white space changed under simple: names the fields relaxed forgives', async () => {
    const result = await check((await sign('simple/simple')).replace('Subject: Hello', 'Subject:   Hello'));
    expect(result).toMatchObject({ code: 'SIGNATURE_MISMATCH' });
    expect(result?.explanation).toBe(
      'white space changed in Subject: relaxed header canonicalization would have forgiven it',
    );
    const refolded = (await sign('simple/simple')).replace('To: bob@example.org', 'To:\r\n bob@example.org');
    expect((await check(refolded))?.explanation).toBe(
      'white space changed in To: relaxed header canonicalization would have forgiven it',
    );
  });

  it('a changed header value lists the signed fields', async () => {
    const result = await check((await sign('relaxed/relaxed')).replace('Subject: Hello', 'Subject: Goodbye'));
    expect(result?.explanation).toBe(
      "a signed header field changed after signing, or the key is not the signer's (signed: From, To, Subject, Date, Message-ID)",
    );
  });
});
