import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const coreRoot = join(import.meta.dirname, '../../src/core');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

// The rules of src/core: it runs unchanged in browsers, so no Node modules or globals.
const FORBIDDEN: readonly [string, RegExp][] = [
  ['a node: import', /\bfrom\s+['"]node:|\bimport\s*\(\s*['"]node:|\brequire\s*\(\s*['"]node:/],
  [
    'a bare Node built-in import',
    /\bfrom\s+['"](fs|path|crypto|os|net|dgram|dns|util|buffer|stream|child_process|url)(\/[^'"]*)?['"]/,
  ],
  ['process', /\bprocess\s*\./],
  ['Buffer', /\bBuffer\b/],
  ['console', /\bconsole\s*\./],
  ['Date.now', /\bDate\.now\s*\(/],
];

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

function violations(source: string): string[] {
  const code = stripComments(source);
  return FORBIDDEN.filter(([, pattern]) => pattern.test(code)).map(([what]) => what);
}

describe('src/core stays pure and browser-safe', () => {
  const files = sourceFiles(coreRoot);

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((file) => [relative(coreRoot, file), file]))('%s touches no Node API', (_name, file) => {
    expect(violations(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('the checker itself catches each forbidden use', () => {
    expect(violations("import { readFileSync } from 'node:fs';")).toEqual(['a node: import']);
    expect(violations("const fs = await import('node:fs');")).toEqual(['a node: import']);
    expect(violations("import { createHash } from 'crypto';")).toEqual(['a bare Node built-in import']);
    expect(violations('if (process.env.X) {}')).toEqual(['process']);
    expect(violations('const b = Buffer.from(x);')).toEqual(['Buffer']);
    expect(violations('console.log(1);')).toEqual(['console']);
    expect(violations('const t = Date.now();')).toEqual(['Date.now']);
    expect(violations('// Buffer is not used here\nconst x = 1;')).toEqual([]);
  });
});
