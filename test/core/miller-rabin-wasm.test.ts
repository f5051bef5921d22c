// The Miller-Rabin WebAssembly module is off with the rest of the WebAssembly paths (its bytes,
// size and compilation are tested with the big-number module's in bignum-wasm.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { setBignumWasmEnabled } from '../../src/core/bignum-wasm.js';
import { millerRabinWasm, wasmWitnesses } from '../../src/core/miller-rabin-wasm.js';

afterEach(() => setBignumWasmEnabled(true));

describe('the Miller-Rabin WebAssembly module', () => {
  it('is not used while the WebAssembly paths are off', () => {
    const p = (1n << 127n) - 1n;
    setBignumWasmEnabled(false);
    expect(millerRabinWasm()).toBeUndefined();
    expect(wasmWitnesses(p, (p - 1n) >> 1n, 1)).toBeUndefined();
    setBignumWasmEnabled(true);
    expect(wasmWitnesses(p, (p - 1n) >> 1n, 1)).toBeDefined();
  });
});
