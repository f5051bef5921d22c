import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { keyFile } from '../../vectors/load.js';

const ses = new TextDecoder().decode(keyFile('rsa1024.pkcs1.b64')).trim();
const key = parsePrivateKey(ses);
// A stretch from the middle of the key: private components, not the public header or modulus.
const secretSample = ses.slice(600, 640);

describe('private parts stay private', () => {
  it('has only public, enumerable fields', () => {
    expect(Object.keys(key).sort()).toEqual(['bits', 'e', 'encoding', 'form', 'n', 'spki', 'warnings']);
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
