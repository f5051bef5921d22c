// The one loader of test vectors, shared by test/ and bench/.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DkimErrorCode } from '../src/core/errors.js';
import type { KeyEncoding, KeyForm, KeyWarning } from '../src/core/key.js';

const root = dirname(fileURLToPath(import.meta.url));

interface KeyVectorBase {
  readonly id: string;
  readonly comment: string;
  /** The input as parsePrivateKey should receive it: text for .b64 and .pem, bytes for .der. */
  readonly input: string | Uint8Array;
}

export interface ValidKeyVector extends KeyVectorBase {
  readonly valid: true;
  readonly form: KeyForm;
  readonly encoding: KeyEncoding;
  readonly bits: 1024 | 2048;
  /** SPKI DER from `openssl rsa -pubout -outform DER`, when the vector names one. */
  readonly spki: Uint8Array | null;
  readonly warnings: readonly KeyWarning['code'][];
}

export interface InvalidKeyVector extends KeyVectorBase {
  readonly valid: false;
  readonly code: DkimErrorCode;
  /** The key passes the default checks and fails only in strict mode. */
  readonly strictOnly: boolean;
}

export type KeyVector = ValidKeyVector | InvalidKeyVector;

interface RawKeyVector {
  id: string;
  comment: string;
  valid: boolean;
  file?: string;
  text?: string;
  form?: KeyForm;
  encoding?: KeyEncoding;
  bits?: 1024 | 2048;
  spki?: string | null;
  warnings?: KeyWarning['code'][];
  code?: DkimErrorCode;
  strictOnly?: boolean;
}

/** Reads a file under vectors/keys as bytes. */
export function keyFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(root, 'keys', name)));
}

function keyInput(raw: RawKeyVector): string | Uint8Array {
  if (raw.text !== undefined) return raw.text;
  if (raw.file === undefined) throw new Error(`vector ${raw.id} has neither file nor text`);
  const bytes = keyFile(raw.file);
  return raw.file.endsWith('.der') ? bytes : new TextDecoder().decode(bytes);
}

let cached: KeyVector[] | undefined;

/** Every key vector of vectors/keys/manifest.json, inputs loaded. */
export function loadKeyVectors(): KeyVector[] {
  if (cached) return cached;
  const manifest = JSON.parse(readFileSync(join(root, 'keys', 'manifest.json'), 'utf8')) as { vectors: RawKeyVector[] };
  cached = manifest.vectors.map((raw): KeyVector => {
    const input = keyInput(raw);
    if (raw.valid) {
      if (raw.form === undefined || raw.encoding === undefined || raw.bits === undefined) {
        throw new Error(`valid vector ${raw.id} lacks form, encoding or bits`);
      }
      return {
        id: raw.id,
        comment: raw.comment,
        input,
        valid: true,
        form: raw.form,
        encoding: raw.encoding,
        bits: raw.bits,
        spki: raw.spki ? keyFile(raw.spki) : null,
        warnings: raw.warnings ?? [],
      };
    }
    if (raw.code === undefined) throw new Error(`invalid vector ${raw.id} lacks a code`);
    return {
      id: raw.id,
      comment: raw.comment,
      input,
      valid: false,
      code: raw.code,
      strictOnly: raw.strictOnly ?? false,
    };
  });
  return cached;
}

/** The valid vector with this id. */
export function validKeyVector(id: string): ValidKeyVector {
  const vector = loadKeyVectors().find((v) => v.id === id);
  if (!vector?.valid) throw new Error(`no valid key vector ${id}`);
  return vector;
}

/** A file under vectors/records, as bytes. */
export function recordFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(root, 'records', name)));
}

export interface RecordVector {
  readonly id: string;
  readonly comment: string;
  /** The record's character-strings. */
  readonly strings: readonly string[];
  /** The private key (PEM text) the record publishes, when the vector names one. */
  readonly key: string | null;
  readonly expected: {
    readonly kind: 'key' | 'revoked' | 'invalid' | 'not-dkim';
    readonly code?: string;
    readonly keyType?: 'rsa' | 'ed25519';
    readonly form?: 'spki' | 'pkcs1' | 'raw';
    readonly bits?: number;
    readonly hashAlgorithms?: readonly string[];
    readonly flags?: { readonly testing: boolean; readonly strict: boolean };
    readonly notes?: string;
    readonly warnings?: readonly string[];
    readonly usableForSes?: boolean;
    /** SPKI DER (file name) the key must equal. */
    readonly spki?: string;
  };
}

export interface RrsetVector {
  readonly id: string;
  readonly comment: string;
  readonly records: readonly (readonly string[])[];
  readonly key: string | null;
  readonly expected: { readonly verdict: string; readonly code?: string };
}

/** The record and RRset vectors of vectors/records/manifest.json, key files loaded as text. */
export function loadRecordVectors(): { records: RecordVector[]; rrsets: RrsetVector[] } {
  const manifest = JSON.parse(readFileSync(join(root, 'records', 'manifest.json'), 'utf8')) as {
    records: (Omit<RecordVector, 'key'> & { key: string | null })[];
    rrsets: (Omit<RrsetVector, 'key'> & { key: string | null })[];
  };
  const keyText = (name: string | null) => (name === null ? null : new TextDecoder().decode(recordFile(name)));
  return {
    records: manifest.records.map((v) => ({ ...v, key: keyText(v.key) })),
    rrsets: manifest.rrsets.map((v) => ({ ...v, key: keyText(v.key) })),
  };
}

export interface TokenVector {
  readonly secret: string;
  readonly domain: string;
  readonly generation: number;
  readonly tokens: readonly [string, string, string];
}

export interface RegionVector {
  readonly region: string;
  readonly zone: string;
  readonly source: 'default' | 'aws-guide' | 'third-party';
}

/** Deterministic token vectors (openssl) and the region table vectors. */
export function loadEasyDkimVectors(): { tokens: TokenVector[]; regions: RegionVector[] } {
  const read = <T>(name: string) =>
    (JSON.parse(readFileSync(join(root, 'easy-dkim', name), 'utf8')) as { vectors: T[] }).vectors;
  return { tokens: read<TokenVector>('tokens.json'), regions: read<RegionVector>('regions.json') };
}

/** One signed message of vectors/messages/, with its keys and the verdicts expected, topmost signature first. */
export interface MessageVector {
  readonly id: string;
  readonly file: string;
  /** Where the message and its signatures came from. */
  readonly source: string;
  /** TXT values by key name. */
  readonly records: Readonly<Record<string, string>>;
  readonly expected: readonly {
    readonly result: string;
    readonly code?: string;
    readonly canonicalization?: string;
    readonly bodyLength?: number;
    readonly unsignedBodyBytes?: number;
  }[];
  /** The message as stored, bytes. */
  readonly bytes: Uint8Array;
}

/** The message vectors: RFC 8463 Appendix A, dkimpy's installed test messages, and one per known interop bug. */
export function loadMessageVectors(): MessageVector[] {
  const dir = join(root, 'messages');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    vectors: Omit<MessageVector, 'bytes'>[];
  };
  return manifest.vectors.map((v) => ({ ...v, bytes: new Uint8Array(readFileSync(join(dir, v.file))) }));
}
