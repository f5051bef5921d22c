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
export function confirmKeyConsistency(
  der: Uint8Array,
  contents: ByteRange,
  parts: readonly ByteRange[],
  /** @internal For tests: a guess m : g of the ratio e d - 1 : (p-1)(q-1) to try instead of the estimate. */
  ratio?: readonly [m: number, g: number],
): boolean {
  const length = contents.end - contents.start;
  if (length > WASM_SLOTS.inputLength || parts.length !== 8) return false;
  for (const part of parts) if (part.end - part.start > MAX_INTEGER_BYTES) return false;
  const memory = bignumWasmBytes();
  if (memory === undefined) return false;
  const wasm = bignumWasm() as BignumWasm;
  if (ratio) [ratioM, ratioG] = ratio;
  else estimateRatio(der, parts[0] as ByteRange, parts[1] as ByteRange, parts[2] as ByteRange);
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
      ratioM,
      ratioG,
    ) === 0
  );
}

// The ratio e d - 1 : (p-1)(q-1) in lowest terms, m : g, when {@link estimateRatio} finds one
// (or the guess a test gives).
let ratioM = 0;
let ratioG = 0;

const LIMB = 2 ** 28;

/** @internal For tests: the ratio m : g that {@link confirmKeyConsistency} would try ([0, 0] for none). */
export function estimateKeyRatio(der: Uint8Array, parts: readonly ByteRange[]): [m: number, g: number] {
  estimateRatio(der, parts[0] as ByteRange, parts[1] as ByteRange, parts[2] as ByteRange);
  return [ratioM, ratioG];
}

/**
 * For a valid key, e d - 1 is a multiple K of lcm(p-1, q-1) = (p-1)(q-1) / gcd(p-1, q-1), so its
 * ratio to (p-1)(q-1) is a fraction with a small denominator (K < e when d < lcm, as generators
 * make it). That ratio is all but e d / n (n - (p-1)(q-1) = p + q - 1 is some 2^-1000 of n),
 * which the leading bytes of e, d and n give to 47 bits; its continued fraction then finds m : g
 * when both are below 2^28 and g is not too large (say 2^12 or less; the rest fall
 * back, never wrongly). The module checks the ratio exactly: this is only a guess, and any
 * guess, right or wrong, leaves the verdict as it is.
 */
function estimateRatio(der: Uint8Array, n: ByteRange, e: ByteRange, d: ByteRange): void {
  ratioM = 0;
  ratioG = 0;
  if (e.end - e.start > 6) return;
  // A huge or undefined x (a hostile key's) ends the loop below with no ratio.
  const x =
    ((leading(der, e) * leading(der, d)) / leading(der, n)) *
    256 ** (e.end - e.start + d.end - d.start - n.end + n.start);
  // Convergents h/k of x, from h(-1)/k(-1) = 1/0 and h(-2)/k(-2) = 0/1. Their denominators grow
  // at least as Fibonacci numbers do, so k passes 2^28 within 42 steps; an exact x makes the
  // next y infinite, and so h.
  let h = 1;
  let hBefore = 0;
  let k = 0;
  let kBefore = 1;
  let y = x;
  for (;;) {
    const a = Math.floor(y);
    const nextH = a * h + hBefore;
    const nextK = a * k + kBefore;
    hBefore = h;
    kBefore = k;
    h = nextH;
    k = nextK;
    if (!(h < LIMB && k < LIMB)) return;
    if (Math.abs(x * k - h) <= x * k * 2 ** -40) {
      ratioM = h;
      ratioG = k;
      return;
    }
    y = 1 / (y - a);
  }
}

/** An integer's value divided by 256^(its length in bytes), from its leading 7 bytes. */
function leading(der: Uint8Array, part: ByteRange): number {
  let value = 0;
  let scale = 1;
  const end = Math.min(part.end, part.start + 7);
  for (let i = part.start; i < end; i++) {
    value = value * 256 + (der[i] as number);
    scale *= 256;
  }
  return value / scale;
}
