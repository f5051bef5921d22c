import { base64Decode, base64Encode } from './base64.js';
import { bigIntToBytes, bytesToBigInts, magnitudeBitLength } from './bigint.js';
import {
  type DerElement,
  decodeOid,
  derError,
  encodeElement,
  expectElement,
  readElement,
  readSmallInteger,
  readUnsignedInteger,
  TAG,
} from './der.js';
import { DkimError } from './errors.js';
import { confirmKeyConsistency } from './key-consistency-wasm.js';
import { algorithmName, isRsaEncryption } from './oids.js';
import { decodePemBody, type PemBlock, parsePemBlocks } from './pem.js';
import { DEFAULT_PRIMALITY_ROUNDS, isProbablePrime, type RandomSource } from './prime.js';
import { encodeRsaPublicKey, encodeRsaSpki, RSA_ALGORITHM_IDENTIFIER } from './public-key.js';

/** SES's limit on DomainSigningPrivateKey, in characters. */
export const MAX_SES_KEY_LENGTH = 20_480;
/** Any input (text or bytes) longer than this is refused before it is looked at. */
export const MAX_INPUT_LENGTH = 32_768;
/** The key sizes SES accepts for BYODKIM. */
export const SUPPORTED_KEY_BITS: readonly number[] = [1024, 2048];

/** How the key was handed over: SES's one-line base64, PEM text, or raw DER bytes. */
export type KeyForm = 'ses' | 'pem' | 'der';
/** The ASN.1 structure inside: PKCS #1 RSAPrivateKey or PKCS #8 PrivateKeyInfo. */
export type KeyEncoding = 'pkcs1' | 'pkcs8';

/** Something worth knowing about a key that is nonetheless valid. */
export interface KeyWarning {
  readonly code: 'PUBLIC_EXPONENT_UNUSUAL' | 'PKCS8_INPUT';
  readonly message: string;
}

const PKCS8_WARNING: KeyWarning = Object.freeze({
  code: 'PKCS8_INPUT',
  message:
    'PKCS #8 key: SES has been reported to accept such keys and never verify them; give SES the PKCS #1 form (toSesPrivateKey, or verify-dkim record)',
});

/** Options of {@link parsePrivateKey}. */
export interface ParsePrivateKeyOptions {
  /**
   * Also test p and q for primality (Miller-Rabin). `true` uses
   * {@link DEFAULT_PRIMALITY_ROUNDS} random rounds; an object sets the count.
   */
  readonly strict?: boolean | { readonly rounds?: number };
  /** Source of randomness for strict mode; defaults to `globalThis.crypto`. */
  readonly crypto?: RandomSource;
}

/**
 * The PKCS #1 DER of the key: SES-form input is kept as its (immutable) base64 string, so the
 * hot path copies nothing; other input is copied, as the caller may reuse its buffer.
 */
