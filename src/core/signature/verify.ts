// Verification (RFC 6376 section 6): each DKIM-Signature checked against its key, with a result, a code and an explanation.
import type { CanonicalizationMode } from './canonicalize.js';
import { explainBodyHash, explainSignature } from './explain.js';
import { bytesEqual, headerHashInput, selectSignedFields } from './hash-input.js';
import { type KeyRecordAnswer, type KeyResolver, keyFor, lookUpKey, type UsableKey } from './key-lookup.js';
import type { HeaderField, Message } from './message.js';
import {
  canonicalizeBodyWith,
  primitivesOf,
  readMessageWith,
  type SignatureCrypto,
  type SignaturePrimitives,
} from './primitives.js';
import {
  authenticationResults,
  type Failure,
  type MessageResultKind,
  overallResult,
  resultOf,
  type SignatureCode,
  type SignatureResultKind,
} from './results.js';
import { currentUnixTime } from './sign.js';
import {
  type ParsedSignature,
  parseSignatureField,
  SIGNATURE_FIELD,
  type SignatureSummary,
} from './signature-field.js';

/** Options of {@link verifyMessage}. */
export interface VerifyMessageOptions {
  /** The time `x=` is checked against, in epoch milliseconds; default the current time. */
  readonly now?: number;
  /** Signatures past this many (from the top) are not checked: `neutral`, TOO_MANY_SIGNATURES. Default 10. */
  readonly maxSignatures?: number;
  /** RSA keys under this size are `policy`, KEY_TOO_SMALL. Default 1024 (RFC 8301). */
  readonly minKeyBits?: number;
  /** As signMessage's: WebCrypto or {@link SignaturePrimitives} (node:crypto's by default in Node). */
  readonly crypto?: SignatureCrypto | SignaturePrimitives;
}

/** The verdict on one DKIM-Signature. */
export interface SignatureVerification {
  readonly result: SignatureResultKind;
  /** Why it did not pass; absent on pass. */
  readonly code?: SignatureCode;
  /** One sentence, with the explanation of a failure where one was found. */
  readonly message: string;
  readonly domain: string;
  readonly selector: string;
  readonly algorithm: string;
  /** `header/body`. */
  readonly canonicalization: string;
  /** `h=`, lower case. */
  readonly signedHeaders: readonly string[];
  readonly keyBits?: number;
  /** `l=`. */
  readonly bodyLength?: number;
  /** With `l=`: bytes of the canonical body after the signed part, which anyone could have added. */
  readonly unsignedBodyBytes?: number;
  /** The key record has `t=y`. */
  readonly testing: boolean;
  readonly identity?: string;
  /** What would have matched, for BODY_HASH_MISMATCH and SIGNATURE_MISMATCH. */
  readonly explanation?: string;
}

/** The verdict on a message. */
export interface MessageVerification {
  /** pass if any signature passes; else temperror if any has it; else the first signature's; none without signatures. */
  readonly result: MessageResultKind;
  /** One per DKIM-Signature, topmost first. */
  readonly signatures: readonly SignatureVerification[];
  /** The RFC 8601 `dkim=` fragment(s) for an Authentication-Results field. */
  readonly authenticationResults: string;
}

/** The default of {@link VerifyMessageOptions.maxSignatures}. */
export const DEFAULT_MAX_SIGNATURES = 10;
/** The default of {@link VerifyMessageOptions.minKeyBits}: RFC 8301's floor. */
export const DEFAULT_MIN_KEY_BITS = 1024;

interface Context {
  readonly message: Message;
  readonly resolver: KeyResolver;
  readonly primitives: SignaturePrimitives;
  readonly nowSeconds: number;
  readonly minKeyBits: number;
  readonly bodies: Map<CanonicalizationMode, Uint8Array>;
  readonly keys: Map<string, Promise<KeyRecordAnswer>>;
}

/**
 * Verifies every DKIM-Signature of a message. Keys come through `resolver` (any dkim-engine
 * resolver) and are read by the key-record parser. Never throws for message, signature, record
 * or DNS content; only for size (`INPUT_TOO_LARGE`) and a missing WebCrypto (`OPTION_INVALID`).
 */
export async function verifyMessage(
  message: string | Uint8Array,
  resolver: KeyResolver,
  options: VerifyMessageOptions = {},
): Promise<MessageVerification> {
  const primitives = primitivesOf(options.crypto);
  const parsed = readMessageWith(primitives, message);
  const context: Context = {
    message: parsed,
    resolver,
    primitives,
    nowSeconds: options.now === undefined ? currentUnixTime() : Math.floor(options.now / 1000),
    minKeyBits: options.minKeyBits ?? DEFAULT_MIN_KEY_BITS,
    bodies: new Map(),
    keys: new Map(),
  };
  const max = options.maxSignatures ?? DEFAULT_MAX_SIGNATURES;
  const fields = parsed.headers.filter((field) => field.key === SIGNATURE_FIELD);
  const verdicts = await Promise.all(fields.map((field, index) => verifyField(context, field, index >= max)));
  const signatures = verdicts.map((v) => v.verification);
  return {
    result: overallResult(signatures.map((s) => s.result)),
    signatures,
    authenticationResults: authenticationResults(
      verdicts.map(({ verification: v, signatureText }) => ({
        result: v.result,
        ...(v.code === undefined ? {} : { code: v.code }),
        domain: v.domain,
        selector: v.selector,
        algorithm: v.algorithm,
        ...(v.identity === undefined ? {} : { identity: v.identity }),
        signaturePrefix: signatureText,
      })),
    ),
  };
}

