// signMessage and the SES profile: keys, options, line ends, and what SES's two signatures look like.
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CANONICALIZATIONS,
  DkimError,
  Ed25519SigningKey,
  parseMessage,
  parseSignatureField,
  parseSigningKey,
  SES_SIGNED_HEADERS,
  sesSignMessage,
  signingKeyRecord,
  signMessage,
  verifyMessage,
} from '../../../src/index.js';
import { ed25519Key, NOW_MS, NOW_S, RFC8032_SEED, rsaKey, SIMPLE_MESSAGE, zoneWith } from './fixtures.js';

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error) => (error instanceof DkimError ? error.code : String(error)),
  );

describe('signMessage', async () => {
  const keys = [await rsaKey(1024), await rsaKey(2048), await ed25519Key()];

  it.each(keys.flatMap((key) => CANONICALIZATIONS.map((c) => [key.name, c, key] as const)))(
    '%s %s signs what verifyMessage passes',
    async (_, canonicalization, key) => {
      const signed = await signMessage(SIMPLE_MESSAGE, {
        domain: 'example.com',
        selector: 'sel',
        key: key.key,
        canonicalization,
        timestamp: NOW_S,
      });
      expect(signed.algorithm).toBe(key.key instanceof Ed25519SigningKey ? 'ed25519-sha256' : 'rsa-sha256');
      const result = await verifyMessage(
        signed.prepend(SIMPLE_MESSAGE),
        zoneWith({ 'sel._domainkey.example.com': key.record }),
        {
          now: NOW_MS,
        },
      );
      expect(result.signatures[0]).toMatchObject({ result: 'pass', canonicalization });
    },
  );

  it('defaults: relaxed/simple, t= now, SES header set present in message order, no l=, i= or x=', async () => {
    const message = `Message-ID: <2@example.com>\r\nX-Mailer: test\r\n${SIMPLE_MESSAGE}`;
    const before = Math.floor(Date.now() / 1000);
    const signed = await signMessage(message, { domain: 'Example.COM', selector: 'sel', key: keys[0]?.key as never });
    const read = parseSignatureField(parseMessage(signed.prepend(message)).headers[0] as never);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.parsed).toMatchObject({ headerMode: 'relaxed', bodyMode: 'simple', domain: 'example.com' });
    expect(read.parsed.timestamp).toBeGreaterThanOrEqual(before);
    expect(read.parsed.signedHeaders).toEqual(['message-id', 'from', 'to', 'subject', 'date', 'message-id']);
    expect(read.parsed.bodyLength ?? read.parsed.identity ?? read.parsed.expiration).toBeUndefined();
    expect(signed.field).not.toMatch(/[;\s][lix]=/);
  });

  it('From is over-signed when the message has none', async () => {
    const signed = await signMessage('Subject: x\r\n\r\nbody\r\n', {
      domain: 'example.com',
      selector: 's',
      key: keys[0]?.key as never,
    });
    expect(signed.signedHeaders).toEqual(['Subject', 'From']);
  });

  it('keeps LF line ends for an LF message, and prepends to bytes', async () => {
    const lf = SIMPLE_MESSAGE.replace(/\r\n/g, '\n');
    const signed = await signMessage(lf, {
      domain: 'example.com',
      selector: 'sel',
      key: keys[0]?.key as never,
      timestamp: NOW_S,
    });
    const out = signed.prepend(lf);
    expect(out).not.toContain('\r');
    expect(out.endsWith(lf)).toBe(true);
    const bytes = signed.prepend(new TextEncoder().encode(lf));
    expect(new TextDecoder().decode(bytes)).toBe(out);
    const result = await verifyMessage(out, zoneWith({ 'sel._domainkey.example.com': keys[0]?.record as string }), {
      now: NOW_MS,
    });
    expect(result.result).toBe('pass');
  });

  it.each([
    ['no From in headers', { headers: ['To'] }, 'OPTION_INVALID'],
    ['a bad header name', { headers: ['From', 'Bad Name'] }, 'OPTION_INVALID'],
    ['an identity outside the domain', { identity: 'a@example.org' }, 'OPTION_INVALID'],
    ['a bad canonicalization', { canonicalization: 'loose/simple' }, 'OPTION_INVALID'],
    ['an expiration before the timestamp', { timestamp: 100, expiration: 50 }, 'OPTION_INVALID'],
    ['a body length past the body', { bodyLength: 10_000 }, 'OPTION_INVALID'],
    ['a bad domain', { domain: 'exa mple.com' }, 'DOMAIN_INVALID'],
    ['a bad selector', { selector: 'a;b' }, 'SELECTOR_INVALID'],
  ])('refuses %s', async (_, extra, code) => {
    const options = { domain: 'example.com', selector: 's', key: keys[0]?.key as never, ...extra } as never;
    expect(await codeOf(signMessage(SIMPLE_MESSAGE, options))).toBe(code);
  });

  it('refuses a message without a header', async () => {
    const options = { domain: 'example.com', selector: 's', key: keys[0]?.key as never };
    expect(await codeOf(signMessage('\r\nbody only\r\n', options))).toBe('MESSAGE_INVALID');
    expect(await codeOf(signMessage('', options))).toBe('MESSAGE_INVALID');
  });
});

