// The email-identity operations: create, get, delete and list identities, and whether an address may send.
import { normalizeDomain } from '../../core/names.js';
import { initialState } from '../../core/status.js';
import { setupByodkim, setupEasyDkim, unpublishProviderKeys } from '../dkim-signing.js';
import { badRequest, SesException } from '../errors.js';
import { addressDomain, emailStatus, type IdentityRecord, verificationStatus } from '../identity.js';
import { type CreateEmailIdentityInput, dkimAttributes, verificationInfo } from '../shapes.js';
import { bumpIncarnation, exclusive, findIdentity, type SesBackendState, throttle } from '../state.js';
import {
  decodePageToken,
  encodePageToken,
  identityKeyOrNull,
  keyLength,
  pageSize,
  parseIdentity,
  validateTags,
} from '../validate.js';

/** An address whose domain identity is verified may send without being verified itself. */
async function parentVerified(state: SesBackendState, record: IdentityRecord): Promise<boolean> {
  if (record.type !== 'EMAIL_ADDRESS') return false;
  const parent = await state.store.get(addressDomain(record));
  return parent !== undefined && parent.state.status === 'SUCCESS';
}

async function verifiedForSending(state: SesBackendState, record: IdentityRecord): Promise<boolean> {
  return verificationStatus(record, state.now()) === 'SUCCESS' || (await parentVerified(state, record));
}

function alreadyExists(display: string): SesException {
  return new SesException('AlreadyExistsException', `Email identity ${display} already exist.`);
}

/** CreateEmailIdentity. */
export async function createEmailIdentity(state: SesBackendState, input: CreateEmailIdentityInput) {
  throttle(state, 'CreateEmailIdentity');
  const { type, key, display } = parseIdentity(input.EmailIdentity);
  const tags = validateTags(input.Tags);
  const setName = input.ConfigurationSetName;
  if (setName !== undefined && !state.options.configurationSets?.has(setName)) {
    throw new SesException('NotFoundException', `Configuration set ${setName} does not exist.`);
  }
  const signing = input.DkimSigningAttributes;
  if (signing && type !== 'DOMAIN') {
    throw badRequest('DkimSigningAttributes can be specified only for domain identities, not email addresses.');
  }
  if (await state.store.get(key)) throw alreadyExists(display);
  if ((await state.store.size()) >= state.maxIdentities) {
    throw new SesException(
      'LimitExceededException',
      `The maximum number of email identities (${state.maxIdentities}) has been reached.`,
    );
  }
  return exclusive(state, key, async () => {
    const at = state.now();
    const record: IdentityRecord = {
      identity: display,
      type,
      createdAt: at,
      tags,
      ...(setName !== undefined ? { configurationSetName: setName } : {}),
      signingEnabled: type === 'DOMAIN',
      origin: null,
      tokens: [],
      state: initialState({ at, identityType: type }),
    };
    if (type === 'DOMAIN') {
      if (signing?.DomainSigningSelector !== undefined || signing?.DomainSigningPrivateKey !== undefined) {
        setupByodkim(state, record, signing.DomainSigningSelector, signing.DomainSigningPrivateKey);
      } else {
        await setupEasyDkim(state, record, display, keyLength(signing?.NextSigningKeyLength), at);
      }
    }
    if (await state.store.get(key)) throw alreadyExists(display);
    await state.store.set(key, record);
    bumpIncarnation(state, key);
    return { IdentityType: type, VerifiedForSendingStatus: false, DkimAttributes: dkimAttributes(record) };
  });
}

/** GetEmailIdentity. */
export async function getEmailIdentity(state: SesBackendState, input: { EmailIdentity?: string }) {
  throttle(state, 'GetEmailIdentity');
  const [, record] = await findIdentity(state, input.EmailIdentity);
  const status = verificationStatus(record, state.now());
  return {
    IdentityType: record.type,
    FeedbackForwardingStatus: true,
    VerifiedForSendingStatus: await verifiedForSending(state, record),
    DkimAttributes: dkimAttributes(record),
    Policies: {},
    Tags: record.tags.map((tag) => ({ ...tag })),
    ...(record.configurationSetName !== undefined ? { ConfigurationSetName: record.configurationSetName } : {}),
    VerificationStatus: status,
    VerificationInfo: verificationInfo(record, status),
  };
}

/** DeleteEmailIdentity: also removes what the backend published for it. */
export async function deleteEmailIdentity(state: SesBackendState, input: { EmailIdentity?: string }) {
  throttle(state, 'DeleteEmailIdentity');
  const [key, record] = await findIdentity(state, input.EmailIdentity);
  return exclusive(state, key, async () => {
    unpublishProviderKeys(state, record);
    await state.store.delete(key);
    bumpIncarnation(state, key);
    return {};
  });
}

/** ListEmailIdentities, with NextToken paging. */
export async function listEmailIdentities(
  state: SesBackendState,
  input: { NextToken?: string; PageSize?: number } = {},
) {
  throttle(state, 'ListEmailIdentities');
  const size = pageSize(input.PageSize);
  const start = input.NextToken !== undefined ? decodePageToken(input.NextToken) : 0;
  const keys = await state.store.keys();
  const entries = [];
  for (const key of keys.slice(start, start + size)) {
    const record = await state.store.get(key);
    if (!record) continue; // deleted while listing
    entries.push({
      IdentityType: record.type,
      IdentityName: record.identity,
      SendingEnabled: await verifiedForSending(state, record),
      VerificationStatus: verificationStatus(record, state.now()),
    });
  }
  return {
    EmailIdentities: entries,
    ...(start + size < keys.length ? { NextToken: encodePageToken(start + size) } : {}),
  };
}

/** The verification link was clicked: the address identity is verified. */
export async function confirmEmailAddress(state: SesBackendState, emailIdentity: string): Promise<void> {
  const [key, record] = await findIdentity(state, emailIdentity);
  if (record.type !== 'EMAIL_ADDRESS') throw badRequest(`${emailIdentity} is not an email address identity.`);
  if (emailStatus(record, state.now()) === 'FAILED')
    throw badRequest(`The verification of ${emailIdentity} has expired; create it again.`);
  record.confirmedAt = state.now();
  await state.store.set(key, record);
}

/** Whether SendEmail from this address would be allowed: a verified address, or an address under a verified domain. */
export async function canSend(state: SesBackendState, fromAddress: string): Promise<boolean> {
  const at = fromAddress.lastIndexOf('@');
  if (at <= 0) return false;
  const address = await state.store.get(identityKeyOrNull(fromAddress) ?? '');
  if (address && (await verifiedForSending(state, address))) return true;
  let domain: string;
  try {
    domain = normalizeDomain(fromAddress.slice(at + 1));
  } catch {
    return false;
  }
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const record = await state.store.get(labels.slice(i).join('.'));
    if (record?.type === 'DOMAIN' && record.state.status === 'SUCCESS') return true;
  }
  return false;
}
