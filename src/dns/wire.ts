// The DNS wire format the resolvers need (RFC 1035 section 4): writing a query, and reading a
// response's header, questions and records, every name and field checked to lie inside the message.

/** The record types the engine writes or reads, by name and code. */
export const TYPE_CODES = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28 } as const;
const TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(TYPE_CODES).map(([n, c]) => [c, n]));
const RCODES = 'NOERROR FORMERR SERVFAIL NXDOMAIN NOTIMP REFUSED YXDOMAIN YXRRSET NXRRSET NOTAUTH NOTZONE'.split(' ');
/** Header flag: recursion desired. */
const RECURSION_DESIRED = 0x0100;
/** The OPT record's type (RFC 6891). */
const OPT = 41;

const utf8 = /* @__PURE__ */ new TextEncoder();
const text = /* @__PURE__ */ new TextDecoder();

/** One record as read: owner name as written (labels joined by dots, the root "."), data decoded for the types above. */
export interface WireRecord {
  readonly name: string;
  readonly type: string;
  /** 'IN' for class 1 (the mDNS cache-flush bit ignored), else `CLASS<n>`. */
  readonly class: string;
  readonly ttl: number;
  readonly data: unknown;
}

/** A response as read. */
export interface WireMessage {
  readonly response: boolean;
  readonly truncated: boolean;
  readonly authenticated: boolean;
  /** NOERROR, NXDOMAIN, ... or `RCODE_<n>`. */
  readonly rcode: string;
  readonly questions: readonly { readonly name: string; readonly type: string; readonly class: string }[];
  readonly answers: readonly WireRecord[];
  readonly authorities: readonly WireRecord[];
  /** Why a record's data runs past the end of the message (RDLENGTH), or null. */
  readonly overrun: string | null;
}

/**
 * A query: header (RD set), one IN question, and with `edns` an OPT record of `payloadSize`
 * (the DO bit when `dnssec`). A leading and a trailing dot are dropped; labels are written as UTF-8.
 */
export function writeQuery(
  query: { readonly id: number; readonly name: string; readonly type: keyof typeof TYPE_CODES },
  edns: { readonly payloadSize: number; readonly dnssec: boolean } | null,
): Uint8Array {
  const name = utf8.encode(query.name.replace(/^\.|\.$/g, ''));
  const at = 12 + (name.length === 0 ? 1 : name.length + 2);
  const out = new Uint8Array(at + 4 + (edns ? 11 : 0));
  out[0] = query.id >> 8;
  out[1] = query.id & 0xff;
  out[2] = RECURSION_DESIRED >> 8;
  out[5] = 1; // one question
  out[11] = edns ? 1 : 0; // ARCOUNT
  let offset = 12;
  if (name.length > 0) {
    let start = 0;
    for (let i = 0; i <= name.length; i++) {
      if (i < name.length && name[i] !== 0x2e) continue;
      out[offset++] = (i - start) & 0xff;
      out.set(name.subarray(start, i), offset);
      offset += i - start;
      start = i + 1;
    }
  }
  out[at - 1] = 0;
  out[at + 1] = TYPE_CODES[query.type];
  out[at + 3] = 1; // class IN
  if (edns) {
    // root name, type OPT, class = payload size, TTL = extended RCODE, version, flags (DO), no options
    out.set([0, 0, OPT, edns.payloadSize >> 8, edns.payloadSize & 0xff, 0, 0, edns.dnssec ? 0x80 : 0, 0, 0, 0], at + 4);
  }
  return out;
}

// Where the name or record last read ends (a second result, without allocating a pair).
let end = 0;
const scratch = new Uint8Array(256);

/**
 * Reads the name at `offset`, following compression pointers to earlier bytes only (so every
 * walk ends), or returns undefined when it runs past the end, points forward, uses a reserved
 * label type, or exceeds 254 octets. Sets `end` to the offset after it.
 */
function readName(bytes: Uint8Array, offset: number): string | undefined {
  let at = offset;
  let segment = offset;
  let after = -1;
  let length = 0;
  let ascii = true;
  for (;;) {
    if (at >= bytes.length) return undefined;
    const size = bytes[at++] as number;
    if (size === 0) break;
    if ((size & 0xc0) === 0xc0) {
      if (at >= bytes.length) return undefined;
      const target = ((size & 0x3f) << 8) | (bytes[at] as number);
      if (target >= segment) return undefined;
      if (after < 0) after = at + 1;
      at = target;
      segment = target;
      continue;
    }
    if ((size & 0xc0) !== 0 || at + size > bytes.length || length + size + 1 > 254) return undefined;
    if (length > 0) scratch[length - 1] = 0x2e;
    for (let i = 0; i < size; i++) {
      const byte = bytes[at + i] as number;
      if (byte > 0x7f) ascii = false;
      scratch[length + i] = byte;
    }
    // the separator before the next label goes at scratch[length + size]
    length += size + 1;
    at += size;
  }
  end = after < 0 ? at : after;
  if (length === 0) return '.';
  if (ascii) return text.decode(scratch.subarray(0, length - 1));
  return labelsOf(scratch.subarray(0, length - 1));
}

