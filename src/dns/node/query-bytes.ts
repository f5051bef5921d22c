// Query datagrams for the wire resolver, written straight into a Buffer (the hot path of every lookup).
import { Buffer } from 'node:buffer';
import { EDNS_PAYLOAD_SIZE, encodeQuery, type Query } from '../message.js';
import type { DnsRecordType } from '../types.js';

const TYPE_CODES: Record<DnsRecordType, number> = { A: 1, NS: 2, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 };
/** Header flags: a standard query with RD (recursion desired). */
const RECURSION_DESIRED = 0x0100;
/** EDNS0 flags: the DO bit (RFC 3225). */
const DNSSEC_OK = 0x8000;

/**
 * The same bytes as {@link encodeQuery} (header, one IN question, the OPT record when `edns`),
 * written straight into a Buffer from Node's pool. Names that are not plain ASCII labels of 1 to
 * 63 bytes go through encodeQuery, so the two never disagree.
 */
export function queryBytes(query: Query): Uint8Array {
  const name = query.name;
  const length = 12 + (name.length === 0 ? 1 : name.length + 2) + 4 + (query.edns ? 11 : 0);
  if (name.length > 253 || !plainLabels(name)) return encodeQuery(query);
  const bytes = Buffer.allocUnsafe(length);
  bytes.writeUInt16BE(query.id, 0);
  bytes.writeUInt16BE(RECURSION_DESIRED, 2);
  bytes.writeUInt32BE(0x00010000, 4); // QDCOUNT 1, ANCOUNT 0
  bytes.writeUInt32BE(query.edns ? 1 : 0, 8); // NSCOUNT 0, ARCOUNT
  let at = 12;
  if (name.length > 0) {
    let start = 0;
    for (;;) {
      const dot = name.indexOf('.', start);
      const end = dot < 0 ? name.length : dot;
      bytes[at++] = end - start;
      at += bytes.write(name.slice(start, end), at, 'latin1');
      if (dot < 0) break;
      start = dot + 1;
    }
  }
  bytes[at++] = 0;
  bytes.writeUInt16BE(TYPE_CODES[query.type], at);
  bytes.writeUInt16BE(1, at + 2); // class IN
  at += 4;
  if (query.edns) {
    bytes[at] = 0; // the root name
    bytes.writeUInt16BE(41, at + 1); // OPT
    bytes.writeUInt16BE(EDNS_PAYLOAD_SIZE, at + 3);
    bytes.writeUInt32BE(query.dnssec ? DNSSEC_OK : 0, at + 5); // extended RCODE, version 0, flags
    bytes.writeUInt16BE(0, at + 9); // no options
  }
  return bytes;
}

// Printable ASCII other than the dot, in labels of 1 to 63 characters.
function plainLabels(name: string): boolean {
  let label = 0;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === 46) {
      if (label === 0) return false;
      label = 0;
    } else if (code <= 32 || code >= 127 || ++label > 63) return false;
  }
  return name.length === 0 || label > 0;
}
