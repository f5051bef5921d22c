// The main entry is browser-safe: its whole import graph bundles for the browser with no Node
// built-in, no global Buffer, and within the size budget.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGET_BYTES, bundleForBrowser } from '../../scripts/bundle.mjs';

const root = join(import.meta.dirname, '../..');

describe('the browser bundle of the main entry', async () => {
  const bundle = await bundleForBrowser(join(root, 'src/index.ts'));

  it('imports no Node built-in, with or without node:', () => {
    expect(bundle.nodeImports).toEqual([]);
    const builtins = new Set(builtinModules.filter((name) => name !== 'buffer'));
    const reached = bundle.inputs.filter((input) => builtins.has(input) || input.startsWith('node:'));
    expect(reached).toEqual([]);
  });

  it('uses no Buffer at all: no global one, and no buffer polyfill (DNS messages are read by src/dns/wire.ts)', () => {
    expect(bundle.inputs.filter((input) => input.includes('node_modules/buffer/'))).toEqual([]);
    const ours = bundle.inputs.filter((input) => input.startsWith('src/'));
    expect(ours.length).toBeGreaterThan(20);
    for (const file of ours) {
      const source = readFileSync(join(root, file), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      expect(source, file).not.toMatch(/\bBuffer\b/);
      expect(source, file).not.toMatch(/\bprocess\./);
    }
  });

  it(`fits the budget of ${BUDGET_BYTES / 1024} KB min+gzip`, () => {
    expect(bundle.gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
    expect(bundle.gzipped).toBeGreaterThan(10 * 1024);
  });
});
