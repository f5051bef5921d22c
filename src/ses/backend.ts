import {
  createEasyDkimIdentity,
  easyDkimTokens,
  generateProviderKeys,
  KEY_GENERATION_INTERVAL_MS,
  type ProviderKey,
  type SigningKeyLength,
  signingHostedZone,
} from '../core/easy-dkim.js';
import { DkimError } from '../core/errors.js';
import { type DkimPrivateKey, parsePrivateKey, toSesPrivateKey } from '../core/key.js';
import { normalizeDomain } from '../core/names.js';
import { type DkimStatus, initialState, nextCheckAt, transition, type VerificationState } from '../core/status.js';
import type { Resolver } from '../dns/types.js';
import type { ZoneResolver } from '../dns/zone.js';
import { type Expectation, type VerificationResult, verifyIdentity } from '../verify/verify.js';
import { badRequest, SesException } from './errors.js';

/** SES's patterns for the signing attributes. */
const SELECTOR_PATTERN = /^(([a-zA-Z0-9])|([a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]))$/;
const PRIVATE_KEY_PATTERN = /^[a-zA-Z0-9+/]+={0,2}$/;
const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const EMAIL_UNVERIFIED_FAILS_AFTER_MS = 24 * 60 * 60 * 1000;

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** The DkimAttributes shape of the SES v2 API. */
export interface DkimAttributes {
  SigningEnabled: boolean;
  Status: DkimStatus;
  Tokens: string[];
  SigningHostedZone?: string;
  SigningAttributesOrigin?: 'AWS_SES' | 'EXTERNAL';
  NextSigningKeyLength?: SigningKeyLength;
  CurrentSigningKeyLength?: SigningKeyLength;
  LastKeyGenerationTimestamp?: Date;
}

export interface CreateEmailIdentityInput {
  EmailIdentity?: string;
  Tags?: Tag[];
  DkimSigningAttributes?: {
    DomainSigningSelector?: string;
    DomainSigningPrivateKey?: string;
    NextSigningKeyLength?: SigningKeyLength;
  };
  ConfigurationSetName?: string;
}

export interface VerificationInfo {
  LastCheckedTimestamp?: Date;
  LastSuccessTimestamp?: Date;
  ErrorType?: 'DNS_SERVER_ERROR' | 'HOST_NOT_FOUND' | 'TYPE_NOT_FOUND' | 'INVALID_VALUE' | 'SERVICE_ERROR';
}

/** One identity as the backend keeps it: plain data, so it can be snapshotted. */
export interface IdentityRecord {
  identity: string;
  type: 'DOMAIN' | 'EMAIL_ADDRESS';
  createdAt: number;
  tags: Tag[];
  configurationSetName?: string;
  signingEnabled: boolean;
  origin: 'AWS_SES' | 'EXTERNAL' | null;
  tokens: string[];
  hostedZone?: string;
  selector?: string;
  /** BYODKIM: the key in SES form; null for a key accepted as SES does but unusable. */
  privateKey?: string | null;
  currentKeyLength?: SigningKeyLength;
  nextKeyLength?: SigningKeyLength;
  lastKeyGeneration?: number;
  /** Easy DKIM keys published into the provider zone, in SES form per token. */
  providerKeys?: string[];
  state: VerificationState;
  confirmedAt?: number;
  lastSuccessAt?: number;
  lastError?: VerificationInfo['ErrorType'];
}

/** Where identities live: an in-memory map by default; emulators may persist elsewhere. */
export interface IdentityStore {
  get(key: string): IdentityRecord | undefined;
  set(key: string, record: IdentityRecord): void;
  delete(key: string): void;
  /** Keys in creation order. */
  keys(): Iterable<string>;
  readonly size: number;
}

