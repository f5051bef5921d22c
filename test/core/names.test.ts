// Domain normalisation's shortcut for names already normalised, against the full path it skips.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DkimError } from '../../src/core/errors.js';
import { normalizeDomain, normalizeDomainFully } from '../../src/core/names.js';

function outcome(run: () => string): string {
  try {
    return `ok ${run()}`;
  } catch (error) {
    if (!(error instanceof DkimError)) throw error;
    return `${error.code} ${error.message}`;
  }
}

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
// Names near the edges: LDH and not, upper case, IDNs, xn--, digits, empty and long labels, dots.
const piece = fc.oneof(
  label,
  fc.constantFrom('', '-', 'a-', '-a', 'xn--', 'xn--bcher-kva', 'xn--zz', 'a--b', '123', '0x1', 'EXAMPLE', 'Bücher'),
  fc.constantFrom('ü', 'ß', 'ı', 'Ａ', '例え', '\u200d', '_', ' ', '%', '@', ':').chain((c) => label.map((l) => l + c)),
  fc.string({ minLength: 60, maxLength: 70, unit: fc.constantFrom('a', '0', '-') }),
);
const domain = fc
  .tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '.', '..'), fc.boolean())
  .map(([labels, tail, upper]) => {
    const name = labels.join('.') + tail;
    return upper ? name.toUpperCase() : name;
  });

describe('normalizeDomain', () => {
  it('returns exactly what the full path returns, or throws the same error', () => {
    let shortcut = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          domain,
          fc.domain(),
          fc.domain().map((d) => `${d}.`),
          fc.string(),
        ),
        (input) => {
          const full = outcome(() => normalizeDomainFully(input));
          expect(outcome(() => normalizeDomain(input))).toBe(full);
          if (full === `ok ${input.replace(/\.$/, '')}`) shortcut++;
        },
      ),
      { numRuns: 20_000 },
    );
    expect(shortcut).toBeGreaterThan(1000);
  });

  it('agrees on names at the length limits and on IDNs', () => {
    const long = (n: number) => Array.from({ length: n }, () => 'a'.repeat(49)).join('.');
    for (const input of [
      `${long(5)}.com`, // 253 characters, the most a name holds
      `${long(5)}.com.`,
      `${long(5)}.comx`, // 254
      `${long(5)}.comx.`,
      `${'a'.repeat(63)}.com`,
      `${'a'.repeat(64)}.com`,
      `example.${'a'.repeat(63)}`,
      `example.${'a'.repeat(64)}`,
      `example.${'a'.repeat(64)}.`,
      'Bücher.example',
      'xn--bcher-kva.example',
      'example.123',
      'example.1a',
      'a.b',
      'a',
      '.',
      '',
    ]) {
      expect(outcome(() => normalizeDomain(input))).toBe(outcome(() => normalizeDomainFully(input)));
    }
    expect(normalizeDomain('Bücher.Example.')).toBe('xn--bcher-kva.example');
  });
});
