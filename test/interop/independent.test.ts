// Proof with independent verifiers, offline: dkimpy (Debian python3-dkim) and Mail::DKIM (libmail-dkim-perl)
// verify what we sign, we verify what they sign, and all three agree on what relaxed and simple forgive.
// Keys reach them through an injected DNS lookup (see dkimpy.py and mail-dkim.pl). Mail::DKIM 1.20230212,
// Debian 12's, has no Ed25519 support: Ed25519 is proved with dkimpy alone.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CANONICALIZATIONS, type Canonicalization, signMessage, verifyMessage } from '../../src/index.js';
import { ed25519Key, rsaKey, type TestKey, zoneWith } from '../core/signature/fixtures.js';
import { hostileMessage, latin1, MUTATIONS, message, text } from './messages.js';

const DOMAIN = 'example.com';
const PER_COMBINATION = 12;

function harness(program: string, script: string, request: unknown): unknown[] {
  const out = execFileSync(program, [join(import.meta.dirname, script)], {
    input: JSON.stringify(request),
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out.toString()) as unknown[];
}

type Verdicts = { ok?: boolean; results: (boolean | { result: string; detail: string })[]; error?: string }[];
const dkimpyVerify = (records: Record<string, string>, messages: Uint8Array[]) =>
  harness('/usr/bin/python3', 'dkimpy.py', { op: 'verify', records, messages: messages.map(b64) }) as Verdicts;
const mailDkimVerify = (records: Record<string, string>, messages: Uint8Array[]) =>
  harness('/usr/bin/perl', 'mail-dkim.pl', { op: 'verify', records, messages: messages.map(b64) }) as Verdicts;
/** Mail::DKIM's signatures of `messages` (base64 of each signed message). */
const mailDkimSign = (key: TestKey, c: Canonicalization, messages: Uint8Array[]) =>
  harness('/usr/bin/perl', 'mail-dkim.pl', {
    op: 'sign',
    key: key.dkimpyKey.replace(/-----[^-]+-----|\s/g, ''),
    domain: DOMAIN,
    selector: selectorOf(key),
    canonicalization: c,
    messages: messages.map(b64),
  }) as string[];
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const toCrlf = (bytes: Uint8Array) => latin1(text(bytes).replace(/\r?\n/g, '\r\n'));

let keys: TestKey[];
let records: Record<string, string>;
const selectorOf = (key: TestKey) => key.name.replace(/[^a-z0-9]/g, '');

beforeAll(async () => {
  keys = [await rsaKey(1024), await rsaKey(2048), await ed25519Key()];
  records = Object.fromEntries(keys.map((key) => [`${selectorOf(key)}._domainkey.${DOMAIN}`, key.record]));
});

const samples = (seed: number) => fc.sample(message, { seed, numRuns: PER_COMBINATION });

describe('our signatures verify with dkimpy and Mail::DKIM', () => {
  it('every generated message, every canonicalization, RSA 1024/2048 and Ed25519', async () => {
    const signed: { bytes: Uint8Array; key: TestKey; c: Canonicalization }[] = [];
    for (const [k, key] of keys.entries()) {
      for (const [i, c] of CANONICALIZATIONS.entries()) {
        for (const m of samples(100 * k + i)) {
          const s = await signMessage(m.bytes, {
            domain: DOMAIN,
            selector: selectorOf(key),
            key: key.key,
            canonicalization: c,
          });
          signed.push({ bytes: s.prepend(m.bytes), key, c });
        }
      }
    }
    expect(signed).toHaveLength(keys.length * 4 * PER_COMBINATION);
    expect(signed.some((s) => !text(s.bytes).includes('\r'))).toBe(true); // bare-LF messages are in the mix
    // A bare-LF message travels as CRLF (MTAs convert on submission): that is what the verifiers get.
    const wire = signed.map((s) => toCrlf(s.bytes));
    const py = dkimpyVerify(records, wire);
    const failures = signed.filter((_, i) => py[i]?.results?.[0] !== true);
    expect(py.filter((v) => v.error !== undefined)).toEqual([]);
    expect(failures.map((f) => `${f.key.name} ${f.c}: ${JSON.stringify(text(f.bytes))}`)).toEqual([]);
    const rsa = signed.filter((s) => !s.key.name.startsWith('ed'));
    const perl = mailDkimVerify(
      records,
      rsa.map((s) => toCrlf(s.bytes)),
    );
    const perlFailures = rsa.filter((_, i) => (perl[i]?.results[0] as { result: string })?.result !== 'pass');
    expect(perlFailures.map((f) => `${f.key.name} ${f.c}: ${JSON.stringify(text(f.bytes))}`)).toEqual([]);
    expect(rsa.length).toBe(2 * 4 * PER_COMBINATION);
  });
});

// A changed signed header fails as SIGNATURE_MISMATCH, a changed body as BODY_HASH_MISMATCH.
async function expectTamperingCaught(bytes: Uint8Array): Promise<void> {
  for (const [name, code] of [
    ['signed header value changed', 'SIGNATURE_MISMATCH'],
    ['body text changed', 'BODY_HASH_MISMATCH'],
  ] as const) {
    const mutated = (MUTATIONS[name] as (m: string) => string)(text(bytes));
    const result = await verifyMessage(latin1(mutated), zoneWith(records));
    expect(result.signatures[0], `${name}: ${JSON.stringify(mutated)}`).toMatchObject({ result: 'fail', code });
  }
}

describe('their signatures verify with us', () => {
  it('dkimpy: RSA 1024/2048 and Ed25519, every canonicalization', async () => {
    for (const [k, key] of keys.entries()) {
      for (const [i, c] of CANONICALIZATIONS.entries()) {
        // dkimpy signs in pure Python: half as many messages keep the run short.
        const messages = samples(1000 + 10 * k + i)
          .slice(0, PER_COMBINATION / 2)
          .map((m) => toCrlf(m.bytes));
        const signed = harness('/usr/bin/python3', 'dkimpy.py', {
          op: 'sign',
          key: key.dkimpyKey,
          algorithm: key.name.startsWith('ed') ? 'ed25519-sha256' : 'rsa-sha256',
          domain: DOMAIN,
          selector: selectorOf(key),
          canonicalization: c,
          messages: messages.map(b64),
        }) as string[];
        for (const s of signed) {
          const bytes = Buffer.from(s, 'base64');
          const result = await verifyMessage(bytes, zoneWith(records));
          const label = `${key.name} ${c}: ${result.signatures[0]?.message} ${JSON.stringify(text(bytes))}`;
          expect(result.signatures[0], label).toMatchObject({ result: 'pass', canonicalization: c });
          await expectTamperingCaught(bytes);
        }
      }
    }
  });

  it('Mail::DKIM: RSA 1024/2048, every canonicalization', async () => {
    for (const key of keys.filter((k) => !k.name.startsWith('ed'))) {
      for (const [i, c] of CANONICALIZATIONS.entries()) {
        const messages = samples(2000 + i).map((m) => toCrlf(m.bytes));
        const signed = mailDkimSign(key, c, messages);
        for (const s of signed) {
          const bytes = Buffer.from(s, 'base64');
          const result = await verifyMessage(bytes, zoneWith(records));
          const label = `${key.name} ${c}: ${result.signatures[0]?.message} ${JSON.stringify(text(bytes))}`;
          expect(result.signatures[0], label).toMatchObject({ result: 'pass', canonicalization: c });
          await expectTamperingCaught(bytes);
        }
      }
    }
  });
});

describe('relaxed forgives exactly what the RFC says, and failures have the right code', () => {
  const HEADER_MUTATIONS = [
    'header value re-spaced',
    'header name case changed',
    'header refolded',
    'signed header value changed',
  ];
  const FORGIVEN: Record<string, (header: string, body: string) => boolean> = {
    'header value re-spaced': (h) => h === 'relaxed',
    'header name case changed': (h) => h === 'relaxed',
    'header refolded': (h) => h === 'relaxed',
    'body white space added at line ends': (_, b) => b === 'relaxed',
    'body runs of white space collapsed': (_, b) => b === 'relaxed',
    'blank lines appended to the body': () => true,
    'signed header value changed': () => false,
    'body text changed': () => false,
  };

  it.each(CANONICALIZATIONS)('%s: our verdicts equal dkimpy and Mail::DKIM on every mutation', async (c) => {
    const key = keys[1] as TestKey;
    const base = samples(3000 + CANONICALIZATIONS.indexOf(c)).map((m) => toCrlf(m.bytes));
    const cases: { name: string; bytes: Uint8Array; changed: boolean }[] = [];
    for (const m of base) {
      const signed = text(
        (
          await signMessage(m, { domain: DOMAIN, selector: selectorOf(key), key: key.key, canonicalization: c })
        ).prepend(m),
      );
      for (const [name, mutate] of Object.entries(MUTATIONS)) {
        const mutated = mutate(signed);
        cases.push({ name, bytes: latin1(mutated), changed: mutated !== signed });
      }
    }
    const py = dkimpyVerify(
      records,
      cases.map((x) => x.bytes),
    );
    expect(py.filter((v) => v.error !== undefined)).toEqual([]);
    const perl = mailDkimVerify(
      records,
      cases.map((x) => x.bytes),
    );
    const [headerMode, bodyMode] = c.split('/') as [string, string];
    for (const [i, x] of cases.entries()) {
      const ours = (await verifyMessage(x.bytes, zoneWith(records))).signatures[0];
      const pass = ours?.result === 'pass';
      const label = `${c} ${x.name}: ${JSON.stringify(text(x.bytes))}`;
      expect(pass, label).toBe(py[i]?.results[0]);
      expect(pass, label).toBe((perl[i]?.results[0] as { result: string } | undefined)?.result === 'pass');
      if (!pass) {
        expect(ours?.code, label).toBe(HEADER_MUTATIONS.includes(x.name) ? 'SIGNATURE_MISMATCH' : 'BODY_HASH_MISMATCH');
      }
      // What the RFC says each canonicalization forgives.
      const forgiven = !x.changed || (FORGIVEN[x.name] as (h: string, b: string) => boolean)(headerMode, bodyMode);
      expect(pass, label).toBe(forgiven);
    }
    expect(cases.filter((x) => x.changed).length).toBeGreaterThan(cases.length / 2);
  });
});

describe('hostile line ends: lone CRs, bare LFs, CR CR LF, white space and 8-bit bytes', () => {
  const HOSTILE = 24;
  const hostile = (seed: number) => fc.sample(hostileMessage, { seed, numRuns: HOSTILE });
  const passes = (v: Verdicts[number] | undefined) =>
    v?.results[0] === true || (v?.results[0] as { result?: string } | undefined)?.result === 'pass';

  // Every body ends with a line end, as SMTP delivers it: on these all three implementations agree.
  // The verifiers get the bytes as signed, bare LFs and lone CRs included: their own parsers read them.
  it('ours verify with dkimpy and Mail::DKIM, every canonicalization', async () => {
    const key = keys[0] as TestKey;
    const signed: { bytes: Uint8Array; c: Canonicalization }[] = [];
    for (const [i, c] of CANONICALIZATIONS.entries()) {
      for (const m of hostile(4000 + i)) {
        const s = await signMessage(m, {
          domain: DOMAIN,
          selector: selectorOf(key),
          key: key.key,
          canonicalization: c,
        });
        signed.push({ bytes: s.prepend(m), c });
      }
    }
    expect(signed.some((s) => /\r(?!\n)/.test(text(s.bytes)))).toBe(true); // lone CRs are in the mix
    expect(signed.some((s) => /(?<!\r)\n/.test(text(s.bytes)))).toBe(true); // and bare LFs
    const messages = signed.map((s) => s.bytes);
    const label = (i: number) => `${signed[i]?.c}: ${JSON.stringify(text(messages[i] as Uint8Array))}`;
    const py = dkimpyVerify(records, messages);
    const perl = mailDkimVerify(records, messages);
    expect(messages.map((_, i) => label(i)).filter((_, i) => !passes(py[i]))).toEqual([]);
    expect(messages.map((_, i) => label(i)).filter((_, i) => !passes(perl[i]))).toEqual([]);
  });

  it('theirs verify with us: dkimpy and Mail::DKIM sign, every canonicalization', async () => {
    const key = keys[0] as TestKey;
    for (const [i, c] of CANONICALIZATIONS.entries()) {
      const messages = hostile(5000 + i).slice(0, HOSTILE / 2);
      const fromPy = harness('/usr/bin/python3', 'dkimpy.py', {
        op: 'sign',
        key: key.dkimpyKey,
        algorithm: 'rsa-sha256',
        domain: DOMAIN,
        selector: selectorOf(key),
        canonicalization: c,
        messages: messages.map(b64),
      }) as string[];
      const fromPerl = mailDkimSign(key, c, messages);
      for (const s of [...fromPy, ...fromPerl]) {
        const bytes = Buffer.from(s, 'base64');
        const result = await verifyMessage(bytes, zoneWith(records));
        const label = `${c}: ${result.signatures[0]?.message} ${JSON.stringify(text(bytes))}`;
        expect(result.signatures[0], label).toMatchObject({ result: 'pass', canonicalization: c });
      }
    }
  });

  // Disputed: a body whose last line has no line end. RFC 5322 section 2.3 ends every body line with
  // CRLF, and SMTP (RFC 5321 section 4.1.1.4) delivers the last line with one, so such a body is
  // never what a receiver sees; RFC 6376 section 5.3 has the signer convert the message to the form
  // it will travel in first. We read the body as if the line end were there: the signature then holds
  // for the message as delivered, and canonicalizing twice changes nothing. The two other verifiers
  // read the raw form each their own way, and each fails one canonicalization:
  // - relaxed: dkimpy adds the CRLF after removing white space at line ends, so "a \t" hashes as
  //   "a \r\n", which is not a canonical form (dkimpy itself canonicalizes it to "a\r\n", as it does
  //   the delivered "a \t\r\n", so its own signature of the raw form fails once delivered);
  //   Mail::DKIM and we hash "a\r\n".
  // - simple: Mail::DKIM hashes a non-empty body without adding the CRLF ("a" as "a"), against
  //   section 3.4.3 ("If there is no body or no trailing CRLF on the message body, a CRLF is added");
  //   dkimpy and we hash "a\r\n". (OpenDKIM refuses such a body without l=, trusteddomainproject/OpenDKIM#45.)
  it('a body without a final line end is read as delivered, which both verifiers accept', async () => {
    const key = keys[0] as TestKey;
    const head = 'From: Sender <sender@example.com>\r\nSubject: no final line end\r\n\r\n';
    const bodies = ['a', ' ', 'a \t', 'a\r\n ', 'a\n\t', '\r', 'a \r', '\t\ra', '\xff\xa0  '];
    const bh = (field: string) => /bh=([^;]+)/.exec(field.replace(/\s/g, ''))?.[1];
    const raw: { bytes: Uint8Array; c: Canonicalization }[] = [];
    for (const c of CANONICALIZATIONS) {
      for (const body of bodies) {
        const m = latin1(head + body);
        const options = { domain: DOMAIN, selector: selectorOf(key), key: key.key, canonicalization: c };
        const s = await signMessage(m, options);
        // The same body hash as the body with its line end, as SMTP delivers it.
        const delivered = await signMessage(latin1(`${head + body}\r\n`), options);
        expect(bh(s.field), `${c} ${JSON.stringify(body)}`).toBe(bh(delivered.field));
        raw.push({ bytes: s.prepend(m), c });
      }
    }
    const label = (i: number) => `${raw[i]?.c}: ${JSON.stringify(text(raw[i]?.bytes as Uint8Array))}`;
    // As delivered (the line end added), dkimpy and Mail::DKIM both verify every one.
    const wire = raw.map((r) => latin1(`${text(r.bytes)}\r\n`));
    const [pyWire, perlWire] = [dkimpyVerify(records, wire), mailDkimVerify(records, wire)];
    expect(raw.map((_, i) => label(i)).filter((_, i) => !passes(pyWire[i]) || !passes(perlWire[i]))).toEqual([]);
    // As given, each verifier agrees with us on the canonicalization it implements as RFC 6376 writes it.
    const [py, perl] = [
      dkimpyVerify(
        records,
        raw.map((r) => r.bytes),
      ),
      mailDkimVerify(
        records,
        raw.map((r) => r.bytes),
      ),
    ];
    const simpleBody = (i: number) => raw[i]?.c.endsWith('/simple') === true;
    expect(raw.map((_, i) => label(i)).filter((_, i) => simpleBody(i) && !passes(py[i]))).toEqual([]);
    expect(raw.map((_, i) => label(i)).filter((_, i) => !simpleBody(i) && !passes(perl[i]))).toEqual([]);
  });
});
