// Authoritative-server discovery: the nearest enclosing zone's name servers, handed to the resolver factory.
import { describe, expect, it } from 'vitest';
import { authoritativeResolver, createZoneResolver, type Resolver } from '../../src/index.js';

const zone = createZoneResolver({
  'example.test': { NS: ['ns1.example.test', 'ns2.other.test'] },
  'ns1.example.test': { A: ['192.0.2.1'], AAAA: ['2001:db8::1'] },
  'ns2.other.test': { A: ['198.51.100.7'] },
  'deep.sub.example.test': { TXT: [['x']] },
  'lame.test': { NS: ['nowhere.test'] },
});

function capture() {
  const calls: (readonly string[])[] = [];
  const marker: Resolver = { resolve: zone.resolve };
  return {
    calls,
    marker,
    factory: (servers: readonly string[]) => {
      calls.push(servers);
      return marker;
    },
  };
}

describe('authoritativeResolver', () => {
  it('walks up to the nearest zone with NS records and hands every address, IPv6 bracketed, to the factory', async () => {
    const { calls, marker, factory } = capture();
    const direct = await authoritativeResolver('Deep.Sub.Example.Test', zone, factory, { port: 5353 });
    expect(direct).toBe(marker);
    expect(calls).toEqual([['192.0.2.1:5353', '[2001:db8::1]:5353', '198.51.100.7:5353']]);
  });

  it('uses port 53 by default', async () => {
    const { calls, factory } = capture();
    await authoritativeResolver('example.test', zone, factory);
    expect(calls[0]?.every((server) => server.endsWith(':53'))).toBe(true);
  });

  it('is null when no enclosing zone has name servers, or they have no addresses', async () => {
    const { calls, factory } = capture();
    expect(await authoritativeResolver('sel._domainkey.unknown.test', zone, factory)).toBeNull();
    expect(await authoritativeResolver('a.lame.test', zone, factory)).toBeNull();
    expect(calls).toEqual([]);
  });
});
