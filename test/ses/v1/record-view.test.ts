// How v1 reads a domain's status: Success when DKIM or the legacy TXT verifies (SES's VerifyDomainIdentity doc).
import { describe, expect, it } from 'vitest';
import { type DkimStatus, initialState } from '../../../src/core/status.js';
import type { IdentityRecord } from '../../../src/ses/identity.js';
import { legacyTxtOf, v1VerificationStatus } from '../../../src/ses/v1/record-view.js';

function domain(dkim: DkimStatus, legacy?: DkimStatus): IdentityRecord {
  const record: IdentityRecord = {
    identity: 'example.com',
    type: 'DOMAIN',
    createdAt: 0,
    version: 0,
    tags: [],
    signingEnabled: true,
    origin: 'AWS_SES',
    tokens: [],
    verifications: { dkim: { ...initialState({ at: 0 }), status: dkim } },
  };
  if (legacy) {
    record.verifications.legacyTxt = { ...initialState({ at: 0 }), status: legacy };
    record.legacyTxt = { token: 'tok' };
  }
  return record;
}

describe('v1 VerificationStatus of a domain', () => {
  it.each([
    ['PENDING', undefined, 'Pending'],
    ['SUCCESS', undefined, 'Success'],
    ['FAILED', undefined, 'Failed'],
    ['PENDING', 'SUCCESS', 'Success'],
    ['SUCCESS', 'FAILED', 'Success'],
    ['FAILED', 'PENDING', 'Pending'],
    ['TEMPORARY_FAILURE', 'TEMPORARY_FAILURE', 'TemporaryFailure'],
  ] as const)('DKIM %s, legacy TXT %s -> %s', (dkim, legacy, expected) => {
    expect(v1VerificationStatus(domain(dkim, legacy), 0)).toBe(expected);
  });

  it('reads the legacy status from verifications.legacyTxt and the token from legacyTxt (the phase-2 record shape)', () => {
    expect(legacyTxtOf(domain('PENDING', 'PENDING'))).toEqual({ status: 'PENDING', token: 'tok' });
    expect(legacyTxtOf(domain('PENDING'))).toBeNull();
  });
});
