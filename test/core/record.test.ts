import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../src/core/base64.js';
import { DkimError, dkimRecordName, dkimTxtRecord, parsePrivateKey, splitCharacterStrings } from '../../src/index.js';
import { keyFile } from '../../vectors/load.js';

const key2048 = parsePrivateKey(keyFile('rsa2048.pkcs1.der'));
const key1024 = parsePrivateKey(keyFile('rsa1024.pkcs1.der'));
const opensslSpki2048 = base64Encode(keyFile('rsa2048.spki.der'));

function codeOf(action: () => unknown): string {
  try {
    action();
    return 'ok';
  } catch (error) {
    return error instanceof DkimError ? error.code : `crash: ${String(error)}`;
  }
}

describe('dkimTxtRecord', () => {
  it("publishes openssl's SPKI under <selector>._domainkey.<domain>", () => {
    const record = dkimTxtRecord(key2048, { domain: 'Example.COM', selector: 'Mail2024' });
    expect(record.name).toBe('mail2024._domainkey.example.com');
    expect(record.type).toBe('TXT');
    expect(record.value).toBe(`v=DKIM1; k=rsa; p=${opensslSpki2048}`);
    expect(record.strings.join('')).toBe(record.value);
    expect(record.strings.length).toBe(2);
    expect(record.strings[0]?.length).toBe(255);
    expect(record.zone).toBe(`mail2024._domainkey.example.com. IN TXT "${record.strings[0]}" "${record.strings[1]}"`);
  });

  it('fits a 1024-bit record in one string', () => {
    const record = dkimTxtRecord(key1024, { domain: 'example.com', selector: 's1' });
    expect(record.strings).toEqual([record.value]);
    expect(record.value).toBe(`v=DKIM1; k=rsa; p=${base64Encode(keyFile('rsa1024.spki.der'))}`);
  });

  it('takes public key DER in SPKI or PKCS #1 form and gives the same record', () => {
    const options = { domain: 'example.com', selector: 's1' };
    const fromKey = dkimTxtRecord(key2048, options);
    expect(dkimTxtRecord(keyFile('rsa2048.spki.der'), options)).toEqual(fromKey);
    expect(dkimTxtRecord(keyFile('rsa2048.rsapublickey.der'), options)).toEqual(fromKey);
  });

  it('writes h=, t= and dkim-quoted-printable n= when asked', () => {
    const record = dkimTxtRecord(key1024, {
      domain: 'example.com',
      selector: 's1',
      hashAlgorithms: ['sha256'],
      testing: true,
      strictIdentity: true,
      notes: 'Key; for "SES" = 100% ü',
    });
    expect(record.value).toMatch(
      /^v=DKIM1; h=sha256; k=rsa; t=y:s; n=Key=3B=20for=20=22SES=22=20=3D=20100%=20=C3=BC; p=/,
    );
    expect(record.zone).not.toMatch(/\\/);
  });

  it('converts Unicode domains to A-labels', () => {
    expect(dkimRecordName('s1', 'Bücher.example')).toBe('s1._domainkey.xn--bcher-kva.example');
    expect(dkimRecordName('s1', 'münchen.de.')).toBe('s1._domainkey.xn--mnchen-3ya.de');
  });

  it.each([
    ['', 'SELECTOR_INVALID'],
    ['-s', 'SELECTOR_INVALID'],
    ['s-', 'SELECTOR_INVALID'],
    ['s_1', 'SELECTOR_INVALID'],
    ['s.1', 'SELECTOR_INVALID'],
    ['a'.repeat(64), 'SELECTOR_INVALID'],
  ])('refuses selector %j', (selector, code) => {
    expect(codeOf(() => dkimTxtRecord(key1024, { domain: 'example.com', selector }))).toBe(code);
  });

  it('accepts the longest selector SES allows', () => {
    expect(codeOf(() => dkimRecordName(`a${'-'.repeat(61)}b`, 'example.com'))).toBe('ok');
  });

  it.each([
    [''],
    ['.'],
    ['localhost'],
    ['example..com'],
    ['-example.com'],
    ['example-.com'],
    ['exa mple.com'],
    ['example.com/path'],
    ['user@example.com'],
    ['example.com:25'],
    ['192.168.0.1'],
    ['[::1]'],
    ['ex_ample.com'],
    [`${'a'.repeat(64)}.com`],
    [`${'a.'.repeat(127)}com`],
    ['xn--zz.com'],
  ])('refuses domain %j', (domain) => {
    expect(codeOf(() => dkimRecordName('s1', domain))).toBe('DOMAIN_INVALID');
  });

  it('refuses a record name over 253 octets even when the domain alone fits', () => {
    const domain = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(50)}.com`;
    expect(codeOf(() => dkimRecordName('s1', domain))).toBe('ok');
    expect(codeOf(() => dkimRecordName('s'.repeat(30), domain))).toBe('DOMAIN_INVALID');
  });

  it('refuses public keys SES cannot use and bad options', () => {
    expect(codeOf(() => dkimTxtRecord(keyFile('ed25519.pkcs8.der'), { domain: 'example.com', selector: 's' }))).toBe(
      'DER_INVALID',
    );
    const options = { domain: 'example.com', selector: 's' };
    expect(codeOf(() => dkimTxtRecord(key1024, { ...options, hashAlgorithms: [] }))).toBe('OPTION_INVALID');
    expect(codeOf(() => dkimTxtRecord(key1024, { ...options, hashAlgorithms: ['md5' as 'sha1'] }))).toBe(
      'OPTION_INVALID',
    );
    expect(codeOf(() => dkimTxtRecord(key1024, { ...options, notes: 'x'.repeat(513) }))).toBe('OPTION_INVALID');
  });

  it('splits any value into strings of at most 255 octets that join back to it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 2000 }), (value) => {
        const strings = splitCharacterStrings(value);
        expect(strings.join('')).toBe(value);
        for (const s of strings) expect(s.length).toBeLessThanOrEqual(255);
        expect(strings.length).toBe(Math.max(1, Math.ceil(value.length / 255)));
      }),
    );
  });

  it('keeps every record well-formed whatever the notes and flags', () => {
    fc.assert(
      fc.property(
        fc.record({ notes: fc.option(fc.string({ maxLength: 100 }), { nil: undefined }), testing: fc.boolean() }),
        ({ notes, testing }) => {
          const record = dkimTxtRecord(key2048, { domain: 'example.com', selector: 's1', notes, testing });
          expect(record.strings.join('')).toBe(record.value);
          expect(record.value).toMatch(
            /^v=DKIM1; k=rsa; (t=y; )?(n=(?:[!-:<>-~]|=[0-9A-F]{2})*; )?p=[A-Za-z0-9+/]+=*$/,
          );
          expect(record.value.endsWith(`p=${opensslSpki2048}`)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
