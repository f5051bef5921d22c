import 'reflect-metadata';
import { createPublicKey } from 'node:crypto';
import { PublicKey } from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { base64Decode } from '../../src/core/base64.js';
import { evaluateKeyRecords, parseDkimKeyRecord, parsePrivateKey } from '../../src/index.js';
import { loadRecordVectors, recordFile } from '../../vectors/load.js';

const { records, rrsets } = loadRecordVectors();

describe('record vectors (RFC examples, opendkim-genkey, dknewkey, openssl, damage)', () => {
  it('covers every kind and every damage diagnosis', () => {
    const codes = new Set(records.map((v) => v.expected.code).filter(Boolean));
    for (const code of ['ZONE_SYNTAX', 'PEM_ARMOUR', 'TRUNCATED_AT_255', 'MISSING_SEMICOLON', 'KEY_TYPE_MISMATCH']) {
      expect(codes).toContain(code);
    }
    expect(new Set(records.map((v) => v.expected.kind))).toEqual(new Set(['key', 'revoked', 'invalid', 'not-dkim']));
  });

  describe.each(records.map((v) => [v.id, v] as const))('%s', (_id, vector) => {
    it(`is ${vector.expected.kind}${vector.expected.code ? ` ${vector.expected.code}` : ''}: ${vector.comment}`, () => {
      const record = parseDkimKeyRecord(vector.strings);
      const want = vector.expected;
      expect(record.kind).toBe(want.kind);
      expect(record.text).toBe(vector.strings.join(''));
      if (record.kind === 'invalid') {
        expect(record.code).toBe(want.code);
        expect(record.hint.length).toBeGreaterThan(20);
        return;
      }
      if (record.kind !== 'key') return;
      expect(record.keyType).toBe(want.keyType);
      expect(record.publicKey.bits).toBe(want.bits);
      if (want.form) expect(record.publicKey.form).toBe(want.form);
      if (want.hashAlgorithms) expect(record.hashAlgorithms).toEqual(want.hashAlgorithms);
      if (want.flags) expect(record.flags).toMatchObject(want.flags);
      if (want.notes) expect(record.notes).toBe(want.notes);
      expect(record.issues.map((i) => i.code).sort()).toEqual([...(want.warnings ?? [])].sort());
      expect(record.usableForSes).toBe(want.usableForSes ?? true);
      if (want.spki) expect(record.publicKey.spki).toEqual(recordFile(want.spki));
      if (vector.key) {
        // The private key the tool wrote publishes exactly this public key (openssl-made PEM read by node:crypto).
        const expectedSpki = createPublicKey(vector.key).export({ type: 'spki', format: 'der' });
        expect(record.publicKey.spki).toEqual(new Uint8Array(expectedSpki));
      }
    });
  });

  describe.each(rrsets.map((v) => [v.id, v] as const))('RRset %s', (_id, vector) => {
    it(`is ${vector.expected.verdict}: ${vector.comment}`, () => {
      const expected = vector.key ? parsePrivateKey(vector.key) : undefined;
      const verdict = evaluateKeyRecords(vector.records, expected);
      expect(verdict.verdict).toBe(vector.expected.verdict);
      if (vector.expected.code) expect(verdict).toMatchObject({ code: vector.expected.code });
      expect(verdict.detail.length).toBeGreaterThan(10);
    });
  });
});

describe('differential: p= against @peculiar/x509 and node:crypto', () => {
  const rsaKeys = records.filter((v) => v.expected.kind === 'key' && v.expected.keyType === 'rsa');

  it.each(rsaKeys.map((v) => [v.id, v] as const))('%s', (_id, vector) => {
    const record = parseDkimKeyRecord(vector.strings);
    if (record.kind !== 'key' || record.publicKey.algorithm !== 'rsa') throw new Error('not an RSA key record');
    const published = base64Decode(
      (
        vector.strings
          .join('')
          .split(/;/)
          .find((tag) => /^\s*p\s*=/.test(tag)) ?? ''
      ).replace(/^\s*p\s*=|\s/g, ''),
    );
    const nodeKey = createPublicKey({ key: Buffer.from(published), format: 'der', type: record.publicKey.form });
    expect(record.publicKey.spki).toEqual(new Uint8Array(nodeKey.export({ type: 'spki', format: 'der' })));
    const jwk = nodeKey.export({ format: 'jwk' });
    expect(Buffer.from(record.publicKey.modulus).toString('base64url')).toBe(jwk.n);
    expect(Buffer.from(record.publicKey.exponent).toString('base64url')).toBe(jwk.e);
    if (record.publicKey.form === 'spki') {
      const x509 = new PublicKey(published as Uint8Array<ArrayBuffer>);
      expect(new Uint8Array(x509.rawData)).toEqual(record.publicKey.spki);
      expect(x509.algorithm.name).toBe('RSASSA-PKCS1-v1_5');
    }
  });

  it('reads the Ed25519 keys as node:crypto does', () => {
    for (const vector of records.filter((v) => v.expected.keyType === 'ed25519')) {
      const record = parseDkimKeyRecord(vector.strings);
      if (record.kind !== 'key' || record.publicKey.algorithm !== 'ed25519') throw new Error(vector.id);
      const nodeKey = createPublicKey({ key: Buffer.from(record.publicKey.spki), format: 'der', type: 'spki' });
      expect(nodeKey.asymmetricKeyType).toBe('ed25519');
      expect(Buffer.from(record.publicKey.raw).toString('base64url')).toBe(nodeKey.export({ format: 'jwk' }).x);
    }
  });
});
