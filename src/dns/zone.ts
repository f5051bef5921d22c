// A resolver over zone data that answers like an authoritative server, for tests, emulators and the demo.
import { DkimError } from '../core/errors.js';
import { CnameWalk } from './cname-walk.js';
import { canonicalName, type DnsAnswer, type DnsRecordData, type DnsRecordType, type Resolver } from './types.js';

/** The records at one name, as zone data: each TXT record is its list of strings. */
export interface ZoneNode {
  readonly TXT?: readonly (readonly (string | Uint8Array)[])[];
  readonly CNAME?: string;
  readonly A?: readonly string[];
  readonly AAAA?: readonly string[];
  readonly NS?: readonly string[];
  readonly MX?: readonly { readonly preference: number; readonly exchange: string }[];
}

/** Zone data: lower-case names (no trailing dot needed) to their records. */
export type ZoneData = Readonly<Record<string, ZoneNode>>;

/** A fault to inject at a name: an answer kind to return, or a delay before the true answer. */
export type ZoneFault = 'SERVFAIL' | 'REFUSED' | 'TIMEOUT' | 'NETWORK_ERROR' | { readonly delayMs: number };

/**
 * A resolver over zone data that tests and emulators can change while it serves. Its answers
 * share the zone's arrays: treat them as read-only.
 */
export interface ZoneResolver extends Resolver {
  /** Replaces the records of one type at `name` (TXT: a list of records, each a list of strings; CNAME: a name). */
  set<T extends DnsRecordType>(name: string, type: T, value: ZoneValue[T]): void;
  /** Removes one type at `name`, or the whole name. */
  remove(name: string, type?: DnsRecordType): void;
  /** Injects a fault for questions that reach `name`; null clears it. */
  setFault(name: string, fault: ZoneFault | null): void;
  /** The zone as data, for snapshots and for serving it over the wire in tests. */
  snapshot(): ZoneData;
}

/** What `set` takes per type. */
export interface ZoneValue {
  readonly TXT: readonly (readonly (string | Uint8Array)[])[];
  readonly CNAME: string;
  readonly A: readonly string[];
  readonly AAAA: readonly string[];
  readonly NS: readonly string[];
  readonly MX: readonly { readonly preference: number; readonly exchange: string }[];
}

interface StoredNode {
  TXT?: Uint8Array[][];
  CNAME?: string;
  A?: string[];
  AAAA?: string[];
  NS?: string[];
  MX?: { preference: number; exchange: string }[];
}

const TYPES: readonly DnsRecordType[] = ['TXT', 'CNAME', 'A', 'AAAA', 'NS', 'MX'];
const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * A resolver that answers from zone data the way an authoritative server does: it tells
 * NXDOMAIN from NODATA (a name with descendants but no records, an empty non-terminal, is
 * NODATA), follows CNAMEs within the data, and can inject faults per name.
 *
 * @example
 * ```ts
 * const zone = createZoneResolver({ 'ses2026._domainkey.example.com': { TXT: [record.strings] } });
 * zone.setFault('example.org', 'SERVFAIL'); // questions that reach example.org now get SERVFAIL
 * await verifyIdentity({ kind: 'byodkim', domain: 'example.com', selector: 'ses2026', key }, zone);
 * ```
 */
