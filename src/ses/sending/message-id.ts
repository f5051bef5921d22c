// SES's message identifiers and stamped headers: the API MessageId, the Message-ID and Date fields, Feedback-ID.
import { base64Encode } from '../../core/base64.js';

/**
 * The first 4 hex digits of a MessageId by region, as seen in real ids (ses-research E.3:
 * `0100` us-east-1, `0101` us-west-2, `0102` eu-west-1; an inference from samples). Other
 * regions get `01` and two digits derived from the name, stable per region.
 */
const REGION_PREFIX: Readonly<Record<string, string>> = {
  'us-east-1': '0100',
  'us-west-2': '0101',
  'eu-west-1': '0102',
};

function regionPrefix(region: string): string {
  const known = REGION_PREFIX[region];
  if (known) return known;
  let hash = 0;
  for (const c of region) hash = (hash * 31 + c.charCodeAt(0)) & 0xff;
  return `01${hash.toString(16).padStart(2, '0')}`;
}

/**
 * A MessageId in SES's form: `<4 hex region><12 hex epoch ms>-<UUID>-000000`, e.g.
 * `010001800b4d1847-89f89015-ddad-488e-92d4-a7cafaff5056-000000` (us-east-1).
 */
export function sesMessageId(region: string, at: number, uuid: string = crypto.randomUUID()): string {
  const ms = Math.max(0, Math.floor(at)).toString(16).padStart(12, '0').slice(-12);
  return `${regionPrefix(region)}${ms}-${uuid}-000000`;
}

/** The Message-ID field value SES writes: `<id@email.amazonses.com>` in us-east-1, `<id@<region>.amazonses.com>` elsewhere. */
export function messageIdField(messageId: string, region: string): string {
  return `<${messageId}@${region === 'us-east-1' ? 'email' : region}.amazonses.com>`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An RFC 5322 date-time in UTC, as SES stamps it: "Amazon SES overrides it with a timestamp
 * that corresponds to the date and time in the UTC time zone when Amazon SES accepted the
 * message" (header-fields.html). E.g. `Tue, 1 Dec 2026 00:40:00 +0000`.
 */
export function rfc5322Date(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/**
 * The Feedback-ID field value: `1.<region>.<44 characters of base64>:AmazonSES` as in real SES
 * mail (ses-research E.3). The base64 part's meaning is unconfirmed; it is stable per sender,
 * so here it is the SHA-256 of the account and the sending identity.
 */
export async function feedbackId(region: string, accountId: string, identity: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`${accountId}\n${identity.toLowerCase()}`),
  );
  return `1.${region}.${base64Encode(new Uint8Array(digest))}:AmazonSES`;
}

/** The LocalStack outbox Timestamp: `YYYY-MM-DDTHH:MM:SS`, UTC, no zone, no fraction (localstack/utils/time.py). */
export function outboxTimestamp(at: number): string {
  return new Date(at).toISOString().slice(0, 19);
}
