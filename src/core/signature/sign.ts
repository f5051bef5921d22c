// Signing (RFC 6376 section 5, RFC 8463): the DKIM-Signature field for a message, and a helper that prepends it.
import { base64Encode } from '../base64.js';
import { DkimError } from '../errors.js';
import { normalizeDomain } from '../names.js';
import type { Canonicalization, CanonicalizationMode } from './canonicalize.js';
import { headerHashInput, latin1Bytes, selectSignedFields } from './hash-input.js';
import { fieldOf, type Message } from './message.js';
import {
  canonicalizeBodyWith,
  primitivesOf,
  readMessageWith,
  type SignatureCrypto,
  type SignaturePrimitives,
} from './primitives.js';
import { FIELD_NAME, type SigningAlgorithm } from './signature-field.js';
import { algorithmOf, type SigningKey } from './signing-key.js';
import { fillLastBase64, serializeTagList } from './tag-list.js';

/** Options of {@link signMessage}. */
export interface SignOptions {
  /** `d=`: the signing domain. */
  readonly domain: string;
  /** `s=`: the selector under which the key is published. */
  readonly selector: string;
  /** From {@link parseSigningKey} or {@link parsePrivateKey}: RSA signs rsa-sha256, Ed25519 ed25519-sha256. */
  readonly key: SigningKey;
  /**
   * `h=`: header field names to sign, in order; names absent from the message are kept (over-signing
   * blocks later additions). Default: SES's set, those present, in message order. Must include From.
   */
  readonly headers?: readonly string[];
  /** `c=`; default `relaxed/simple` (SES's). One word means that header mode with a simple body. */
  readonly canonicalization?: Canonicalization | CanonicalizationMode;
  /** `t=` in Unix seconds; default the current time; `null` for no `t=`. */
  readonly timestamp?: number | null;
  /** `x=` in Unix seconds; none by default. */
  readonly expiration?: number;
  /** `i=`: an identity in `d=` or a subdomain (`user@sub.example.com` or `@example.com`); none by default. */
  readonly identity?: string;
  /** `l=`: `true` for the whole canonical body's length, or a length; none by default (no `l=` unless asked). */
  readonly bodyLength?: boolean | number;
  /**
   * WebCrypto, or {@link SignaturePrimitives}; defaults to `globalThis.crypto` (in Node, the main
   * entry defaults to node:crypto's synchronous primitives instead).
   */
  readonly crypto?: SignatureCrypto | SignaturePrimitives;
}

/** A signature made by {@link signMessage}. */
export interface SignedMessage {
  /** The `DKIM-Signature:` field, folded with CRLF + tab, without a final line end. */
  readonly field: string;
  readonly algorithm: SigningAlgorithm;
  readonly canonicalization: Canonicalization;
  /** `h=` as written. */
  readonly signedHeaders: readonly string[];
  /** `bh=`. */
  readonly bodyHash: string;
  /** The message with the field on top, its line ends following the message's (LF stays LF). */
  prepend(message: string): string;
  prepend(message: Uint8Array): Uint8Array;
}

/**
 * SES's signed header set, observed in real SES mail: the ones present in a message are signed,
 * in message order.
 */
export const SES_SIGNED_HEADERS: readonly string[] = [
  'Subject',
  'From',
  'To',
  'Cc',
  'Date',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'In-Reply-To',
  'References',
  'Message-ID',
  'Reply-To',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'List-Help',
];

/**
 * Signs a message: rsa-sha256 with the key core's validated key, or ed25519-sha256 (the SHA-256
 * digest of the header hash input is what Ed25519 signs). The key is imported into WebCrypto (or
 * node:crypto) once per key object, not once per message.
 * @throws {DkimError} OPTION_INVALID for a bad option, INPUT_TOO_LARGE, MESSAGE_INVALID for a message without a header.
 */
