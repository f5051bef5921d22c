// The key commands: `record`, `tokens` and `keygen`.
import { open } from 'node:fs/promises';
import { easyDkimRecords, easyDkimTokens, signingHostedZone } from '../core/easy-dkim.js';
import { generateDkimKey } from '../core/generate.js';
import { dkimTxtRecord, keyRecordText } from '../core/key-record/format.js';
import { type CommandSpec, EXIT, UsageError } from './command.js';
import { hostedZoneOptions, loadKey } from './key-input.js';
import { writeJson } from './output.js';

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function requireDomain(positionals: readonly string[]): string {
  const domain = positionals[0];
  if (domain === undefined) throw new UsageError('a domain is required');
  return domain;
}

export const recordCommand: CommandSpec = {
  name: 'record',
  usage: 'verify-dkim record <domain> --selector <sel> --private-key <file> [--json]',
  summary: 'The TXT record to publish for a BYODKIM key: zone-file text, strings of at most 255 octets.',
  positionals: 1,
  options: {
    selector: { type: 'string', value: 'sel', description: 'the DKIM selector' },
    'private-key': { type: 'string', value: 'file|-', description: 'the key (SES base64 or PEM); - reads stdin' },
  },
  async run({ io, positionals, options, json }) {
    const domain = requireDomain(positionals);
    const selector = requireString(options.selector, 'selector');
    const key = await loadKey(requireString(options['private-key'], 'private-key'), io);
    const record = dkimTxtRecord(key, { domain, selector });
    if (json) {
      writeJson(io.stdout, {
        name: record.name,
        type: 'TXT',
        value: record.value,
        strings: record.strings,
        bits: key.bits,
        keyEncoding: key.encoding,
      });
    } else {
      io.stdout.write(`${record.zone}\n`);
      for (const warning of key.warnings) io.stderr.write(`note: ${warning.message}\n`);
    }
    return EXIT.SUCCESS;
  },
};

export const tokensCommand: CommandSpec = {
  name: 'tokens',
  usage: 'verify-dkim tokens <domain> [--seed <s>] [--region <r> | --dkim-domain <zone>] [--json]',
  summary: 'The three Easy DKIM CNAME records: deterministic with --seed, else random.',
  positionals: 1,
  options: {
    seed: { type: 'string', value: 's', description: 'derive the tokens from this secret (generation 0)' },
    region: { type: 'string', value: 'r', description: 'AWS region, for its DKIM hosted zone' },
    'dkim-domain': { type: 'string', value: 'zone', description: 'a custom hosted zone' },
  },
  async run({ io, positionals, options, json }) {
    const domain = requireDomain(positionals);
    const zoneOptions = hostedZoneOptions(options);
    const tokens = await easyDkimTokens({
      domain,
      ...(typeof options.seed === 'string' ? { secret: options.seed } : {}),
    });
    const records = easyDkimRecords({ domain, tokens, ...zoneOptions });
    if (json) {
      writeJson(io.stdout, {
        domain: records[0]?.name.split('._domainkey.')[1] ?? domain,
        signingHostedZone: signingHostedZone(zoneOptions),
        tokens,
        records: records.map(({ name, type, value }) => ({ name, type, value })),
      });
    } else {
      for (const record of records) io.stdout.write(`${record.zone}\n`);
    }
    return EXIT.SUCCESS;
  },
};

export const keygenCommand: CommandSpec = {
  name: 'keygen',
  usage: 'verify-dkim keygen --out <file|-> [--bits 1024|2048] [--selector <s> --domain <d>] [--json]',
  summary: 'A new key in SES form (PKCS #1 base64, one line), written with mode 0600, never overwriting.',
  positionals: 0,
  options: {
    out: { type: 'string', value: 'file|-', description: 'where to write the key; - prints it on stdout' },
    bits: { type: 'string', value: 'n', description: '1024 or 2048 (default 2048)' },
    selector: { type: 'string', value: 's', description: 'with --domain: also print the TXT record' },
    domain: { type: 'string', value: 'd', description: 'with --selector: also print the TXT record' },
  },
  async run({ io, options, json }) {
    const out = requireString(options.out, 'out');
    const bits = options.bits === undefined ? 2048 : Number(options.bits);
    if (bits !== 1024 && bits !== 2048) throw new UsageError('--bits must be 1024 or 2048');
    const { selector, domain } = options;
    if ((selector === undefined) !== (domain === undefined))
      throw new UsageError('--selector and --domain go together');
    const generated = await generateDkimKey({
      bits,
      ...(typeof selector === 'string' && typeof domain === 'string' ? { selector, domain } : {}),
    });
    const record = generated.record;
    // Without a selector and domain there is no record name, but the TXT value is known.
    const value = record?.value ?? keyRecordText(generated.key.spki);
    const publish = record
      ? `publish:\n${record.zone}\n`
      : `TXT value to publish at <selector>._domainkey.<domain>:\n${value}\n`;
    const described = record ? { record: recordJson(record) } : { value };
    if (out === '-') {
      if (json) writeJson(io.stdout, { privateKey: generated.privateKey, bits, ...described });
      else {
        io.stdout.write(`${generated.privateKey}\n`);
        io.stderr.write(publish);
      }
      return EXIT.SUCCESS;
    }
    await writeNewFile(out, `${generated.privateKey}\n`);
    if (json) writeJson(io.stdout, { file: out, bits, ...described });
    else io.stdout.write(`wrote a ${bits}-bit key in SES form to ${out} (mode 0600)\n${publish}`);
    return EXIT.SUCCESS;
  },
};

function recordJson(record: { name: string; value: string; strings: readonly string[] }) {
  return { name: record.name, type: 'TXT', value: record.value, strings: record.strings };
}

async function writeNewFile(path: string, text: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // 'wx' refuses to follow or replace an existing file; 0600 keeps the key private.
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unknown';
    if (code === 'EEXIST') throw new UsageError(`${path} exists; not overwriting it`, 'FILE_EXISTS');
    throw new UsageError(`cannot create ${path} (${code})`, 'FILE_UNWRITABLE');
  }
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}
