// node:crypto's primitives and the Node build of the main entry against the WebCrypto path: same signature bytes, same verdicts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import * as browserEntry from '../../../src/index.js';
import {
  CANONICALIZATIONS,
  type SignaturePrimitives,
  sesSignMessage,
  signMessage,
  verifyMessage,
} from '../../../src/index.js';
import * as nodeEntry from '../../../src/index.node.js';
import { nodeSignaturePrimitives } from '../../../src/node.js';
import { ed25519Key, NOW_MS, NOW_S, rsaKey, SIMPLE_MESSAGE, zoneWith } from '../../core/signature/fixtures.js';

const webCrypto = globalThis.crypto;
const root = join(import.meta.dirname, '../../..');

/** Messages that take every branch of the body path: bare LFs, trailing empty lines, no body, no final line end. */
const MESSAGES: Record<string, string | Uint8Array> = {
  simple: SIMPLE_MESSAGE,
  'bare LF everywhere': SIMPLE_MESSAGE.replace(/\r\n/g, '\n'),
  'bare LF in the body only': SIMPLE_MESSAGE.replace('Hi Bob,\r\n', 'Hi Bob,\n'),
  'bare LF on the last line': `${SIMPLE_MESSAGE}one more\n`,
  'trailing empty lines': `${SIMPLE_MESSAGE}\r\n\r\n\r\n`,
  'trailing empty lines, bare LF': `${SIMPLE_MESSAGE}\n\n`,
  'no final line end': `${SIMPLE_MESSAGE}no end`,
  'empty body': SIMPLE_MESSAGE.slice(0, SIMPLE_MESSAGE.indexOf('\r\n\r\n') + 4),
  'header only': SIMPLE_MESSAGE.slice(0, SIMPLE_MESSAGE.indexOf('\r\n\r\n') + 2),
  'white space and 8-bit': `${SIMPLE_MESSAGE}  tab\there \r\n\u00e9t\u00e9\r\n \r\n`,
  'large, one bare LF near the end': `${SIMPLE_MESSAGE}${'a line of text  \r\n'.repeat(5000)}last\nend\r\n`,
  'as bytes (Uint8Array)': new TextEncoder().encode(`${SIMPLE_MESSAGE}bytes\r\n`),
};

describe('node:crypto primitives against WebCrypto', async () => {
  const keys = [await rsaKey(1024), await rsaKey(2048), await ed25519Key()];
  const zone = (key: (typeof keys)[number]) => zoneWith({ 'sel._domainkey.example.com': key.record });

  it.each(keys.flatMap((key) => CANONICALIZATIONS.map((c) => [key.name, c, key] as const)))(
    '%s %s: the same DKIM-Signature field, byte for byte, on every message',
    async (_, canonicalization, key) => {
      for (const message of Object.values(MESSAGES)) {
        const options = { domain: 'example.com', selector: 'sel', key: key.key, canonicalization, timestamp: NOW_S };
        const web = await signMessage(message, { ...options, crypto: webCrypto });
        const node = await signMessage(message, { ...options, crypto: nodeSignaturePrimitives });
        expect(node.field).toBe(web.field);
        expect(node.bodyHash).toBe(web.bodyHash);
        const verdict = await verifyMessage(web.prepend(message as string), zone(key), { now: NOW_MS });
        expect(verdict.result).toBe('pass');
      }
    },
  );

  it('the same verdicts, codes and explanations on good, tampered and foreign-key signatures', async () => {
    const [rsa, other, ed] = keys as [(typeof keys)[0], (typeof keys)[0], (typeof keys)[0]];
    for (const key of [rsa, ed]) {
      for (const canonicalization of CANONICALIZATIONS) {
        const signed = (
          await signMessage(SIMPLE_MESSAGE, {
            domain: 'example.com',
            selector: 'sel',
            key: key.key,
            canonicalization,
            timestamp: NOW_S,
          })
        ).prepend(SIMPLE_MESSAGE);
        const variants = [
          signed,
          signed.replace('how are you?', 'how are you!'),
          signed.replace('Subject: Hello', 'Subject:  Hello'),
          signed.replace('Subject: Hello', 'Subject: Bye'),
          `${signed}\r\nappended\r\n`,
          signed.replace(/\r\n/g, '\n'),
        ];
        for (const resolver of [zone(key), zone(key === rsa ? other : rsa)]) {
          for (const message of variants) {
            const web = await verifyMessage(message, resolver, { now: NOW_MS, crypto: webCrypto });
            const node = await verifyMessage(message, resolver, { now: NOW_MS, crypto: nodeSignaturePrimitives });
            expect(node).toEqual(web);
          }
        }
      }
    }
  });

  it('sesSignMessage: the same two signatures', async () => {
    const [rsa, other] = keys as [(typeof keys)[0], (typeof keys)[0]];
    const options = {
      domain: 'example.com',
      selector: 'sel',
      key: rsa.key,
      provider: { selector: 'p', key: other.key },
    };
    const web = await sesSignMessage(SIMPLE_MESSAGE, { ...options, timestamp: NOW_S, crypto: webCrypto });
    const node = await sesSignMessage(SIMPLE_MESSAGE, {
      ...options,
      timestamp: NOW_S,
      crypto: nodeSignaturePrimitives,
    });
    expect(node.fields).toEqual(web.fields);
  });

  it('primitives that answer with promises work as well as synchronous ones', async () => {
    const asyncPrimitives: SignaturePrimitives = {
      sha256: async (data) => nodeSignaturePrimitives.sha256(data),
      sign: async (key, data) => nodeSignaturePrimitives.sign(key, data),
      verify: async (key, signature, data) => nodeSignaturePrimitives.verify(key, signature, data),
    };
    const key = keys[1] as (typeof keys)[0];
    const options = { domain: 'example.com', selector: 'sel', key: key.key, timestamp: NOW_S };
    const signed = await signMessage(SIMPLE_MESSAGE, { ...options, crypto: asyncPrimitives });
    expect(signed.field).toBe((await signMessage(SIMPLE_MESSAGE, { ...options, crypto: webCrypto })).field);
    const verdict = await verifyMessage(signed.prepend(SIMPLE_MESSAGE), zone(key), {
      now: NOW_MS,
      crypto: asyncPrimitives,
    });
    expect(verdict.result).toBe('pass');
  });

  it('a key that is not one of ours is OPTION_INVALID, whatever the primitives', async () => {
    const options = { domain: 'example.com', selector: 'sel', key: {} as never, timestamp: NOW_S };
    for (const crypto of [webCrypto, nodeSignaturePrimitives]) {
      await expect(signMessage(SIMPLE_MESSAGE, { ...options, crypto })).rejects.toMatchObject({
        code: 'OPTION_INVALID',
      });
    }
  });
});

