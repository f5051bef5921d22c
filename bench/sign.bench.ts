// Signing and verifying messages per second at 2 KB, 64 KB and 1 MB with rsa-2048, in relaxed/relaxed and
// relaxed/simple: dkim-engine against mailauth 4.13 (Node 20), dkimpy in a subprocess, and the limits
// (node:crypto's raw RSA sign and verify, SHA-256 throughput). dkim-engine is imported from the Node
// build of the main entry (src/index.node.ts, package.json's "node" condition of "."): what
// `import { signMessage } from 'dkim-engine'` gives a Node user.
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign as rawSign, verify as rawVerify } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  type Canonicalization,
  createZoneResolver,
  parsePrivateKey,
  signingKeyRecord,
  signMessage,
  splitCharacterStrings,
  verifyMessage,
} from '../src/index.node.js';
import { type CaseResult, type MeasureOptions, measure, type Subject } from './harness.js';

const require = createRequire(import.meta.url);
type MailauthSign = (input: Buffer, options: unknown) => Promise<{ signatures: string; errors: unknown[] }>;
type MailauthVerify = (input: Buffer, options: unknown) => Promise<{ results: { status: { result: string } }[] }>;
const { dkimSign } = require('mailauth/lib/dkim/sign') as { dkimSign: MailauthSign };
const { dkimVerify } = require('mailauth/lib/dkim/verify') as { dkimVerify: MailauthVerify };

const SIZES = [
  ['2 KB', 2 * 1024],
  ['64 KB', 64 * 1024],
  ['1 MB', 1024 * 1024],
] as const;
const CANONICALIZATIONS: readonly Canonicalization[] = ['relaxed/relaxed', 'relaxed/simple'];

/** A plausible message of about `size` bytes: text lines with runs of spaces and tabs, as real mail has. */
function makeMessage(size: number): Buffer {
  const head =
    'From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: benchmark\r\n' +
    'Date: Tue, 01 Dec 2026 00:00:00 +0000\r\nMessage-ID: <bench@example.com>\r\nMIME-Version: 1.0\r\n' +
    'Content-Type: text/plain; charset=utf-8\r\n\r\n';
  const line = 'The quick brown fox  jumps over\tthe lazy dog, again and again and again.  \r\n';
  return Buffer.from(head + line.repeat(Math.max(1, Math.round((size - head.length) / line.length))));
}

function dkimpyRate(op: 'sign' | 'verify', message: Buffer, pem: string, record: string, c: string, seconds: number) {
  const out = execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'dkimpy-bench.py')], {
    input: JSON.stringify({ op, message: message.toString('base64'), key: pem, record, canonicalization: c, seconds }),
  });
  return Number(out.toString());
}

export async function signSuite(options: MeasureOptions): Promise<CaseResult[]> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const key = parsePrivateKey(pem);
  const record = await signingKeyRecord(key);
  const zone = createZoneResolver({ 'bench._domainkey.example.com': { TXT: [splitCharacterStrings(record)] } });
  const mailauthResolver = async () => [[record]];
  const measureOptions = { roundMs: Math.min(options.roundMs, 400), rounds: Math.min(options.rounds, 5) };
  const dkimpySeconds = (measureOptions.roundMs * measureOptions.rounds) / 1000;
  const results: CaseResult[] = [];

  const small = Buffer.from('x'.repeat(64));
  const megabyte = Buffer.alloc(1024 * 1024, 0x61);
  const signature = rawSign('sha256', small, privateKey);
  const rawSigner: Subject = { name: 'limit: raw RSA-2048 sign', run: () => rawSign('sha256', small, privateKey) };
  const hasher: Subject = {
    name: 'limit: SHA-256 of 1 MB',
    run: () => createHash('sha256').update(megabyte).digest(),
  };
  results.push({
    suite: 'signatures',
    case: 'limits: node:crypto',
    unit: 'operations',
    results: await measure(
      [
        { name: 'raw RSA-2048 sign (sha256)', run: () => rawSign('sha256', small, privateKey) },
        { name: 'raw RSA-2048 verify (sha256)', run: () => rawVerify('sha256', small, publicKey, signature) },
        { name: 'SHA-256 of 1 MB (x1 = 1 MB/s)', run: () => createHash('sha256').update(megabyte).digest() },
      ],
      measureOptions,
    ),
  });

  for (const [label, size] of SIZES) {
    const message = makeMessage(size);
    for (const c of CANONICALIZATIONS) {
      const signOptions = { domain: 'example.com', selector: 'bench', key, canonicalization: c, timestamp: 1 };
      const signed = Buffer.from((await signMessage(message, signOptions)).prepend(message));
      const mailauthOptions = {
        canonicalization: c,
        algorithm: 'rsa-sha256',
        signTime: new Date(1000),
        signatureData: [{ signingDomain: 'example.com', selector: 'bench', privateKey: pem }],
      };
      // Each subject is checked once before it is timed: a fast wrong answer would be no answer.
      const check = (await verifyMessage(signed, zone, { now: 2000 })).result;
      const theirs = (await dkimVerify(signed, { resolver: mailauthResolver })).results[0]?.status.result;
      const signedByMailauth = (await dkimSign(message, mailauthOptions)).signatures;
      const crossCheck = (
        await verifyMessage(Buffer.concat([Buffer.from(signedByMailauth), message]), zone, { now: 2000 })
      ).result;
      if (check !== 'pass' || theirs !== 'pass' || crossCheck !== 'pass') {
        throw new Error(`bench self-check failed at ${label} ${c}: ${check} ${theirs} ${crossCheck}`);
      }
      const signers: Subject[] = [
        { name: 'dkim-engine signMessage', run: () => signMessage(message, signOptions) },
        { name: 'mailauth 4.13 dkimSign', run: () => dkimSign(message, mailauthOptions) },
      ];
      // The goals' limits, interleaved with the signers so the ratio comes from the same rounds, and
      // the browser build's path (WebCrypto) for comparison.
      const goal = c === 'relaxed/simple' && size !== SIZES[1][1];
      if (goal) {
        const webOptions = { ...signOptions, crypto: globalThis.crypto };
        signers.push({ name: 'dkim-engine, WebCrypto (browsers)', run: () => signMessage(message, webOptions) });
      }
      if (size === SIZES[0][1]) signers.push(rawSigner);
      if (size === SIZES[2][1] && c === 'relaxed/simple') signers.push(hasher);
      const verifiers: Subject[] = [
        { name: 'dkim-engine verifyMessage', run: () => verifyMessage(signed, zone, { now: 2000 }) },
        { name: 'mailauth 4.13 dkimVerify', run: () => dkimVerify(signed, { resolver: mailauthResolver }) },
      ];
      for (const [op, subjects] of [
        ['sign', signers],
        ['verify', verifiers],
      ] as const) {
        const measured = await measure(subjects, measureOptions);
        const rate = dkimpyRate(op, op === 'sign' ? message : signed, pem, record, c, dkimpySeconds);
        measured.push({ name: 'dkimpy (subprocess)', perSecond: rate, samples: [rate] });
        results.push({ suite: 'signatures', case: `${op} ${label} ${c}`, unit: 'messages', results: measured });
      }
    }
  }
  return results;
}
