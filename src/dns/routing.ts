// A resolver that sends names under some zones to one resolver and every other name to another.
import { canonicalName, type Resolver } from './types.js';

/** Names at or under one of `zones` go to `resolver`. */
export interface ResolverRoute {
  readonly zones: readonly string[];
  readonly resolver: Resolver;
}

/**
 * Routes each question by its name: to the first route holding a zone the name is at or under,
 * else to `fallback`. An emulator answers its own provider zones this way, and never asks the
 * customer's resolver (often authoritative for the customer's zones only) about them.
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
  return {
    resolve: (name, type) => pick(name).resolve(name, type),
    async close() {
      await Promise.all([fallback, ...table.map((route) => route.resolver)].map((resolver) => resolver.close?.()));
    },
  };
}