type Pkcs1Source = string | Uint8Array;

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
  /** Modulus. */
  readonly n: bigint;
  /** Public exponent. */
  readonly e: bigint;
  /** SubjectPublicKeyInfo DER of (n, e): what a DKIM record's `p=` carries. */
  readonly spki: Uint8Array;
  readonly warnings: readonly KeyWarning[];
  readonly #pkcs1: Pkcs1Source;

  static {
    readPkcs1Source = (key) => key.#pkcs1;
  }

  /** @internal Use {@link parsePrivateKey}. */
  constructor(
    publicPart: { bits: 1024 | 2048; n: bigint; e: bigint; spki: Uint8Array },
    form: KeyForm,
    encoding: KeyEncoding,
    warnings: readonly KeyWarning[],
    pkcs1: Pkcs1Source,
  ) {
    this.bits = publicPart.bits;
    this.form = form;
    this.encoding = encoding;
    this.n = publicPart.n;
    this.e = publicPart.e;
    this.spki = publicPart.spki;
    this.warnings = warnings;
    this.#pkcs1 = pkcs1;
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
 */
export function parsePrivateKey(input: string | Uint8Array, options: ParsePrivateKeyOptions = {}): DkimPrivateKey {
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
  const key = checkRsaPrivateKey(decoded.der, structure.rsaKey, warnings, options);
  const { offset, end } = structure.rsaKey;
  const pkcs1 =
    decoded.text !== undefined && structure.encoding === 'pkcs1'
      ? decoded.text
      : decoded.owned
        ? decoded.der.subarray(offset, end)
        : decoded.der.slice(offset, end);
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

function pkcs1Of(key: DkimPrivateKey): Pkcs1Source {
  if (!(key instanceof DkimPrivateKey)) throw new DkimError('OPTION_INVALID', 'not a key returned by parsePrivateKey');
  return readPkcs1Source(key);
}

interface DecodedInput {
  readonly der: Uint8Array;
  /** The canonical base64 the DER came from, when the input was exactly that. */
  readonly text?: string;
  /** The DER was decoded here from text: no one else holds it, so it need not be copied. */
  readonly owned: boolean;
  readonly form: KeyForm;
  /** The encoding a PEM label promised, checked against the contents. */
  readonly expected?: KeyEncoding;
}

function decodeInput(input: string | Uint8Array): DecodedInput {
  if (typeof input === 'string') return decodeText(input, false);
  if (!(input instanceof Uint8Array)) {
    throw new DkimError(
      'EMPTY_INPUT',
      `expected a string or a Uint8Array, got ${input === null ? 'null' : typeof input}`,
    );
  }
  if (input.length > MAX_INPUT_LENGTH) throw tooLarge(input.length, 'bytes', MAX_INPUT_LENGTH);
  if (input.length === 0) throw new DkimError('EMPTY_INPUT', 'the key is empty');
  // Key files read as bytes may hold PEM or base64 text; DER always starts with a SEQUENCE.
  if (input[0] !== TAG.SEQUENCE && looksLikeText(input)) {
    return decodeText(new TextDecoder('utf-8').decode(input), true);
  }
  return { der: input, form: 'der', owned: false };
}

function decodeText(text: string, fromBytes: boolean): DecodedInput {
  if (text.length > MAX_INPUT_LENGTH) throw tooLarge(text.length, 'characters', MAX_INPUT_LENGTH);
  let body = text;
  if (body.endsWith('\n')) body = body.slice(0, body.endsWith('\r\n') ? -2 : -1);
  if (body.trim().length === 0) throw new DkimError('EMPTY_INPUT', 'the key is empty');
  if (body.includes('-----BEGIN')) return decodePem(text);
  if (body.length > MAX_SES_KEY_LENGTH) throw tooLarge(body.length, 'characters', MAX_SES_KEY_LENGTH);
  let der: Uint8Array;
  try {
    der = base64Decode(body);
  } catch (error) {
    // Wrapped base64 is the commonest mistake; say so rather than name the first newline.
    const lineBreak = body.search(/[\r\n]/);
    if (lineBreak < 0) throw error;
    throw new DkimError(
      'BASE64_INVALID',
      `line break at position ${lineBreak}: SES takes the key as one line of base64 with no armour`,
    );
  }
  return { der, text: body, form: fromBytes ? 'der' : 'ses', owned: true };
}

function decodePem(text: string): DecodedInput {
  let blocks = parsePemBlocks(text);
  if (blocks.length === 0) throw new DkimError('PEM_INVALID', 'no complete PEM block (BEGIN and END lines)');
  // `openssl ecparam -genkey` and `dsaparam -genkey` put a parameters block before the key.
  const keyBlocks = blocks.filter((block) => !block.label.endsWith(' PARAMETERS'));
  if (keyBlocks.length === 1) blocks = keyBlocks;
  if (blocks.length > 1) {
    throw new DkimError(
      'PEM_INVALID',
      `${blocks.length} PEM blocks (${blocks.map((block) => block.label).join(', ')}); give only the private key`,
    );
  }
  const block = blocks[0] as PemBlock;
  const expected = expectedEncoding(block);
  return { der: decodePemBody(block), form: 'pem', expected, owned: true };
}

function expectedEncoding(block: PemBlock): KeyEncoding {
  switch (block.label) {
    case 'RSA PRIVATE KEY':
      if (block.headers.get('proc-type')?.includes('ENCRYPTED')) {
        throw new DkimError('ENCRYPTED_KEY', 'the key is encrypted (Proc-Type: 4,ENCRYPTED); export it unencrypted');
      }
      if (block.headers.size > 0) throw new DkimError('PEM_INVALID', 'unexpected headers in the PEM block');
      return 'pkcs1';
    case 'PRIVATE KEY':
      if (block.headers.size > 0) throw new DkimError('PEM_INVALID', 'unexpected headers in the PEM block');
      return 'pkcs8';
    case 'ENCRYPTED PRIVATE KEY':
      throw new DkimError(
        'ENCRYPTED_KEY',
        'the key is encrypted (PKCS #8 EncryptedPrivateKeyInfo); export it unencrypted',
      );
    case 'EC PRIVATE KEY':
      throw new DkimError('NOT_RSA', 'the key is an EC key; DKIM for SES needs RSA');
    case 'DSA PRIVATE KEY':
      throw new DkimError('NOT_RSA', 'the key is a DSA key; DKIM for SES needs RSA');
    case 'PUBLIC KEY':
    case 'RSA PUBLIC KEY':
      throw new DkimError('PUBLIC_KEY_GIVEN', `a public key (${block.label}) was given where the private key belongs`);
    case 'CERTIFICATE':
    case 'TRUSTED CERTIFICATE':
    case 'X509 CERTIFICATE':
      throw new DkimError('CERTIFICATE_GIVEN', 'a certificate was given where the private key belongs');
    case 'OPENSSH PRIVATE KEY':
      throw new DkimError(
        'PEM_INVALID',
        'OpenSSH key format; convert it with `ssh-keygen -p -m PEM -f <file>` or `openssl pkey`',
      );
    default:
      throw new DkimError('PEM_INVALID', `unexpected PEM label "${block.label}"`);
  }
}

interface RsaKeyLocation {
  /** Offset of the RSAPrivateKey SEQUENCE's header. */
  readonly offset: number;
  readonly sequence: DerElement;
  readonly end: number;
}

/** Finds the RSAPrivateKey inside DER, telling every other structure apart by its shape. */
function locateRsaPrivateKey(der: Uint8Array): { encoding: KeyEncoding; rsaKey: RsaKeyLocation } {
  const top = readElement(der, 0, der.length);
  if (top.tag !== TAG.SEQUENCE) throw derError('a key starts with a SEQUENCE');
  const first = readElement(der, top.start, top.end);
  let result: { encoding: KeyEncoding; rsaKey: RsaKeyLocation };
  if (first.tag === TAG.INTEGER) {
    const second = readElement(der, first.end, top.end);
    if (second.tag === TAG.SEQUENCE) {
      result = { encoding: 'pkcs8', rsaKey: locateInPkcs8(der, top, first) };
    } else if (second.tag === TAG.OCTET_STRING) {
      throw new DkimError('NOT_RSA', 'the key is an EC key (SEC 1 ECPrivateKey); DKIM for SES needs RSA');
    } else if (second.tag === TAG.INTEGER) {
      classifyIntegerSequence(der, top);
      result = { encoding: 'pkcs1', rsaKey: { offset: 0, sequence: top, end: top.end } };
    } else {
      throw derError('unrecognized key structure');
    }
  } else if (first.tag === TAG.SEQUENCE) {
    throw classifyNonKey(der, top, first);
  } else {
    throw derError('unrecognized key structure');
  }
  if (top.end !== der.length) throw new DkimError('TRAILING_DATA', `${der.length - top.end} bytes follow the key`);
  return result;
}

// PKCS #1 RSAPublicKey has two INTEGERs and OpenSSL's DSA private key six; RSAPrivateKey has nine.
function classifyIntegerSequence(der: Uint8Array, top: DerElement): void {
  let count = 0;
  for (let offset = top.start; offset < top.end && count <= 10; count++) {
    const element = readElement(der, offset, top.end);
    if (element.tag !== TAG.INTEGER) break;
    offset = element.end;
  }
  if (count === 2)
    throw new DkimError('PUBLIC_KEY_GIVEN', 'a PKCS #1 RSA public key was given where the private key belongs');
  if (count === 6) throw new DkimError('NOT_RSA', 'the key is a DSA key; DKIM for SES needs RSA');
}

function classifyNonKey(der: Uint8Array, top: DerElement, first: DerElement): DkimError {
  const inner = readElement(der, first.start, first.end);
  const second = first.end < top.end ? readElement(der, first.end, top.end) : undefined;
  if (inner.tag === TAG.OID && second !== undefined) {
    const algorithm = algorithmName(decodeOid(der, inner));
    if (second.tag === TAG.BIT_STRING) {
      return new DkimError('PUBLIC_KEY_GIVEN', `a public key (${algorithm}) was given where the private key belongs`);
    }
    if (second.tag === TAG.OCTET_STRING) {
      return new DkimError('ENCRYPTED_KEY', `the key is encrypted (${algorithm}); export it unencrypted`);
    }
  }
  if (second?.tag === TAG.SEQUENCE && second.end < top.end) {
    const third = readElement(der, second.end, top.end);
    if (third.tag === TAG.BIT_STRING) {
      return new DkimError('CERTIFICATE_GIVEN', 'a certificate was given where the private key belongs');
    }
  }
  return derError('unrecognized key structure');
}

function locateInPkcs8(der: Uint8Array, top: DerElement, versionElement: DerElement): RsaKeyLocation {
  const version = readSmallInteger(der, top.start, top.end, 'PrivateKeyInfo version');
  if (version.value > 1) throw derError(`PrivateKeyInfo version ${version.value}`);
  const algorithmIdentifier = expectElement(der, versionElement.end, top.end, TAG.SEQUENCE, 'privateKeyAlgorithm');
  const oid = expectElement(der, algorithmIdentifier.start, algorithmIdentifier.end, TAG.OID, 'algorithm');
  if (!isRsaEncryption(der, oid.start, oid.end)) {
    const name = algorithmName(decodeOid(der, oid));
    throw new DkimError('NOT_RSA', `the key is ${withArticle(name)} key; DKIM for SES needs RSA (rsaEncryption)`);
  }
  const parameters = expectElement(der, oid.end, algorithmIdentifier.end, TAG.NULL, 'rsaEncryption parameters');
  if (parameters.start !== parameters.end || parameters.end !== algorithmIdentifier.end) {
    throw derError('rsaEncryption parameters must be exactly NULL');
  }
  const octets = expectElement(der, algorithmIdentifier.end, top.end, TAG.OCTET_STRING, 'privateKey');
  let offset = octets.end;
  // [0] attributes may follow; [1] publicKey only in version 2 (OneAsymmetricKey).
  if (offset < top.end && der[offset] === 0xa0) offset = readElement(der, offset, top.end).end;
  if (offset < top.end && version.value === 1 && (der[offset] === 0x81 || der[offset] === 0xa1)) {
    offset = readElement(der, offset, top.end).end;
  }
  if (offset !== top.end) throw derError('unexpected element in PrivateKeyInfo');
  const inner = expectElement(der, octets.start, octets.end, TAG.SEQUENCE, 'RSAPrivateKey');
  if (inner.end !== octets.end) {
    throw new DkimError(
      'TRAILING_DATA',
      `${octets.end - inner.end} bytes follow the RSAPrivateKey inside PrivateKeyInfo`,
    );
  }
  return { offset: octets.start, sequence: inner, end: inner.end };
}

function withArticle(name: string): string {
  return /^[AEIOUX]/i.test(name) ? `an ${name}` : `a ${name}`;
}

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

function checkRsaPrivateKey(
  der: Uint8Array,
  location: RsaKeyLocation,
  warnings: KeyWarning[],
  options: ParsePrivateKeyOptions,
): { bits: 1024 | 2048; n: bigint; e: bigint; spki: Uint8Array } {
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

  // WebAssembly confirms the consistency checks straight from the DER (key-consistency-wasm.ts);
  // when it cannot, the BigInt checks below decide, and name the fault.
  const confirmed = confirmKeyConsistency(der, sequence, parts);
  const strict = Boolean(options.strict);
  const [n, e, p, q] = bytesToBigInts(
    der,
    confirmed ? (strict ? [nPart, ePart, pPart, qPart] : [nPart, ePart]) : [nPart, ePart, pPart, qPart],
  ) as [bigint, bigint, bigint, bigint];
  if ((e & 1n) === 0n || e < 3n || e >= n) {
    throw new DkimError(
      'EXPONENT_INVALID',
      `the public exponent must be odd and 3 <= e < n${e < 1n << 64n ? ` (found ${e})` : ''}`,
    );
  }
  if (e !== 65537n) {
    warnings.push({
      code: 'PUBLIC_EXPONENT_UNUSUAL',
      message: `public exponent ${e < 1n << 64n ? e : `of ${ePart.end - ePart.start} bytes`}; 65537 is the norm`,
    });
  }
  if (!confirmed) {
    const [d, dp, dq, qinv] = bytesToBigInts(der, [dPart, dpPart, dqPart, qinvPart]) as [
      bigint,
      bigint,
      bigint,
      bigint,
    ];
    checkConsistency(n, e, d, p, q, dp, dq, qinv);
  }
  if (strict) checkPrimes(p, q, options);

  return {
    bits,
    n,
    e,
    spki: encodeRsaSpki(der.subarray(nPart.start, nPart.end), der.subarray(ePart.start, ePart.end)),
  };
}

// Each fault has its own message, so the checks run in this order whatever the fast path did.
function checkConsistency(
  n: bigint,
  e: bigint,
  d: bigint,
  p: bigint,
  q: bigint,
  dp: bigint,
  dq: bigint,
  qinv: bigint,
): void {
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

function tooLarge(length: number, unit: string, limit: number): DkimError {
  return new DkimError('INPUT_TOO_LARGE', `the key input is ${length} ${unit}; the limit is ${limit}`);
}

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = Math.min(bytes.length, 64);
  for (let i = 0; i < sample; i++) {
    const byte = bytes[i] as number;
    if (byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && (byte < 0x20 || byte > 0x7e)) return false;
  }
  return true;
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
