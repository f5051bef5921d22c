// The console's read-only view of an identity: statuses, check times, the records to publish and what the page checks.
import { base64Decode, base64Encode } from '../../core/base64.js';
import { easyDkimRecords, signingHostedZone } from '../../core/easy-dkim.js';
import { parsePrivateKey } from '../../core/key.js';
import { dkimTxtRecord } from '../../core/key-record/format.js';
import { type DkimStatus, nextCheckAt, type VerificationState } from '../../core/status.js';
import { legacyTxtName } from '../../verify/legacy-txt.js';
import { mailFromRecords } from '../../verify/mail-from.js';
import { isStatusHistory, type StatusChange } from '../history.js';
import { type IdentityRecord, type VerificationKind, verificationStatus } from '../identity.js';

/** One record the owner publishes. */
export interface ConsoleRecord {
  /** The verification the record serves. */
  readonly kind: VerificationKind;
  readonly name: string;
  readonly type: 'CNAME' | 'TXT' | 'MX';
  readonly value: string;
  /** One zone-file line. */
  readonly zone: string;
}

/** One verification's state, as the console shows it. */
export interface ConsoleVerification {
  readonly status: DkimStatus;
  readonly pendingSince: number | null;
  readonly lastCheckedAt: number | null;
  /** When SES's cadence checks next (epoch ms); null when no check is due (FAILED, NOT_STARTED). */
  readonly nextCheckAt: number | null;
  /** The ErrorType SES shows for the last failed check. */
  readonly lastError: string | null;
}

/** What the page needs to run the same checks as the backend, in the page: public data only. */
export interface ConsoleChecks {
  readonly dkim?:
    | {
        readonly kind: 'easy-dkim';
        readonly domain: string;
        readonly tokens: readonly string[];
        readonly hostedZone: string;
        /** The provider's public keys (SPKI, base64), in token order, when the server publishes them. */
        readonly providerKeys?: readonly string[];
      }
    | { readonly kind: 'byodkim'; readonly domain: string; readonly selector: string; readonly key: string | null };
  readonly mailFrom?: { readonly mailFromDomain: string; readonly region: string };
  readonly legacyTxt?: { readonly domain: string; readonly token: string };
}

/** One identity as `GET /_dkim-engine/identities` lists it. */
export interface ConsoleIdentity {
  readonly identity: string;
  readonly type: 'DOMAIN' | 'EMAIL_ADDRESS';
  readonly createdAt: number;
  /** SES's VerificationStatus. */
  readonly status: DkimStatus;
  readonly signingEnabled: boolean;
  readonly origin: 'AWS_SES' | 'EXTERNAL' | null;
  readonly replicaOf: string | null;
  readonly verifications: Partial<Record<VerificationKind, ConsoleVerification>>;
  readonly records: readonly ConsoleRecord[];
  readonly checks: ConsoleChecks;
  /** The status changes checks made, oldest first. */
  readonly history: readonly StatusChange[];
}

/** The answer of `GET /_dkim-engine/identities`. */
export interface ConsoleIdentities {
  readonly region: string;
  /** Regions that have a backend on this server. */
  readonly regions: readonly string[];
  /** The emulator's clock (epoch ms). */
  readonly now: number;
  readonly identities: readonly ConsoleIdentity[];
  /** True when more identities exist than the answer holds. */
  readonly truncated: boolean;
}

// Public keys by private key text: parsing is the slow part, and the console asks often.
const spkiCache = new Map<string, string | null>();
const SPKI_CACHE_SIZE = 2000;

function publicKeyOf(privateKey: string | null | undefined): string | null {
  if (!privateKey) return null;
  let spki = spkiCache.get(privateKey);
  if (spki === undefined) {
    try {
      spki = base64Encode(parsePrivateKey(privateKey).spki);
    } catch {
      spki = null;
    }
    if (spkiCache.size >= SPKI_CACHE_SIZE) spkiCache.clear();
    spkiCache.set(privateKey, spki);
  }
  return spki;
}

