// The one CNAME walker: the chain so far, its loop check and its step limit (zone, wire and multi-ask resolvers).
import { type CnameStep, MAX_CNAME_STEPS } from './types.js';

/**
 * A walk along CNAMEs from one name. `follow` records a step and says why the walk must stop
 * (a loop back to a name already visited, or more than MAX_CNAME_STEPS steps), or null to go on.
 */
export class CnameWalk {
  readonly chain: CnameStep[] = [];
  private readonly seen: Set<string>;

  constructor(public current: string) {
    this.seen = new Set([current]);
  }

  /** Takes the step `current -> target` (or the given step); returns the SERVFAIL detail when the walk must stop. */
  follow(target: string, from: string = this.current): string | null {
    this.chain.push({ name: from, target });
    if (this.seen.has(target)) return `CNAME loop at ${target}`;
    if (this.chain.length > MAX_CNAME_STEPS) return `more than ${MAX_CNAME_STEPS} CNAMEs`;
    this.seen.add(target);
    this.current = target;
    return null;
  }
}
