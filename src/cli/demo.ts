// The `demo` command: BYODKIM, Easy DKIM and a lost record, on a loopback DNS server with a simulated clock.
import { generateDkimKey } from '../core/generate.js';
import { domainKeyName } from '../core/key-record/format.js';
import { initialState, transition, VERIFICATION_WINDOW_MS, type VerificationState } from '../core/status.js';
import { startZoneServer } from '../dns/node/server.js';
import { createUdpResolver } from '../dns/node/udp.js';
import type { Resolver } from '../dns/types.js';
import { createZoneResolver, type ZoneResolver } from '../dns/zone.js';
import { createEasyDkimIdentity } from '../ses/signing-state.js';
import { type Expectation, verifyIdentity } from '../verify/verify.js';
import { type CommandSpec, EXIT } from './command.js';
import type { CliIo } from './io.js';
import { painter, statusColour } from './output.js';

const HOUR = 60 * 60 * 1000;

export const demoCommand: CommandSpec = {
  name: 'demo',
  usage: 'verify-dkim demo',
  summary: 'The whole engine on an embedded DNS zone: keys, records, DNS, the status lifecycle. No internet.',
  positionals: 0,
  options: {},
  async run({ io, json }) {
    const zone = createZoneResolver();
    // A real authoritative server on loopback, asked by the real wire resolver.
    const server = await startZoneServer(zone);
    const resolver = createUdpResolver({ servers: [server.server], timeout: 1000, attempts: 2 });
    const demo = createDemo(io, json, zone, resolver);
    const { paint, say } = demo;
    try {
      say(
        paint('bold', `verify-dkim demo: an authoritative DNS server on ${server.server}, the wire resolver asking it`),
      );
      const byo = await bringYourOwnStep(demo);
      const easyState = await easyDkimStep(demo);
      const byoState = await recordLostStep(demo, byo);
      say('');
      say(
        `Final: BYODKIM ${paint(statusColour(byoState.status), byoState.status)}, Easy DKIM ${paint(statusColour(easyState.status), easyState.status)}.`,
      );
      say(paint('dim', 'Try: verify-dkim --help'));
      if (json) io.stdout.write(`${JSON.stringify({ server: server.server, events: demo.events })}\n`);
      return EXIT.SUCCESS;
    } finally {
      await resolver.close?.();
      await server.close();
    }
  },
};

/** What every step of the demo shares: the zone, the simulated clock, the narration. */
interface Demo {
  readonly zone: ZoneResolver;
  readonly paint: ReturnType<typeof painter>;
  readonly clock: { now: number };
  readonly events: Record<string, unknown>[];
  say(text: string): void;
  stamp(): string;
  /** Verifies, feeds the result to the state machine, narrates and records the step. */
  observe(label: string, expectation: Expectation, state: VerificationState): Promise<VerificationState>;
}

function createDemo(io: CliIo, json: boolean, zone: ZoneResolver, resolver: Resolver): Demo {
  const paint = painter(io, io.stdout);
  const start = Date.UTC(2026, 0, 1, 9, 0, 0);
  const clock = { now: start };
  const events: Record<string, unknown>[] = [];
  const say = (text: string) => {
    if (!json) io.stdout.write(`${text}\n`);
  };
  const stamp = () => {
    const minutes = Math.round((clock.now - start) / 60_000);
    return paint('dim', `[+${String(Math.floor(minutes / 60)).padStart(2)}h${String(minutes % 60).padStart(2, '0')}m]`);
  };
  const observe = async (label: string, expectation: Expectation, state: VerificationState) => {
    const result = await verifyIdentity(expectation, resolver, { now: clock.now });
    const next = transition(state, result.event);
    const verdicts = result.checks.map((c) => c.verdict).join(', ');
    say(`${stamp()} ${label}: checks ${verdicts} -> status ${paint(statusColour(next.status), next.status)}`);
    events.push({
      at: new Date(clock.now).toISOString(),
      step: label,
      verdicts: result.checks.map((c) => c.verdict),
      status: next.status,
    });
    return next;
  };
  return { zone, paint, clock, events, say, stamp, observe };
}

interface ByoOutcome {
  readonly recordName: string;
  readonly expectation: Expectation;
  readonly state: VerificationState;
}

async function bringYourOwnStep({ zone, paint, clock, say, stamp, observe }: Demo): Promise<ByoOutcome> {
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
  const expectation: Expectation = { kind: 'byodkim', domain: 'byodkim.demo.test', selector: 'ses2026', key: byo.key };
  const state = initialState({ at: clock.now });
  clock.now += 5 * 60 * 1000;
  return { recordName: record.name, expectation, state: await observe('BYODKIM check', expectation, state) };
}

async function easyDkimStep({ zone, paint, clock, say, stamp, observe }: Demo): Promise<VerificationState> {
  say('');
  say(paint('bold', '2. Easy DKIM'));
  const domain = 'easy.demo.test';
  const easy = await createEasyDkimIdentity({ domain, secret: 'demo', now: clock.now, keyLength: 'RSA_1024_BIT' });
  const tokens = easy.attributes.Tokens;
  say(`${stamp()} tokens ${tokens.join(', ')}; SES serves their keys under ${easy.attributes.SigningHostedZone}`);
  for (const provider of easy.providerKeys) zone.set(provider.record.name, 'TXT', [provider.record.strings]);
  const expectation: Expectation = {
    kind: 'easy-dkim',
    domain,
    tokens,
    providerKeys: easy.providerKeys.map((p) => p.key.key),
  };
  const publish = (token: string) => zone.set(domainKeyName(token, domain), 'CNAME', `${token}.dkim.amazonses.com`);
  let state = initialState({ at: clock.now });
  for (const token of tokens.slice(0, 2)) publish(token);
  say(`${stamp()} the owner publishes two of the three CNAMEs`);
  clock.now += 10 * 60 * 1000;
  state = await observe('Easy DKIM check', expectation, state);
  publish(tokens[2] as string);
  say(`${stamp()} ...and the third`);
  clock.now += 10 * 60 * 1000;
  return observe('Easy DKIM check', expectation, state);
}

async function recordLostStep({ zone, paint, clock, say, stamp, observe }: Demo, byo: ByoOutcome) {
  say('');
  say(paint('bold', '3. Records lost'));
  clock.now += 6 * HOUR;
  zone.remove(byo.recordName);
  say(`${stamp()} the BYODKIM record is removed from DNS`);
  const state = await observe('BYODKIM recheck', byo.expectation, byo.state);
  clock.now += VERIFICATION_WINDOW_MS + HOUR;
  say(`${stamp()} the simulated clock moves on past 72 hours; the record is still missing`);
  return observe('BYODKIM recheck', byo.expectation, state);
}