describe('the Node build of the main entry (package.json "node" condition)', async () => {
  const key = await rsaKey(2048);

  it('is what package.json resolves "." to under Node, with the browser-safe entry as the default', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const dot = pkg.exports['.'];
    expect(Object.keys(dot)).toEqual(['types', 'node', 'default']);
    expect(dot).toEqual({ types: './dist/index.d.ts', node: './dist/index.node.js', default: './dist/index.js' });
  });

  it('exports exactly the names of the browser-safe entry', () => {
    expect(Object.keys(nodeEntry).sort()).toEqual(Object.keys(browserEntry).sort());
  });

  it('signs and verifies on node:crypto by default, with the same bytes as WebCrypto; Uint8Array input too', async () => {
    const options = { domain: 'example.com', selector: 'sel', key: key.key, timestamp: NOW_S };
    for (const message of Object.values(MESSAGES)) {
      const node = await nodeEntry.signMessage(message, options);
      expect(node.field).toBe((await signMessage(message, { ...options, crypto: webCrypto })).field);
      const signed = typeof message === 'string' ? node.prepend(message) : node.prepend(message);
      const zone = zoneWith({ 'sel._domainkey.example.com': key.record });
      expect(await nodeEntry.verifyMessage(signed, zone, { now: NOW_MS })).toEqual(
        await verifyMessage(signed, zone, { now: NOW_MS }),
      );
    }
    const ses = { domain: 'example.com', selector: 'sel', key: key.key, timestamp: NOW_S };
    expect((await nodeEntry.sesSignMessage(SIMPLE_MESSAGE, ses)).fields).toEqual(
      (await sesSignMessage(SIMPLE_MESSAGE, ses)).fields,
    );
  });

  it('does not touch WebCrypto by default (the browser-safe entry does)', async () => {
    const options = { domain: 'example.com', selector: 'sel', key: key.key };
    const digest = vi.spyOn(webCrypto.subtle, 'digest');
    const sign = vi.spyOn(webCrypto.subtle, 'sign');
    try {
      await nodeEntry.signMessage(SIMPLE_MESSAGE, options);
      expect(digest.mock.calls.length + sign.mock.calls.length).toBe(0);
      await signMessage(SIMPLE_MESSAGE, options);
      expect(sign).toHaveBeenCalledTimes(1);
    } finally {
      digest.mockRestore();
      sign.mockRestore();
    }
  });

  it('uses node:crypto unless told otherwise: an injected crypto is used as given', async () => {
    let calls = 0;
    const counting: SignaturePrimitives = {
      ...nodeSignaturePrimitives,
      sign: (k, data) => {
        calls++;
        return nodeSignaturePrimitives.sign(k, data);
      },
    };
    await nodeEntry.signMessage(SIMPLE_MESSAGE, {
      domain: 'example.com',
      selector: 'sel',
      key: key.key,
      crypto: counting,
    });
    expect(calls).toBe(1);
  });

  it('still refuses a message over the size limit before any work', async () => {
    const huge = 'x'.repeat(browserEntry.MAX_MESSAGE_BYTES + 1);
    await expect(
      nodeEntry.signMessage(huge, { domain: 'example.com', selector: 'sel', key: key.key }),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
  });
});