export async function signMessage(message: string | Uint8Array, options: SignOptions): Promise<SignedMessage> {
  const primitives = primitivesOf(options.crypto);
  const parsed = readMessageWith(primitives, message);
  const plan = signingPlan(parsed, options);
  const body = canonicalizeBodyWith(primitives, parsed.body, plan.bodyMode);
  const length = plan.bodyLength(body);
  const bodyHash = await primitives.sha256(length === undefined ? body : body.subarray(0, length));
  return finishSignature(parsed, options, plan, bodyHash, length, primitives);
}

/** @internal What signMessage decides before hashing; shared with the SES profile. */
export interface SigningPlan {
  readonly headerMode: CanonicalizationMode;
  readonly bodyMode: CanonicalizationMode;
  readonly names: readonly string[];
  readonly domain: string;
  readonly selector: string;
  bodyLength(canonicalBody: Uint8Array): number | undefined;
}

/** @internal Checks the options against the message. */
export function signingPlan(message: Message, options: SignOptions): SigningPlan {
  if (message.headers.length === 0) throw new DkimError('MESSAGE_INVALID', 'the message has no header');
  const [headerMode, bodyMode] = canonicalizationOf(options.canonicalization ?? 'relaxed/simple');
  const domain = normalizeDomain(options.domain);
  const selector = options.selector.toLowerCase();
  if (!/^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/.test(selector)) {
    throw new DkimError('SELECTOR_INVALID', 'the selector is not a sequence of DNS labels');
  }
  const names = options.headers ?? sesHeaderNames(message);
  if (names.length === 0 || names.some((name) => !FIELD_NAME.test(name))) {
    throw new DkimError('OPTION_INVALID', 'headers must be field names (printable ASCII, no colon)');
  }
  if (!names.some((name) => name.toLowerCase() === 'from')) {
    throw new DkimError('OPTION_INVALID', 'headers must include From (RFC 6376 section 5.4)');
  }
  if (options.identity !== undefined) {
    const at = options.identity.lastIndexOf('@');
    const identityDomain = options.identity.slice(at + 1).toLowerCase();
    if (
      at < 0 ||
      (identityDomain !== domain && !identityDomain.endsWith(`.${domain}`)) ||
      /[\s;]/.test(options.identity)
    ) {
      throw new DkimError('OPTION_INVALID', `identity must be an address in ${domain} or a subdomain`);
    }
  }
  checkTimes(options);
  const requested = options.bodyLength;
  return {
    headerMode,
    bodyMode,
    names,
    domain,
    selector,
    bodyLength: (body) => {
      if (requested === undefined || requested === false) return undefined;
      if (requested === true) return body.length;
      if (!Number.isSafeInteger(requested) || requested < 0 || requested > body.length) {
        throw new DkimError('OPTION_INVALID', `bodyLength must be 0 to ${body.length}, the canonical body's length`);
      }
      return requested;
    },
  };
}

function checkTimes(options: SignOptions): void {
  const { timestamp, expiration } = options;
  for (const [name, value] of [
    ['timestamp', timestamp],
    ['expiration', expiration],
  ] as const) {
    if (value !== undefined && value !== null && (!Number.isSafeInteger(value) || value < 0)) {
      throw new DkimError('OPTION_INVALID', `${name} must be a whole number of seconds since 1970`);
    }
  }
  if (expiration !== undefined && typeof timestamp === 'number' && expiration <= timestamp) {
    throw new DkimError('OPTION_INVALID', 'expiration must be after the timestamp');
  }
}

let sesSet: Set<string> | undefined;

/**
 * The names SES signs in a message: those of {@link SES_SIGNED_HEADERS} (and `extra`) present, in
 * message order, as written. From is always signed, over-signed when absent (RFC 6376 section 5.4).
 */
export function sesHeaderNames(message: Message, extra: readonly string[] = []): string[] {
  sesSet ??= new Set(SES_SIGNED_HEADERS.map((name) => name.toLowerCase()));
  const wanted = extra.length === 0 ? sesSet : new Set([...sesSet, ...extra.map((name) => name.toLowerCase())]);
  const names = message.headers.filter((field) => wanted.has(field.key)).map((field) => field.name);
  return names.some((name) => name.toLowerCase() === 'from') ? names : [...names, 'From'];
}

