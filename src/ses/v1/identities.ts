// SES v1 identity operations over the one backend state the v2 API uses: a v1 domain is a v2 identity.

import { effectiveRecord } from '../deed.js';
import { SesException } from '../errors.js';
import { addressDomain, type IdentityRecord } from '../identity.js';
import * as dkim from '../operations/dkim.js';
import * as identities from '../operations/identities.js';
import * as legacy from '../operations/legacy.js';
import { type SesBackendState, throttle } from '../state.js';
import { decodePageToken, encodePageToken, identityKeyOrNull, parseIdentity } from '../validate.js';
import { invalidParameter, SesQueryError } from './errors.js';
import { dkimStatusOf, legacyTxtOf, type V1Status, v1Status, v1VerificationStatus } from './record-view.js';
import { XmlMap } from './xml.js';

/** GetIdentity*Attributes take at most 100 identities (ses model). */
export const MAX_IDENTITIES_PER_REQUEST = 100;

function validationError(field: string, constraint: string, value: string): SesQueryError {
  return new SesQueryError(
    'ValidationError',
    `1 validation error detected: Value '${value.slice(0, 100)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** An email address as v1 takes it: SES's "Invalid email address<addr>." (no space, as SES writes it). */
function emailAddress(raw: string): string {
  if (raw.trim().length === 0) throw invalidParameter('Email address not specified.');
  try {
    const parsed = parseIdentity(raw);
    if (parsed.type === 'EMAIL_ADDRESS') return parsed.display;
  } catch (error) {
    if (!(error instanceof SesException)) throw error;
  }
  throw invalidParameter(`Invalid email address${raw.slice(0, 320)}.`);
}

/** A domain as v1 takes it. */
function domainName(raw: string): string {
  try {
    const parsed = parseIdentity(raw);
    if (parsed.type === 'DOMAIN') return parsed.display;
  } catch (error) {
    if (!(error instanceof SesException)) throw error;
  }
  throw invalidParameter(`Domain ${raw.slice(0, 255)} is invalid.`);
}

async function recordOf(state: SesBackendState, raw: string): Promise<IdentityRecord | undefined> {
  const key = identityKeyOrNull(raw);
  return key === null ? undefined : state.store.get(key);
}

/**
 * VerifyDomainDkim: the backend's (the domain becomes an Easy DKIM identity if it is not one, a
 * DEED replica shows its parent's tokens), after v1's own domain check.
 */
export async function verifyDomainDkim(state: SesBackendState, input: { Domain: string }) {
  throttle(state, 'VerifyDomainDkim');
  return legacy.verifyDomainDkim(state, { Domain: domainName(input.Domain) });
}

/**
 * VerifyEmailIdentity (and the deprecated VerifyEmailAddress): idempotent as in SES. An address
 * whose link expired (Failed) starts over, as SES sends a new verification mail.
 */
export async function verifyEmailIdentity(state: SesBackendState, input: { EmailAddress: string }) {
  throttle(state, 'VerifyEmailIdentity');
  const address = emailAddress(input.EmailAddress);
  const record = await recordOf(state, address);
  if (record && v1VerificationStatus(record, state.now()) !== 'Failed') return {};
  if (record) await identities.deleteEmailIdentity(state, { EmailIdentity: address });
  await identities.createEmailIdentity(state, { EmailIdentity: address });
  return {};
}

function identityList(list: readonly string[]): readonly string[] {
  if (list.length > MAX_IDENTITIES_PER_REQUEST) {
    throw validationError(
      'identities',
      `Member must have length less than or equal to ${MAX_IDENTITIES_PER_REQUEST}`,
      `[${list.length} identities]`,
    );
  }
  return list;
}

/** GetIdentityVerificationAttributes: identities SES does not know are left out of the map. */
export async function getIdentityVerificationAttributes(state: SesBackendState, input: { Identities: string[] }) {
  throttle(state, 'GetIdentityVerificationAttributes');
  const entries: [string, { VerificationStatus: V1Status; VerificationToken?: string }][] = [];
  for (const identity of identityList(input.Identities)) {
    const record = await recordOf(state, identity);
    if (!record) continue;
    const token = record.type === 'DOMAIN' ? legacyTxtOf(record)?.token : undefined;
    entries.push([
      identity,
      {
        VerificationStatus: v1VerificationStatus(record, state.now()),
        ...(token !== undefined ? { VerificationToken: token } : {}),
      },
    ]);
  }
  return { VerificationAttributes: new XmlMap(entries) };
}

/**
 * GetIdentityDkimAttributes. A domain: its SigningEnabled, DKIM status and tokens. An address:
 * "the tokens represent the domain of that address" (ses model), and NotStarted without one.
 */
export async function getIdentityDkimAttributes(state: SesBackendState, input: { Identities: string[] }) {
  throttle(state, 'GetIdentityDkimAttributes');
  const entries: [string, { DkimEnabled: boolean; DkimVerificationStatus: V1Status; DkimTokens?: string[] }][] = [];
  for (const identity of identityList(input.Identities)) {
    const record = await recordOf(state, identity);
    if (!record) continue;
    const own = record.type === 'DOMAIN' ? record : await state.store.get(addressDomain(record));
    const domain = own ? await effectiveRecord(state, own) : undefined;
    entries.push([
      identity,
      domain
        ? {
            DkimEnabled: domain.signingEnabled,
            DkimVerificationStatus: v1Status(dkimStatusOf(domain)),
            DkimTokens: [...domain.tokens],
          }
        : { DkimEnabled: false, DkimVerificationStatus: 'NotStarted' },
    ]);
  }
  return { DkimAttributes: new XmlMap(entries) };
}

/**
 * SetIdentityDkimEnabled. A domain: PutEmailIdentityDkimAttributes. An address is accepted only
 * when its domain is an identity set up for DKIM (ses model), and signs as its domain does.
 */
export async function setIdentityDkimEnabled(
  state: SesBackendState,
  input: { Identity: string; DkimEnabled: boolean },
) {
  throttle(state, 'SetIdentityDkimEnabled');
  const record = await recordOf(state, input.Identity);
  if (record?.type === 'DOMAIN') {
    await dkim.putEmailIdentityDkimAttributes(state, {
      EmailIdentity: input.Identity,
      SigningEnabled: input.DkimEnabled,
    });
    return {};
  }
  const domain = record ? await state.store.get(addressDomain(record)) : undefined;
  if (record && domain?.type === 'DOMAIN') return {};
  const name = record ? addressDomain(record) : input.Identity;
  // The text real SES v2 gives for an identity without DKIM (floci PR #723, ses-research A.4).
  throw invalidParameter(`Domain ${name.slice(0, 255)} is not verified for DKIM signing.`);
}

/** ListIdentities: IdentityType filter, MaxItems (1 to 1000), NextToken paging in creation order. */
export async function listIdentities(
  state: SesBackendState,
  input: { IdentityType?: string; MaxItems?: number; NextToken?: string },
) {
  throttle(state, 'ListIdentities');
  const type = input.IdentityType;
  if (type !== undefined && type !== 'EmailAddress' && type !== 'Domain') {
    throw validationError('identityType', 'Member must satisfy enum value set: [EmailAddress, Domain]', type);
  }
  const start = input.NextToken !== undefined ? decodeV1Token(input.NextToken) : 0;
  const limit = input.MaxItems ?? 1000;
  const names: string[] = [];
  let position = 0;
  let more = false;
  for (const key of await state.store.keys()) {
    const record = await state.store.get(key);
    if (!record) continue;
    if (type !== undefined && (record.type === 'DOMAIN') !== (type === 'Domain')) continue;
    if (position++ < start) continue;
    if (names.length === limit) {
      more = true;
      break;
    }
    names.push(record.identity);
  }
  return { Identities: names, ...(more ? { NextToken: encodePageToken(start + limit) } : {}) };
}

function decodeV1Token(token: string): number {
  try {
    return decodePageToken(token);
  } catch {
    throw invalidParameter('Invalid NextToken.');
  }
}

/** DeleteIdentity: idempotent in v1, so an unknown identity is not an error. */
export async function deleteIdentity(state: SesBackendState, input: { Identity: string }) {
  throttle(state, 'DeleteIdentity');
  const record = await recordOf(state, input.Identity);
  if (record) await identities.deleteEmailIdentity(state, { EmailIdentity: input.Identity });
  return {};
}
