// The zone-data resolver: NXDOMAIN vs NODATA, CNAME walks and their limits, live changes, faults.
import { describe, expect, it } from 'vitest';
import { createZoneResolver, DkimError } from '../../src/index.js';

const text = (records: Uint8Array[][]) => records.map((r) => r.map((s) => new TextDecoder().decode(s)));

describe('zone-data resolver', () => {
  const zone = createZoneResolver({
    's1._domainkey.example.com': { TXT: [['v=DKIM1; k=rsa; p=MIIB', 'AQAB']] },
    'tok._domainkey.example.com': { CNAME: 'tok.dkim.amazonses.com' },
    'tok.dkim.amazonses.com': { TXT: [['v=DKIM1; p=AAAA']] },
    'dangling._domainkey.example.com': { CNAME: 'gone.example.net' },
    'loop-a.example.com': { CNAME: 'loop-b.example.com' },
    'loop-b.example.com': { CNAME: 'LOOP-A.example.com.' },
    'deep.a.b.example.org': { A: ['192.0.2.1'] },
  });

  it('answers records with their strings as bytes', async () => {
    const answer = await zone.resolve('S1._domainkey.Example.com.', 'TXT');
    expect(answer.kind).toBe('records');
    if (answer.kind !== 'records') return;
    expect(text(answer.records)).toEqual([['v=DKIM1; k=rsa; p=MIIB', 'AQAB']]);
    expect(answer.chain).toEqual([]);
    expect(answer.ttl).toBe(300);
  });

  it('follows CNAMEs and reports the chain', async () => {
    const answer = await zone.resolve('tok._domainkey.example.com', 'TXT');
    expect(answer).toMatchObject({
      kind: 'records',
      chain: [{ name: 'tok._domainkey.example.com', target: 'tok.dkim.amazonses.com' }],
    });
    expect(await zone.resolve('tok._domainkey.example.com', 'CNAME')).toMatchObject({
      kind: 'records',
      records: ['tok.dkim.amazonses.com'],
      chain: [],
    });
  });

  it('tells NXDOMAIN from NODATA, including empty non-terminals and dangling CNAMEs', async () => {
    expect(await zone.resolve('nothing.example.com', 'TXT')).toMatchObject({ kind: 'NXDOMAIN', chain: [] });
    expect(await zone.resolve('s1._domainkey.example.com', 'CNAME')).toMatchObject({ kind: 'NODATA' });
    expect(await zone.resolve('_domainkey.example.com', 'TXT')).toMatchObject({ kind: 'NODATA' });
    expect(await zone.resolve('a.b.example.org', 'TXT')).toMatchObject({ kind: 'NODATA' });
    expect(await zone.resolve('b.example.org', 'A')).toMatchObject({ kind: 'NODATA' });
    expect(await zone.resolve('dangling._domainkey.example.com', 'TXT')).toMatchObject({
      kind: 'NXDOMAIN',
      chain: [{ name: 'dangling._domainkey.example.com', target: 'gone.example.net' }],
    });
  });

  it('turns a CNAME loop into SERVFAIL', async () => {
    expect(await zone.resolve('loop-a.example.com', 'TXT')).toMatchObject({ kind: 'SERVFAIL' });
  });

  it('turns a chain of more than 8 CNAMEs into SERVFAIL, and follows 8', async () => {
    const long = createZoneResolver();
    for (let i = 0; i < 9; i++) long.set(`c${i}.example.com`, 'CNAME', `c${i + 1}.example.com`);
    long.set('c9.example.com', 'TXT', [['end']]);
    expect(await long.resolve('c0.example.com', 'TXT')).toMatchObject({ kind: 'SERVFAIL' });
    expect(await long.resolve('c1.example.com', 'TXT')).toMatchObject({ kind: 'records' });
  });

  it('changes while it serves: set, remove, and the empty non-terminal goes with its last child', async () => {
    const live = createZoneResolver();
    live.set('x.y.example.com', 'TXT', [['one'], ['two', 'three']]);
    expect(await live.resolve('y.example.com', 'TXT')).toMatchObject({ kind: 'NODATA' });
    const two = await live.resolve('x.y.example.com', 'TXT');
    expect(two.kind === 'records' && text(two.records)).toEqual([['one'], ['two', 'three']]);
    live.remove('x.y.example.com', 'TXT');
    expect(await live.resolve('x.y.example.com', 'TXT')).toMatchObject({ kind: 'NXDOMAIN' });
    expect(await live.resolve('y.example.com', 'TXT')).toMatchObject({ kind: 'NXDOMAIN' });
    expect(live.snapshot()).toEqual({});
  });

  it('injects faults and delays per name, including on a CNAME target', async () => {
    const faulty = createZoneResolver({
      'a.example.com': { TXT: [['v=DKIM1; p=']] },
      'c.example.com': { CNAME: 'a.example.com' },
    });
    for (const fault of ['SERVFAIL', 'REFUSED', 'TIMEOUT', 'NETWORK_ERROR'] as const) {
      faulty.setFault('a.example.com', fault);
      expect(await faulty.resolve('a.example.com', 'TXT')).toMatchObject({ kind: fault });
      expect(await faulty.resolve('c.example.com', 'TXT')).toMatchObject({
        kind: fault,
        chain: [{ target: 'a.example.com' }],
      });
    }
    faulty.setFault('a.example.com', { delayMs: 40 });
    const started = performance.now();
    expect(await faulty.resolve('a.example.com', 'TXT')).toMatchObject({ kind: 'records' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    faulty.setFault('a.example.com', null);
    expect(await faulty.resolve('a.example.com', 'TXT')).toMatchObject({ kind: 'records' });
  });

  it('refuses what DNS cannot hold', () => {
    const z = createZoneResolver();
    expect(() => z.set('a.example.com', 'TXT', [['x'.repeat(256)]])).toThrow(DkimError);
    expect(() => z.set('a..example.com', 'TXT', [['x']])).toThrow(DkimError);
    z.set('c.example.com', 'CNAME', 'a.example.com');
    expect(() => z.set('c.example.com', 'TXT', [['x']])).toThrow(DkimError);
    z.set('t.example.com', 'TXT', [['x']]);
    expect(() => z.set('t.example.com', 'CNAME', 'a.example.com')).toThrow(DkimError);
  });
});
