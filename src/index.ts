// The package's main entry: the public, browser-safe API (keys, records, Easy DKIM, DNS, verification, SES).
/**
 * dkim-engine: DKIM keys and DNS verification with Amazon SES v2 semantics.
 * This entry is browser-safe; Node-only adapters live in `dkim-engine/node`. It exports the
 * API only: helpers such as base64 and internal limits stay in their modules.
 * @packageDocumentation
 */
export {
  DEFAULT_SIGNING_HOSTED_ZONE,
  type EasyDkimCnameRecord,
  type EasyDkimRecordOptions,
  type EasyDkimTokenOptions,
  easyDkimRecords,
  easyDkimTokens,
  generateProviderKeys,
  type HostedZoneSource,
  type ProviderKey,
  REGIONAL_SIGNING_HOSTED_ZONES,
  type SigningKeyLength,
  signingHostedZone,
} from './core/easy-dkim.js';
export { DKIM_ERROR_CODES, DkimError, type DkimErrorCode, isDkimError } from './core/errors.js';
export {
  type GenerateDkimKeyOptions,
  type GeneratedDkimKey,
  generateDkimKey,
  type KeyGenerationCrypto,
} from './core/generate.js';
export {
  DkimPrivateKey,
  type KeyEncoding,
  type KeyForm,
  type KeyWarning,
  MAX_SES_KEY_LENGTH,
  type ParsePrivateKeyOptions,
  parsePrivateKey,
  SUPPORTED_KEY_BITS,
  toPkcs8Der,
  toRsaPublicKeyDer,
  toSesPrivateKey,
} from './core/key.js';
export {
  type DkimKeyTagOptions,
  type DkimTxtRecord,
  type DkimTxtRecordOptions,
  dkimRecordName,
  dkimTxtRecord,
  splitCharacterStrings,
} from './core/key-record/format.js';
export {
  KEY_RECORD_HINTS,
  KEY_RECORD_ISSUE_CODES,
  type KeyRecordIssue,
  type KeyRecordIssueCode,
} from './core/key-record/issues.js';
export type { RecordPublicKey } from './core/key-record/key-data.js';
export { type DkimKeyRecord, parseDkimKeyRecord, type TxtRecordStrings } from './core/key-record/parse.js';
export type { KeyRecordTags } from './core/key-record/tags.js';
export {
  type ExpectedKey,
  evaluateKeyRecords,
  type KeyRecordsVerdict,
  VERDICTS,
  type Verdict,
} from './core/key-record/verdict.js';
export { normalizeDomain, normalizeSelector } from './core/names.js';
export type { RandomSource } from './core/prime.js';
// DKIM signatures: sign, verify and explain (RFC 6376, RFC 8463).
export {
  CANONICALIZATIONS,
  type Canonicalization,
  type CanonicalizationMode,
  canonicalizeBody,
  canonicalizeHeader,
} from './core/signature/canonicalize.js';
export { EXPLAIN_HASH_BUDGET } from './core/signature/explain.js';
export type { KeyResolver, KeyResolverAnswer } from './core/signature/key-lookup.js';
export {
  type HeaderField,
  MAX_HEADER_FIELDS,
  MAX_MESSAGE_BYTES,
  type Message,
  parseMessage,
} from './core/signature/message.js';
export type { SignatureCrypto, SignaturePrimitives } from './core/signature/primitives.js';
export {
  authenticationResults,
  type MessageResultKind,
  overallResult,
  SIGNATURE_CODES,
  type SignatureCode,
  type SignatureResultKind,
} from './core/signature/results.js';
export {
  SES_FEEDBACK_ID,
  SES_PROVIDER_DOMAIN,
  type SesSignedMessage,
  type SesSignOptions,
  sesSignMessage,
} from './core/signature/ses.js';
export {
  SES_SIGNED_HEADERS,
  type SignedMessage,
  type SignOptions,
  signMessage,
} from './core/signature/sign.js';
export { type ParsedSignature, parseSignatureField, type SigningAlgorithm } from './core/signature/signature-field.js';
export {
  Ed25519SigningKey,
  parseSigningKey,
  type SigningKey,
  signingKeyRecord,
} from './core/signature/signing-key.js';
export {
  parseTagList,
  serializeTagList,
  type Tag as SignatureTag,
  type TagListResult,
} from './core/signature/tag-list.js';
export {
  DEFAULT_MAX_SIGNATURES,
  DEFAULT_MIN_KEY_BITS,
  type MessageVerification,
  type SignatureVerification,
  type VerifyMessageOptions,
  verifyMessage,
} from './core/signature/verify.js';
export {
  type DkimStatus,
  initialState,
  nextCheckAt,
  type ObservationOutcome,
  replay,
  SUCCESS_RECHECK_MS,
  transition,
  VERIFICATION_WINDOW_MS,
  type VerificationEvent,
  type VerificationState,
} from './core/status.js';
export { type AuthoritativeOptions, authoritativeResolver, type ResolverFactory } from './dns/authoritative.js';
export { createDohResolver, type DohResolverOptions } from './dns/doh.js';
export type { CnameStep, DnsAnswer, DnsErrorKind, DnsRecordData, DnsRecordType, Resolver } from './dns/types.js';
export {
  createZoneResolver,
  type ZoneData,
  type ZoneFault,
  type ZoneNode,
  type ZoneResolver,
  type ZoneValue,
} from './dns/zone.js';
export { type BulkResult, type VerifyManyOptions, verifyMany } from './verify/bulk.js';
export { legacyTxtName, verifyLegacyTxt } from './verify/legacy-txt.js';
export {
  MAIL_FROM_SPF,
  type MailFromResult,
  mailFromMxTarget,
  mailFromRecords,
  verifyMailFrom,
} from './verify/mail-from.js';
export {
  type Expectation,
  type RecordCheck,
  VERDICT_STATUS,
  type VerificationResult,
  type VerifyOptions,
  verifyIdentity,
} from './verify/verify.js';
