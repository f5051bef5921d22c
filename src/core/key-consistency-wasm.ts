// The RSA key consistency checks in WebAssembly, read straight from the DER: a fast yes, or no answer.

import type { ByteRange } from './bigint.js';
import { type BignumWasm, bignumWasm, bignumWasmBytes, WASM_SLOTS } from './bignum-wasm.js';

// The module's slots hold 256 limbs and its column sums stay exact for operands of up to 128
// limbs; a 2048-bit modulus with its sign byte is 257 bytes (74 limbs).
const MAX_INTEGER_BYTES = 264;

/**
 * Whether every consistency check of an RSA private key holds (p, q >= 3 and distinct, n = pq,
 * 1 <= d < n, d mod (p-1) = dp, d mod (q-1) = dq, e dp = 1 mod (p-1), e dq = 1 mod (q-1),
 * 1 <= qinv < p, qinv q = 1 mod p), the integers being the eight ranges of `der` in the order
 * n, e, d, p, q, dp, dq, qinv, all inside `contents`. `true` is final; `false` means the checks
 * could not be confirmed here (a check fails, or there is no WebAssembly, or the key is
 * too large), and the caller's BigInt path must decide and name the fault.
 */
export function confirmKeyConsistency(der: Uint8Array, contents: ByteRange, parts: readonly ByteRange[]): boolean {
  const length = contents.end - contents.start;
  if (length > WASM_SLOTS.inputLength || parts.length !== 8) return false;
  for (const part of parts) if (part.end - part.start > MAX_INTEGER_BYTES) return false;
  const memory = bignumWasmBytes();
  if (memory === undefined) return false;
  const wasm = bignumWasm() as BignumWasm;
  // DER decoded from base64 in the module's memory is read where it lies; other DER is copied in.
  let base = -der.byteOffset;
  if (der.buffer !== memory.buffer) {
    memory.set(der.subarray(contents.start, contents.end), WASM_SLOTS.input);
    base = contents.start - WASM_SLOTS.input;
  }
  const [n, e, d, p, q, dp, dq, qinv] = parts as [
    ByteRange,
    ByteRange,
    ByteRange,
    ByteRange,
    ByteRange,
    ByteRange,
    ByteRange,
    ByteRange,
  ];
  return (
    wasm.check(
      n.start - base,
      n.end - n.start,
      e.start - base,
      e.end - e.start,
      d.start - base,
      d.end - d.start,
      p.start - base,
      p.end - p.start,
      q.start - base,
      q.end - q.start,
      dp.start - base,
      dp.end - dp.start,
      dq.start - base,
      dq.end - dq.start,
      qinv.start - base,
      qinv.end - qinv.start,
    ) === 0
  );
}
