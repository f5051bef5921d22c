// The DoH resolver against a local DoH endpoint: answers, timeouts, failures, fetch injection.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDohResolver, createZoneResolver, DkimError } from '../../src/index.js';
import { startDohServer, type TestDohServer } from '../helpers/doh-server.js';

const zone = createZoneResolver({
  's1._domainkey.example.com': { TXT: [['v=DKIM1; k=rsa; p=MIIB', 'AQAB']] },
  'tok._domainkey.example.com': { CNAME: 'tok.dkim.amazonses.com' },
  'tok.dkim.amazonses.com': { TXT: [['v=DKIM1; p=AAAA']] },
  'x.y.example.com': { A: ['192.0.2.1'] },
});

let doh: TestDohServer;
beforeAll(async () => {
  doh = await startDohServer(zone);
});
afterAll(async () => {
  await doh.close();
});
beforeEach(() => {
  doh.setBehaviour('normal');
  doh.requests.length = 0;
});

describe('DoH resolver (RFC 8484)', () => {
  it.each(['GET', 'POST'] as const)('%s: resolves TXT, with message ID 0', async (method) => {
    const answer = await createDohResolver({ url: doh.url, method }).resolve('s1._domainkey.example.com', 'TXT');
    expect(answer).toMatchObject({ kind: 'records', ttl: 300 });
    if (answer.kind === 'records') {
      expect(answer.records.map((r) => r.map((s) => new TextDecoder().decode(s)))).toEqual([
        ['v=DKIM1; k=rsa; p=MIIB', 'AQAB'],
      ]);
    }
    expect(doh.requests).toEqual([{ method, id: 0 }]);
  });

  it('follows CNAMEs and tells NXDOMAIN from NODATA', async () => {
    const r = createDohResolver({ url: doh.url });
    expect(await r.resolve('tok._domainkey.example.com', 'TXT')).toMatchObject({
      kind: 'records',
      chain: [{ target: 'tok.dkim.amazonses.com' }],
    });
    expect(await r.resolve('none.example.com', 'TXT')).toMatchObject({ kind: 'NXDOMAIN' });
    expect(await r.resolve('y.example.com', 'TXT')).toMatchObject({ kind: 'NODATA' });
  });

  it.each([
    ['http-500', 'SERVFAIL'],
    ['http-404', 'NETWORK_ERROR'],
    ['wrong-type', 'MALFORMED'],
    ['huge', 'MALFORMED'],
    ['other-question', 'MALFORMED'],
  ] as const)('%s gives %s', async (mode, kind) => {
    doh.setBehaviour(mode);
    expect(await createDohResolver({ url: doh.url }).resolve('s1._domainkey.example.com', 'TXT')).toMatchObject({
      kind,
    });
  });

  it('times out', async () => {
    doh.setBehaviour('hang');
    expect(
      await createDohResolver({ url: doh.url, timeout: 100 }).resolve('s1._domainkey.example.com', 'TXT'),
    ).toMatchObject({
      kind: 'TIMEOUT',
    });
  });

  it('reports a refused connection as NETWORK_ERROR', async () => {
    expect(
      await createDohResolver({ url: 'http://127.0.0.1:9/dns-query' }).resolve('a.example.com', 'TXT'),
    ).toMatchObject({
      kind: 'NETWORK_ERROR',
    });
  });

  it('uses the injected fetch', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    await createDohResolver({ url: doh.url, fetch: counting }).resolve('s1._domainkey.example.com', 'TXT');
    expect(calls).toBe(1);
  });

  it('refuses a bad URL', () => {
    expect(() => createDohResolver({ url: 'not a url' })).toThrow(DkimError);
  });
});
