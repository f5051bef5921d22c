// The vocabulary of a parsed private key: input forms, ASN.1 encodings, warnings and parse options.
import type { RandomSource } from '../prime.js';

/** How the key was handed over: SES's one-line base64, PEM text, or raw DER bytes. */
export type KeyForm = 'ses' | 'pem' | 'der';
/** The ASN.1 structure inside: PKCS #1 RSAPrivateKey or PKCS #8 PrivateKeyInfo. */
export type KeyEncoding = 'pkcs1' | 'pkcs8';

/** Something worth knowing about a key that is nonetheless valid. */
export interface KeyWarning {
  readonly code: 'PUBLIC_EXPONENT_UNUSUAL' | 'PKCS8_INPUT';
  readonly message: string;
}

/** Options of {@link parsePrivateKey}. */
export interface ParsePrivateKeyOptions {
  /**
   * Also test p and q for primality (Miller-Rabin). `true` uses
   * 40 random rounds (`DEFAULT_PRIMALITY_ROUNDS` in core/prime.ts); an object sets the count.
   */
  readonly strict?: boolean | { readonly rounds?: number };
  /** Source of randomness for strict mode; defaults to `globalThis.crypto`. */
  readonly crypto?: RandomSource;
}
