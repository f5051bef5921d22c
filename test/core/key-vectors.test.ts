import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../src/core/base64.js';
import { DkimError, parsePrivateKey, toPkcs8Der, toRsaPublicKeyDer, toSesPrivateKey } from '../../src/index.js';
import { keyFile, loadKeyVectors } from '../../vectors/load.js';

const vectors = loadKeyVectors();
const valid = vectors.filter((v) => v.valid);
const invalid = vectors.filter((v) => !v.valid);
const text = (name: string) => new TextDecoder().decode(keyFile(name)).trim();

function errorOf(action: () => unknown): DkimError {
  try {
    action();
  } catch (error) {
    if (error instanceof DkimError) return error;
    throw new Error(`expected a DkimError, got ${String(error)}`);
  }
  throw new Error('expected a DkimError, got a key');
}

describe('key vectors from openssl', () => {
  it('has vectors of every kind', () => {
    expect(valid.length).toBeGreaterThanOrEqual(18);
    expect(new Set(invalid.map((v) => v.code)).size).toBeGreaterThanOrEqual(13);
  });

  describe.each(valid.map((v) => [v.id, v] as const))('valid: %s', (_id, vector) => {
    it(`parses: ${vector.comment}`, () => {
      const key = parsePrivateKey(vector.input);
      expect(key.bits).toBe(vector.bits);
      expect(key.form).toBe(vector.form);
      expect(key.encoding).toBe(vector.encoding);
      expect(key.warnings.map((w) => w.code).sort()).toEqual([...vector.warnings].sort());
      if (vector.spki) expect(key.spki).toEqual(vector.spki);
    });
  });

  describe.each(invalid.map((v) => [v.id, v] as const))('invalid: %s', (_id, vector) => {
    it(`refuses with ${vector.code}: ${vector.comment}`, () => {
      const error = errorOf(() => parsePrivateKey(vector.input, { strict: vector.strictOnly }));
      expect(error.code).toBe(vector.code);
      expect(error.name).toBe('DkimError');
      expect(error.message.length).toBeGreaterThan(10);
    });
  });

  it('every form of one key gives the SES form openssl wrote', () => {
    for (const bits of [1024, 2048]) {
      const expected = text(`rsa${bits}.pkcs1.b64`);
      for (const v of valid.filter((v) => v.id.startsWith(`rsa${bits}-pkcs`))) {
        expect(toSesPrivateKey(parsePrivateKey(v.input)), v.id).toBe(expected);
      }
    }
  });

  it('exports the PKCS #8 DER openssl wrote, and the RSAPublicKey openssl wrote', () => {
    for (const bits of [1024, 2048]) {
      const key = parsePrivateKey(text(`rsa${bits}.pkcs1.b64`));
      expect(toPkcs8Der(key)).toEqual(keyFile(`rsa${bits}.pkcs8.der`));
      expect(toRsaPublicKeyDer(key)).toEqual(keyFile(`rsa${bits}.rsapublickey.der`));
      // PKCS #8 in SES form keeps its text and finds the RSAPrivateKey in it again on export,
      // after other keys have been decoded over the DER it was parsed from.
      const fromPkcs8 = parsePrivateKey(text(`rsa${bits}.pkcs8.b64`));
      parsePrivateKey(text(`rsa${3072 - bits}.pkcs8.b64`));
      expect(toPkcs8Der(fromPkcs8)).toEqual(keyFile(`rsa${bits}.pkcs8.der`));
      expect(toSesPrivateKey(fromPkcs8)).toBe(text(`rsa${bits}.pkcs1.b64`));
    }
  });

  it('tolerates one trailing newline in the SES form, LF or CRLF, and nothing else', () => {
    const ses = text('rsa2048.pkcs1.b64');
    expect(parsePrivateKey(`${ses}\n`).form).toBe('ses');
    expect(parsePrivateKey(`${ses}\r\n`).form).toBe('ses');
    expect(errorOf(() => parsePrivateKey(`${ses}\n\n`)).code).toBe('BASE64_INVALID');
    expect(errorOf(() => parsePrivateKey(` ${ses}`)).code).toBe('BASE64_INVALID');
  });

  it('reads key files given as bytes: PEM text, base64 text or DER', () => {
    expect(parsePrivateKey(keyFile('rsa1024.pkcs1.pem')).form).toBe('pem');
    expect(parsePrivateKey(keyFile('rsa1024.pkcs1.der')).form).toBe('der');
    expect(parsePrivateKey(keyFile('rsa1024.pkcs1.b64')).encoding).toBe('pkcs1');
  });

  it('strict mode accepts the valid keys', () => {
    for (const id of ['rsa1024-pkcs1-ses', 'rsa2048-pkcs8-pem', 'rebuilt-valid']) {
      const vector = valid.find((v) => v.id === id);
      expect(vector, id).toBeDefined();
      if (vector) expect(parsePrivateKey(vector.input, { strict: true }).bits).toBe(vector.bits);
    }
  });

  it('names the algorithm of a key that is not RSA', () => {
    const byId = (id: string) => invalid.find((v) => v.id === id)?.input ?? '';
    expect(errorOf(() => parsePrivateKey(byId('ed25519-pem'))).message).toContain('Ed25519');
    expect(errorOf(() => parsePrivateKey(byId('ec-p256-pkcs8'))).message).toContain('EC');
    expect(errorOf(() => parsePrivateKey(byId('rsa-pss'))).message).toContain('RSASSA-PSS');
    expect(errorOf(() => parsePrivateKey(byId('dsa'))).message).toContain('DSA');
  });

  it('says the size it found', () => {
    const rsa3072 = invalid.find((v) => v.id === 'rsa3072');
    expect(errorOf(() => parsePrivateKey(rsa3072?.input ?? '')).message).toContain('3072');
  });

  it('refuses what is not a string or bytes with a typed error', () => {
    for (const bad of [null, undefined, 42, {}, ['a']]) {
      expect(errorOf(() => parsePrivateKey(bad as unknown as string)).code).toBe('EMPTY_INPUT');
    }
  });

  it('round-trips through base64Encode of openssl DER', () => {
    expect(base64Encode(keyFile('rsa2048.pkcs1.der'))).toBe(text('rsa2048.pkcs1.b64'));
  });
});