function verificationView(state: VerificationState | undefined, lastError: string | undefined) {
  if (state === undefined) return undefined;
  return {
    status: state.status,
    pendingSince: state.pendingSince,
    lastCheckedAt: state.lastCheckedAt,
    nextCheckAt: nextCheckAt(state),
    lastError: lastError ?? null,
  };
}

/** DKIM's records and check: Easy DKIM's CNAMEs, or BYODKIM's key record. */
function dkimPart(record: IdentityRecord, region: string): { records: ConsoleRecord[]; check?: ConsoleChecks['dkim'] } {
  const domain = record.identity;
  if (record.type !== 'DOMAIN' || record.origin === null || record.replicaOf !== undefined) return { records: [] };
  if (record.origin === 'EXTERNAL') {
    const selector = record.selector ?? '';
    const key = publicKeyOf(record.privateKey);
    const check = { kind: 'byodkim' as const, domain, selector, key };
    if (key === null) return { records: [], check };
    const txt = dkimTxtRecord(base64Decode(key), { domain, selector });
    return { records: [{ kind: 'dkim', name: txt.name, type: 'TXT', value: txt.value, zone: txt.zone }], check };
  }
  const hostedZone = record.hostedZone ?? signingHostedZone({ region });
  const cnames = easyDkimRecords({ domain, tokens: record.tokens, hostedZone });
  const providerKeys = record.providerKeys?.map(publicKeyOf);
  const keys = providerKeys?.every((k) => k !== null) ? { providerKeys: providerKeys as string[] } : {};
  return {
    records: cnames.map((c) => ({ kind: 'dkim', name: c.name, type: 'CNAME', value: c.value, zone: c.zone })),
    check: { kind: 'easy-dkim', domain, tokens: record.tokens, hostedZone, ...keys },
  };
}

function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The console's view of one record: never private keys, only what the owner publishes and the page checks. */
export function consoleIdentity(record: IdentityRecord, region: string, at: number): ConsoleIdentity {
  const dkim = dkimPart(record, region);
  const records = [...dkim.records];
  const checks: { -readonly [K in keyof ConsoleChecks]: ConsoleChecks[K] } = dkim.check ? { dkim: dkim.check } : {};
  const mailFromDomain = record.mailFrom?.domain;
  if (mailFromDomain) {
    for (const r of mailFromRecords({ mailFromDomain, region })) {
      const data = r.type === 'TXT' ? quoted(r.value) : `${r.value}.`;
      records.push({ kind: 'mailFrom', ...r, zone: `${r.name}. IN ${r.type} ${data}` });
    }
    checks.mailFrom = { mailFromDomain, region };
  }
  if (record.legacyTxt) {
    const name = legacyTxtName(record.identity);
    const token = record.legacyTxt.token;
    records.push({ kind: 'legacyTxt', name, type: 'TXT', value: token, zone: `${name}. IN TXT ${quoted(token)}` });
    checks.legacyTxt = { domain: record.identity, token };
  }
  const v = record.verifications;
  const verifications: Partial<Record<VerificationKind, ConsoleVerification>> = {};
  const dkimView = verificationView(v.dkim, record.lastError);
  if (dkimView && record.type === 'DOMAIN') verifications.dkim = dkimView;
  const mailFromView = verificationView(v.mailFrom, record.mailFrom?.lastError);
  if (mailFromView) verifications.mailFrom = mailFromView;
  const legacyView = verificationView(v.legacyTxt, record.legacyTxt?.lastError);
  if (legacyView) verifications.legacyTxt = legacyView;
  return {
    identity: record.identity,
    type: record.type,
    createdAt: record.createdAt,
    status: verificationStatus(record, at),
    signingEnabled: record.signingEnabled,
    origin: record.origin,
    replicaOf: record.replicaOf ?? null,
    verifications,
    records,
    checks,
    history: isStatusHistory(record.history) ? record.history : [],
  };
}