describe('Ed25519 signing keys', () => {
  it('reads PKCS #8 PEM and DER from node:crypto, and the base64 seed, to the same public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const der = new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));
    const seed = Buffer.from(der.subarray(16)).toString('base64');
    const raw = publicKey.export({ format: 'jwk' }).x as string;
    const expected = `v=DKIM1; k=ed25519; p=${Buffer.from(raw, 'base64url').toString('base64')}`;
    for (const input of [pem, der, seed]) {
      const key = parseSigningKey(input);
      expect(key).toBeInstanceOf(Ed25519SigningKey);
      expect(await signingKeyRecord(key)).toBe(expected);
    }
  });
  it('never shows the seed', async () => {
    const { key } = await ed25519Key();
    const shown = `${JSON.stringify(key)} ${String(key)} ${inspect(key)}`;
    expect(shown).not.toContain(RFC8032_SEED.slice(0, 12));
    expect(shown).toContain('redacted');
  });
  it('still refuses what is neither RSA nor Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => parseSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toThrow(
      expect.objectContaining({ code: 'NOT_RSA' }),
    );
  });
});

describe('sesSignMessage', async () => {
  const identity = await rsaKey(2048);
  const provider = await rsaKey(1024);
  const message =
    'Feedback-ID: 1.us-east-1.abc:AmazonSES\r\nX-Other: kept out\r\nList-Unsubscribe: <mailto:u@example.com>\r\n' +
    SIMPLE_MESSAGE;

  it('signs relaxed/simple rsa-sha256 with t=, SES headers, and the provider signature below with Feedback-ID', async () => {
    const signed = await sesSignMessage(message, {
      domain: 'example.com',
      selector: 'ses',
      key: identity.key,
      provider: { selector: 'prov', key: provider.key },
      timestamp: NOW_S,
    });
    expect(signed.fields).toHaveLength(2);
    const out = signed.prepend(message);
    const headers = parseMessage(out).headers;
    const [mine, theirs] = [0, 1].map((i) => {
      const read = parseSignatureField(headers[i] as never);
      if (!read.ok) throw new Error(read.failure.message);
      return read.parsed;
    });
    expect(mine).toMatchObject({
      domain: 'example.com',
      algorithm: 'rsa-sha256',
      headerMode: 'relaxed',
      bodyMode: 'simple',
      timestamp: NOW_S,
    });
    expect(theirs).toMatchObject({ domain: 'amazonses.com', selector: 'prov', timestamp: NOW_S });
    expect(mine?.signedHeaders).toEqual(['list-unsubscribe', 'from', 'to', 'subject', 'date', 'message-id']);
    expect(theirs?.signedHeaders).toEqual([
      'feedback-id',
      'list-unsubscribe',
      'from',
      'to',
      'subject',
      'date',
      'message-id',
    ]);
    expect(Buffer.from(mine?.bodyHash ?? []).equals(Buffer.from(theirs?.bodyHash ?? []))).toBe(true);
    for (const parsed of [mine, theirs]) {
      expect(parsed?.identity ?? parsed?.bodyLength ?? parsed?.expiration).toBeUndefined();
    }
    const result = await verifyMessage(
      out,
      zoneWith({ 'ses._domainkey.example.com': identity.record, 'prov._domainkey.amazonses.com': provider.record }),
      { now: NOW_MS },
    );
    expect(result.signatures.map((s) => s.result)).toEqual(['pass', 'pass']);
    expect(SES_SIGNED_HEADERS).toHaveLength(15);
  });
});
