// Key records: parse a 2048-bit record (two strings) and match it against the expected key.
// Peers do the nearest equivalent: split the tags, decode p= and compare the modulus.
import 'reflect-metadata';
import { createPublicKey } from 'node:crypto';
import { PublicKey } from '@peculiar/x509';
import forge from 'node-forge';
import { evaluateKeyRecords, parsePrivateKey } from '../src/index.js';
import { loadRecordVectors } from '../vectors/load.js';
import { type CaseDefinition, type CaseResult, type MeasureOptions, measureIsolated } from './harness.js';

function pOf(record: string): string {
  const tag = record.split(';').find((t) => t.trim().startsWith('p=')) ?? '';
  return tag.trim().slice(2);
}

/** The record case, rebuildable in a worker. */
export function recordCases(): CaseDefinition[] {
  const vector = loadRecordVectors().rrsets.find((v) => v.id === 'match');
  const strings = vector?.records[0];
  if (!vector?.key || !strings) throw new Error('record vector "match" missing');
  const pem = vector.key;
  return [
    {
      id: 'rsa2048-record',
      suite: 'records',
      case: 'RSA 2048 record (2 strings), parse + match',
      unit: 'records',
      subjects: () => {
        const key = parsePrivateKey(pem);
        const expectedN = key.n.toString(16);
        const expectedJwkN = Buffer.from(createPublicKey(pem).export({ format: 'jwk' }).n ?? '', 'base64url');
        return [
          {
            name: 'dkim-engine',
            run: () => {
              if (evaluateKeyRecords([strings], key).verdict !== 'MATCH') throw new Error('no match');
            },
          },
          {
            name: 'node-forge',
            run: () => {
              const der = forge.util.decode64(pOf(strings.join('')));
              const publicKey = forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(der)) as forge.pki.rsa.PublicKey;
              if (publicKey.n.toString(16) !== expectedN) throw new Error('no match');
            },
          },
          {
            name: 'node:crypto',
            run: () => {
              const publicKey = createPublicKey({
                key: Buffer.from(pOf(strings.join('')), 'base64'),
                format: 'der',
                type: 'spki',
              });
              const n = Buffer.from(publicKey.export({ format: 'jwk' }).n ?? '', 'base64url');
              if (!n.equals(expectedJwkN)) throw new Error('no match');
            },
          },
          {
            name: '@peculiar/x509',
            run: () => {
              const publicKey = new PublicKey(pOf(strings.join('')));
              if (publicKey.rawData.byteLength < 200) throw new Error('no key');
            },
          },
        ];
      },
    },
  ];
}

export async function recordSuite(options: MeasureOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const definition of recordCases()) {
    results.push(await measureIsolated(import.meta.url, 'recordCases', definition, options));
  }
  return results;
}
