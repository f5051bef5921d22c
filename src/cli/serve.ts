// `verify-dkim serve`: runs the SES emulator until SIGTERM or SIGINT.
import { DkimError } from '../core/errors.js';
import { createUdpResolver } from '../dns/node/udp.js';
import { createConsoleMounts } from '../ses/node/console-routes.js';
import { type SesServer, SesServerError, startSesServer } from '../ses/node/server.js';
import { sesV1Mounts } from '../ses/node/v1-mounts.js';
import { type CommandContext, type CommandSpec, EXIT, UsageError } from './command.js';
import { writeJson } from './output.js';

/** The port LocalStack and the AWS tooling around it use, so endpoint settings carry over. */
const DEFAULT_PORT = 4566;

export const serveCommand: CommandSpec = {
  name: 'serve',
  usage:
    'verify-dkim serve [--port <n>] [--host <addr>] [--region <r>] [--account-id <id>] [--resolver <ip[:port]>] [--dns-port <n>] [--check-every <ms>] [--sandbox]',
  summary: 'Runs an SES v2 emulator (awscli, boto3, the AWS SDKs) checking DKIM and MAIL FROM in real DNS.',
  positionals: 0,
  options: {
    port: { type: 'string', value: 'n', description: `HTTP port (default ${DEFAULT_PORT}; 0: a free port)` },
    host: { type: 'string', value: 'addr', description: 'address to listen on (default 127.0.0.1)' },
    region: { type: 'string', value: 'r', description: 'region of unsigned requests (default us-east-1)' },
    'account-id': { type: 'string', value: 'id', description: 'twelve digits (default 000000000000)' },
    resolver: {
      type: 'string',
      value: 'ip[:port]',
      description: "the customer's DNS server ([ipv6]:port); default /etc/resolv.conf",
    },
    'dns-port': {
      type: 'string',
      value: 'n',
      description: "serve the provider's DKIM zones over UDP+TCP on this port",
    },
    'check-every': { type: 'string', value: 'ms', description: 'recheck pending identities at least this often' },
    sandbox: { type: 'boolean', description: 'the account starts in the SES sandbox' },
  },
  run: serve,
};

async function serve({ io, options, json }: CommandContext): Promise<number> {
  const integer = (name: string, min: number, max: number): number | undefined => {
    const text = options[name];
    if (typeof text !== 'string') return undefined;
    if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
    }
    return Number(text);
  };
  const port = integer('port', 0, 65_535) ?? DEFAULT_PORT;
  const dnsPort = integer('dns-port', 0, 65_535);
  const checkEvery = integer('check-every', 10, 86_400_000);
  const resolverOptions = {
    ...(typeof options.resolver === 'string' ? { servers: [options.resolver] } : {}),
    timeout: 2000,
    attempts: 3,
  };
  const resolver = io.createResolver ? io.createResolver(resolverOptions) : createUdpResolver(resolverOptions);
  let server: SesServer;
  try {
    server = await startSesServer({
      resolver,
      port,
      ...(typeof options.host === 'string' ? { host: options.host } : {}),
      ...(typeof options.region === 'string' ? { region: options.region } : {}),
      ...(typeof options['account-id'] === 'string' ? { accountId: options['account-id'] } : {}),
      ...(dnsPort !== undefined ? { dnsPort } : {}),
      ...(checkEvery !== undefined ? { checkEvery } : {}),
      sandbox: options.sandbox === true,
      mounts: [...sesV1Mounts(), ...createConsoleMounts()],
      onError: (error) => io.stderr.write(`verify-dkim serve: ${error instanceof Error ? error.message : error}\n`),
    });
  } catch (error) {
    await resolver.close?.();
    if (error instanceof SesServerError) throw new UsageError(error.message, error.code);
    if (error instanceof DkimError) throw new UsageError(error.message, error.code);
    throw error;
  }
  // The first line is the contract scripts wait for: the real port when --port 0.
  if (json) writeJson(io.stdout, { listening: server.url, ...(server.dnsAddress ? { dns: server.dnsAddress } : {}) });
  else {
    io.stdout.write(`listening on ${server.url}\n`);
    if (server.dnsAddress) io.stdout.write(`dns on ${server.dnsAddress}\n`);
  }
  const signal = await (io.waitForSignal?.() ?? new Promise<never>(() => {}));
  io.stderr.write(`verify-dkim serve: ${signal}: finishing in-flight requests\n`);
  await server.close();
  return EXIT.SUCCESS;
}