export function createZoneResolver(zones: ZoneData = {}, options: { readonly ttl?: number } = {}): ZoneResolver {
  const ttl = options.ttl ?? 300;
  const nodes = new Map<string, StoredNode>();
  // How many names with records sit below each name: an empty non-terminal has a count > 0.
  const descendants = new Map<string, number>();
  const faults = new Map<string, ZoneFault>();

  const adjustAncestors = (name: string, delta: number) => {
    let at = name.indexOf('.');
    while (at >= 0) {
      const ancestor = name.slice(at + 1);
      const count = (descendants.get(ancestor) ?? 0) + delta;
      if (count > 0) descendants.set(ancestor, count);
      else descendants.delete(ancestor);
      at = name.indexOf('.', at + 1);
    }
  };

  const set = <T extends DnsRecordType>(rawName: string, type: T, value: ZoneValue[T]) => {
    const name = zoneName(rawName);
    const existing = nodes.get(name);
    const node: StoredNode = existing ?? {};
    if (type === 'CNAME' && existing && TYPES.some((t) => t !== 'CNAME' && existing[t] !== undefined)) {
      throw new DkimError('OPTION_INVALID', `${name} has other records; a CNAME must stand alone`);
    }
    if (type !== 'CNAME' && existing?.CNAME !== undefined) {
      throw new DkimError('OPTION_INVALID', `${name} is a CNAME; it cannot have ${type} records too`);
    }
    switch (type) {
      case 'TXT':
        node.TXT = (value as ZoneValue['TXT']).map((record) => record.map(txtString));
        break;
      case 'CNAME':
        node.CNAME = zoneName(value as string);
        break;
      case 'MX':
        node.MX = (value as ZoneValue['MX']).map((mx) => ({
          preference: mx.preference,
          exchange: zoneName(mx.exchange),
        }));
        break;
      default:
        node[type as 'A' | 'AAAA' | 'NS'] = [...(value as readonly string[])].map((v) =>
          type === 'NS' ? zoneName(v) : v,
        );
    }
    if (!existing) {
      nodes.set(name, node);
      adjustAncestors(name, 1);
    }
  };

  const remove = (rawName: string, type?: DnsRecordType) => {
    const name = zoneName(rawName);
    const node = nodes.get(name);
    if (!node) return;
    if (type !== undefined) delete node[type];
    if (type === undefined || TYPES.every((t) => node[t] === undefined)) {
      nodes.delete(name);
      adjustAncestors(name, -1);
    }
  };

  for (const [name, node] of Object.entries(zones)) {
    for (const type of TYPES) {
      const value = node[type];
      if (value !== undefined) set(name, type, value as ZoneValue[typeof type]);
    }
  }

  const state: ZoneState = { nodes, descendants, faults, ttl };
  return {
    resolve: (name, type) => lookup(state, name, type),
    set,
    remove,
    setFault(rawName, fault) {
      const name = zoneName(rawName);
      if (fault === null) faults.delete(name);
      else faults.set(name, fault);
    },
    snapshot() {
      const data: Record<string, ZoneNode> = {};
      for (const [name, node] of nodes) data[name] = structuredClone(node);
      return data;
    },
  };
}

/** The zone's state that answers read. */
interface ZoneState {
  readonly nodes: ReadonlyMap<string, StoredNode>;
  readonly descendants: ReadonlyMap<string, number>;
  readonly faults: ReadonlyMap<string, ZoneFault>;
  readonly ttl: number;
}

/** One answer from the zone: faults first, then records, CNAMEs walked, else NXDOMAIN or NODATA. */
async function lookup<T extends DnsRecordType>(
  { nodes, descendants, faults, ttl }: ZoneState,
  rawName: string,
  type: T,
): Promise<DnsAnswer<T>> {
  const walk = new CnameWalk(canonicalName(rawName));
  const chain = walk.chain;
  for (;;) {
    const name = walk.current;
    const fault = faults.get(name);
    if (typeof fault === 'string') return { kind: fault, detail: `injected ${fault} at ${name}`, chain };
    if (fault !== undefined) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const node = nodes.get(name);
    const records = type === 'CNAME' ? (node?.CNAME === undefined ? undefined : [node.CNAME]) : node?.[type];
    if (records !== undefined) {
      // The zone's own arrays, not copies: answers are read-only, and bulk checks read millions.
      return {
        kind: 'records',
        type,
        records: records as DnsRecordData[T],
        ttl,
        chain,
        authenticated: false,
      } as DnsAnswer<T>;
    }
    if (node?.CNAME !== undefined && type !== 'CNAME') {
      const stop = walk.follow(node.CNAME);
      if (stop !== null) return { kind: 'SERVFAIL', detail: stop, chain };
      continue;
    }
    const exists = node !== undefined || descendants.has(name);
    return { kind: exists ? 'NODATA' : 'NXDOMAIN', chain, authenticated: false };
  }
}

function zoneName(name: string): string {
  const canonical = canonicalName(name);
  if (
    canonical.length === 0 ||
    canonical.length > 253 ||
    canonical.split('.').some((l) => l.length === 0 || l.length > 63)
  ) {
    throw new DkimError('DOMAIN_INVALID', `"${name.slice(0, 64)}" is not a DNS name`);
  }
  return canonical;
}

function txtString(value: string | Uint8Array): Uint8Array {
  const bytes = typeof value === 'string' ? encoder.encode(value) : new Uint8Array(value);
  if (bytes.length > 255) {
    throw new DkimError('OPTION_INVALID', `a TXT character-string holds at most 255 octets, not ${bytes.length}`);
  }
  return bytes;
}
