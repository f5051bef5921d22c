// The public private-key API: DkimPrivateKey, parsePrivateKey and the SES, PKCS #8 and PKCS #1 exports.
import { base64Decode, base64Encode } from './base64.js';
import { bigIntToBytes, bytesToBigInts } from './bigint.js';
import { encodeElement, TAG } from './der.js';
import { DkimError } from './errors.js';
import { checkRsaPrivateKey } from './private-key/consistency.js';
import { decodeInput } from './private-key/input.js';
import { locateRsaPrivateKey } from './private-key/structure.js';
import type { KeyEncoding, KeyForm, KeyWarning, ParsePrivateKeyOptions } from './private-key/types.js';
import { encodeRsaPublicKey, parseRsaPublicKey, RSA_ALGORITHM_IDENTIFIER } from './public-key.js';

export { MAX_INPUT_LENGTH, MAX_SES_KEY_LENGTH, SUPPORTED_KEY_BITS } from './private-key/limits.js';
export type { KeyEncoding, KeyForm, KeyWarning, ParsePrivateKeyOptions } from './private-key/types.js';

const PKCS8_WARNING: KeyWarning = Object.freeze({
  code: 'PKCS8_INPUT',
  message:
    'PKCS #8 key: SES has been reported to accept such keys and never verify them; give SES the PKCS #1 form (toSesPrivateKey, or verify-dkim record)',
});

/**
 * The PKCS #1 DER of the key: SES-form input is kept as its (immutable) base64 string, with
 * where the RSAPrivateKey lies in its DER for PKCS #8, so the hot path copies nothing; other
 * input is copied, as the caller may reuse its buffer.
 */
type Pkcs1Source = string | Uint8Array | { readonly text: string; readonly start: number; readonly end: number };

let readPkcs1Source: (key: DkimPrivateKey) => Pkcs1Source;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A validated RSA private key for DKIM. Public fields are safe to log; the private
 * components sit in a private field that enumeration, JSON and inspection cannot reach,
 * and only {@link toSesPrivateKey} and {@link toPkcs8Der} export them.
 */
export class DkimPrivateKey {
  /** Modulus size: 1024 or 2048. */
  readonly bits: 1024 | 2048;
  readonly form: KeyForm;
  readonly encoding: KeyEncoding;
  /** SubjectPublicKeyInfo DER of (n, e): what a DKIM record's `p=` carries. */
  readonly spki: Uint8Array;
  readonly warnings: readonly KeyWarning[];
  readonly #pkcs1: Pkcs1Source;
  // n and e as BigInt, made from the SPKI on first read: most keys are parsed for their record
  // and never need them, and the conversion was a tenth of a parse.
  #integers: bigint[] | undefined;

  static {
    readPkcs1Source = (key) => key.#pkcs1;
  }

  /** @internal Use {@link parsePrivateKey}. */
  constructor(
    publicPart: { bits: 1024 | 2048; spki: Uint8Array },
    form: KeyForm,
    encoding: KeyEncoding,
    warnings: readonly KeyWarning[],
    pkcs1: Pkcs1Source,
  ) {
    this.bits = publicPart.bits;
    this.form = form;
    this.encoding = encoding;
    this.spki = publicPart.spki;
    this.warnings = warnings;
    this.#pkcs1 = pkcs1;
  }

  /**
   * Modulus. An accessor, read from {@link DkimPrivateKey.spki} on first use and then kept
   * (so not an own enumerable property, and `{ ...key }` leaves it out).
   */
  get n(): bigint {
    return this.#publicIntegers()[0] as bigint;
  }

  /** Public exponent. An accessor like {@link DkimPrivateKey.n}. */
  get e(): bigint {
    return this.#publicIntegers()[1] as bigint;
  }

  #publicIntegers(): bigint[] {
    if (this.#integers === undefined) {
      const { modulus, exponent } = parseRsaPublicKey(this.spki);
      this.#integers = [modulus, exponent].map(
        (part) => bytesToBigInts(part, [{ start: 0, end: part.length }])[0] as bigint,
      );
    }
    return this.#integers;
  }

  /** Public facts only: JSON cannot carry BigInt or key material. */
  toJSON(): Record<string, unknown> {
    return {
      bits: this.bits,
      form: this.form,
      encoding: this.encoding,
      n: `0x${this.n.toString(16)}`,
      e: Number(this.e) <= Number.MAX_SAFE_INTEGER ? Number(this.e) : `0x${this.e.toString(16)}`,
      spki: base64Encode(this.spki),
      warnings: this.warnings,
      privateKey: '[redacted]',
    };
  }

  toString(): string {
    return `DkimPrivateKey(RSA ${this.bits} bits, ${this.form}/${this.encoding})`;
  }

  [INSPECT](): string {
    return `DkimPrivateKey { bits: ${this.bits}, form: '${this.form}', encoding: '${this.encoding}', e: ${this.e}n, privateKey: [redacted] }`;
  }
}