/** Options of {@link createSesV2Backend}. */
export interface SesV2BackendOptions {
  /** Where DNS is checked. */
  readonly resolver: Resolver;
  /** The clock, epoch milliseconds; default Date.now. */
  readonly now?: () => number;
  /** Default us-east-1; decides the Easy DKIM hosted zone. */
  readonly region?: string;
  /** Most identities; past it, LimitExceededException. Default 10,000. */
  readonly maxIdentities?: number;
  /** Known configuration sets; without it, none exists. */
  readonly configurationSets?: { has(name: string): boolean };
  /** Returns false to throttle a request (TooManyRequestsException). */
  readonly rateLimiter?: (operation: string) => boolean;
  readonly store?: IdentityStore;
  /**
   * SES accepts a well-formed key it cannot use, which then never verifies. By default the
   * backend refuses it with BadRequestException; 'accept' keeps SES's behaviour.
   */
  readonly unusableKeys?: 'reject' | 'accept';
  /** Deterministic Easy DKIM tokens: the secret of the token derivation. Random without it. */
  readonly tokenSecret?: string;
  /**
   * The backend's own hosted zone: Easy DKIM key records are published into it, and checks
   * follow each CNAME to them. Without it, Easy DKIM is verified by its three CNAMEs.
   */
  readonly providerZone?: ZoneResolver;
}

/** A snapshot of the backend's state, for emulators that persist. Holds private keys: store it as one. */
export interface SesV2Snapshot {
  readonly formatVersion: 1;
  readonly identities: readonly IdentityRecord[];
}

const STATUS_ERROR: Readonly<Record<string, VerificationInfo['ErrorType']>> = {
  DNS_ERROR: 'DNS_SERVER_ERROR',
  NXDOMAIN: 'HOST_NOT_FOUND',
  NODATA: 'TYPE_NOT_FOUND',
};

function memoryStore(): IdentityStore {
  const map = new Map<string, IdentityRecord>();
  return {
    get: (key) => map.get(key),
    set: (key, record) => void map.set(key, record),
    delete: (key) => void map.delete(key),
    keys: () => map.keys(),
    get size() {
      return map.size;
    },
  };
}

/**
 * The SES v2 email-identity operations, for emulators: SES's request validation, exceptions
 * and response shapes, with DKIM status driven by real DNS checks and the state machine.
 */
