// The DKIM-Signature tag-list: strict parsing with FWS where RFC 6376 allows it, and folding serialization.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillLastBase64 } from '../../../src/core/signature/tag-list.js';
import { parseMessage, parseSignatureField, parseTagList, serializeTagList } from '../../../src/index.js';

const field = (raw: string) => {
  const f = parseMessage(`${raw}\r\n\r\n`).headers[0];
  if (f === undefined) throw new Error('no field');
  return f;
};
const VALID = 'v=1; a=rsa-sha256; d=example.com; s=s1; h=from:to; bh=AAAA; b=AAAA';

describe('parseTagList', () => {
  it('reads tags with folding white space around names, equals signs and values', () => {
    const result = parseTagList(' v = 1 ;\r\n\ta=rsa-sha256;\r\n  h = from\r\n\t: to ; z=x;');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.tags.values()].map((t) => [t.name, t.value])).toEqual([
      ['v', '1'],
      ['a', 'rsa-sha256'],
      ['h', 'from\r\n\t: to'],
      ['z', 'x'],
    ]);
  });
  it('keeps the region of each value, white space included, for emptying b=', () => {
    const text = ' a=1; b= AB\r\n\tCD ;c=3';
    const result = parseTagList(text);
    const b = result.ok ? result.tags.get('b') : undefined;
    expect(b && text.slice(b.start, b.end)).toBe(' AB\r\n\tCD ');
  });
  it.each([
    ['a duplicate tag', 'a=1; a=2', 'appears more than once'],
    ['an empty tag', 'a=1;; b=2', 'an empty tag'],
    ['a tag without =', 'a=1; b', 'is not name=value'],
    ['a bad tag name', 'a=1; 9b=2', 'is not a tag name'],
    ['a semicolon-free control character', 'a=1\u0001', 'does not allow'],
    ['a value with a bare line end', 'a=1\r\n2', 'does not allow'],
  ])('refuses %s', (_, text, detail) => {
    const result = parseTagList(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.detail).toContain(detail);
  });
});

describe('parseSignatureField', () => {
  it('reads a valid field, ignoring unknown tags', () => {
    const read = parseSignatureField(field(`DKIM-Signature: ${VALID}; zz=unknown`));
    expect(read.ok).toBe(true);
    expect(read.ok && read.parsed.signedHeaders).toEqual(['from', 'to']);
  });
  it.each([
    ['a duplicate tag', `${VALID}; d=example.org`, 'SYNTAX'],
    ['a missing required tag (bh=)', VALID.replace('bh=AAAA; ', ''), 'SYNTAX'],
    ['a missing s=', VALID.replace('s=s1; ', ''), 'SYNTAX'],
    ['bad base64 in b=', VALID.replace('b=AAAA', 'b=AA*A'), 'SYNTAX'],
    ['bad base64 in bh=', VALID.replace('bh=AAAA', 'bh=AAA'), 'SYNTAX'],
    ['v=2', VALID.replace('v=1', 'v=2'), 'VERSION_UNSUPPORTED'],
    ['a=rsa-md5', VALID.replace('rsa-sha256', 'rsa-md5'), 'ALGORITHM_UNSUPPORTED'],
    ['c=fancy', `${VALID}; c=fancy`, 'CANONICALIZATION_UNSUPPORTED'],
    ['q=https', `${VALID}; q=https`, 'QUERY_METHOD_UNSUPPORTED'],
    ['no From in h=', VALID.replace('h=from:to', 'h=to:subject'), 'FROM_NOT_SIGNED'],
    ['i= outside d=', `${VALID}; i=user@example.org`, 'IDENTITY_MISMATCH'],
    ['i= on a lookalike domain', `${VALID}; i=@badexample.com`, 'IDENTITY_MISMATCH'],
    ['a non-numeric l=', `${VALID}; l=12a`, 'SYNTAX'],
    ['x= before t=', `${VALID}; t=100; x=50`, 'SYNTAX'],
  ])('%s is %s', (_, value, code) => {
    const read = parseSignatureField(field(`DKIM-Signature: ${value}`));
    expect(read.ok).toBe(false);
    expect(!read.ok && read.failure.code).toBe(code);
  });
  it('accepts i= in a subdomain of d= and base64 with folding', () => {
    const read = parseSignatureField(
      field(`DKIM-Signature: ${VALID.replace('b=AAAA', 'b=AA\r\n\t AA')}; i=news@mail.example.com`),
    );
    expect(read.ok && read.parsed.identityDomain).toBe('mail.example.com');
  });
});

