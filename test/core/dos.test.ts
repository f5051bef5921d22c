// Denial-of-service guards: oversized input is refused before any decoding, and oversized
// numbers before any BigInt work. Proved by counting work, not by timing: characters decoded
// as base64 or scanned as PEM, DER elements read, bytes turned into BigInt.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ base64: 0, bigint: 0, pem: 0, der: 0 }));

vi.mock('../../src/core/base64.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/core/base64.js')>();
  return {
    ...actual,
    base64Decode: (text: string) => {
      calls.base64 += text.length;
      return actual.base64Decode(text);
    },
    base64DecodeTransient: (text: string) => {
      calls.base64 += text.length;
      return actual.base64DecodeTransient(text);
    },
  };
});
vi.mock('../../src/core/bigint.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/core/bigint.js')>();
  return {
    ...actual,
    bytesToBigInts: (bytes: Uint8Array, ranges: readonly { start: number; end: number }[]) => {
      for (const range of ranges) calls.bigint += range.end - range.start;
      return actual.bytesToBigInts(bytes, ranges);
    },
  };
});
vi.mock('../../src/core/pem.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/core/pem.js')>();
  return {
    ...actual,
    parsePemBlocks: (text: string) => {
      calls.pem += text.length;
      return actual.parsePemBlocks(text);
    },
  };
});
vi.mock('../../src/core/der.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/core/der.js')>();
  return {
    ...actual,
    readElement: (bytes: Uint8Array, offset: number, limit: number) => {
      calls.der++;
      return actual.readElement(bytes, offset, limit);
    },
  };
});

const { DkimError, parsePrivateKey } = await import('../../src/index.js');
const { keyFile } = await import('../../vectors/load.js');

function codeOf(input: string | Uint8Array): string {
  try {
    parsePrivateKey(input);
    return 'ok';
  } catch (error) {
    return error instanceof DkimError ? error.code : 'crash';
  }
}

const FIVE_MB = 5 * 1024 * 1024;

/** DER of one element, for building hostile structures. */
function der(tag: number, content: Uint8Array | number[]): Uint8Array {
  const body = Uint8Array.from(content);
  const n = body.length;
  const length =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 255]
          : [0x83, n >> 16, (n >> 8) & 255, n & 255];
  return Uint8Array.from([tag, ...length, ...body]);
}
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

function resetCalls(): void {
  calls.base64 = 0;
  calls.bigint = 0;
  calls.pem = 0;
  calls.der = 0;
}

describe('oversized input', () => {
  beforeEach(resetCalls);

  it('the counters see a normal parse', () => {
    const ses = new TextDecoder().decode(keyFile('rsa2048.pkcs1.b64')).trim();
    expect(codeOf(ses)).toBe('ok');
    expect(calls.base64).toBe(ses.length);
    resetCalls();
    const key = parsePrivateKey(new TextDecoder().decode(keyFile('rsa2048.pkcs1.pem')));
    expect(calls.pem).toBeGreaterThan(1500);
    expect(calls.base64).toBeGreaterThan(1500);
    expect(calls.der).toBeGreaterThan(10);
    // The integers go to WebAssembly straight from the DER; n and e (259 bytes) become BigInt
    // only when read.
    expect(calls.bigint).toBe(0);
    expect(key.n).toBeGreaterThan(0n);
    expect(calls.bigint).toBeGreaterThan(250);
  });

  it.each([
    ['a 5 MB SES-form string', () => 'A'.repeat(FIVE_MB)],
    ['a 5 MB string of garbage', () => '!'.repeat(FIVE_MB)],
    [
      'a 5 MB PEM',
      () => `-----BEGIN RSA PRIVATE KEY-----\n${'QUFB\n'.repeat(FIVE_MB / 5)}-----END RSA PRIVATE KEY-----\n`,
    ],
    ['5 MB of DER', () => new Uint8Array(FIVE_MB).fill(0x30)],
    ['5 MB of text bytes', () => new Uint8Array(FIVE_MB).fill(0x41)],
    ['SES form just over 20,480 characters', () => 'A'.repeat(20_484)],
  ])('refuses %s before decoding anything', (_name, make) => {
    expect(codeOf(make())).toBe('INPUT_TOO_LARGE');
    expect(calls).toEqual({ base64: 0, bigint: 0, pem: 0, der: 0 });
  });

  it('refuses a header that claims 5 MB of contents on its length alone', () => {
    expect(codeOf(Uint8Array.of(0x30, 0x83, 0x50, 0x00, 0x00, 0x02, 0x01, 0x00))).toBe('DER_INVALID');
    expect(calls.der).toBe(1);
    expect(calls.bigint).toBe(0);
  });

  it('refuses an oversized modulus within the input limit without converting any number', () => {
    const huge = der(0x02, [0x7f, ...new Uint8Array(4095).fill(0xff)]); // a 32,767-bit INTEGER
    const small = der(0x02, [3]);
    const key = der(0x30, concat(der(0x02, [0]), huge, small, small, small, small, small, small, small));
    expect(key.length).toBeLessThan(32_768);
    expect(codeOf(key)).toBe('KEY_SIZE_UNSUPPORTED');
    expect(calls.bigint).toBe(0);
  });

  it('reads a bounded number of elements from a SEQUENCE of thousands of INTEGERs', () => {
    const many = der(0x30, Array.from({ length: 8000 }, () => [0x02, 0x01, 0x05]).flat());
    expect(codeOf(many)).toBe('DER_INVALID');
    expect(calls.der).toBeLessThan(30);
    expect(calls.bigint).toBe(0);
  });
});

describe('work grows linearly with the input', () => {
  // Work = base64 characters decoded + DER elements read + bytes turned into BigInt + PEM
  // characters scanned. For every family of hostile input, work per input byte stays bounded.
  const ses = new TextDecoder().decode(keyFile('rsa2048.pkcs1.b64')).trim();
  const pkcs1 = keyFile('rsa2048.pkcs1.der');
  const families: [string, (size: number) => string | Uint8Array][] = [
    ['SES form with trailing bytes', (size) => Buffer.from(concat(pkcs1, new Uint8Array(size))).toString('base64')],
    [
      'PEM after lines of junk',
      (size) => `${'junk line\n'.repeat(size / 10)}${new TextDecoder().decode(keyFile('rsa2048.pkcs1.pem'))}`,
    ],
    ['a long run of base64 before a bad character', (size) => `${'A'.repeat(size)}!`],
    [
      'DER with one huge INTEGER',
      (size) => der(0x30, concat(der(0x02, [0]), der(0x02, [0x7f, ...new Uint8Array(size)]))),
    ],
    ['a SES key with a long damaged tail', (size) => `${ses}${'A'.repeat(size - (size % 4))}`],
  ];

  it.each(families)('%s', (_name, make) => {
    for (const size of [1000, 4000, 16_000]) {
      const input = make(size);
      resetCalls();
      codeOf(input);
      const work = calls.base64 + calls.pem + calls.der + calls.bigint;
      expect(work / input.length).toBeLessThanOrEqual(3);
    }
  });
});
