// RSA public keys: reading SPKI or PKCS #1 DER, and the one canonical SPKI / RSAPublicKey encoding.
import { magnitudeBitLength } from './bigint.js';
import {
  decodeOid,
  derError,
  encodeElement,
  encodeUnsignedInteger,
  expectElement,
  readElement,
  readUnsignedInteger,
  TAG,
} from './der.js';
import { DkimError } from './errors.js';
import { algorithmName, isRsaEncryption } from './oids.js';

// AlgorithmIdentifier { rsaEncryption, NULL }: fixed bytes, written once.
export const RSA_ALGORITHM_IDENTIFIER = /* @__PURE__ */ Uint8Array.of(
  0x30,
  0x0d,
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x01,
  0x01,
  0x05,
  0x00,
);

/** PKCS #1 RSAPublicKey DER from the magnitudes of n and e. */
export function encodeRsaPublicKey(modulus: Uint8Array, exponent: Uint8Array): Uint8Array {
  return encodeElement(TAG.SEQUENCE, encodeUnsignedInteger(modulus), encodeUnsignedInteger(exponent));
}

// SPKIs are carved out of shared blocks, as Node carves small Buffers out of its pool: a typed
// array with a backing store of its own costs a native allocation, and its collection a
// finalizer, some 2 microseconds in all (a fifth of parsing a 2048-bit key); a view into a
// block costs a tenth of that. Blocks hold public keys only, so whatever shares a view's buffer
// is nothing secret; a kept SPKI keeps its block (8 KB) alive. Nothing transfers these buffers.
const BLOCK_SIZE = 8192;
let block: ArrayBuffer | undefined;
let blockUsed = 0;

function allocatePublic(length: number): Uint8Array {
  if (length > BLOCK_SIZE >> 3) return new Uint8Array(length);
  if (block === undefined || blockUsed + length > BLOCK_SIZE) {
    block = new ArrayBuffer(BLOCK_SIZE);
    blockUsed = 0;
  }
  const out = new Uint8Array(block, blockUsed, length);
  blockUsed += (length + 7) & ~7;
  return out;
}

/**
 * SubjectPublicKeyInfo DER (rsaEncryption) from the magnitudes of n and e. Written straight
 * into one buffer, a view into a shared block of public keys (its byteOffset need not be 0):
 * this runs once per key parsed, on the hot path.
 */
export function encodeRsaSpki(modulus: Uint8Array, exponent: Uint8Array): Uint8Array {
  const modulusPad = (modulus[0] as number) & 0x80 ? 1 : 0;
  const exponentPad = exponent.length === 0 || (exponent[0] as number) & 0x80 ? 1 : 0;
  const modulusContent = modulus.length + modulusPad;
  const exponentContent = exponent.length + exponentPad;
  const rsaContent = headerLength(modulusContent) + modulusContent + headerLength(exponentContent) + exponentContent;
  const bitStringContent = 1 + headerLength(rsaContent) + rsaContent;
  const spkiContent = RSA_ALGORITHM_IDENTIFIER.length + headerLength(bitStringContent) + bitStringContent;
  const out = allocatePublic(headerLength(spkiContent) + spkiContent);
  let offset = writeHeader(out, 0, TAG.SEQUENCE, spkiContent);
  out.set(RSA_ALGORITHM_IDENTIFIER, offset);
  offset = writeHeader(out, offset + RSA_ALGORITHM_IDENTIFIER.length, TAG.BIT_STRING, bitStringContent);
  out[offset++] = 0; // no unused bits
  offset = writeHeader(out, offset, TAG.SEQUENCE, rsaContent);
  offset = writeHeader(out, offset, TAG.INTEGER, modulusContent) + modulusPad;
  out.set(modulus, offset);
  offset = writeHeader(out, offset + modulus.length, TAG.INTEGER, exponentContent) + exponentPad;
  out.set(exponent, offset);
  return out;
}

function headerLength(contentLength: number): number {
  return contentLength < 0x80 ? 2 : contentLength < 0x100 ? 3 : contentLength < 0x10000 ? 4 : 5;
}

function writeHeader(out: Uint8Array, offset: number, tag: number, contentLength: number): number {
  out[offset] = tag;
  if (contentLength < 0x80) {
    out[offset + 1] = contentLength;
    return offset + 2;
  }
  const octets = headerLength(contentLength) - 2;
  out[offset + 1] = 0x80 | octets;
  for (let i = octets; i >= 1; i--) out[offset + 1 + i] = (contentLength >> (8 * (octets - i))) & 0xff;
  return offset + 2 + octets;
}

