// The committed Miller-Rabin WebAssembly module: regenerable from scripts/miller-rabin.wat, small
// enough for synchronous compilation on a browser's main thread, compiled once, and off with the rest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assembleMillerRabinWasm, millerRabinWasmSource } from '../../scripts/build-wasm.mjs';
import { setBignumWasmEnabled } from '../../src/core/bignum-wasm.js';
import { millerRabinWasm, wasmWitnesses } from '../../src/core/miller-rabin-wasm.js';
import { MILLER_RABIN_WASM_HEX } from '../../src/core/miller-rabin-wasm-bytes.js';

afterEach(() => setBignumWasmEnabled(true));

describe('the Miller-Rabin WebAssembly module', () => {
  it('is exactly what scripts/build-wasm.mjs makes of scripts/miller-rabin.wat', async () => {
    const bytes = await assembleMillerRabinWasm();
    const committed = readFileSync(join(import.meta.dirname, '../../src/core/miller-rabin-wasm-bytes.ts'), 'utf8');
    expect(committed).toBe(millerRabinWasmSource(bytes));
  });

  it('stays under the 4 KB that Chrome compiles synchronously on the main thread', () => {
    expect(MILLER_RABIN_WASM_HEX.length / 2).toBeLessThanOrEqual(4096);
  });

  it('is compiled once and kept', () => {
    const first = millerRabinWasm();
    expect(first).toBeDefined();
    expect(millerRabinWasm()).toBe(first);
    expect(Object.keys(first ?? {}).sort()).toEqual(['memory', 'montmul', 'montsqr', 'setup', 'witness']);
  });

  it('is not used while the WebAssembly paths are off', () => {
    const p = (1n << 127n) - 1n;
    setBignumWasmEnabled(false);
    expect(millerRabinWasm()).toBeUndefined();
    expect(wasmWitnesses(p, (p - 1n) >> 1n, 1)).toBeUndefined();
    setBignumWasmEnabled(true);
    expect(wasmWitnesses(p, (p - 1n) >> 1n, 1)).toBeDefined();
  });
});