async function verifyField(
  context: Context,
  field: HeaderField,
  beyondLimit: boolean,
): Promise<{ verification: SignatureVerification; signatureText: string }> {
  const read = parseSignatureField(field);
  const base = baseOf(read.summary);
  const done = (verification: SignatureVerification) => ({ verification, signatureText: read.summary.signatureText });
  if (beyondLimit) {
    return done(failure(base, { code: 'TOO_MANY_SIGNATURES', message: 'not checked: past the signature limit' }));
  }
  if (!read.ok) return done(failure(base, read.failure));
  return done(await check(context, read.parsed, base));
}

type Base = Omit<SignatureVerification, 'result' | 'code' | 'message'>;

function baseOf(summary: SignatureSummary): Base {
  return {
    domain: summary.domain,
    selector: summary.selector,
    algorithm: summary.algorithm,
    canonicalization: summary.canonicalization,
    signedHeaders: summary.signedHeaders,
    ...(summary.bodyLength === undefined ? {} : { bodyLength: summary.bodyLength }),
    ...(summary.identity === undefined ? {} : { identity: summary.identity }),
    testing: false,
  };
}

function failure(base: Base, failed: Failure, extra: Partial<Base> = {}): SignatureVerification {
  return { ...base, ...extra, result: resultOf(failed.code), code: failed.code, message: failed.message };
}

async function check(context: Context, signature: ParsedSignature, base: Base): Promise<SignatureVerification> {
  if (signature.algorithm === 'rsa-sha1') {
    return failure(base, { code: 'SHA1', message: 'rsa-sha1 signatures are not accepted (RFC 8301)' });
  }
  if (signature.expiration !== undefined && signature.expiration < context.nowSeconds) {
    const message = `the signature expired at ${signature.expiration} (x=); now is ${context.nowSeconds}`;
    return failure(base, { code: 'SIGNATURE_EXPIRED', message });
  }
  const body = canonicalBody(context, signature.bodyMode);
  const length = signature.bodyLength;
  if (length !== undefined && length > body.length) {
    const message = `l=${length} is longer than the ${body.length}-byte canonical body`;
    return failure(base, { code: 'BODY_LENGTH_EXCEEDS', message });
  }
  const lookup = keyFor(await keyAnswer(context, signature), signature, context.minKeyBits);
  if (!lookup.ok) {
    const extra = {
      ...(lookup.keyBits === undefined ? {} : { keyBits: lookup.keyBits }),
      testing: lookup.testing ?? false,
    };
    return failure(base, lookup.failure, extra);
  }
  const key = lookup.key;
  const withKey: Base = {
    ...base,
    keyBits: key.publicKey.bits,
    testing: key.testing,
    ...(length === undefined ? {} : { unsignedBodyBytes: body.length - length }),
  };
  const signed = length === undefined ? body : body.subarray(0, length);
  if (!bytesEqual(await context.primitives.sha256(signed), signature.bodyHash)) {
    const explanation = await explainBodyHash(context.primitives, context.message, signature, body);
    const message = `body hash did not verify: ${explanation}`;
    return { ...failure(withKey, { code: 'BODY_HASH_MISMATCH', message }), explanation };
  }
  const fields = selectSignedFields(context.message.headers, signature.signedHeaders);
  const input = headerHashInput(fields, signature.blanked, signature.headerMode);
  const verify = verifier(context.primitives, key, signature);
  if (!(await verify(input))) {
    const explanation = await explainSignature(context.message, signature, verify);
    const message = `signature did not verify: ${explanation}`;
    return { ...failure(withKey, { code: 'SIGNATURE_MISMATCH', message }), explanation };
  }
  const unsigned =
    length === undefined ? '' : `; l=${length} leaves ${body.length - length} bytes of the body unsigned`;
  return {
    ...withKey,
    result: 'pass',
    message: `signature verified${key.testing ? ' (key in testing, t=y)' : ''}${unsigned}`,
  };
}

function canonicalBody(context: Context, mode: CanonicalizationMode): Uint8Array {
  let body = context.bodies.get(mode);
  if (body === undefined) {
    body = canonicalizeBodyWith(context.primitives, context.message.body, mode);
    context.bodies.set(mode, body);
  }
  return body;
}

function keyAnswer(context: Context, signature: ParsedSignature): Promise<KeyRecordAnswer> {
  const name = `${signature.selector}._domainkey.${signature.domain}`;
  let answer = context.keys.get(name);
  if (answer === undefined) {
    answer = lookUpKey(context.resolver, signature);
    context.keys.set(name, answer);
  }
  return answer;
}

// Checks a header hash input against the signature; an unusable key or signature is false.
function verifier(
  primitives: SignaturePrimitives,
  key: UsableKey,
  signature: ParsedSignature,
): (input: Uint8Array) => Promise<boolean> {
  const publicKey = key.publicKey;
  return async (input) => {
    try {
      // Ed25519 signed the digest of the input (RFC 8463), RSA the input itself.
      const data = publicKey.algorithm === 'ed25519' ? await primitives.sha256(input) : input;
      return await primitives.verify(publicKey, signature.signature, data);
    } catch {
      return false;
    }
  };
}
