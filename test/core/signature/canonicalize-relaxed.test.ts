// Relaxed body canonicalization against its first implementation (the reference), on hostile random bodies,
// and the primitives' own relaxed canonicalization used by signing and verification when they bring one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeBody } from '../../../src/core/signature/canonicalize.js';
import { canonicalizeBodyWith, primitivesOf } from '../../../src/core/signature/primitives.js';
import { signMessage, verifyMessage } from '../../../src/index.js';
import { HOSTILE_ALPHABET, relaxedBodyReference } from './canonicalize-reference.js';
import { rsaKey, zoneWith } from './fixtures.js';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

describe('relaxed body canonicalization', () => {
  it('answers as the reference on random bodies heavy in white space, CR, LF and octets above 127', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...HOSTILE_ALPHABET), { maxLength: 300 }), (bytes) => {
        const body = Uint8Array.from(bytes);
        expect(hex(canonicalizeBody(body, 'relaxed'))).toBe(hex(relaxedBodyReference(body)));
      }),
      { numRuns: 2000 },
    );
  });

  it('canonicalizeBodyWith takes the primitives’ relaxed canonicalization for relaxed only', () => {
    const webCrypto = primitivesOf(undefined);
    const seen: Uint8Array[] = [];
    const marked = Uint8Array.of(0x6d);
    const primitives = {
      ...webCrypto,
      canonicalizeRelaxedBody: (body: Uint8Array) => {
        seen.push(body);
        return marked;
      },
    };
    const body = new TextEncoder().encode('a  b \r\n\r\n');
    expect(canonicalizeBodyWith(primitives, body, 'relaxed')).toBe(marked);
    expect(hex(canonicalizeBodyWith(primitives, body, 'simple'))).toBe(hex(canonicalizeBody(body, 'simple')));
    expect(hex(canonicalizeBodyWith(webCrypto, body, 'relaxed'))).toBe(hex(canonicalizeBody(body, 'relaxed')));
    expect(seen).toEqual([body]);
  });

  it('signing and verification hash what the primitives’ relaxed canonicalization answers', async () => {
    const webCrypto = primitivesOf(undefined);
    let calls = 0;
    // A wrong canonicalization (the simple one) that sign and verify both use: they agree with each
    // other, and a verifier on the core's canonicalization finds the body hash wrong.
    const skewed = {
      ...webCrypto,
      canonicalizeRelaxedBody: (body: Uint8Array) => {
        calls++;
        return canonicalizeBody(body, 'simple');
      },
    };
    const message = 'From: a@example.com\r\nSubject: s\r\n\r\nhello  world \r\n';
    const rsa = await rsaKey(1024);
    const resolver = zoneWith({ 's._domainkey.example.com': rsa.record });
    const options = {
      domain: 'example.com',
      selector: 's',
      key: rsa.key,
      canonicalization: 'relaxed/relaxed' as const,
    };
    const signed = await signMessage(message, { ...options, crypto: skewed });
    expect(calls).toBe(1);
    const full = `${signed.field}\r\n${message}`;
    const bySkewed = await verifyMessage(full, resolver, { crypto: skewed });
    expect(calls).toBe(2);
    expect(bySkewed.result).toBe('pass');
    const byCore = await verifyMessage(full, resolver);
    expect(byCore.result).toBe('fail');
    expect(byCore.signatures[0]?.code).toBe('BODY_HASH_MISMATCH');
  });
});
