// The committed WebAssembly module: regenerable from scripts/bignum.wat, small enough for
// synchronous compilation on a browser's main thread, and compiled once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleBignumWasm, bignumWasmSource } from '../../scripts/build-wasm.mjs';
import { bignumWasm } from '../../src/core/bignum-wasm.js';
import { BIGNUM_WASM_HEX } from '../../src/core/bignum-wasm-bytes.js';

describe('the WebAssembly big-number module', () => {
  it('is exactly what scripts/build-wasm.mjs makes of scripts/bignum.wat', async () => {
    const bytes = await assembleBignumWasm();
    const committed = readFileSync(join(import.meta.dirname, '../../src/core/bignum-wasm-bytes.ts'), 'utf8');
    expect(committed).toBe(bignumWasmSource(bytes));
  });

  it('stays under the 4 KB that Chrome compiles synchronously on the main thread', () => {
    expect(BIGNUM_WASM_HEX.length / 2).toBeLessThanOrEqual(4096);
  });

  it('is compiled once and kept', () => {
    const first = bignumWasm();
    expect(first).toBeDefined();
    expect(bignumWasm()).toBe(first);
    expect(Object.keys(first ?? {}).sort()).toEqual(['base64', 'check', 'memory']);
  });
});
