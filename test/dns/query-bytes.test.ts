// The wire resolver's direct query encoder writes exactly what dns-packet writes.
import { describe, expect, it } from 'vitest';
import { encodeQuery } from '../../src/dns/message.js';
import { queryBytes } from '../../src/dns/node/query-bytes.js';
import type { DnsRecordType } from '../../src/dns/types.js';

const names = [
  '',
  'com',
  's1._domainkey.example.com',
  `${'a'.repeat(63)}.b`,
  'tok.dkim.amazonses.com',
  'é.com',
  'a..b',
];
const types: DnsRecordType[] = ['TXT', 'CNAME', 'A', 'AAAA', 'NS', 'MX'];

describe('queryBytes', () => {
  it.each(names)('encodes %j as dns-packet does, for every type, with and without EDNS and DO', (name) => {
    for (const type of types) {
      for (const [edns, dnssec] of [
        [true, true],
        [true, false],
        [false, false],
      ] as const) {
        const query = { id: 0xbeef, name, type, edns, dnssec };
        expect(Buffer.from(queryBytes(query)).toString('hex')).toBe(Buffer.from(encodeQuery(query)).toString('hex'));
      }
    }
  });
});
