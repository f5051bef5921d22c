// The `verify` command: checks every DKIM-Signature of a message and prints one line (or JSON) per signature.
import type { SignatureVerification } from '../core/signature/verify.js';
import { verifyMessage } from '../signature/node/api.js';
import { type CommandSpec, EXIT } from './command.js';
import { createCliResolver, dnsOptionsOf, integerOption } from './dns-options.js';
import { readMessage } from './message-input.js';
import { painter, writeJson } from './output.js';

/** The exit code of a verification: 0 pass, 1 no pass, 4 no pass with a temperror, 3 no signature. */
export const VERIFY_EXIT = {
  pass: EXIT.SUCCESS,
  none: 3,
  temperror: EXIT.TEMPORARY_FAILURE,
  other: EXIT.FAILED,
} as const;

export const verifyMessageCommand: CommandSpec = {
  name: 'verify',
  usage:
    'verify-dkim verify [<message-file>|-] [--resolver <ip[:port]>] [--timeout <ms>] [--attempts <n>] [--now <unix>] [--max-signatures <n>] [--json]',
  summary: 'Verifies the DKIM signatures of a message: a result and an explanation for each.',
  positionals: 1,
  options: {
    resolver: { type: 'string', value: 'ip[:port]', description: 'DNS server (default: /etc/resolv.conf)' },
    timeout: { type: 'string', value: 'ms', description: 'per attempt (default 2000)' },
    attempts: { type: 'string', value: 'n', description: 'attempts per question (default 3)' },
    now: { type: 'string', value: 'unix', description: 'the time x= is checked against (default now)' },
    'max-signatures': { type: 'string', value: 'n', description: 'check at most this many, from the top (default 10)' },
  },
  async run({ io, positionals, options, json }) {
    const now = integerOption(options, 'now', Math.floor(io.now() / 1000), 0, 1e12) * 1000;
    const maxSignatures = integerOption(options, 'max-signatures', 10, 1, 1000);
    const resolver = createCliResolver(io, dnsOptionsOf(options));
    try {
      const message = await readMessage(positionals[0], io);
      const result = await verifyMessage(message, resolver, { now, maxSignatures });
      if (json) {
        writeJson(io.stdout, {
          result: result.result,
          signatures: result.signatures.map(jsonOf),
          authenticationResults: result.authenticationResults,
        });
      } else {
        const paint = painter(io, io.stdout);
        if (result.signatures.length === 0) io.stdout.write('none: the message has no DKIM-Signature\n');
        for (const s of result.signatures) {
          const colour = s.result === 'pass' ? 'green' : s.result === 'temperror' ? 'cyan' : 'red';
          const what = `d=${s.domain} s=${s.selector} ${s.algorithm} ${s.canonicalization}`;
          const bits = s.keyBits === undefined ? '' : ` ${s.keyBits} bits`;
          io.stdout.write(`${paint(colour, s.result)}${s.code ? ` ${s.code}` : ''} ${what}${bits}: ${s.message}\n`);
        }
      }
      if (result.result === 'none') return VERIFY_EXIT.none;
      if (result.result === 'pass') return VERIFY_EXIT.pass;
      return result.result === 'temperror' ? VERIFY_EXIT.temperror : VERIFY_EXIT.other;
    } finally {
      await resolver.close?.();
    }
  },
};

// The JSON contract: exactly these keys, in this order.
function jsonOf(s: SignatureVerification): Record<string, unknown> {
  return {
    result: s.result,
    ...(s.code === undefined ? {} : { code: s.code }),
    message: s.message,
    domain: s.domain,
    selector: s.selector,
    algorithm: s.algorithm,
    canonicalization: s.canonicalization,
    signedHeaders: s.signedHeaders,
    ...(s.keyBits === undefined ? {} : { keyBits: s.keyBits }),
    ...(s.bodyLength === undefined ? {} : { bodyLength: s.bodyLength }),
    testing: s.testing,
  };
}
