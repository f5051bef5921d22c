// Private key input decoding: SES one-line base64, PEM blocks (label checks) or raw DER bytes.
import { base64DecodeTransient } from '../base64.js';
import { TAG } from '../der.js';
import { DkimError } from '../errors.js';
import { decodePemBody, type PemBlock, parsePemBlocks } from '../pem.js';
import { MAX_INPUT_LENGTH, MAX_SES_KEY_LENGTH } from './limits.js';
import type { KeyEncoding, KeyForm } from './types.js';

/** DER bytes of a key, and where they came from. */
export interface DecodedInput {
  readonly der: Uint8Array;
  /** The canonical base64 the DER came from, when the input was exactly that. */
  readonly text?: string;
  /**
   * The DER was decoded here from PEM: no one else holds it, so it need not be copied. DER
   * given as bytes is the caller's, and DER from SES-form base64 is transient (it may lie in
   * WebAssembly memory, which the next decode overwrites): both are copied where kept.
   */
  readonly owned: boolean;
  readonly form: KeyForm;
  /** The encoding a PEM label promised, checked against the contents. */
  readonly expected?: KeyEncoding;
}

/** Decodes any accepted input form to DER, refusing oversized or empty input first. */
export function decodeInput(input: string | Uint8Array): DecodedInput {
  if (typeof input === 'string') return decodeText(input, false);
  // isView first: it reads an internal slot, so a Proxy fails it without running any trap.
  if (!ArrayBuffer.isView(input) || !(input instanceof Uint8Array)) {
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
    der = base64DecodeTransient(body);
  } catch (error) {
    // Wrapped base64 is the commonest mistake; say so rather than name the first newline.
    const lineBreak = body.search(/[\r\n]/);
    if (lineBreak < 0) throw error;
    throw new DkimError(
      'BASE64_INVALID',
      `line break at position ${lineBreak}: SES takes the key as one line of base64 with no armour`,
    );
  }
  return { der, text: body, form: fromBytes ? 'der' : 'ses', owned: false };
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
