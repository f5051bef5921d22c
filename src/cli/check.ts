// The `check` command: its options, and checking one identity from the command line.
import { settingsOf, verifyWithSettings } from './check-dns.js';
import { checkFile } from './check-file.js';
import { expectationOf } from './check-input.js';
import { exitCodeOf, renderHuman, resultJson } from './check-render.js';
import { type CommandContext, type CommandSpec, UsageError } from './command.js';
import { hostedZoneOptions, loadKey } from './key-input.js';
import { writeJson } from './output.js';

export const checkCommand: CommandSpec = {
  name: 'check',
  usage:
    'verify-dkim check <domain> (--selector <sel> [--private-key <file>] | --tokens <t1,t2,t3>) [options] | check --file <list>',
  summary: 'Checks the DKIM records of a domain (BYODKIM or Easy DKIM) in DNS.',
  positionals: 1,
  options: {
    selector: { type: 'string', value: 'sel', description: 'BYODKIM: the selector' },
    'private-key': { type: 'string', value: 'file|-', description: 'BYODKIM: the key the record must publish' },
    tokens: { type: 'string', value: 't1,t2,t3', description: 'Easy DKIM: the three tokens' },
    region: { type: 'string', value: 'r', description: 'Easy DKIM: AWS region, for its hosted zone' },
    'dkim-domain': { type: 'string', value: 'zone', description: 'Easy DKIM: a custom hosted zone' },
    file: { type: 'string', value: 'list', description: 'many identities, one JSON object per line' },
    resolver: {
      type: 'string',
      value: 'ip[:port]',
      description: 'DNS server to ask ([ipv6]:port); default /etc/resolv.conf',
    },
    authoritative: { type: 'boolean', description: "ask the zone's own name servers directly, bypassing caches" },
    port: { type: 'string', value: 'n', description: 'with --authoritative: their port (default 53)' },
    timeout: { type: 'string', value: 'ms', description: 'per attempt (default 2000)' },
    attempts: { type: 'string', value: 'n', description: 'attempts per question (default 3)' },
    concurrency: { type: 'string', value: 'n', description: 'with --file: identities at once (default 16)' },
  },
  run: (context) => (typeof context.options.file === 'string' ? checkFile(context) : checkOne(context)),
};

async function checkOne({ io, positionals, options, json }: CommandContext): Promise<number> {
  const domain = positionals[0];
  if (domain === undefined) throw new UsageError('a domain is required (or --file)');
  const settings = settingsOf(options);
  const zone = hostedZoneOptions(options);
  if (typeof options.selector === 'string' && typeof options.tokens === 'string') {
    throw new UsageError('give --selector or --tokens, not both');
  }
  // The key is read and validated before any lookup: a bad key is exit 2, not a DNS verdict.
  const privateKey = typeof options['private-key'] === 'string' ? await loadKey(options['private-key'], io) : undefined;
  const expectation = await expectationOf({
    domain,
    ...(typeof options.selector === 'string' ? { selector: options.selector } : {}),
    ...(typeof options.tokens === 'string' ? { tokens: options.tokens } : {}),
    ...(privateKey ? { privateKey } : {}),
    ...(zone.region ? { region: zone.region } : {}),
    ...(zone.hostedZone ? { hostedZone: zone.hostedZone } : {}),
  });
  const result = await verifyWithSettings(io, expectation, settings);
  if (json) writeJson(io.stdout, resultJson(result, expectation));
  else io.stdout.write(renderHuman(io, result, expectation, privateKey));
  return exitCodeOf([result.status]);
}
