// The committed WebAssembly modules (scripts/bignum.wat for key parsing, scripts/miller-rabin.wat
// for strict mode): each regenerable from its source, small enough for synchronous compilation on
// a browser's main thread, and compiled once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assembleBignumWasm,
  assembleMillerRabinWasm,
  bignumWasmSource,
  millerRabinWasmSource,
} from '../../scripts/build-wasm.mjs';
import { bignumWasm } from '../../src/core/bignum-wasm.js';
import { BIGNUM_WASM_HEX } from '../../src/core/bignum-wasm-bytes.js';
import { millerRabinWasm } from '../../src/core/miller-rabin-wasm.js';
import { MILLER_RABIN_WASM_HEX } from '../../src/core/miller-rabin-wasm-bytes.js';

const modules = [
  {
    name: 'big-number',
    wat: 'scripts/bignum.wat',
    bytesFile: 'src/core/bignum-wasm-bytes.ts',
    assemble: assembleBignumWasm,
    sourceOf: bignumWasmSource,
    hex: BIGNUM_WASM_HEX,
    instance: bignumWasm as () => object | undefined,
    exports: ['base64', 'check', 'memory'],
  },
  {
    name: 'Miller-Rabin',
    wat: 'scripts/miller-rabin.wat',
    bytesFile: 'src/core/miller-rabin-wasm-bytes.ts',
    assemble: assembleMillerRabinWasm,
    sourceOf: millerRabinWasmSource,
    hex: MILLER_RABIN_WASM_HEX,
    instance: millerRabinWasm as () => object | undefined,
    exports: ['memory', 'montmul', 'montsqr', 'setup', 'witness'],
  },
];

describe.each(modules)('the $name WebAssembly module', (module) => {
  it(`is exactly what scripts/build-wasm.mjs makes of ${module.wat}`, async () => {
    const bytes = await module.assemble();
    const committed = readFileSync(join(import.meta.dirname, '../..', module.bytesFile), 'utf8');
    expect(committed).toBe(module.sourceOf(bytes));
  });

  it('stays under the 4 KB that Chrome compiles synchronously on the main thread', () => {
    expect(module.hex.length / 2).toBeLessThanOrEqual(4096);
  });

  it('is compiled once and kept', () => {
    const first = module.instance();
    expect(first).toBeDefined();
    expect(module.instance()).toBe(first);
    expect(Object.keys(first ?? {}).sort()).toEqual(module.exports);
  });
});
