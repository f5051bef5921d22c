// Fetching a signature's key through a Resolver and checking the record's tags against the signature (RFC 6376 section 6.1.2).
import {
  type DkimKeyRecord,
  parseDkimKeyRecord,
  type RecordPublicKey,
  type TxtRecordStrings,
} from '../key-record/parse.js';
import type { Failure } from './results.js';
import type { ParsedSignature } from './signature-field.js';

/** A key a signature can be checked with. */
export interface UsableKey {
  readonly publicKey: RecordPublicKey;
  readonly testing: boolean;
}

/** The key, or why there is none; `keyBits` when a key was read, even an unusable one. */
export type KeyLookup =
  | { readonly ok: true; readonly key: UsableKey }
  | { readonly ok: false; readonly failure: Failure; readonly keyBits?: number; readonly testing?: boolean };

/**
 * What verification needs of a resolver: TXT lookups. Every `Resolver` of dkim-engine (zone, UDP,
 * DoH, system) is one; the core names only this shape so it does not depend on the DNS layer.
 */
export interface KeyResolver {
  resolve(name: string, type: 'TXT'): Promise<KeyResolverAnswer>;
}

/** The part of a DNS answer key lookup reads: TXT records, or a `kind` saying why there are none. */
export type KeyResolverAnswer =
  | { readonly kind: 'records'; readonly records: readonly TxtRecordStrings[] }
  | { readonly kind: string };

/** Looks up `<s>._domainkey.<d>` and reads it as a DKIM key record. Never throws for DNS or record content. */
export async function lookUpKey(resolver: KeyResolver, signature: ParsedSignature): Promise<KeyRecordAnswer> {
  const name = `${signature.selector}._domainkey.${signature.domain}`;
  const answer = await resolver.resolve(name, 'TXT');
  if ('records' in answer && answer.kind === 'records') {
    return { name, records: answer.records.map((strings) => parseDkimKeyRecord(strings)) };
  }
  if (answer.kind === 'NXDOMAIN' || answer.kind === 'NODATA') {
    return { name, failure: { code: 'KEY_NOT_FOUND', message: `no key record at ${name} (${answer.kind})` } };
  }
  return { name, failure: { code: 'DNS_ERROR', message: `DNS could not answer for ${name}: ${answer.kind}` } };
}

/** The records at a key name, or the DNS failure. */
export type KeyRecordAnswer =
  | { readonly name: string; readonly records: readonly DkimKeyRecord[] }
  | { readonly name: string; readonly failure: Failure };

/**
 * Picks the key for a signature and enforces the record's `k=`, `h=`, `s=` and `t=s`, and the
 * minimum RSA size. Several key records: the first one that is DKIM is used (RFC 6376 section
 * 3.6.2.2 lets a verifier do so).
 */
export function keyFor(answer: KeyRecordAnswer, signature: ParsedSignature, minKeyBits: number): KeyLookup {
  if ('failure' in answer) return { ok: false, failure: answer.failure };
  const record = answer.records.find((r) => r.kind !== 'not-dkim');
  if (record === undefined) {
    const detail = answer.records.length === 0 ? 'an empty answer' : 'no DKIM key record';
    return fail('KEY_INVALID', `${answer.name} holds ${detail}`);
  }
  if (record.kind === 'invalid') {
    return fail('KEY_INVALID', `the key record is invalid (${record.code}): ${record.detail}. ${record.hint}`);
  }
  if (record.kind === 'revoked') return fail('KEY_REVOKED', `the key at ${answer.name} is revoked (empty p=)`);
  const testing = record.flags.testing;
  const keyBits = record.publicKey.bits;
  const failWith = (code: Failure['code'], message: string): KeyLookup => ({
    ok: false,
    failure: { code, message },
    keyBits,
    testing,
  });
  const wanted = signature.algorithm.startsWith('rsa-') ? 'rsa' : 'ed25519';
  if (record.keyType !== wanted) {
    return failWith('KEY_TYPE_MISMATCH', `a=${signature.algorithm} but the record has k=${record.keyType}`);
  }
  const hash = signature.algorithm.slice(signature.algorithm.indexOf('-') + 1);
  if (record.hashAlgorithms !== null && !record.hashAlgorithms.includes(hash)) {
    return failWith('KEY_HASH_MISMATCH', `the record's h=${record.hashAlgorithms.join(':')} does not allow ${hash}`);
  }
  if (!record.serviceTypes.includes('email') && !record.serviceTypes.includes('*')) {
    return failWith('KEY_SERVICE_MISMATCH', `the record's s=${record.serviceTypes.join(':')} does not include email`);
  }
  if (record.flags.strict && signature.identityDomain !== signature.domain) {
    return failWith(
      'KEY_STRICT_IDENTITY',
      `the record has t=s but i= is in ${signature.identityDomain}, not exactly d=${signature.domain}`,
    );
  }
  if (record.publicKey.algorithm === 'rsa' && keyBits < minKeyBits) {
    return failWith('KEY_TOO_SMALL', `the RSA key has ${keyBits} bits; the minimum is ${minKeyBits} (RFC 8301)`);
  }
  return { ok: true, key: { publicKey: record.publicKey, testing } };
}

function fail(code: Failure['code'], message: string): KeyLookup {
  return { ok: false, failure: { code, message } };
}
