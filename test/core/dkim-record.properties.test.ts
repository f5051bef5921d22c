import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DkimKeyRecord, dkimTxtRecord, parseDkimKeyRecord, parsePrivateKey } from '../../src/index.js';
import { keyPool, toBase64 } from '../helpers/key-pool.js';

const keys = keyPool().map((k) => parsePrivateKey(toBase64(k.pkcs1Der)));

/** What a record means, leaving out its text and the warnings about how it was written. */
function meaning(record: DkimKeyRecord): unknown {
  if (record.kind === 'key') {
    const { text: _text, issues, ...rest } = record;
    return { ...rest, errors: issues.filter((i) => i.severity === 'error').map((i) => i.code) };
  }
  if (record.kind === 'revoked') {
    const { text: _text, issues: _issues, ...rest } = record;
    return rest;
  }
  const { text: _text, ...rest } = record;
  return rest;
}

const optionsArb = fc.record({
  key: fc.integer({ min: 0, max: keys.length - 1 }),
  hashAlgorithms: fc.option(fc.subarray(['sha256', 'sha1'] as ('sha256' | 'sha1')[], { minLength: 1 }), {
    nil: undefined,
  }),
  testing: fc.boolean(),
  strictIdentity: fc.boolean(),
  notes: fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
});

/** The tags of a rendered record, as [name, value] pairs. */
function tagsOf(value: string): [string, string][] {
  return value.split('; ').map((tag) => {
    const equals = tag.indexOf('=');
    return [tag.slice(0, equals), tag.slice(equals + 1)];
  });
}

const WHITE_SPACE = fc.stringMatching(/^[ \t]{1,3}$|^\r\n[ \t]$/);

describe('key record properties', () => {
  it('rendering a record (key core) then parsing it gives back the same key and tags', () => {
    fc.assert(
      fc.property(optionsArb, ({ key, ...options }) => {
        const k = keys[key] as (typeof keys)[number];
        const rendered = dkimTxtRecord(k, { domain: 'example.com', selector: 's1', ...options });
        const record = parseDkimKeyRecord(rendered.strings);
        expect(record.kind).toBe('key');
        if (record.kind !== 'key' || record.publicKey.algorithm !== 'rsa') return;
        expect(record.publicKey.spki).toEqual(k.spki);
        expect(record.publicKey.bits).toBe(k.bits);
        expect(record.version).toBe('DKIM1');
        expect(record.hashAlgorithms).toEqual(options.hashAlgorithms ? [...new Set(options.hashAlgorithms)] : null);
        expect(record.flags.testing).toBe(options.testing);
        expect(record.flags.strict).toBe(options.strictIdentity);
        expect(record.notes).toBe(options.notes ?? null);
        expect(record.usableForSes).toBe(
          options.hashAlgorithms === undefined || options.hashAlgorithms.includes('sha256'),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('legal white space inserted anywhere changes nothing', () => {
    fc.assert(
      fc.property(
        optionsArb,
        fc.array(WHITE_SPACE, { minLength: 40, maxLength: 40 }),
        fc.nat(),
        ({ key, ...options }, spaces, cut) => {
          const rendered = dkimTxtRecord(keys[key] as (typeof keys)[number], {
            domain: 'example.com',
            selector: 's1',
            ...options,
          });
          let next = 0;
          const ws = () => spaces[next++ % spaces.length] as string;
          const respaced = tagsOf(rendered.value)
            .map(([name, value]) => {
              let spacedValue = value;
              if (name === 'p') {
                const at = cut % value.length;
                spacedValue = `${value.slice(0, at)}${ws()}${value.slice(at)}`;
              } else if (name === 'h' || name === 't') {
                spacedValue = value.split(':').join(`${ws()}:${ws()}`);
              }
              return `${ws()}${name}${ws()}=${ws()}${spacedValue}${ws()}`;
            })
            .join(';');
          expect(meaning(parseDkimKeyRecord([respaced]))).toEqual(meaning(parseDkimKeyRecord(rendered.strings)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the order of the tags after v= changes nothing', () => {
    fc.assert(
      fc.property(optionsArb, fc.nat(), ({ key, ...options }, seed) => {
        const rendered = dkimTxtRecord(keys[key] as (typeof keys)[number], {
          domain: 'example.com',
          selector: 's1',
          ...options,
        });
        const [version, ...rest] = tagsOf(rendered.value);
        if (version === undefined) throw new Error('empty record');
        const shuffled = rest
          .map((tag, i) => ({ tag, order: (seed * (i + 7919)) % 104729 }))
          .sort((a, b) => a.order - b.order)
          .map(({ tag }) => tag);
        const text = [version, ...shuffled].map(([name, value]) => `${name}=${value}`).join('; ');
        expect(meaning(parseDkimKeyRecord([text]))).toEqual(meaning(parseDkimKeyRecord(rendered.strings)));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, whatever the bytes (100,000 inputs)', () => {
    const sample = dkimTxtRecord(keys[0] as (typeof keys)[number], { domain: 'example.com', selector: 's1' }).value;
    const mutatedArb = fc
      .record({ at: fc.nat(), insert: fc.string({ maxLength: 6 }), drop: fc.nat({ max: 8 }) })
      .map(({ at, insert, drop }) => {
        const i = at % sample.length;
        return [sample.slice(0, i) + insert + sample.slice(i + drop)];
      });
    const inputArb: fc.Arbitrary<(string | Uint8Array)[]> = fc.oneof(
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 4 }),
      fc.array(fc.string({ maxLength: 120 }), { maxLength: 4 }),
      fc.array(fc.string({ unit: fc.constantFrom(...'v=DKIM1;kp rsa\t\\"-=:A/+'.split('')), maxLength: 80 }), {
        maxLength: 3,
      }),
      mutatedArb,
    );
    const kinds = new Set<string>();
    fc.assert(
      fc.property(inputArb, (strings) => {
        const record = parseDkimKeyRecord(strings);
        kinds.add(record.kind);
        expect(['key', 'revoked', 'invalid', 'not-dkim']).toContain(record.kind);
      }),
      { numRuns: 100_000 },
    );
    expect(kinds.size).toBeGreaterThanOrEqual(3);
  });

  it('refuses oversized input before parsing it', () => {
    expect(parseDkimKeyRecord(['a'.repeat(9000)])).toMatchObject({ kind: 'invalid', code: 'RECORD_TOO_LARGE' });
    expect(parseDkimKeyRecord(Array.from({ length: 65 }, () => 'a'))).toMatchObject({ code: 'RECORD_TOO_LARGE' });
  });
});