export function createSesV2Backend(options: SesV2BackendOptions) {
  const now = options.now ?? Date.now;
  const region = options.region ?? 'us-east-1';
  const maxIdentities = options.maxIdentities ?? 10_000;
  const store = options.store ?? memoryStore();
  const busy = new Set<string>();
  const keyCache = new Map<string, DkimPrivateKey>();

  const throttle = (operation: string) => {
    if (options.rateLimiter && !options.rateLimiter(operation)) {
      throw new SesException('TooManyRequestsException', 'Too many requests have been made to the operation.');
    }
  };

  const find = (raw: unknown): [string, IdentityRecord] => {
    const key = identityKey(raw);
    const record = store.get(key);
    if (!record) throw new SesException('NotFoundException', `Email identity ${String(raw)} does not exist.`);
    return [key, record];
  };

  /** Runs a mutation alone per identity: a second one meanwhile is a ConcurrentModificationException. */
  const exclusive = async <T>(key: string, action: () => Promise<T>): Promise<T> => {
    if (busy.has(key)) {
      throw new SesException(
        'ConcurrentModificationException',
        'The resource is being modified by another operation or thread.',
      );
    }
    busy.add(key);
    try {
      return await action();
    } finally {
      busy.delete(key);
    }
  };

  const keyOf = (pem: string): DkimPrivateKey => {
    let key = keyCache.get(pem);
    if (!key) {
      key = parsePrivateKey(pem);
      keyCache.set(pem, key);
    }
    return key;
  };

  const publishProviderKeys = (record: IdentityRecord, keys: readonly ProviderKey[]) => {
    if (!options.providerZone) return;
    for (const provider of keys) options.providerZone.set(provider.record.name, 'TXT', [provider.record.strings]);
    record.providerKeys = keys.map((p) => p.key.privateKey);
  };

  const unpublish = (record: IdentityRecord) => {
    if (!options.providerZone || !record.hostedZone) return;
    for (const token of record.tokens) options.providerZone.remove(`${token}.${record.hostedZone}`);
    record.providerKeys = undefined;
  };

  /** Sets up Easy DKIM on a record: tokens, and keys in the provider zone when there is one. */
  const setupEasyDkim = async (record: IdentityRecord, domain: string, keyLength: SigningKeyLength, at: number) => {
    unpublish(record);
    const hostedZone = signingHostedZone({ region });
    const secret = options.tokenSecret;
    if (options.providerZone) {
      const created = await createEasyDkimIdentity({
        domain,
        now: at,
        keyLength,
        hostedZone,
        ...(secret !== undefined ? { secret, generation: record.createdAt } : {}),
      });
      record.tokens = [...created.attributes.Tokens];
      publishProviderKeys(record, created.providerKeys);
    } else {
      record.tokens = await easyDkimTokens({
        domain,
        ...(secret !== undefined ? { secret, generation: record.createdAt } : {}),
      });
    }
    Object.assign(record, {
      origin: 'AWS_SES',
      hostedZone,
      selector: undefined,
      privateKey: undefined,
      currentKeyLength: keyLength,
      nextKeyLength: keyLength,
      lastKeyGeneration: at,
    });
  };

  const setupByodkim = (record: IdentityRecord, selector: unknown, privateKey: unknown) => {
    if (typeof selector !== 'string' || !SELECTOR_PATTERN.test(selector)) {
      throw badRequest(`Invalid DomainSigningSelector: it must be 1 to 63 letters, digits and inner hyphens.`);
    }
    if (
      typeof privateKey !== 'string' ||
      privateKey.length < 1 ||
      privateKey.length > 20_480 ||
      !PRIVATE_KEY_PATTERN.test(privateKey)
    ) {
      throw badRequest('Invalid DomainSigningPrivateKey: it must be 1 to 20480 characters of base64.');
    }
    let stored: string | null;
    try {
      stored = toSesPrivateKey(keyOf(privateKey));
    } catch (error) {
      if (!(error instanceof DkimError)) throw error;
      if ((options.unusableKeys ?? 'reject') === 'reject') {
        throw badRequest(`Invalid DomainSigningPrivateKey: ${error.message} (${error.code}).`);
      }
      stored = null; // SES's own behaviour: accepted, and it will never verify.
    }
    unpublish(record);
    Object.assign(record, {
      origin: 'EXTERNAL',
      selector,
      privateKey: stored,
      tokens: [selector],
      hostedZone: undefined,
      currentKeyLength: undefined,
      nextKeyLength: undefined,
      lastKeyGeneration: undefined,
    });
  };

  const dkimAttributes = (record: IdentityRecord): DkimAttributes => {
    if (record.type === 'EMAIL_ADDRESS') return { SigningEnabled: false, Status: 'NOT_STARTED', Tokens: [] };
    return {
      SigningEnabled: record.signingEnabled,
      Status: record.state.status,
      Tokens: [...record.tokens],
      ...(record.hostedZone ? { SigningHostedZone: record.hostedZone } : {}),
      ...(record.origin ? { SigningAttributesOrigin: record.origin } : {}),
      ...(record.nextKeyLength ? { NextSigningKeyLength: record.nextKeyLength } : {}),
      ...(record.currentKeyLength ? { CurrentSigningKeyLength: record.currentKeyLength } : {}),
      ...(record.lastKeyGeneration !== undefined
        ? { LastKeyGenerationTimestamp: new Date(record.lastKeyGeneration) }
        : {}),
    };
  };

  const emailStatus = (record: IdentityRecord, at: number): DkimStatus => {
    if (record.confirmedAt !== undefined) return 'SUCCESS';
    return at - record.createdAt >= EMAIL_UNVERIFIED_FAILS_AFTER_MS ? 'FAILED' : 'PENDING';
  };

  const verificationStatus = (record: IdentityRecord): DkimStatus =>
    record.type === 'EMAIL_ADDRESS' ? emailStatus(record, now()) : record.state.status;

  const parentVerified = (record: IdentityRecord): boolean => {
    if (record.type !== 'EMAIL_ADDRESS') return false;
    const domain = record.identity.slice(record.identity.lastIndexOf('@') + 1).toLowerCase();
    const parent = store.get(domain);
    return parent !== undefined && parent.state.status === 'SUCCESS';
  };

  const verifiedForSending = (record: IdentityRecord) =>
    verificationStatus(record) === 'SUCCESS' || parentVerified(record);

  const expectationOf = (record: IdentityRecord): Expectation | null => {
    const domain = record.identity;
    if (record.origin === 'EXTERNAL') {
      if (!record.privateKey || !record.selector) return null;
      return { kind: 'byodkim', domain, selector: record.selector, key: keyOf(record.privateKey) };
    }
    return {
      kind: 'easy-dkim',
      domain,
      tokens: record.tokens,
      hostedZone: record.hostedZone ?? signingHostedZone({ region }),
      ...(record.providerKeys ? { providerKeys: record.providerKeys.map(keyOf) } : {}),
    };
  };

  const applyCheck = (record: IdentityRecord, result: VerificationResult | null, at: number) => {
    if (result === null) {
      record.state = transition(record.state, { type: 'observation', at, outcome: 'NO_MATCH' });
      record.lastError = 'INVALID_VALUE';
      return;
    }
    record.state = transition(record.state, result.event);
    if (result.event.outcome === 'MATCH') {
      record.lastSuccessAt = at;
      record.lastError = undefined;
      return;
    }
    const failing = result.checks.find((check) => check.verdict !== 'MATCH' && check.verdict !== 'VALID');
    record.lastError =
      failing === undefined
        ? undefined
        : failing.verdict === 'DNS_ERROR'
          ? 'DNS_SERVER_ERROR'
          : (STATUS_ERROR[failing.dns ?? ''] ?? 'INVALID_VALUE');
  };

  const backend = {
    /** CreateEmailIdentity. */
    async createEmailIdentity(input: CreateEmailIdentityInput) {
      throttle('CreateEmailIdentity');
      const { type, key, display } = parseIdentity(input.EmailIdentity);
      const tags = validateTags(input.Tags);
      if (input.ConfigurationSetName !== undefined && !options.configurationSets?.has(input.ConfigurationSetName)) {
        throw new SesException('NotFoundException', `Configuration set ${input.ConfigurationSetName} does not exist.`);
      }
      const signing = input.DkimSigningAttributes;
      if (signing && type !== 'DOMAIN') {
        throw badRequest('DkimSigningAttributes can be specified only for domain identities, not email addresses.');
      }
      if (store.get(key)) throw new SesException('AlreadyExistsException', `Email identity ${display} already exist.`);
      if (store.size >= maxIdentities) {
        throw new SesException(
          'LimitExceededException',
          `The maximum number of email identities (${maxIdentities}) has been reached.`,
        );
      }
      return exclusive(key, async () => {
        const at = now();
        const record: IdentityRecord = {
          identity: display,
          type,
          createdAt: at,
          tags,
          ...(input.ConfigurationSetName !== undefined ? { configurationSetName: input.ConfigurationSetName } : {}),
          signingEnabled: type === 'DOMAIN',
          origin: null,
          tokens: [],
          state: initialState({ at, identityType: type }),
        };
        if (type === 'DOMAIN') {
          if (signing?.DomainSigningSelector !== undefined || signing?.DomainSigningPrivateKey !== undefined) {
            setupByodkim(record, signing.DomainSigningSelector, signing.DomainSigningPrivateKey);
          } else {
            await setupEasyDkim(record, display, keyLength(signing?.NextSigningKeyLength), at);
          }
        }
        if (store.get(key))
          throw new SesException('AlreadyExistsException', `Email identity ${display} already exist.`);
        store.set(key, record);
        return {
          IdentityType: type,
          VerifiedForSendingStatus: false,
          DkimAttributes: dkimAttributes(record),
        };
      });
    },

    /** GetEmailIdentity. */
    async getEmailIdentity(input: { EmailIdentity?: string }) {
      throttle('GetEmailIdentity');
      const [, record] = find(input.EmailIdentity);
      const status = verificationStatus(record);
      const info: VerificationInfo = {
        ...(record.state.lastCheckedAt !== null ? { LastCheckedTimestamp: new Date(record.state.lastCheckedAt) } : {}),
        ...(record.lastSuccessAt !== undefined ? { LastSuccessTimestamp: new Date(record.lastSuccessAt) } : {}),
        ...(record.lastError !== undefined && status !== 'SUCCESS' ? { ErrorType: record.lastError } : {}),
      };
      return {
        IdentityType: record.type,
        FeedbackForwardingStatus: true,
        VerifiedForSendingStatus: verifiedForSending(record),
        DkimAttributes: dkimAttributes(record),
        Policies: {},
        Tags: record.tags.map((tag) => ({ ...tag })),
        ...(record.configurationSetName !== undefined ? { ConfigurationSetName: record.configurationSetName } : {}),
        VerificationStatus: status,
        VerificationInfo: info,
      };
    },

    /** DeleteEmailIdentity: also removes what the backend published for it. */
    async deleteEmailIdentity(input: { EmailIdentity?: string }) {
      throttle('DeleteEmailIdentity');
      const [key, record] = find(input.EmailIdentity);
      return exclusive(key, async () => {
        unpublish(record);
        store.delete(key);
        return {};
      });
    },

    /** ListEmailIdentities, with NextToken paging. */
    async listEmailIdentities(input: { NextToken?: string; PageSize?: number } = {}) {
      throttle('ListEmailIdentities');
      const pageSize = input.PageSize ?? 100;
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
        throw badRequest('PageSize must be an integer from 1 to 1000.');
      }
      let start = 0;
      if (input.NextToken !== undefined) {
        start = decodeToken(input.NextToken);
      }
      const keys = [...store.keys()];
      const page = keys.slice(start, start + pageSize);
      return {
        EmailIdentities: page.map((key) => {
          const record = store.get(key) as IdentityRecord;
          return {
            IdentityType: record.type,
            IdentityName: record.identity,
            SendingEnabled: verifiedForSending(record),
            VerificationStatus: verificationStatus(record),
          };
        }),
        ...(start + pageSize < keys.length ? { NextToken: encodeToken(start + pageSize) } : {}),
      };
    },

    /** PutEmailIdentityDkimSigningAttributes: switches between Easy DKIM and BYODKIM, or changes the key length. */
    async putEmailIdentityDkimSigningAttributes(input: {
      EmailIdentity?: string;
      SigningAttributesOrigin?: string;
      SigningAttributes?: CreateEmailIdentityInput['DkimSigningAttributes'];
    }) {
      throttle('PutEmailIdentityDkimSigningAttributes');
      const [key, record] = find(input.EmailIdentity);
      if (record.type !== 'DOMAIN') throw badRequest('DKIM signing attributes apply to domain identities only.');
      const origin = input.SigningAttributesOrigin;
      if (origin !== 'EXTERNAL' && (typeof origin !== 'string' || !origin.startsWith('AWS_SES'))) {
        throw badRequest('SigningAttributesOrigin must be AWS_SES or EXTERNAL.');
      }
      return exclusive(key, async () => {
        const at = now();
        if (origin === 'EXTERNAL') {
          const attributes = input.SigningAttributes;
          setupByodkim(record, attributes?.DomainSigningSelector, attributes?.DomainSigningPrivateKey);
          record.state = transition(record.state, { type: 'start', at });
        } else if (record.origin === 'AWS_SES' && input.SigningAttributes?.NextSigningKeyLength !== undefined) {
          const next = keyLength(input.SigningAttributes.NextSigningKeyLength);
          if (next !== record.nextKeyLength) {
            if (record.lastKeyGeneration !== undefined && at - record.lastKeyGeneration < KEY_GENERATION_INTERVAL_MS) {
              throw badRequest('NextSigningKeyLength can be changed at most once per day.');
            }
            record.nextKeyLength = next;
            if (options.providerZone) {
              // Rotation keeps the tokens (the owner's CNAMEs stay valid) and renews the keys behind them.
              publishProviderKeys(
                record,
                await generateProviderKeys({
                  tokens: record.tokens,
                  keyLength: next,
                  hostedZone: record.hostedZone ?? signingHostedZone({ region }),
                }),
              );
            }
            record.currentKeyLength = next;
            record.lastKeyGeneration = at;
          }
        } else if (record.origin !== 'AWS_SES') {
          await setupEasyDkim(record, record.identity, keyLength(input.SigningAttributes?.NextSigningKeyLength), at);
          record.state = transition(record.state, { type: 'start', at });
        }
        store.set(key, record);
        return { DkimStatus: record.state.status, DkimTokens: [...record.tokens] };
      });
    },

    /** PutEmailIdentityDkimAttributes: SigningEnabled. The status does not change. */
    async putEmailIdentityDkimAttributes(input: { EmailIdentity?: string; SigningEnabled?: boolean }) {
      throttle('PutEmailIdentityDkimAttributes');
      const [key, record] = find(input.EmailIdentity);
      if (record.type !== 'DOMAIN') throw badRequest('DKIM signing applies to domain identities only.');
      return exclusive(key, async () => {
        record.signingEnabled = input.SigningEnabled === true;
        record.state = transition(record.state, { type: 'signing', at: now(), enabled: record.signingEnabled });
        store.set(key, record);
        return {};
      });
    },

    /** Runs every check that is due on the backend's clock; returns how many ran. */
    async checkAll(): Promise<{ checked: number }> {
      const at = now();
      let checked = 0;
      for (const key of [...store.keys()]) {
        const record = store.get(key);
        if (record?.type !== 'DOMAIN' || busy.has(key)) continue;
        const due = nextCheckAt(record.state);
        if (due === null || due > at) continue;
        const expectation = expectationOf(record);
        const result =
          expectation === null
            ? null
            : await verifyIdentity(expectation, options.resolver, {
                now: at,
                followTargets: Boolean(options.providerZone),
              });
        const current = store.get(key);
        if (current !== record) continue; // deleted or replaced meanwhile
        applyCheck(record, result, at);
        store.set(key, record);
        checked++;
      }
      return { checked };
    },

    /** The verification link was clicked: the address identity is verified. */
    confirmEmailAddress(emailIdentity: string): void {
      const [key, record] = find(emailIdentity);
      if (record.type !== 'EMAIL_ADDRESS') throw badRequest(`${emailIdentity} is not an email address identity.`);
      if (emailStatus(record, now()) === 'FAILED')
        throw badRequest(`The verification of ${emailIdentity} has expired; create it again.`);
      record.confirmedAt = now();
      store.set(key, record);
    },

    /** Whether SendEmail from this address would be allowed: a verified address, or an address under a verified domain. */
    canSend(fromAddress: string): boolean {
      const at = fromAddress.lastIndexOf('@');
      if (at <= 0) return false;
      const address = store.get(identityKeyOrNull(fromAddress) ?? '');
      if (address && verifiedForSending(address)) return true;
      let domain: string;
      try {
        domain = normalizeDomain(fromAddress.slice(at + 1));
      } catch {
        return false;
      }
      const labels = domain.split('.');
      for (let i = 0; i < labels.length - 1; i++) {
        const record = store.get(labels.slice(i).join('.'));
        if (record?.type === 'DOMAIN' && record.state.status === 'SUCCESS') return true;
      }
      return false;
    },

    /** The whole state, for emulators that persist (it contains private keys). */
    snapshot(): SesV2Snapshot {
      return {
        formatVersion: 1,
        identities: [...store.keys()].map((key) => structuredClone(store.get(key) as IdentityRecord)),
      };
    },

    /** Replaces the state with a snapshot. */
    restore(snapshot: SesV2Snapshot): void {
      if (snapshot?.formatVersion !== 1 || !Array.isArray(snapshot.identities)) {
        throw badRequest('Unknown snapshot format.');
      }
      for (const key of [...store.keys()]) store.delete(key);
      for (const record of snapshot.identities) store.set(identityKey(record.identity), structuredClone(record));
    },
  };
  return backend;
}

