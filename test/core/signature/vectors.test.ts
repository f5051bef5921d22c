// Published and tool-made vectors (vectors/messages/): our verdicts as expected, and dkimpy and Mail::DKIM agree.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyMessage } from '../../../src/index.js';
import { loadMessageVectors } from '../../../vectors/load.js';
import { zoneWith } from './fixtures.js';

const vectors = loadMessageVectors();
const interop = join(import.meta.dirname, '../../interop');
// A message stored with bare LFs travels as CRLF: that is what the other verifiers are given.
const wire = (bytes: Uint8Array) =>
  Buffer.from(Buffer.from(bytes).toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

// Every vector's keys in one lookup (no name has two values), so each verifier runs once for all vectors.
const allRecords = Object.assign({}, ...vectors.map((v) => v.records)) as Record<string, string>;
const verdicts = new Map<string, { dkimpy: boolean[]; mailDkim: boolean[] }>();

function independent(program: string, script: string): boolean[][] {
  const out = execFileSync(program, [join(interop, script)], {
    input: JSON.stringify({
      op: 'verify',
      records: allRecords,
      messages: vectors.map((v) => wire(v.bytes).toString('base64')),
    }),
  });
  const parsed = JSON.parse(out.toString()) as { results: (boolean | { result: string })[] }[];
  return parsed.map((v) => v.results.map((r) => (typeof r === 'boolean' ? r : r.result === 'pass')));
}

beforeAll(() => {
  const dkimpy = independent('/usr/bin/python3', 'dkimpy.py');
  const mailDkim = independent('/usr/bin/perl', 'mail-dkim.pl');
  for (const [i, v] of vectors.entries()) verdicts.set(v.id, { dkimpy: dkimpy[i] ?? [], mailDkim: mailDkim[i] ?? [] });
});

describe('message vectors', () => {
  it('has the RFC 8463 example, dkimpy messages and every interop bug', () => {
    const ids = vectors.map((v) => v.id);
    for (const id of [
      'rfc8463-appendix-a',
      'dkimpy-rfc6376-signed',
      'no-c-tag',
      'c-relaxed-alone',
      'folded-after-colon',
    ]) {
      expect(ids).toContain(id);
    }
    expect(ids).toEqual(
      expect.arrayContaining([
        'empty-body.simple',
        'over-signed',
        'duplicate-headers',
        'b-refolded',
        'bare-lf',
        'body-length',
      ]),
    );
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s', async (_, vector) => {
    const result = await verifyMessage(vector.bytes, zoneWith(vector.records));
    expect(result.signatures.map((s) => ({ result: s.result, code: s.code }))).toEqual(
      vector.expected.map((e) => ({ result: e.result, code: e.code })),
    );
    for (const [i, e] of vector.expected.entries()) expect(result.signatures[i]).toMatchObject(e);
    const ours = result.signatures.map((s) => s.result === 'pass');
    const theirs = verdicts.get(vector.id);
    expect(theirs?.dkimpy).toEqual(ours);
    const rsa = result.signatures.map((s, i) => [s.algorithm.startsWith('rsa-'), ours[i]] as const);
    const perl = theirs?.mailDkim ?? [];
    expect(perl.filter((_, i) => rsa[i]?.[0])).toEqual(rsa.filter(([isRsa]) => isRsa).map(([, pass]) => pass));
  });
});