// Labels with octets beyond ASCII are decoded one by one (a label is UTF-8 on its own).
function labelsOf(joined: Uint8Array): string {
  const labels: string[] = [];
  let start = 0;
  for (let i = 0; i <= joined.length; i++) {
    if (i === joined.length || joined[i] === 0x2e) {
      labels.push(text.decode(joined.subarray(start, i)));
      start = i + 1;
    }
  }
  return labels.join('.');
}

const u16 = (bytes: Uint8Array, at: number) => ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
const u32 = (bytes: Uint8Array, at: number) => u16(bytes, at) * 0x10000 + u16(bytes, at + 2);

/**
 * Reads a whole response, or says why it does not decode (a name or a fixed field past the
 * end, a bad pointer, a record's data that does not fit its RDLENGTH). A record whose RDLENGTH
 * runs past the end is not a decoding failure but `overrun`: the reading stops there.
 */
export function readMessage(bytes: Uint8Array): WireMessage | string {
  if (bytes.length < 12) return 'shorter than a DNS header';
  const flags = u16(bytes, 2);
  const counts = [u16(bytes, 4), u16(bytes, 6), u16(bytes, 8), u16(bytes, 10)] as const;
  let at = 12;
  const questions: { name: string; type: string; class: string }[] = [];
  for (let q = 0; q < counts[0]; q++) {
    const name = readName(bytes, at);
    if (name === undefined || end + 4 > bytes.length) return 'a question runs past the end';
    questions.push({ name, type: typeName(u16(bytes, end)), class: className(u16(bytes, end + 2)) });
    at = end + 4;
  }
  const sections: WireRecord[][] = [[], [], []];
  let overrun: string | null = null;
  records: for (let s = 0; s < 3; s++) {
    for (let r = counts[s + 1] as number; r > 0; r--) {
      const name = readName(bytes, at);
      const fixed = end; // type, class, TTL, RDLENGTH (end moves on as the data is read)
      if (name === undefined || fixed + 10 > bytes.length) return 'a record runs past the end';
      const code = u16(bytes, fixed);
      const rdlength = u16(bytes, fixed + 8);
      const dataAt = fixed + 10;
      if (dataAt + rdlength > bytes.length) {
        overrun = `RDLENGTH ${rdlength} runs past the end`;
        break records;
      }
      if (code !== OPT) {
        const data = readData(bytes, code, dataAt, dataAt + rdlength);
        if (data === undefined) return `a ${typeName(code)} record does not fit its RDLENGTH`;
        (sections[s] as WireRecord[]).push({
          name,
          type: typeName(code),
          class: className(u16(bytes, fixed + 2) & 0x7fff),
          ttl: u32(bytes, fixed + 4),
          data,
        });
      }
      at = dataAt + rdlength;
    }
  }
  return {
    response: (flags & 0x8000) !== 0,
    truncated: (flags & 0x0200) !== 0,
    authenticated: (flags & 0x0020) !== 0,
    rcode: RCODES[flags & 0xf] ?? `RCODE_${flags & 0xf}`,
    questions,
    answers: sections[0] as WireRecord[],
    authorities: sections[1] as WireRecord[],
    overrun,
  };
}

// The data of the types the engine reads, which must fill RDLENGTH exactly; null for other
// types (not read); undefined when it does not fit.
function readData(bytes: Uint8Array, type: number, at: number, stop: number): unknown {
  switch (type) {
    case TYPE_CODES.TXT: {
      // One copy of the record's data, the strings views into it: a typed array of its own
      // per string costs more to allocate than the rest of the reading.
      // (Uint8Array's slice: on a Node Buffer, slice makes a view, not a copy.)
      const copy = Uint8Array.prototype.slice.call(bytes, at, stop);
      const strings: Uint8Array[] = [];
      for (let i = 0; i < copy.length; ) {
        const size = copy[i++] as number;
        if (i + size > copy.length) return undefined;
        strings.push(new Uint8Array(copy.buffer, i, size));
        i += size;
      }
      return strings;
    }
    case TYPE_CODES.CNAME:
    case TYPE_CODES.NS: {
      const name = readName(bytes, at);
      return name !== undefined && end === stop ? name : undefined;
    }
    case TYPE_CODES.MX: {
      const exchange = stop - at > 2 ? readName(bytes, at + 2) : undefined;
      return exchange !== undefined && end === stop ? { preference: u16(bytes, at), exchange } : undefined;
    }
    case TYPE_CODES.SOA: {
      const mname = readName(bytes, at);
      const rname = mname === undefined ? undefined : readName(bytes, end);
      return rname !== undefined && end + 20 === stop ? { minimum: u32(bytes, end + 16) } : undefined;
    }
    case TYPE_CODES.A:
      return stop - at === 4 ? `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}` : undefined;
    case TYPE_CODES.AAAA:
      return stop - at === 16 ? ipv6(bytes, at) : undefined;
    default:
      return null;
  }
}

// RFC 5952 style, as node:dns and dns-packet write it: lower-case hex, the first run of zero groups as '::'.
function ipv6(bytes: Uint8Array, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(u16(bytes, at + i).toString(16));
  return groups
    .join(':')
    .replace(/(^|:)0(:0)*:0(:|$)/, '$1::$3')
    .replace(/:{3,4}/, '::');
}

function typeName(code: number): string {
  return TYPE_NAMES[code] ?? `UNKNOWN_${code}`;
}

function className(code: number): string {
  return code === 1 ? 'IN' : `CLASS${code}`;
}
