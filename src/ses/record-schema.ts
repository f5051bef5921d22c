// The schema of a stored identity record: what restore() accepts, so one poisoned record cannot enter the backend.
import { isRegionName } from '../core/easy-dkim.js';
import type { VerificationState } from '../core/status.js';
import { badRequest } from './errors.js';
import { isStatusHistory } from './history.js';
import type { IdentityRecord } from './identity.js';
import type { SesBackendState } from './state.js';
import { byodkimAttributes, parseIdentity, validateTags } from './validate.js';

const STATUSES = ['NOT_STARTED', 'PENDING', 'SUCCESS', 'FAILED', 'TEMPORARY_FAILURE'];
const OUTCOMES = ['MATCH', 'NO_MATCH', 'DNS_ERROR'];
const ERRORS = [
  'DNS_SERVER_ERROR',
  'HOST_NOT_FOUND',
  'TYPE_NOT_FOUND',
  'INVALID_VALUE',
  'SERVICE_ERROR',
  'REPLICATION_PRIMARY_NOT_FOUND',
];
const KEY_LENGTHS = ['RSA_1024_BIT', 'RSA_2048_BIT'];
const TOKEN_PATTERN = /^[a-z2-7]{32}$/;
const LEGACY_TOKEN_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

type Raw = Record<string, unknown>;

class Invalid extends Error {}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Invalid(what);
}

const isTime = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
const isTimeOrNull = (value: unknown) => value === null || isTime(value);
const isOptional = (value: unknown, test: (v: unknown) => boolean) => value === undefined || test(value);
const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** A VerificationState as the state machine makes them. */
function checkVerification(raw: unknown, what: string): asserts raw is VerificationState {
  check(isObject(raw), `${what} is missing`);
  check(STATUSES.includes(raw.status as string), `${what}.status ${JSON.stringify(raw.status)} is not a status`);
  check(raw.identityType === 'DOMAIN' || raw.identityType === 'EMAIL_ADDRESS', `${what}.identityType is invalid`);
  for (const field of ['pendingSince', 'verifiedAt', 'failingSince', 'lastCheckedAt']) {
    check(isTimeOrNull(raw[field]), `${what}.${field} is not a time`);
  }
  check(raw.lastOutcome === null || OUTCOMES.includes(raw.lastOutcome as string), `${what}.lastOutcome is invalid`);
}

/** DKIM set-up: Easy DKIM's three tokens, BYODKIM's selector and a key that parses, nothing for an address. */
function checkSigning(state: SesBackendState, raw: Raw): void {
  check(typeof raw.signingEnabled === 'boolean', 'signingEnabled is not a boolean');
  check(raw.origin === null || raw.origin === 'AWS_SES' || raw.origin === 'EXTERNAL', 'origin is invalid');
  check(isStrings(raw.tokens), 'tokens is not a list of strings');
  check(
    isOptional(raw.replicaOf, (v) => typeof v === 'string' && isRegionName(v)),
    'replicaOf',
  );
  if (raw.type === 'EMAIL_ADDRESS' || raw.origin === null) {
    check(raw.tokens.length === 0, 'an identity without DKIM has no tokens');
    return;
  }
  if (raw.origin === 'AWS_SES') {
    if (raw.replicaOf !== undefined) return;
    check(raw.tokens.length === 3 && raw.tokens.every((t) => TOKEN_PATTERN.test(t)), 'Easy DKIM needs 3 tokens');
    check(typeof raw.hostedZone === 'string', 'Easy DKIM needs a hosted zone');
    for (const field of ['currentKeyLength', 'nextKeyLength']) {
      check(
        isOptional(raw[field], (v) => KEY_LENGTHS.includes(v as string)),
        `${field} is invalid`,
      );
    }
    check(isOptional(raw.lastKeyGeneration, isTime), 'lastKeyGeneration is not a time');
    if (raw.providerKeys !== undefined) {
      check(isStrings(raw.providerKeys) && raw.providerKeys.length === 3, 'providerKeys must be 3 keys');
      for (const key of raw.providerKeys) state.keyCache.get(key);
    }
    return;
  }
  byodkimAttributes(raw.selector, 'A'); // the selector's own rule
  check(raw.tokens.length === 1 && raw.tokens[0] === raw.selector, 'BYODKIM tokens must be [selector]');
  check(raw.privateKey === null || typeof raw.privateKey === 'string', 'privateKey is invalid');
  if (typeof raw.privateKey === 'string') state.keyCache.get(raw.privateKey); // throws DkimError when corrupted
}

