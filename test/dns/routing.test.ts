// createRoutingResolver: names under the routed zones go to their resolver, all others to the fallback.
import { describe, expect, it } from 'vitest';
import { createZoneResolver, type Resolver } from '../../src/index.js';
import { createRoutingResolver } from '../../src/node.js';

function counting(inner: Resolver): Resolver & { asked: string[]; closed: boolean } {
  const asked: string[] = [];
  const wrapper = {
    asked,
    closed: false,
    resolve: ((name: string, type: never) => {
      asked.push(name);
      return inner.resolve(name, type);
    }) as Resolver['resolve'],
    async close() {
      wrapper.closed = true;
    },
  };
  return wrapper;
}

describe('createRoutingResolver', () => {
  it('sends names at or under a routed zone to its resolver, whatever the case or trailing dot', async () => {
    const provider = counting(createZoneResolver({ 'tok.dkim.amazonses.com': { TXT: [['v=DKIM1; p=']] } }));
    const customer = counting(createZoneResolver({ 'x._domainkey.example.com': { CNAME: 'tok.dkim.amazonses.com' } }));
    const resolver = createRoutingResolver([{ zones: ['dkim.amazonses.com'], resolver: provider }], customer);
    expect((await resolver.resolve('TOK.Dkim.AmazonSES.com.', 'TXT')).kind).toBe('records');
    expect((await resolver.resolve('dkim.amazonses.com', 'TXT')).kind).not.toBe('records');
    expect((await resolver.resolve('x._domainkey.example.com', 'CNAME')).kind).toBe('records');
    expect((await resolver.resolve('xdkim.amazonses.com', 'TXT')).kind).toBe('NXDOMAIN');
    expect(provider.asked).toEqual(['TOK.Dkim.AmazonSES.com.', 'dkim.amazonses.com']);
    expect(customer.asked).toEqual(['x._domainkey.example.com', 'xdkim.amazonses.com']);
    await resolver.close?.();
    expect([provider.closed, customer.closed]).toEqual([true, true]);
  });

  it("follows a customer's CNAME into the routed zone, once, within the lookup's CNAME limit", async () => {
    const provider = createZoneResolver({ 'tok.dkim.amazonses.com': { TXT: [['v=DKIM1; p=']] } });
    const customer = createZoneResolver({
      'x._domainkey.example.com': { CNAME: 'tok.dkim.amazonses.com' },
      'gone._domainkey.example.com': { CNAME: 'nothing.dkim.amazonses.com' },
    });
    const resolver = createRoutingResolver([{ zones: ['dkim.amazonses.com'], resolver: provider }], customer);
    const answer = await resolver.resolve('x._domainkey.example.com', 'TXT');
    expect(answer.kind).toBe('records');
    expect('chain' in answer ? answer.chain : []).toEqual([
      { name: 'x._domainkey.example.com', target: 'tok.dkim.amazonses.com' },
    ]);
    const dangling = await resolver.resolve('gone._domainkey.example.com', 'TXT');
    expect(dangling).toMatchObject({
      kind: 'NXDOMAIN',
      chain: [{ name: 'gone._domainkey.example.com', target: 'nothing.dkim.amazonses.com' }],
    });
    const long: Record<string, { CNAME: string }> = {};
    for (let i = 0; i < 8; i++) long[`c${i}.example.com`] = { CNAME: `c${i + 1}.example.com` };
    long['c8.example.com'] = { CNAME: 'tok.dkim.amazonses.com' };
    const chained = createRoutingResolver(
      [{ zones: ['dkim.amazonses.com'], resolver: provider }],
      createZoneResolver(long),
    );
    expect((await chained.resolve('c0.example.com', 'TXT')).kind).toBe('SERVFAIL');
  });
});
