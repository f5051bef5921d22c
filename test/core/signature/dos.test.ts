// Canonicalization cost is linear in the message size, proved by counting work (as test/core/dos.test.ts does),
// not by timing: every read of a body byte, and every character of a header field canonicalized.
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ headerChars: 0 }));

vi.mock('../../../src/core/signature/canonicalize.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/core/signature/canonicalize.js')>();
  return {
    ...actual,
    canonicalizeHeader: (field: { raw: string }, mode: 'simple' | 'relaxed') => {
      calls.headerChars += field.raw.length;
      return actual.canonicalizeHeader(field as never, mode);
    },
  };
});

const { canonicalizeBody } = await import('../../../src/core/signature/canonicalize.js');
const { signMessage, verifyMessage, parsePrivateKey } = await import('../../../src/index.js');
const { generateKeyPairSync } = await import('node:crypto');
const { zoneWith } = await import('./fixtures.js');

// A body whose byte reads are counted: indexing is counted, methods run on the real array uncounted
// (the canonicalizer only calls subarray, which reads nothing).
function counted(bytes: Uint8Array): { body: Uint8Array; reads: () => number } {
  let reads = 0;
  const body = new Proxy(bytes, {
    get(target, key) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { body, reads: () => reads };
}

const PATTERNS: Record<string, (n: number) => string> = {
  'one long run of spaces inside a line': (n) => `a${' '.repeat(n)}b\r\n`,
  'a long run of spaces at a line end': (n) => `a${' \t'.repeat(n / 2)}\r\n`,
  'many empty lines before content (mailauth#64)': (n) => `${'\r\n'.repeat(n / 2)}x\r\n`,
  'many lines of only white space at the end': (n) => `x\r\n${' \t \r\n'.repeat(n / 5)}`,
  'alternating white space and empty lines': (n) => ` \r\n\r\n`.repeat(n / 5),
  'bare CRs': (n) => '\r'.repeat(n),
};

describe('body canonicalization is linear', () => {
  for (const [name, make] of Object.entries(PATTERNS)) {
    it(name, () => {
      const per: number[] = [];
      for (const n of [10_000, 40_000]) {
        const input = new TextEncoder().encode(make(n));
        for (const mode of ['simple', 'relaxed'] as const) {
          const { body, reads } = counted(input);
          canonicalizeBody(body, mode);
          // Each byte is read once, plus one look-ahead at each CR.
          expect(reads()).toBeLessThanOrEqual(2 * input.length + 4);
          per.push(reads() / input.length);
        }
      }
      // The work per byte does not grow with the size.
      expect(Math.max(per[2] as number, per[3] as number)).toBeLessThanOrEqual(
        Math.max(per[0] as number, per[1] as number) + 0.01,
      );
    });
  }
});

describe('header work is bounded', () => {
  it('each signature canonicalizes each signed field once, whatever h= repeats', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const key = parsePrivateKey(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
    const { signingKeyRecord } = await import('../../../src/index.js');
    const resolver = zoneWith({ 's._domainkey.example.com': await signingKeyRecord(key) });
    const filler = Array.from({ length: 500 }, (_, i) => `X-Filler-${i}: ${'v'.repeat(100)}\r\n`).join('');
    const message = `From: a@example.com\r\n${filler}Subject: s\r\n\r\nbody\r\n`;
    const headers = ['From', 'Subject', ...Array.from({ length: 200 }, () => 'X-Filler-7')];
    let signed = message;
    for (let i = 0; i < 10; i++) {
      signed = (
        await signMessage(signed, { domain: 'example.com', selector: 's', key, headers, timestamp: 1 })
      ).prepend(signed);
    }
    calls.headerChars = 0;
    const result = await verifyMessage(signed, resolver, { now: 2000 });
    expect(result.signatures.map((s) => s.result)).toEqual(Array(10).fill('pass'));
    const headerSize = signed.indexOf('\r\n\r\n');
    // Ten signatures, each over at most its own field plus three distinct fields: far below
    // 10 x the header size, and independent of how often h= repeats a name.
    expect(calls.headerChars).toBeLessThan(headerSize);
    expect(calls.headerChars).toBeGreaterThan(0);
  });
});