/** The backend created by {@link createSesV2Backend}. */
export type SesV2Backend = ReturnType<typeof createSesV2Backend>;

function keyLength(value: unknown): SigningKeyLength {
  if (value === undefined) return 'RSA_2048_BIT';
  if (value === 'RSA_1024_BIT' || value === 'RSA_2048_BIT') return value;
  throw badRequest('NextSigningKeyLength must be RSA_1024_BIT or RSA_2048_BIT.');
}

function parseIdentity(raw: unknown): { type: 'DOMAIN' | 'EMAIL_ADDRESS'; key: string; display: string } {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 320) {
    throw badRequest('EmailIdentity is required: an email address or a domain.');
  }
  const at = raw.lastIndexOf('@');
  try {
    if (at >= 0) {
      const local = raw.slice(0, at);
      if (local.length === 0 || local.length > 64 || /[\s"(),:;<>@[\\\]]/.test(local))
        throw badRequest(`Invalid email address ${raw}.`);
      const display = `${local}@${normalizeDomain(raw.slice(at + 1))}`;
      return { type: 'EMAIL_ADDRESS', key: display.toLowerCase(), display };
    }
    const domain = normalizeDomain(raw);
    return { type: 'DOMAIN', key: domain, display: domain };
  } catch (error) {
    if (error instanceof DkimError) throw badRequest(`Invalid email identity ${raw.slice(0, 100)}: ${error.message}.`);
    throw error;
  }
}

function identityKey(raw: unknown): string {
  return parseIdentity(raw).key;
}

function identityKeyOrNull(raw: string): string | null {
  try {
    return identityKey(raw);
  } catch {
    return null;
  }
}

function validateTags(tags: unknown): Tag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw badRequest('Tags must be a list.');
  const seen = new Set<string>();
  for (const tag of tags as Tag[]) {
    const key = tag?.Key;
    const value = tag?.Value ?? '';
    if (typeof key !== 'string' || key.length < 1 || key.length > 128)
      throw badRequest('A tag key must be 1 to 128 characters.');
    if (typeof value !== 'string' || value.length > 256) throw badRequest('A tag value must be 0 to 256 characters.');
    if (!TAG_PATTERN.test(key) || !TAG_PATTERN.test(value)) {
      throw badRequest('Tags may contain Unicode letters, digits, white space and _ . : / = + - @ only.');
    }
    if (key.toLowerCase().startsWith('aws:') || value.toLowerCase().startsWith('aws:')) {
      throw badRequest('The aws: prefix is reserved for AWS use.');
    }
    if (seen.has(key)) throw badRequest(`Duplicate tag key ${key}.`);
    seen.add(key);
  }
  if (tags.length > 50) throw badRequest('An identity can have at most 50 tags.');
  return (tags as Tag[]).map((tag) => ({ Key: tag.Key, Value: tag.Value ?? '' }));
}

function encodeToken(offset: number): string {
  return btoa(JSON.stringify({ o: offset }));
}

function decodeToken(token: string): number {
  try {
    const offset = (JSON.parse(atob(token)) as { o?: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw badRequest('Invalid NextToken.');
}
