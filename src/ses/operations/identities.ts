// The email-identity operations: create, get, delete and list identities, and the click on a verification link.
import { initialState } from '../../core/status.js';
import { effectiveRecord, originRegion, replicaParent } from '../deed.js';
import { setupByodkim, setupEasyDkim, unpublishProviderKeys } from '../dkim-signing.js';
import { badRequest, SesException } from '../errors.js';
import { emailStatus, type IdentityRecord, verificationStatus } from '../identity.js';
import {
  type CreateEmailIdentityInput,
  type DkimAttributes,
  dkimAttributes,
  mailFromAttributes,
  verificationInfo,
} from '../shapes.js';
import {
  bumpIncarnation,
  exclusive,
  findIdentity,
  forgetKeys,
  type SesBackendState,
  saveIdentity,
  throttle,
} from '../state.js';
import { encodePageToken, keyLength, optionalObject, parseIdentity, validateTags } from '../validate.js';
import { domainOfAddress, verifiedForSending } from '../verified.js';
import { requireConfigurationSet } from './configuration-sets.js';
import { filterOf, type ListInput, listPage, pageBounds } from './listing.js';

function alreadyExists(display: string): SesException {
  return new SesException('AlreadyExistsException', `Email identity ${display} already exist.`);
}

/** The output of CreateEmailIdentity: an email address gets no DkimAttributes, as from SES. */
export interface CreateEmailIdentityOutput {
  IdentityType: 'DOMAIN' | 'EMAIL_ADDRESS';
  VerifiedForSendingStatus: boolean;
  DkimAttributes?: DkimAttributes;
}

/**
 * Admits one more identity under maxIdentities: the count and the reservation are taken under
 * one lock, and released by {@link commitIdentity} or {@link releaseAdmission}, so concurrent
 * creates cannot all pass the check.
 */
async function admit(state: SesBackendState): Promise<void> {
  await state.countLock(async () => {
    if ((await state.store.size()) + state.pendingCreates >= state.maxIdentities) {
      throw new SesException(
        'LimitExceededException',
        `The maximum number of email identities (${state.maxIdentities}) has been reached.`,
      );
    }
    state.pendingCreates++;
  });
}

async function commitIdentity(state: SesBackendState, key: string, record: IdentityRecord): Promise<void> {
  await state.countLock(async () => {
    state.pendingCreates--;
    if (await state.store.get(key)) throw alreadyExists(record.identity);
    await saveIdentity(state, key, record);
    bumpIncarnation(state, key);
  });
}

async function releaseAdmission(state: SesBackendState): Promise<void> {
  await state.countLock(async () => {
    state.pendingCreates--;
  });
}

/** A new record of `type`: DKIM not started (an address, or a domain until its signing is set up). */
export function newRecord(display: string, type: IdentityRecord['type'], at: number): IdentityRecord {
  return {
    identity: display,
    type,
    createdAt: at,
    version: 0,
    tags: [],
    signingEnabled: type === 'DOMAIN',
    origin: null,
    tokens: [],
    verifications: { dkim: { ...initialState({ at, identityType: type }), status: 'NOT_STARTED', pendingSince: null } },
  };
}

/** Sets up a new domain record's DKIM: a DEED replica, BYODKIM or Easy DKIM. */
async function setupDomainSigning(
  state: SesBackendState,
  record: IdentityRecord,
  key: string,
  signing: CreateEmailIdentityInput['DkimSigningAttributes'],
  at: number,
): Promise<void> {
  const replicaOf = originRegion(signing?.DomainSigningAttributesOrigin);
  if (replicaOf !== null) {
    if (signing?.DomainSigningSelector !== undefined || signing?.DomainSigningPrivateKey !== undefined) {
      throw badRequest('A DEED replica takes no DomainSigningSelector or DomainSigningPrivateKey.');
    }
    await replicaParent(state, replicaOf, key);
    Object.assign(record, { origin: 'AWS_SES', replicaOf });
  } else if (signing?.DomainSigningSelector !== undefined || signing?.DomainSigningPrivateKey !== undefined) {
    setupByodkim(state, record, signing.DomainSigningSelector, signing.DomainSigningPrivateKey);
  } else {
    await setupEasyDkim(state, record, record.identity, keyLength(signing?.NextSigningKeyLength), at);
  }
  record.verifications.dkim = initialState({ at });
}

