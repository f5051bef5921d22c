// PKCS #1 / PKCS #8 structure: finds the RSAPrivateKey in DER and names every other structure found.
import { type DerElement, decodeOid, derError, expectElement, readElement, readSmallInteger, TAG } from '../der.js';
import { DkimError } from '../errors.js';
import { algorithmName, isRsaEncryption } from '../oids.js';
import type { KeyEncoding } from './types.js';

/** Where the RSAPrivateKey SEQUENCE sits in the DER. */
export interface RsaKeyLocation {
  /** Offset of the RSAPrivateKey SEQUENCE's header. */
  readonly offset: number;
  readonly sequence: DerElement;
  readonly end: number;
}

/** Finds the RSAPrivateKey inside DER, telling every other structure apart by its shape. */
export function locateRsaPrivateKey(der: Uint8Array): { encoding: KeyEncoding; rsaKey: RsaKeyLocation } {
  const top = readElement(der, 0, der.length);
  if (top.tag !== TAG.SEQUENCE) throw derError('a key starts with a SEQUENCE');
  const first = readElement(der, top.start, top.end);
  let result: { encoding: KeyEncoding; rsaKey: RsaKeyLocation };
  if (first.tag === TAG.INTEGER) {
    const second = readElement(der, first.end, top.end);
    if (second.tag === TAG.SEQUENCE) {
      result = { encoding: 'pkcs8', rsaKey: locateInPkcs8(der, top, first) };
    } else if (second.tag === TAG.OCTET_STRING) {
      throw new DkimError('NOT_RSA', 'the key is an EC key (SEC 1 ECPrivateKey); DKIM for SES needs RSA');
    } else if (second.tag === TAG.INTEGER) {
      classifyIntegerSequence(der, top);
      result = { encoding: 'pkcs1', rsaKey: { offset: 0, sequence: top, end: top.end } };
    } else {
      throw derError('unrecognized key structure');
    }
  } else if (first.tag === TAG.SEQUENCE) {
    throw classifyNonKey(der, top, first);
  } else {
    throw derError('unrecognized key structure');
  }
  if (top.end !== der.length) throw new DkimError('TRAILING_DATA', `${der.length - top.end} bytes follow the key`);
  return result;
}

// PKCS #1 RSAPublicKey has two INTEGERs and OpenSSL's DSA private key six; RSAPrivateKey has nine.
function classifyIntegerSequence(der: Uint8Array, top: DerElement): void {
  let count = 0;
  for (let offset = top.start; offset < top.end && count <= 10; count++) {
    const element = readElement(der, offset, top.end);
    if (element.tag !== TAG.INTEGER) break;
    offset = element.end;
  }
  if (count === 2)
    throw new DkimError('PUBLIC_KEY_GIVEN', 'a PKCS #1 RSA public key was given where the private key belongs');
  if (count === 6) throw new DkimError('NOT_RSA', 'the key is a DSA key; DKIM for SES needs RSA');
}

function classifyNonKey(der: Uint8Array, top: DerElement, first: DerElement): DkimError {
  const inner = readElement(der, first.start, first.end);
  const second = first.end < top.end ? readElement(der, first.end, top.end) : undefined;
  if (inner.tag === TAG.OID && second !== undefined) {
    const algorithm = algorithmName(decodeOid(der, inner));
    if (second.tag === TAG.BIT_STRING) {
      return new DkimError('PUBLIC_KEY_GIVEN', `a public key (${algorithm}) was given where the private key belongs`);
    }
    if (second.tag === TAG.OCTET_STRING) {
      return new DkimError('ENCRYPTED_KEY', `the key is encrypted (${algorithm}); export it unencrypted`);
    }
  }
  if (second?.tag === TAG.SEQUENCE && second.end < top.end) {
    const third = readElement(der, second.end, top.end);
    if (third.tag === TAG.BIT_STRING) {
      return new DkimError('CERTIFICATE_GIVEN', 'a certificate was given where the private key belongs');
    }
  }
  return derError('unrecognized key structure');
}

function locateInPkcs8(der: Uint8Array, top: DerElement, versionElement: DerElement): RsaKeyLocation {
  const version = readSmallInteger(der, top.start, top.end, 'PrivateKeyInfo version');
  if (version.value > 1) throw derError(`PrivateKeyInfo version ${version.value}`);
  const algorithmIdentifier = expectElement(der, versionElement.end, top.end, TAG.SEQUENCE, 'privateKeyAlgorithm');
  const oid = expectElement(der, algorithmIdentifier.start, algorithmIdentifier.end, TAG.OID, 'algorithm');
  if (!isRsaEncryption(der, oid.start, oid.end)) {
    const name = algorithmName(decodeOid(der, oid));
    throw new DkimError('NOT_RSA', `the key is ${withArticle(name)} key; DKIM for SES needs RSA (rsaEncryption)`);
  }
  const parameters = expectElement(der, oid.end, algorithmIdentifier.end, TAG.NULL, 'rsaEncryption parameters');
  if (parameters.start !== parameters.end || parameters.end !== algorithmIdentifier.end) {
    throw derError('rsaEncryption parameters must be exactly NULL');
  }
  const octets = expectElement(der, algorithmIdentifier.end, top.end, TAG.OCTET_STRING, 'privateKey');
  let offset = octets.end;
  // [0] attributes may follow; [1] publicKey only in version 2 (OneAsymmetricKey).
  if (offset < top.end && der[offset] === 0xa0) offset = readElement(der, offset, top.end).end;
  if (offset < top.end && version.value === 1 && (der[offset] === 0x81 || der[offset] === 0xa1)) {
    offset = readElement(der, offset, top.end).end;
  }
  if (offset !== top.end) throw derError('unexpected element in PrivateKeyInfo');
  const inner = expectElement(der, octets.start, octets.end, TAG.SEQUENCE, 'RSAPrivateKey');
  if (inner.end !== octets.end) {
    throw new DkimError(
      'TRAILING_DATA',
      `${octets.end - inner.end} bytes follow the RSAPrivateKey inside PrivateKeyInfo`,
    );
  }
  return { offset: octets.start, sequence: inner, end: inner.end };
}

function withArticle(name: string): string {
  return /^[AEIOUX]/i.test(name) ? `an ${name}` : `a ${name}`;
}
