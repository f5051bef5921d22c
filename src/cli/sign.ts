// The `sign` command: prints a DKIM-Signature field followed by the message, byte for byte.
import { DkimError } from '../core/errors.js';
import type { Canonicalization } from '../core/signature/canonicalize.js';
import { algorithmOf } from '../core/signature/signing-key.js';
import { signMessage } from '../signature/node/api.js';
import { type CommandSpec, EXIT, UsageError } from './command.js';
import { readMessage, readSigningKey } from './message-input.js';
import { writeJson } from './output.js';

function required(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function unixTime(value: string, name: string): number {
  if (!/^[0-9]{1,12}$/.test(value)) throw new UsageError(`--${name} must be a Unix time in seconds`);
  return Number(value);
}

export const signCommand: CommandSpec = {
  name: 'sign',
  usage:
    'verify-dkim sign [<message-file>|-] --domain <d> --selector <s> --private-key <file> [--algorithm <a>] [--canonicalization <h>/<b>] [--headers <h1:h2>] [--timestamp <unix>|none] [--expire <unix>] [--identity <i>] [--body-length]',
  summary: 'Signs a message: prints the DKIM-Signature field, then the message byte for byte (SES profile by default).',
  positionals: 1,
  options: {
    domain: { type: 'string', value: 'd', description: 'd=: the signing domain' },
    selector: { type: 'string', value: 's', description: 's=: the selector' },
    'private-key': {
      type: 'string',
      value: 'file|-',
      description: 'RSA (SES base64, PEM, DER) or Ed25519 (PKCS #8, base64 seed)',
    },
    algorithm: { type: 'string', value: 'a', description: 'rsa-sha256 or ed25519-sha256 (must match the key)' },
    canonicalization: { type: 'string', value: 'h/b', description: 'c=, default relaxed/simple (SES)' },
    headers: {
      type: 'string',
      value: 'h1:h2',
      description: "h=, default SES's set as present; absent names over-sign",
    },
    timestamp: { type: 'string', value: 'unix|none', description: 't=, default now' },
    expire: { type: 'string', value: 'unix', description: 'x=: the signature expires then' },
    identity: { type: 'string', value: 'i', description: 'i=: an address in the domain or a subdomain' },
    'body-length': { type: 'boolean', description: 'l=: sign the body length (lets others append content)' },
  },
  async run({ io, positionals, options, json }) {
    const domain = required(options.domain, 'domain');
    const selector = required(options.selector, 'selector');
    const keyPath = required(options['private-key'], 'private-key');
    const c = options.canonicalization;
    if (c !== undefined && !/^(simple|relaxed)(\/(simple|relaxed))?$/.test(String(c))) {
      throw new UsageError('--canonicalization must be simple or relaxed, as <header>/<body>');
    }
    const timestamp =
      options.timestamp === undefined
        ? Math.floor(io.now() / 1000)
        : options.timestamp === 'none'
          ? null
          : unixTime(String(options.timestamp), 'timestamp');
    const key = await readSigningKey(keyPath, io);
    const algorithm = options.algorithm;
    if (algorithm !== undefined && algorithm !== 'rsa-sha256' && algorithm !== 'ed25519-sha256') {
      throw new UsageError('--algorithm must be rsa-sha256 or ed25519-sha256');
    }
    if (algorithm !== undefined && algorithm !== algorithmOf(key)) {
      throw new UsageError(`--algorithm ${algorithm} does not match the key, which signs ${algorithmOf(key)}`);
    }
    const message = await readMessage(positionals[0], io);
    const signed = await signMessage(message, {
      domain,
      selector,
      key,
      timestamp,
      ...(c === undefined ? {} : { canonicalization: c as Canonicalization }),
      ...(typeof options.headers === 'string' ? { headers: options.headers.split(':').map((h) => h.trim()) } : {}),
      ...(typeof options.expire === 'string' ? { expiration: unixTime(options.expire, 'expire') } : {}),
      ...(typeof options.identity === 'string' ? { identity: options.identity } : {}),
      ...(options['body-length'] === true ? { bodyLength: true } : {}),
    });
    if (json) {
      const { field, algorithm: a, canonicalization, signedHeaders, bodyHash } = signed;
      writeJson(io.stdout, { field, algorithm: a, canonicalization, signedHeaders, bodyHash });
      return EXIT.SUCCESS;
    }
    const out = signed.prepend(message);
    if (io.stdout.writeBytes === undefined) {
      throw new DkimError('OPTION_INVALID', 'this output cannot take bytes; use --json');
    }
    io.stdout.writeBytes(out);
    return EXIT.SUCCESS;
  },
};
