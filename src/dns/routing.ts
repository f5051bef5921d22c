// A resolver that sends names under some zones to one resolver and every other name to another.
import { canonicalName, type DnsAnswer, type DnsRecordType, MAX_CNAME_STEPS, type Resolver } from './types.js';

/** Names at or under one of `zones` go to `resolver`. */
export interface ResolverRoute {
  readonly zones: readonly string[];
  readonly resolver: Resolver;
}

/**
 * Routes each question by its name: to the first route holding a zone the name is at or under,
 * else to `fallback`. An emulator answers its own provider zones this way, and never asks the
 * customer's resolver (often authoritative for the customer's zones only) about them. A CNAME
 * chain that leaves one resolver for a name another one answers (a customer's Easy DKIM CNAME to
 * the provider zone) is followed there once, within the one CNAME limit of the whole lookup.
 */
export function createRoutingResolver(routes: readonly ResolverRoute[], fallback: Resolver): Resolver {
  const table = routes.map((route) => ({ zones: route.zones.map(canonicalName), resolver: route.resolver }));
  const pick = (name: string): Resolver => {
    const canonical = canonicalName(name);
    for (const route of table) {
      if (route.zones.some((zone) => canonical === zone || canonical.endsWith(`.${zone}`))) return route.resolver;
    }
    return fallback;
  };
  const resolve = async <T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<T>> => {
    const asked = pick(name);
    const answer = await asked.resolve(name, type);
    if (answer.kind === 'records') return answer;
    const chain = answer.chain ?? [];
    const target = chain.at(-1)?.target;
    if (target === undefined || pick(target) === asked) return answer;
    if (chain.length >= MAX_CNAME_STEPS) {
      return { kind: 'SERVFAIL', detail: `more than ${MAX_CNAME_STEPS} CNAMEs`, chain };
    }
    const next = await pick(target).resolve(target, type);
    const joined = [...chain, ...(next.chain ?? [])];
    if (joined.length > MAX_CNAME_STEPS) {
      return { kind: 'SERVFAIL', detail: `more than ${MAX_CNAME_STEPS} CNAMEs`, chain: joined };
    }
    return { ...next, chain: joined };
  };
  return {
    resolve,
    async close() {
      await Promise.all([fallback, ...table.map((route) => route.resolver)].map((resolver) => resolver.close?.()));
    },
  };
}
