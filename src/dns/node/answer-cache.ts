// A bounded cache of positive DNS answers, each kept for its TTL (the wire resolver's `cache` option).
import type { DnsAnswer, DnsRecordType } from '../types.js';

/** Positive answers by type and name, evicting the oldest entry when full. */
export class AnswerCache {
  private readonly entries = new Map<string, { answer: DnsAnswer; expires: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  /** Whether caching is on at all (a bound of 0 turns it off). */
  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  /** The live answer for `type name`, if cached. */
  get<T extends DnsRecordType>(name: string, type: T): DnsAnswer<T> | undefined {
    const key = `${type} ${name}`;
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.answer as DnsAnswer<T>;
    if (hit) this.entries.delete(key);
    return undefined;
  }

  /** Keeps `answer` for its TTL when it holds records and has one. */
  put(name: string, type: DnsRecordType, answer: DnsAnswer): void {
    if (answer.kind !== 'records' || answer.ttl === null || answer.ttl <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(`${type} ${name}`, { answer, expires: this.now() + answer.ttl * 1000 });
  }

  clear(): void {
    this.entries.clear();
  }
}