/**
 * Parses and validates an RSA private key for SES BYODKIM.
 *
 * Accepts SES's one-line base64 (a trailing newline is tolerated), PEM (`RSA PRIVATE KEY`
 * or `PRIVATE KEY`, LF or CRLF) or DER bytes. Checks strict base64 and DER, the key size
 * (1024 or 2048 bits), the public exponent and the consistency of every CRT component;
 * `strict` adds primality tests of p and q.
 *
 * @throws {DkimError} with a code saying what is wrong; never with key material in it.
 * @example
 * ```ts
 * const key = parsePrivateKey(readFileSync('dkim.pem', 'utf8')); // PEM, SES base64 or DER
 * key.bits; // 2048
 * toSesPrivateKey(key); // the one-line base64 for DomainSigningPrivateKey
 * ```
 */
export function parsePrivateKey(input: string | Uint8Array, options: ParsePrivateKeyOptions = {}): DkimPrivateKey {
  try {
    return parse(input, options);
  } catch (error) {
    if (error instanceof DkimError) throw error;
    // Misused options (null, `crypto: {}`, a random source or getter that throws) end up here:
    // still a coded error, whose message says nothing of the input.
    throw new DkimError('OPTION_INVALID', 'the options could not be used');
  }
}

function parse(input: string | Uint8Array, given: ParsePrivateKeyOptions): DkimPrivateKey {
  // The options are read before decoding, and the random source is called only after the DER's
  // last use: caller code (a getter, the source) that decodes base64 would overwrite transient DER.
  const options: ParsePrivateKeyOptions = { strict: given.strict, crypto: given.crypto };
  const decoded = decodeInput(input);
  const structure = locateRsaPrivateKey(decoded.der);
  if (decoded.expected !== undefined && decoded.expected !== structure.encoding) {
    throw new DkimError(
      'PEM_INVALID',
      `PEM label says ${decoded.expected.toUpperCase()} but the contents are ${structure.encoding.toUpperCase()}`,
    );
  }
  const warnings: KeyWarning[] = [];
  if (structure.encoding === 'pkcs8') warnings.push(PKCS8_WARNING);
  const { offset, end } = structure.rsaKey;
  const { text } = decoded;
  const pkcs1: Pkcs1Source =
    text === undefined
      ? decoded.owned
        ? decoded.der.subarray(offset, end)
        : decoded.der.slice(offset, end)
      : structure.encoding === 'pkcs1'
        ? text
        : { text, start: offset, end };
  const key = checkRsaPrivateKey(decoded.der, structure.rsaKey, warnings, options);
  return new DkimPrivateKey(key, decoded.form, structure.encoding, warnings, pkcs1);
}

/** The one-line base64 of the key's PKCS #1 DER: exactly what SES's DomainSigningPrivateKey takes. */
export function toSesPrivateKey(key: DkimPrivateKey): string {
  const source = pkcs1Of(key);
  return typeof source === 'string' ? source : base64Encode(source);
}

/** The key's PKCS #8 PrivateKeyInfo DER, as WebCrypto's importKey('pkcs8') takes it. */
export function toPkcs8Der(key: DkimPrivateKey): Uint8Array {
  const source = pkcs1Of(key);
  return wrapPkcs8(typeof source === 'string' ? base64Decode(source) : source);
}

function pkcs1Of(key: DkimPrivateKey): string | Uint8Array {
  if (!(key instanceof DkimPrivateKey)) throw new DkimError('OPTION_INVALID', 'not a key returned by parsePrivateKey');
  const source = readPkcs1Source(key);
  return typeof source === 'object' && !(source instanceof Uint8Array)
    ? base64Decode(source.text).subarray(source.start, source.end)
    : source;
}

// PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { RSAPrivateKey } }.
function wrapPkcs8(pkcs1: Uint8Array): Uint8Array {
  return encodeElement(TAG.SEQUENCE, PKCS8_VERSION_0, RSA_ALGORITHM_IDENTIFIER, encodeElement(TAG.OCTET_STRING, pkcs1));
}

const PKCS8_VERSION_0 = /* @__PURE__ */ Uint8Array.of(TAG.INTEGER, 1, 0);

/** PKCS #1 RSAPublicKey DER of the key's (n, e). */
export function toRsaPublicKeyDer(key: DkimPrivateKey): Uint8Array {
  return encodeRsaPublicKey(bigIntToBytes(key.n), bigIntToBytes(key.e));
}
