// The `demo` command: a whole Easy DKIM lifecycle against a local DNS server.
import { createEasyDkimIdentity } from '../core/easy-dkim.js';
import { generateDkimKey } from '../core/generate.js';
import { initialState, transition, VERIFICATION_WINDOW_MS, type VerificationState } from '../core/status.js';
import { startZoneServer } from '../dns/node/server.js';
import { createUdpResolver } from '../dns/node/udp.js';
import { createZoneResolver } from '../dns/zone.js';
import { type Expectation, verifyIdentity } from '../verify/verify.js';
import { type CommandSpec, EXIT } from './command.js';
import { painter, statusColour } from './output.js';

const HOUR = 60 * 60 * 1000;

export const demoCommand: CommandSpec = {
  name: 'demo',
  usage: 'verify-dkim demo',
  summary: 'The whole engine on an embedded DNS zone: keys, records, DNS, the status lifecycle. No internet.',
  positionals: 0,
  options: {},
  async run({ io, json }) {
    const paint = painter(io, io.stdout);
    const zone = createZoneResolver();
    // A real authoritative server on loopback, asked by the real wire resolver.
    const server = await startZoneServer(zone);
    const resolver = createUdpResolver({ servers: [server.server], timeout: 1000, attempts: 2 });
    const start = Date.UTC(2026, 0, 1, 9, 0, 0);
    let clock = start;
    const events: Record<string, unknown>[] = [];
    const say = (text: string) => {
      if (!json) io.stdout.write(`${text}\n`);
    };
    const stamp = () => {
      const minutes = Math.round((clock - start) / 60_000);
      return paint(
        'dim',
        `[+${String(Math.floor(minutes / 60)).padStart(2)}h${String(minutes % 60).padStart(2, '0')}m]`,
      );
    };
    const observe = async (label: string, expectation: Expectation, state: VerificationState) => {
      const result = await verifyIdentity(expectation, resolver, { now: clock });
      const next = transition(state, result.event);
      const verdicts = result.checks.map((c) => c.verdict).join(', ');
      say(`${stamp()} ${label}: checks ${verdicts} -> status ${paint(statusColour(next.status), next.status)}`);
      events.push({
        at: new Date(clock).toISOString(),
        step: label,
        verdicts: result.checks.map((c) => c.verdict),
        status: next.status,
      });
      return next;
    };
    try {
      say(
        paint('bold', `verify-dkim demo: an authoritative DNS server on ${server.server}, the wire resolver asking it`),
      );
      say('');
      say(paint('bold', '1. Bring Your Own DKIM'));
      const byo = await generateDkimKey({ bits: 2048, domain: 'byodkim.demo.test', selector: 'ses2026' });
      const record = byo.record;
      if (!record) throw new Error('demo key without record');
      say(
        `${stamp()} generated an RSA ${byo.key.bits}-bit key in SES form (${byo.privateKey.length} characters, not shown)`,
      );
      say(`${stamp()} publish ${record.name} TXT "${record.value.slice(0, 48)}..." (${record.strings.length} strings)`);
      zone.set(record.name, 'TXT', [record.strings]);
      const byoExpectation: Expectation = {
        kind: 'byodkim',
        domain: 'byodkim.demo.test',
        selector: 'ses2026',
        key: byo.key,
      };
      let byoState = initialState({ at: clock });
      clock += 5 * 60 * 1000;
      byoState = await observe('BYODKIM check', byoExpectation, byoState);

      say('');
      say(paint('bold', '2. Easy DKIM'));
      const easy = await createEasyDkimIdentity({
        domain: 'easy.demo.test',
        secret: 'demo',
        now: clock,
        keyLength: 'RSA_1024_BIT',
      });
      const tokens = easy.attributes.Tokens;
      say(`${stamp()} tokens ${tokens.join(', ')}; SES serves their keys under ${easy.attributes.SigningHostedZone}`);
      for (const provider of easy.providerKeys) zone.set(provider.record.name, 'TXT', [provider.record.strings]);
      const easyExpectation: Expectation = {
        kind: 'easy-dkim',
        domain: 'easy.demo.test',
        tokens,
        providerKeys: easy.providerKeys.map((p) => p.key.key),
      };
      let easyState = initialState({ at: clock });
      for (const token of tokens.slice(0, 2))
        zone.set(`${token}._domainkey.easy.demo.test`, 'CNAME', `${token}.dkim.amazonses.com`);
      say(`${stamp()} the owner publishes two of the three CNAMEs`);
      clock += 10 * 60 * 1000;
      easyState = await observe('Easy DKIM check', easyExpectation, easyState);
      zone.set(`${tokens[2]}._domainkey.easy.demo.test`, 'CNAME', `${tokens[2]}.dkim.amazonses.com`);
      say(`${stamp()} ...and the third`);
      clock += 10 * 60 * 1000;
      easyState = await observe('Easy DKIM check', easyExpectation, easyState);

      say('');
      say(paint('bold', '3. Records lost'));
      clock += 6 * HOUR;
      zone.remove(record.name);
      say(`${stamp()} the BYODKIM record is removed from DNS`);
      byoState = await observe('BYODKIM recheck', byoExpectation, byoState);
      clock += VERIFICATION_WINDOW_MS + HOUR;
      say(`${stamp()} the simulated clock moves on past 72 hours; the record is still missing`);
      byoState = await observe('BYODKIM recheck', byoExpectation, byoState);
      say('');
      say(
        `Final: BYODKIM ${paint(statusColour(byoState.status), byoState.status)}, Easy DKIM ${paint(statusColour(easyState.status), easyState.status)}.`,
      );
      say(paint('dim', 'Try: verify-dkim --help'));
      if (json) io.stdout.write(`${JSON.stringify({ server: server.server, events })}\n`);
      return EXIT.SUCCESS;
    } finally {
      await resolver.close?.();
      await server.close();
    }
  },
};
