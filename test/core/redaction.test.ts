import { createPrivateKey } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DkimPrivateKey, parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { keyFile } from '../../vectors/load.js';

const ses = new TextDecoder().decode(keyFile('rsa1024.pkcs1.b64')).trim();
const key = parsePrivateKey(ses);
// A stretch from the middle of the key: private components, not the public header or modulus.
const secretSample = ses.slice(600, 640);

describe('private parts stay private', () => {
  it('has only public, enumerable fields', () => {
    expect(Object.keys(key).sort()).toEqual(['bits', 'encoding', 'form', 'spki', 'warnings']);
  });

  it('gives n and e through accessors, made from the SPKI on first read', () => {
    const fresh = parsePrivateKey(ses);
    const jwk = createPrivateKey({ key: Buffer.from(ses, 'base64'), format: 'der', type: 'pkcs1' }).export({
      format: 'jwk',
    });
    expect(fresh.n).toBe(BigInt(`0x${Buffer.from(jwk.n as string, 'base64url').toString('hex')}`));
    expect(fresh.e).toBe(65537n);
    expect(fresh.n).toBe(fresh.n);
    expect(Object.getOwnPropertyDescriptor(DkimPrivateKey.prototype, 'n')?.get).toBeTypeOf('function');
  });

  it('JSON shows public facts and says the private key is redacted', () => {
    const json = JSON.stringify(key);
    expect(JSON.parse(json)).toMatchObject({ bits: 1024, form: 'ses', encoding: 'pkcs1', privateKey: '[redacted]' });
    expect(json).not.toContain(secretSample);
    expect(json).not.toContain(ses.slice(0, 60));
  });

  it('util.inspect, String() and spreading carry no private material', () => {
    for (const text of [
      inspect(key, { depth: 10, showHidden: true }),
      String(key),
      JSON.stringify({ ...key }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    ]) {
      expect(text).not.toContain(secretSample);
      expect(text).not.toContain('MIIC');
    }
    expect(inspect(key)).toContain('[redacted]');
  });

  it('gives the private key back only through toSesPrivateKey', () => {
    expect(toSesPrivateKey(key)).toBe(ses);
  });
});
