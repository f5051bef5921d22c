// parsePrivateKey misused: null options, a crypto without getRandomValues, a random source that
// throws, Proxy inputs and options. Every failure is a DkimError with a code: issue #13 W12.
import { describe, expect, it } from 'vitest';
import { DkimError, type ParsePrivateKeyOptions, parsePrivateKey } from '../../src/index.js';
import { keyFile } from '../../vectors/load.js';

const der = keyFile('rsa1024.pkcs1.der');
const pem = new TextDecoder().decode(keyFile('rsa1024.pkcs1.pem'));

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DkimError);
    // The message never carries the key.
    expect((error as Error).message).not.toContain(pem.split('\n')[1]?.slice(0, 20));
    return (error as DkimError).code;
  }
  throw new Error('no error');
}

const misuse = (options: unknown) => () => parsePrivateKey(pem, options as ParsePrivateKeyOptions);

describe('parsePrivateKey misused', () => {
  it.each([
    ['null options', null],
    ['crypto: {} in strict mode', { strict: true, crypto: {} }],
    [
      'a getRandomValues that throws',
      {
        strict: true,
        crypto: {
          getRandomValues: () => {
            throw new Error('no entropy');
          },
        },
      },
    ],
    ['a getRandomValues that returns nothing usable', { strict: true, crypto: { getRandomValues: () => null } }],
    [
      'options whose getter throws',
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('trap');
          },
        },
      ),
    ],
  ])('#13 W12 %s: a DkimError OPTION_INVALID', (_what, options) => {
    expect(codeOf(misuse(options))).toBe('OPTION_INVALID');
  });

  it('#13 W12 a Proxy over the key bytes is refused as input, running no trap', () => {
    let traps = 0;
    const proxy = new Proxy(der, {
      get(target, key) {
        traps++;
        return Reflect.get(target, key);
      },
    });
    expect(codeOf(() => parsePrivateKey(proxy))).toBe('EMPTY_INPUT');
    expect(traps).toBe(0);
  });

  it('#13 W12 a Proxy whose traps throw is a DkimError too', () => {
    const hostile = new Proxy(new Uint8Array(8), {
      getPrototypeOf: () => {
        throw new Error('trap');
      },
    });
    expect(codeOf(() => parsePrivateKey(hostile))).toBe('EMPTY_INPUT');
  });

  it('still parses with good options, and strict mode uses the given random source', () => {
    let calls = 0;
    const crypto = {
      getRandomValues<T extends Uint8Array>(array: T): T {
        calls++;
        return globalThis.crypto.getRandomValues(array);
      },
    };
    expect(parsePrivateKey(pem, { strict: { rounds: 2 }, crypto }).bits).toBe(1024);
    expect(calls).toBeGreaterThan(0);
  });
});