/**
 * An RSA public key read from DER, with the magnitudes of n and e as views into the input.
 * No BigInt is made: comparing keys compares these bytes, which DER makes canonical.
 */
export interface RsaPublicKeyParts {
  readonly form: 'spki' | 'pkcs1';
  readonly modulus: Uint8Array;
  readonly exponent: Uint8Array;
  readonly bits: number;
  /** The input itself when it is already the canonical SPKI (NULL parameters), else null. */
  readonly canonicalSpki: Uint8Array | null;
}

/**
 * The one canonical SPKI DER of a public key: a published SPKI with NULL parameters already is
 * (strict DER leaves no other encoding); any other form (PKCS #1, omitted NULL) is re-encoded,
 * so equal keys always give equal SPKI bytes.
 */
export function canonicalRsaSpki(parts: RsaPublicKeyParts): Uint8Array {
  return parts.canonicalSpki ?? encodeRsaSpki(parts.modulus, parts.exponent);
}

/**
 * Reads an RSA public key in SubjectPublicKeyInfo or PKCS #1 RSAPublicKey form, strictly
 * (DER only, nothing after it). Other algorithms are NOT_RSA.
 */
export function parseRsaPublicKey(der: Uint8Array): RsaPublicKeyParts {
  const top = expectElement(der, 0, der.length, TAG.SEQUENCE, 'public key');
  const first = readElement(der, top.start, top.end);
  let form: 'spki' | 'pkcs1';
  let inner: { start: number; end: number };
  let hasNullParameters = false;
  if (first.tag === TAG.SEQUENCE) {
    form = 'spki';
    const oid = expectElement(der, first.start, first.end, TAG.OID, 'algorithm');
    if (!isRsaEncryption(der, oid.start, oid.end)) {
      throw new DkimError('NOT_RSA', `public key algorithm is ${algorithmName(decodeOid(der, oid))}, not RSA`);
    }
    // RFC 3279 asks for NULL parameters; some encoders omit them, and receivers accept that.
    if (oid.end !== first.end) {
      const parameters = expectElement(der, oid.end, first.end, TAG.NULL, 'rsaEncryption parameters');
      if (parameters.start !== parameters.end || parameters.end !== first.end) {
        throw derError('rsaEncryption parameters must be NULL or absent');
      }
      hasNullParameters = true;
    }
    const bitString = expectElement(der, first.end, top.end, TAG.BIT_STRING, 'subjectPublicKey');
    if (bitString.end !== top.end) throw derError('unexpected element after subjectPublicKey');
    if (bitString.start === bitString.end || der[bitString.start] !== 0) {
      throw derError('subjectPublicKey must have zero unused bits');
    }
    const key = expectElement(der, bitString.start + 1, bitString.end, TAG.SEQUENCE, 'RSAPublicKey');
    if (key.end !== bitString.end)
      throw new DkimError('TRAILING_DATA', 'bytes follow the RSAPublicKey inside the BIT STRING');
    inner = key;
  } else {
    form = 'pkcs1';
    inner = top;
  }
  const modulus = readUnsignedInteger(der, inner.start, inner.end, 'modulus');
  const exponent = readUnsignedInteger(der, modulus.end, inner.end, 'publicExponent');
  if (exponent.end !== inner.end) throw derError('unexpected element after publicExponent');
  if (top.end !== der.length)
    throw new DkimError('TRAILING_DATA', `${der.length - top.end} bytes follow the public key`);
  if (modulus.end - modulus.start > 2048) {
    throw new DkimError(
      'KEY_SIZE_UNSUPPORTED',
      `RSA modulus of ${magnitudeBitLength(der, modulus.start, modulus.end)} bits`,
    );
  }
  if (exponent.end - exponent.start > modulus.end - modulus.start) {
    throw new DkimError('EXPONENT_INVALID', 'public exponent is larger than the modulus');
  }
  return {
    form,
    modulus: der.subarray(modulus.start, modulus.end),
    exponent: der.subarray(exponent.start, exponent.end),
    bits: magnitudeBitLength(der, modulus.start, modulus.end),
    canonicalSpki: hasNullParameters ? der : null,
  };
}
