// Key parsing: full validation plus record derivation, against node-forge, node:crypto and
// WebCrypto doing the nearest equivalent (parse the private key, produce the public key).
import { checkPrimeSync, createPrivateKey, createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { setBignumWasmEnabled } from '../src/core/bignum-wasm.js';
import { dkimTxtRecord, parsePrivateKey } from '../src/index.js';
import { keyFile } from '../vectors/load.js';
import { type CaseDefinition, type CaseResult, type MeasureOptions, measureIsolated } from './harness.js';

const base64 = (name: string) => new TextDecoder().decode(keyFile(name)).trim();

/** p and q of a key, as node:crypto's JWK export gives them. */
function primesOf(ses: string): [bigint, bigint] {
  const jwk = createPrivateKey({ key: Buffer.from(ses, 'base64'), format: 'der', type: 'pkcs1' }).export({
    format: 'jwk',
  });
  const big = (field: string | undefined) => BigInt(`0x${Buffer.from(field ?? '', 'base64url').toString('hex')}`);
  return [big(jwk.p), big(jwk.q)];
}

/** Every key case, rebuildable by id in a worker. */
export function keyCases(): CaseDefinition[] {
  const cases: CaseDefinition[] = [];
  for (const bits of [1024, 2048] as const) {
    for (const encoding of ['pkcs1', 'pkcs8'] as const) {
      const ses = base64(`rsa${bits}.${encoding}.b64`);
      const pkcs8 = keyFile(`rsa${bits}.pkcs8.der`) as Uint8Array<ArrayBuffer>;
      const recordOptions = { domain: 'example.com', selector: 'bench' };
      cases.push({
        id: `${bits}-${encoding}`,
        suite: 'keys',
        case: `RSA ${bits} ${encoding}, validate + record`,
        unit: 'keys',
        subjects: () => [
          { name: 'dkim-engine', run: () => dkimTxtRecord(parsePrivateKey(ses), recordOptions) },
          {
            // Each subject has its own worker, so turning the module off here touches no other subject.
            name: 'dkim-engine, BigInt path',
            run: () => {
              setBignumWasmEnabled(false);
              return dkimTxtRecord(parsePrivateKey(ses), recordOptions);
            },
          },
          {
            name: 'node-forge',
            run: () => {
              const key = forge.pki.privateKeyFromAsn1(
                forge.asn1.fromDer(forge.util.decode64(ses)),
              ) as forge.pki.rsa.PrivateKey;
              const publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
              return forge.util.encode64(forge.asn1.toDer(forge.pki.publicKeyToAsn1(publicKey)).getBytes());
            },
          },
          {
            name: 'node:crypto',
            run: () => {
              const key = createPrivateKey({ key: Buffer.from(ses, 'base64'), format: 'der', type: encoding });
              return createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
            },
          },
          {
            // WebCrypto imports PKCS #8 only; the PKCS #1 case gets the same key's PKCS #8 bytes.
            name: 'WebCrypto (import pkcs8 + export jwk)',
            run: async () => {
              const key = await crypto.subtle.importKey(
                'pkcs8',
                pkcs8,
                { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
                true,
                ['sign'],
              );
              return crypto.subtle.exportKey('jwk', key);
            },
          },
        ],
      });
    }
  }
  // Strict mode runs Miller-Rabin on p and q: a different league, measured on its own, against
  // OpenSSL's primality test of the same p and q in-process (node:crypto checkPrime, which is
  // what `openssl pkey -check` runs on them). OpenSSL raises any round count to its minimum of
  // 64 for primes of up to 2048 bits (bn_mr_min_checks), so it runs 64 rounds where strict mode
  // runs 41 (base 2, then 40 random bases): compare per round too.
  for (const bits of [1024, 2048] as const) {
    const ses = base64(`rsa${bits}.pkcs1.b64`);
    const [p, q] = primesOf(ses);
    cases.push({
      id: `${bits}-strict`,
      suite: 'keys',
      case: `RSA ${bits} pkcs1, strict (40 Miller-Rabin rounds per prime)`,
      unit: 'keys',
      subjects: () => [
        { name: 'dkim-engine strict', run: () => parsePrivateKey(ses, { strict: true }) },
        {
          name: 'dkim-engine strict, BigInt path',
          run: () => {
            setBignumWasmEnabled(false);
            return parsePrivateKey(ses, { strict: true });
          },
        },
        { name: 'OpenSSL checkPrime p, q (64 rounds)', run: () => checkPrimeSync(p) && checkPrimeSync(q) },
        { name: 'dkim-engine default', run: () => parsePrivateKey(ses) },
      ],
    });
  }
  return cases;
}

export async function keySuite(options: MeasureOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const definition of keyCases()) {
    const rounds = definition.id.endsWith('strict') ? Math.max(3, Math.floor(options.rounds / 2)) : options.rounds;
    results.push(await measureIsolated(import.meta.url, 'keyCases', definition, { ...options, rounds }));
  }
  return results;
}