/** CreateEmailIdentity. */
export async function createEmailIdentity(
  state: SesBackendState,
  input: CreateEmailIdentityInput,
): Promise<CreateEmailIdentityOutput> {
  throttle(state, 'CreateEmailIdentity');
  const { type, key, display } = parseIdentity(input.EmailIdentity);
  const tags = validateTags(input.Tags);
  const setName = input.ConfigurationSetName;
  if (setName !== undefined) requireConfigurationSet(state, setName);
  const signing = optionalObject(input.DkimSigningAttributes, 'DkimSigningAttributes');
  if (signing && type !== 'DOMAIN') {
    throw badRequest('DkimSigningAttributes can be specified only for domain identities, not email addresses.');
  }
  if (await state.store.get(key)) throw alreadyExists(display);
  const record = await addIdentity(state, key, async () => {
    const at = state.now();
    const record = newRecord(display, type, at);
    record.tags = tags;
    if (setName !== undefined) record.configurationSetName = setName;
    if (type === 'DOMAIN') await setupDomainSigning(state, record, key, signing, at);
    return record;
  });
  const verified = await verifiedForSending(state, record);
  if (type === 'EMAIL_ADDRESS') return { IdentityType: type, VerifiedForSendingStatus: verified };
  const shown = await effectiveRecord(state, record);
  return { IdentityType: type, VerifiedForSendingStatus: verified, DkimAttributes: dkimAttributes(shown) };
}

/**
 * Adds the identity `build` makes under `key`, alone for that key and within maxIdentities (the
 * place is reserved before `build` runs); AlreadyExistsException if it exists by then.
 */
export async function addIdentity(
  state: SesBackendState,
  key: string,
  build: () => Promise<IdentityRecord>,
): Promise<IdentityRecord> {
  return exclusive(state, key, async () => {
    await admit(state);
    let committed = false;
    try {
      const record = await build();
      committed = true;
      await commitIdentity(state, key, record);
      return record;
    } finally {
      if (!committed) await releaseAdmission(state);
    }
  });
}

/** GetEmailIdentity. */
export async function getEmailIdentity(state: SesBackendState, input: { EmailIdentity?: string }) {
  throttle(state, 'GetEmailIdentity');
  const [, stored] = await findIdentity(state, input.EmailIdentity);
  const record = await effectiveRecord(state, stored);
  const status = verificationStatus(record, state.now());
  return {
    IdentityType: record.type,
    FeedbackForwardingStatus: record.feedbackForwarding ?? true,
    VerifiedForSendingStatus: await verifiedForSending(state, stored),
    DkimAttributes: dkimAttributes(record, await domainOfAddress(state, record)),
    MailFromAttributes: mailFromAttributes(record),
    Policies: { ...record.policies },
    Tags: record.tags.map((tag) => ({ ...tag })),
    ...(record.configurationSetName !== undefined ? { ConfigurationSetName: record.configurationSetName } : {}),
    VerificationStatus: status,
    VerificationInfo: verificationInfo(record, status),
  };
}

/** DeleteEmailIdentity: also removes what the backend published for it, and its parsed keys. */
export async function deleteEmailIdentity(state: SesBackendState, input: { EmailIdentity?: string }) {
  throttle(state, 'DeleteEmailIdentity');
  const [key, record] = await findIdentity(state, input.EmailIdentity);
  return exclusive(state, key, async () => {
    unpublishProviderKeys(state, record);
    forgetKeys(state, record);
    await state.store.delete(key);
    bumpIncarnation(state, key);
    return {};
  });
}

/** One ListEmailIdentities entry; a record that cannot be read is listed as FAILED rather than ending the listing. */
async function identityInfo(state: SesBackendState, key: string, record: IdentityRecord) {
  try {
    return {
      IdentityType: record.type,
      IdentityName: record.identity,
      SendingEnabled: await verifiedForSending(state, record),
      VerificationStatus: verificationStatus(await effectiveRecord(state, record), state.now()),
    };
  } catch {
    return {
      IdentityType: record?.type === 'EMAIL_ADDRESS' ? ('EMAIL_ADDRESS' as const) : ('DOMAIN' as const),
      IdentityName: typeof record?.identity === 'string' ? record.identity : key,
      SendingEnabled: false,
      VerificationStatus: 'FAILED' as const,
    };
  }
}

const IDENTITY_FILTERS = {
  IDENTITY_NAME_CONTAINS: (entry: IdentityInfo, value: string) =>
    entry.IdentityName.toLowerCase().includes(value.toLowerCase()),
  IDENTITY_TYPE: (entry: IdentityInfo, value: string) => entry.IdentityType === value,
  VERIFICATION_STATUS: (entry: IdentityInfo, value: string) => entry.VerificationStatus === value,
};

type IdentityInfo = Awaited<ReturnType<typeof identityInfo>>;

/** ListEmailIdentities, with NextToken paging and the newer SDKs' Filter. Without a filter only the page is read. */
export async function listEmailIdentities(state: SesBackendState, input: ListInput = {}) {
  throttle(state, 'ListEmailIdentities');
  const filtered = filterOf(input.Filter, Object.keys(IDENTITY_FILTERS)) !== undefined;
  const { start, size } = pageBounds(input);
  const keys = await state.store.keys();
  const entries: IdentityInfo[] = [];
  for (const key of filtered ? keys : keys.slice(start, start + size)) {
    const record = await state.store.get(key);
    if (record) entries.push(await identityInfo(state, key, record)); // else deleted while listing
  }
  if (filtered) {
    const page = listPage(entries, input, IDENTITY_FILTERS);
    return { EmailIdentities: page.items, ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}) };
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
  await saveIdentity(state, key, record);
}
