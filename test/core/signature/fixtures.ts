// Keys and zones for the signature tests: RSA keys from node:crypto (independent of ours), Ed25519 from RFC 8032.
import { generateKeyPairSync } from 'node:crypto';
import {
  createZoneResolver,
  type DkimPrivateKey,
  type Ed25519SigningKey,
  parsePrivateKey,
  parseSigningKey,
  signingKeyRecord,
  splitCharacterStrings,
  type ZoneResolver,
} from '../../../src/index.js';

/** A signing key with the TXT value that publishes it. */
export interface TestKey<K = DkimPrivateKey | Ed25519SigningKey> {
  readonly name: string;
  readonly key: K;
  readonly record: string;
  /** What /usr/bin/python3's dkimpy takes: PEM for RSA, base64 seed for Ed25519. */
  readonly dkimpyKey: string;
}

/** RFC 8032 section 7.1, test 1: the seed RFC 8463's own example uses too. */
export const RFC8032_SEED = 'nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=';

export async function rsaKey(bits: 1024 | 2048): Promise<TestKey<DkimPrivateKey>> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const key = parsePrivateKey(pem);
  return { name: `rsa-${bits}`, key, record: await signingKeyRecord(key), dkimpyKey: pem };
}

export async function ed25519Key(seed = RFC8032_SEED): Promise<TestKey<Ed25519SigningKey>> {
  const key = parseSigningKey(seed) as Ed25519SigningKey;
  return { name: 'ed25519', key, record: await signingKeyRecord(key), dkimpyKey: seed };
}

/** A zone serving `record` at `<selector>._domainkey.<domain>`. */
export function zoneWith(records: Record<string, string>): ZoneResolver {
  const zone: Record<string, { TXT: string[][] }> = {};
  for (const [name, value] of Object.entries(records)) zone[name] = { TXT: [splitCharacterStrings(value)] };
  return createZoneResolver(zone);
}

/** A small message with the usual header fields. */
export const SIMPLE_MESSAGE =
  'From: Alice <alice@example.com>\r\n' +
  'To: bob@example.org\r\n' +
  'Subject: Hello\r\n' +
  'Date: Tue, 01 Dec 2026 00:00:00 +0000\r\n' +
  'Message-ID: <1@example.com>\r\n' +
  '\r\n' +
  'Hi Bob,\r\n' +
  'how are you?\r\n';

/** Noon, 1 December 2026, in epoch milliseconds and Unix seconds. */
export const NOW_MS = Date.UTC(2026, 11, 1, 12);
export const NOW_S = NOW_MS / 1000;