describe('serializeTagList', () => {
  it('folds with tab continuations under 77 columns and parses back to the same tags', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), { minLength: 1, maxLength: 30 }),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        (names, signature) => {
          const b = Buffer.from(signature).toString('base64');
          const tags: [string, string][] = [
            ['v', '1'],
            ['d', 'example.com'],
            ['h', names.join(':')],
            ['b', b],
          ];
          const text = serializeTagList('DKIM-Signature', tags, { colonList: ['h'], base64: ['b'] });
          for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
          for (const line of text.split('\r\n').slice(1)) expect(line.startsWith('\t')).toBe(true);
          const parsed = parseTagList(text.slice(text.indexOf(':') + 1));
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          const strip = (v: string | undefined) => v?.replace(/[\r\n\t ]/g, '');
          expect(strip(parsed.tags.get('h')?.value)).toBe(names.join(':'));
          expect(strip(parsed.tags.get('b')?.value)).toBe(b);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('serializeTagList folding, pinned against the first implementation', () => {
  // The serializer as first written (colon lists split with a lookbehind regex, the whole list
  // serialized again once b= is known): the faster code must write the same text.
  function reference(fieldName: string, tags: readonly (readonly [string, string])[]): string {
    const chunks = (text: string, width: number) => {
      const out: string[] = [];
      for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
      return out;
    };
    const colonPieces = (text: string, width: number) => {
      const out: string[] = [];
      let line = '';
      for (const part of text.split(/(?<=:)/)) {
        if (line !== '' && line.length + part.length > width) {
          out.push(line);
          line = '';
        }
        line += part;
      }
      if (line !== '') out.push(line);
      return out;
    };
    let out = `${fieldName}:`;
    let column = out.length;
    for (const [index, [name, value]] of tags.entries()) {
      const text = `${name}=${value}${index === tags.length - 1 ? '' : ';'}`;
      if (name !== 'b' && column + 1 + text.length <= 76) {
        out += ` ${text}`;
        column += 1 + text.length;
        continue;
      }
      const pieces = name === 'b' ? chunks(text, 75) : name === 'h' ? colonPieces(text, 75) : [text];
      out += column > 1 + fieldName.length ? '\r\n\t' : ' ';
      out += pieces.join('\r\n\t');
      column = 1 + (pieces[pieces.length - 1] as string).length;
    }
    return out;
  }
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,40}$/);
  const base64 = fc.stringMatching(/^[A-Za-z0-9+/]{1,400}={0,2}$/);

  it('h= lists of any names, and b= filled in afterwards, fold exactly as before', () => {
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 30 }), name, base64, (names, domain, b) => {
        const tags: [string, string][] = [
          ['v', '1'],
          ['a', 'rsa-sha256'],
          ['d', domain],
          ['h', names.join(':')],
          ['bh', 'AAAA'],
          ['b', ''],
        ];
        const layout = { colonList: ['h'], base64: ['b'] };
        const unsigned = serializeTagList('DKIM-Signature', tags, layout);
        expect(unsigned).toBe(reference('DKIM-Signature', tags));
        const signed: [string, string][] = [...tags.slice(0, -1), ['b', b]];
        expect(fillLastBase64(unsigned, 'b', b)).toBe(reference('DKIM-Signature', signed));
        expect(fillLastBase64(unsigned, 'b', b)).toBe(serializeTagList('DKIM-Signature', signed, layout));
      }),
      { numRuns: 2000 },
    );
  });
});
