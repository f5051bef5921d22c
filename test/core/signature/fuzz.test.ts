// No crashes: the tag-list parser, the signature reader and the verifier never throw on arbitrary input.
// 100,000 inputs per run: 60,000 tag-lists and 40,000 messages (mutated signed messages and raw noise).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMessage, parseSignatureField, parseTagList, signMessage, verifyMessage } from '../../../src/index.js';
import { ed25519Key, NOW_MS, NOW_S, rsaKey, SIMPLE_MESSAGE, zoneWith } from './fixtures.js';

// Characters that matter to the grammar, plus anything.
const TAG_CHARS = fc.constantFrom(...'abhlv=;: \t\r\n/+-.@'.split(''), 'bh', 'b=', 'c=', 'h=', '\r\n ', 'x'.repeat(3));
const tagListText = fc.oneof(
  fc.array(TAG_CHARS, { maxLength: 80 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 200, unit: 'binary' }),
);

describe('fuzz', () => {
  it('parseTagList and parseSignatureField never throw (60,000 inputs)', () => {
    let parsed = 0;
    fc.assert(
      fc.property(tagListText, (text) => {
        const list = parseTagList(text);
        if (list.ok) parsed++;
        const field = parseSignatureField({
          name: 'DKIM-Signature',
          key: 'dkim-signature',
          raw: `DKIM-Signature:${text}`,
        });
        expect(typeof field.ok).toBe('boolean');
      }),
      { numRuns: 60_000, seed: 14 },
    );
    expect(parsed).toBeGreaterThan(1000); // the generator reaches the parser's success paths too
  });

  let signed: Uint8Array[];
  let records: Record<string, string>;
  beforeAll(async () => {
    const rsa = await rsaKey(1024);
    const ed = await ed25519Key();
    records = { 'r._domainkey.example.com': rsa.record, 'e._domainkey.example.com': ed.record };
    const options = { domain: 'example.com', timestamp: NOW_S, expiration: NOW_S + 3600 } as const;
    const one = await signMessage(SIMPLE_MESSAGE, { ...options, selector: 'r', key: rsa.key, bodyLength: true });
    const both = one.prepend(SIMPLE_MESSAGE);
    const two = await signMessage(both, { ...options, selector: 'e', key: ed.key, canonicalization: 'simple/simple' });
    signed = [new TextEncoder().encode(one.prepend(SIMPLE_MESSAGE)), new TextEncoder().encode(two.prepend(both))];
  });

  it('verifyMessage never throws on mutated signed messages or noise (40,000 inputs)', async () => {
    const resolver = zoneWith(records);
    const mutation = fc.record({
      which: fc.nat(1),
      edits: fc.array(
        fc.tuple(fc.nat(), fc.constantFrom('flip', 'delete', 'insert', 'truncate'), fc.integer({ min: 0, max: 255 })),
        {
          minLength: 1,
          maxLength: 6,
        },
      ),
    });
    const input = fc.oneof(
      { weight: 3, arbitrary: mutation.map(({ which, edits }) => mutate(signed[which] as Uint8Array, edits)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) },
    );
    const results = new Set<string>();
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        const verdict = await verifyMessage(bytes, resolver, { now: NOW_MS });
        for (const s of verdict.signatures) results.add(s.code ?? s.result);
        expect(parseMessage(bytes).headers.length).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 40_000, seed: 14 },
    );
    // The mutations reach deep: passes, both kinds of failure and syntax errors all occur.
    expect([...results]).toEqual(
      expect.arrayContaining(['pass', 'BODY_HASH_MISMATCH', 'SIGNATURE_MISMATCH', 'SYNTAX']),
    );
  });
});

function mutate(bytes: Uint8Array, edits: readonly (readonly [number, string, number])[]): Uint8Array {
  let out = Array.from(bytes);
  for (const [at, kind, value] of edits) {
    const i = at % Math.max(out.length, 1);
    if (kind === 'flip') out[i] = value;
    else if (kind === 'delete') out.splice(i, 1);
    else if (kind === 'insert') out.splice(i, 0, value);
    else out = out.slice(0, i);
  }
  return Uint8Array.from(out);
}