function canonicalizationOf(value: string): [CanonicalizationMode, CanonicalizationMode] {
  const [header, body = 'simple', extra] = value.split('/');
  const ok = (mode: string | undefined): mode is CanonicalizationMode => mode === 'simple' || mode === 'relaxed';
  if (extra !== undefined || !ok(header) || !ok(body)) {
    throw new DkimError('OPTION_INVALID', 'canonicalization must be simple or relaxed, as header/body');
  }
  return [header, body];
}

/**
 * The current time in Unix seconds: the default of signing's `t=` and verification's `now`, the
 * only clock read of the signature code. Callers that need determinism pass the time instead.
 */
export function currentUnixTime(): number {
  // biome-ignore lint/complexity/useDateNow: src/core does not call Date.now (the purity test); this is the one documented default.
  return Math.floor(new Date().getTime() / 1000);
}

/** @internal Builds, signs and serializes the field once the body hash is known. */
export async function finishSignature(
  message: Message,
  options: SignOptions,
  plan: SigningPlan,
  bodyHash: Uint8Array,
  bodyLength: number | undefined,
  primitives: SignaturePrimitives,
): Promise<SignedMessage> {
  const algorithm = algorithmOf(options.key);
  const timestamp = options.timestamp === undefined ? currentUnixTime() : options.timestamp;
  const bh = base64Encode(bodyHash);
  const tags: [string, string][] = [
    ['v', '1'],
    ['a', algorithm],
    ['q', 'dns/txt'],
    ['c', `${plan.headerMode}/${plan.bodyMode}`],
    ['s', plan.selector],
    ['d', plan.domain],
  ];
  if (timestamp !== null) tags.push(['t', String(timestamp)]);
  if (options.expiration !== undefined) tags.push(['x', String(options.expiration)]);
  if (options.identity !== undefined) tags.push(['i', options.identity]);
  if (bodyLength !== undefined) tags.push(['l', String(bodyLength)]);
  tags.push(['h', plan.names.join(':')], ['bh', bh], ['b', '']);
  const layout = { colonList: ['h'], base64: ['b'] };
  const unsigned = serializeTagList('DKIM-Signature', tags, layout);
  const fields = selectSignedFields(message.headers, plan.names);
  const input = headerHashInput(fields, fieldOf(unsigned), plan.headerMode);
  // Ed25519 signs the digest of the input (RFC 8463), RSA the input itself.
  const signed = algorithm === 'rsa-sha256' ? input : await primitives.sha256(input);
  const field = fillLastBase64(unsigned, 'b', base64Encode(await primitives.sign(options.key, signed)));
  return signedMessage(field, algorithm, `${plan.headerMode}/${plan.bodyMode}`, plan.names, bh, message.lineEnding);
}

/** @internal The result object, with its prepend helper. */
export function signedMessage(
  field: string,
  algorithm: SigningAlgorithm,
  canonicalization: Canonicalization,
  signedHeaders: readonly string[],
  bodyHash: string,
  lineEnding: '\r\n' | '\n',
): SignedMessage {
  return {
    field,
    algorithm,
    canonicalization,
    signedHeaders,
    bodyHash,
    prepend: ((target: string | Uint8Array) => prependFields([field], target, lineEnding)) as SignedMessage['prepend'],
  };
}

/** @internal Puts fields on top of a message, with the message's line ends. */
export function prependFields(
  fields: readonly string[],
  target: string | Uint8Array,
  lineEnding: '\r\n' | '\n',
): string | Uint8Array {
  const text = fields.map((field) => `${field.replace(/\r\n/g, lineEnding)}${lineEnding}`).join('');
  if (typeof target === 'string') return text + target;
  const head = latin1Bytes(text);
  const out = new Uint8Array(head.length + target.length);
  out.set(head);
  out.set(target, head.length);
  return out;
}