/** MAIL FROM, v1 TXT token, feedback and policies: each optional, each checked when there. */
function checkExtras(raw: Raw, verifications: Raw): void {
  check(
    isOptional(raw.feedbackForwarding, (v) => typeof v === 'boolean'),
    'feedbackForwarding',
  );
  if (raw.mailFrom !== undefined) {
    const mailFrom = raw.mailFrom;
    check(isObject(mailFrom), 'mailFrom is invalid');
    check(mailFrom.domain === null || typeof mailFrom.domain === 'string', 'mailFrom.domain is invalid');
    check(['USE_DEFAULT_VALUE', 'REJECT_MESSAGE'].includes(mailFrom.behaviorOnMxFailure as string), 'behavior');
    check(
      isOptional(mailFrom.lastError, (v) => ERRORS.includes(v as string)),
      'mailFrom.lastError',
    );
  }
  if (verifications.mailFrom !== undefined) checkVerification(verifications.mailFrom, 'verifications.mailFrom');
  if (raw.legacyTxt !== undefined) {
    check(isObject(raw.legacyTxt) && LEGACY_TOKEN_PATTERN.test(String(raw.legacyTxt.token)), 'legacyTxt.token');
  }
  if (verifications.legacyTxt !== undefined) checkVerification(verifications.legacyTxt, 'verifications.legacyTxt');
  check(isOptional(raw.history, isStatusHistory), 'history is not a status history');
  check(
    isOptional(raw.policies, (v) => isObject(v) && Object.values(v).every((p) => typeof p === 'string')),
    'policies must map names to JSON text',
  );
}

/**
 * A restored record, checked against the schema and returned as a fresh copy with its store
 * key. A formatVersion 1 record (`state` instead of `verifications`) is migrated.
 * BadRequestException names the record and what is wrong with it.
 */
export function checkRecord(state: SesBackendState, input: unknown, index: number): [string, IdentityRecord] {
  const name = isObject(input) && typeof input.identity === 'string' ? input.identity.slice(0, 100) : '?';
  try {
    check(isObject(input), 'not an object');
    const raw: Raw = structuredClone(input);
    if (raw.verifications === undefined && raw.state !== undefined) {
      raw.verifications = { dkim: raw.state };
      delete raw.state;
    }
    raw.version ??= 0;
    const parsed = parseIdentity(raw.identity);
    check(parsed.type === raw.type, `type ${JSON.stringify(raw.type)} does not fit the identity`);
    check(isTime(raw.createdAt), 'createdAt is not a time');
    check(Number.isSafeInteger(raw.version) && (raw.version as number) >= 0, 'version is invalid');
    raw.tags = validateTags(raw.tags ?? []);
    check(
      isOptional(raw.configurationSetName, (v) => typeof v === 'string'),
      'configurationSetName',
    );
    check(isObject(raw.verifications), 'verifications (state) is missing');
    checkVerification(raw.verifications.dkim, 'verifications.dkim');
    check(raw.verifications.dkim.identityType === raw.type, 'the DKIM state is of another identity type');
    checkSigning(state, raw);
    for (const field of ['confirmedAt', 'lastSuccessAt']) check(isOptional(raw[field], isTime), `${field}`);
    check(
      isOptional(raw.lastError, (v) => ERRORS.includes(v as string)),
      'lastError is invalid',
    );
    checkExtras(raw, raw.verifications);
    return [parsed.key, raw as unknown as IdentityRecord];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badRequest(`Snapshot identity #${index} (${name}) is invalid: ${reason}.`);
  }
}
