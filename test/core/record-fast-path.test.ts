// The key-record fast path (p= exactly the expected key's text is not decoded again) against the
// slow path: same records, same verdicts, on real keys in every expected form and on damaged records.
import { createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExpectedKey, normalizeExpectedKey } from '../../src/core/key-record/expected-key.js';
import { type ParseNotes, parseKeyRecordExpecting } from '../../src/core/key-record/parse.js';
import { evaluateParsedRecords } from '../../src/core/key-record/verdict.js';
import { evaluateKeyRecords, parseDkimKeyRecord, parsePrivateKey } from '../../src/index.js';
import { keyPool, type PoolKey, toBase64 } from '../helpers/key-pool.js';

const pool = keyPool();
const escapeBase64 = (text = '') => text.replace(/[+/]/g, '\\$&');

/** Every form an expected key takes, for one pooled key. */
function expectedForms(pooled: PoolKey): ExpectedKey[] {
  const publicKey = createPublicKey(pooled.privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  const hex = (text: string) => BigInt(`0x${Buffer.from(text, 'base64url').toString('hex')}`);
  return [
    parsePrivateKey(pooled.pkcs1Der),
    pooled.spki,
    new Uint8Array(publicKey.export({ type: 'pkcs1', format: 'der' })),
    { n: hex(jwk.n as string), e: hex(jwk.e as string) },
  ];
}

const forms = pool.flatMap((pooled) => expectedForms(pooled).map((key) => ({ pooled, key })));
const base64Of = (pooled: PoolKey) => toBase64(pooled.spki);
const pkcs1Base64Of = (pooled: PoolKey) =>
  toBase64(new Uint8Array(createPublicKey(pooled.privateKey).export({ type: 'pkcs1', format: 'der' })));

// Records around the expected key's text: as published, split anywhere, with white space,
// damaged, another key, PKCS #1, other tags, and several records at one name.
const recordArb = fc
  .record({
    form: fc.integer({ min: 0, max: forms.length - 1 }),
    other: fc.integer({ min: 0, max: pool.length - 1 }),
    p: fc.constantFrom('same', 'other', 'pkcs1', 'space', 'cut', 'flip', 'lower', 'empty', 'extra'),
    head: fc.constantFrom(
      'v=DKIM1; k=rsa; ',
      'v=DKIM1; ',
      'k=rsa; ',
      'v=DKIM1; h=sha1; ',
      'v=DKIM1; k=ed25519; ',
      '',
      // Folding white space, other tag orders, every tag, a misplaced v=, a tag run into the next.
      ' v = DKIM1 ;\tk = rsa ;\r\n ',
      'v=DKIM1; t=y:s; h=sha256:sha1; s=email; n=a=20b; k=rsa; ',
      'k=rsa; v=DKIM1; ',
      'v=DKIM1; k=rsa t=y; ',
      'v=DKIM1; k=rsa; k=rsa; ',
      'v=DKIM1; s=*; x=unknown; ',
    ),
    tail: fc.constantFrom('', ';', '; t=y', ' ', '; p=x'),
    cuts: fc.array(fc.nat(), { maxLength: 3 }),
    more: fc.constantFrom(0, 1, 2),
  })
  .map(({ form, other, p, head, tail, cuts, more }) => {
    const { pooled, key } = forms[form] as (typeof forms)[number];
    const text = base64Of(pooled);
    const value = {
      same: text,
      other: base64Of(pool[other] as PoolKey),
      pkcs1: pkcs1Base64Of(pooled),
      space: `${text.slice(0, 100)} ${text.slice(100)}`,
      cut: text.slice(0, -4),
      flip: `${text.slice(0, 50)}${text[50] === 'A' ? 'B' : 'A'}${text.slice(51)}`,
      lower: text.toLowerCase(),
      empty: '',
      extra: `${text}AAAA`,
    }[p];
    const record = `${head}p=${value}${tail}`;
    const points = [...new Set(cuts.map((c) => c % (record.length + 1)))].sort((a, b) => a - b);
    const strings = [0, ...points].map((at, i) => record.slice(at, points[i] ?? record.length));
    const rrset = [strings, ...Array.from({ length: more }, () => ['v=spf1 -all']), ...(more === 2 ? [strings] : [])];
    return { key, rrset };
  });

describe('the key-record fast path', () => {
  it('parses exactly as parseDkimKeyRecord, and judges exactly as the slow path', () => {
    let fast = 0;
    fc.assert(
      fc.property(recordArb, ({ key, rrset }) => {
        const normalized = normalizeExpectedKey(key);
        for (const strings of rrset) {
          const notes: ParseNotes = { publishesExpected: false };
          const record = parseKeyRecordExpecting(strings, normalized, notes);
          const slow = parseDkimKeyRecord(strings);
          expect(record).toEqual(slow);
          // Noted only for a key record whose p= is the expected key's text, which then is that key.
          const publishes =
            slow.kind === 'key' &&
            slow.keyType === 'rsa' &&
            new RegExp(
              `(^|;)[ \\t\\r\\n]*p=[ \\t\\r\\n]*${escapeBase64(normalized.published?.base64)}[ \\t\\r\\n]*(;|$)`,
            ).test(slow.text);
          expect(notes.publishesExpected).toBe(publishes);
          if (slow.kind === 'key' && publishes) expect(slow.publicKey.spki).toEqual(normalized.spki);
          if (notes.publishesExpected) fast++;
        }
        expect(evaluateKeyRecords(rrset, key)).toEqual(
          evaluateParsedRecords(
            rrset.map((strings) => parseDkimKeyRecord(strings)),
            key,
          ),
        );
      }),
      { numRuns: 1000 },
    );
    expect(fast).toBeGreaterThan(30);
  });

  it('gives each record its own bytes, never the expected key’s', () => {
    const pooled = pool[0] as PoolKey;
    const key = parsePrivateKey(pooled.pkcs1Der);
    const strings = [`v=DKIM1; k=rsa; p=${base64Of(pooled)}`];
    const first = evaluateKeyRecords([strings], key);
    const second = evaluateKeyRecords([strings], key);
    if (first.verdict !== 'MATCH' || second.verdict !== 'MATCH') throw new Error('no match');
    const a = first.record.publicKey;
    const b = second.record.publicKey;
    if (a.algorithm !== 'rsa' || b.algorithm !== 'rsa') throw new Error('not RSA');
    expect(a.spki).not.toBe(key.spki);
    a.spki.fill(0);
    expect(b.spki).toEqual(pooled.spki);
    expect(key.spki).toEqual(pooled.spki);
    expect(evaluateKeyRecords([strings], key).verdict).toBe('MATCH');
  });

  it('keeps an unreadable expected key an error of the comparison, not of the parse', () => {
    const damaged = (pool[0] as PoolKey).spki.slice(0, -1);
    expect(evaluateKeyRecords([['v=spf1 -all']], damaged).verdict).toBe('NOT_DKIM');
    expect(() => evaluateKeyRecords([[`v=DKIM1; p=${base64Of(pool[0] as PoolKey)}`]], damaged)).toThrow(
      /expected public key is unreadable/,
    );
  });
});
