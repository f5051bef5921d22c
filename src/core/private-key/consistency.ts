// RSA private key checks: version, sizes, exponent, CRT consistency and (strict mode) primality.
import { bytesToBigInts, magnitudeBitLength } from '../bigint.js';
import { type DerElement, derError, readSmallInteger, readUnsignedInteger } from '../der.js';
import { DkimError } from '../errors.js';
import { confirmKeyConsistency } from '../key-consistency-wasm.js';
import { DEFAULT_PRIMALITY_ROUNDS, isProbablePrime } from '../prime.js';
import { encodeRsaSpki } from '../public-key.js';
import type { RsaKeyLocation } from './structure.js';
import type { KeyWarning, ParsePrivateKeyOptions } from './types.js';

const COMPONENTS = [
  'modulus',
  'publicExponent',
  'privateExponent',
  'prime1',
  'prime2',
  'exponent1',
  'exponent2',
  'coefficient',
] as const;

/** Reads and checks the RSAPrivateKey at `location`; returns its public half. Throws DkimError. */
export function checkRsaPrivateKey(
  der: Uint8Array,
  location: RsaKeyLocation,
  warnings: KeyWarning[],
  options: ParsePrivateKeyOptions,
): { bits: 1024 | 2048; spki: Uint8Array } {
  const { sequence } = location;
  const version = readSmallInteger(der, sequence.start, sequence.end, 'RSAPrivateKey version');
  if (version.value === 1)
    throw new DkimError('MULTI_PRIME', 'multi-prime RSA key (version 1); DKIM signers need two primes');
  if (version.value !== 0) throw derError(`RSAPrivateKey version ${version.value}`);
  const parts: DerElement[] = [];
  let offset = version.end;
  for (const name of COMPONENTS) {
    const element = readUnsignedInteger(der, offset, sequence.end, name);
    parts.push(element);
    offset = element.end;
  }
  if (offset !== sequence.end) throw derError('unexpected element after coefficient (otherPrimeInfos needs version 1)');
  const [nPart, ePart, dPart, pPart, qPart, dpPart, dqPart, qinvPart] = parts as [
    DerElement,
    DerElement,
    DerElement,
    DerElement,
    DerElement,
    DerElement,
    DerElement,
    DerElement,
  ];

  // Size checks come before any BigInt work, so oversized numbers cost nothing.
  const bits = magnitudeBitLength(der, nPart.start, nPart.end);
  if (bits !== 1024 && bits !== 2048) {
    throw new DkimError('KEY_SIZE_UNSUPPORTED', `RSA key of ${bits} bits; SES accepts 1024 or 2048 bits`);
  }
  const modulusLength = nPart.end - nPart.start;
  for (const part of [dPart, pPart, qPart, dpPart, dqPart, qinvPart]) {
    if (part.end - part.start > modulusLength) throw inconsistent('a private component is larger than the modulus');
  }
  if (ePart.end - ePart.start > modulusLength) {
    throw new DkimError('EXPONENT_INVALID', 'the public exponent is larger than the modulus');
  }

  checkPublicExponent(der, nPart, ePart, warnings);
  // WebAssembly confirms the consistency checks straight from the DER (key-consistency-wasm.ts);
  // when it cannot, the BigInt checks below decide, and name the fault. No BigInt is made on
  // the confirmed path unless strict mode needs p and q.
  const confirmed = confirmKeyConsistency(der, sequence, parts);
  // Made before strict mode calls the random source, which may decode base64 over transient DER.
  const spki = encodeRsaSpki(der.subarray(nPart.start, nPart.end), der.subarray(ePart.start, ePart.end));
  if (!confirmed) checkConsistency(...(bytesToBigInts(der, parts) as Integers));
  if (options.strict) checkPrimes(...(bytesToBigInts(der, [pPart, qPart]) as [bigint, bigint]), options);
  return { bits, spki };
}

/** e must be odd and 3 <= e < n; anything but 65537 (read from its bytes, no BigInt made) earns a warning. */
function checkPublicExponent(der: Uint8Array, nPart: DerElement, ePart: DerElement, warnings: KeyWarning[]): void {
  const at = ePart.start;
  if (ePart.end - at === 3 && der[at] === 1 && der[at + 1] === 0 && der[at + 2] === 1) return;
  const [n, e] = bytesToBigInts(der, [nPart, ePart]) as [bigint, bigint];
  if ((e & 1n) === 0n || e < 3n || e >= n) {
    throw new DkimError(
      'EXPONENT_INVALID',
      `the public exponent must be odd and 3 <= e < n${e < 1n << 64n ? ` (found ${e})` : ''}`,
    );
  }
  warnings.push({
    code: 'PUBLIC_EXPONENT_UNUSUAL',
    message: `public exponent ${e < 1n << 64n ? e : `of ${ePart.end - at} bytes`}; 65537 is the norm`,
  });
}

type Integers = [n: bigint, e: bigint, d: bigint, p: bigint, q: bigint, dp: bigint, dq: bigint, qinv: bigint];

function checkConsistency(...[n, e, d, p, q, dp, dq, qinv]: Integers): void {
  if (p < 3n || q < 3n) throw inconsistent('a prime factor is smaller than 3');
  if (p === q) throw inconsistent('p equals q');
  if (p * q !== n) throw inconsistent('n is not p*q');
  const pMinusOne = p - 1n;
  const qMinusOne = q - 1n;
  if (d === 0n || d >= n) throw inconsistent('the private exponent is not in [1, n)');
  if (d % pMinusOne !== dp) throw inconsistent('dp is not d mod (p-1)');
  if (d % qMinusOne !== dq) throw inconsistent('dq is not d mod (q-1)');
  if ((e * dp) % pMinusOne !== 1n) throw inconsistent('e*dp is not 1 mod (p-1): d does not invert e');
  if ((e * dq) % qMinusOne !== 1n) throw inconsistent('e*dq is not 1 mod (q-1): d does not invert e');
  if (qinv === 0n || qinv >= p || (qinv * q) % p !== 1n) throw inconsistent('qinv is not the inverse of q mod p');
}

function checkPrimes(p: bigint, q: bigint, options: ParsePrivateKeyOptions): void {
  const rounds =
    typeof options.strict === 'object' ? (options.strict.rounds ?? DEFAULT_PRIMALITY_ROUNDS) : DEFAULT_PRIMALITY_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 256) {
    throw new DkimError('OPTION_INVALID', 'strict.rounds must be an integer from 1 to 256');
  }
  const random = options.crypto ?? globalThis.crypto;
  if (random === undefined)
    throw new DkimError('OPTION_INVALID', 'strict mode needs a random source: pass options.crypto');
  if (!isProbablePrime(p, rounds, random)) throw new DkimError('NOT_PRIME', 'p is not prime');
  if (!isProbablePrime(q, rounds, random)) throw new DkimError('NOT_PRIME', 'q is not prime');
}

function inconsistent(what: string): DkimError {
  return new DkimError('KEY_INCONSISTENT', `inconsistent RSA key: ${what}`);
}
