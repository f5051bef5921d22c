// The store file's format: a 16-byte versioned header, then journal records framed by a length
// and a CRC-32; scanning a file yields the mutations and a report of every damaged stretch.
import { Buffer } from 'node:buffer';
import { COLLECTIONS, type CollectionName, StoreError } from '../../ses/persistence.js';
import type { Mutation } from '../../ses/persistence-memory.js';
import { crc32 } from './crc32.js';

/** The format this code writes; a file of a newer one is refused. */
export const FORMAT_VERSION = 1;
const MAGIC = Buffer.from('DKIMSTOR', 'latin1');
export const HEADER_BYTES = 16;
/** A record's frame: a u32 payload length and a u32 CRC-32 over the length bytes and the payload. */
export const FRAME_BYTES = 8;

/** A file written by a newer dkim-engine: refused so that nothing is lost by rewriting it. */
export class StoreVersionError extends StoreError {
  override readonly name = 'StoreVersionError';
  constructor(
    readonly path: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super('STORE_VERSION', `${path} has store format ${found}; this dkim-engine reads format ${supported} and older`);
  }
}

/** One damaged stretch found on open: everything from `offset` for `droppedBytes` was not loaded. */
export interface JournalDamage {
  /** torn-tail: the file ends inside a record; checksum: a record's CRC fails; bad-length: a length over the bound; bad-payload: a record with a valid CRC that is not a mutation. */
  readonly kind: 'torn-tail' | 'checksum' | 'bad-length' | 'bad-payload';
  readonly offset: number;
  readonly droppedBytes: number;
}

export function encodeHeader(version = FORMAT_VERSION): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(version, 8);
  header.writeUInt32BE(crc32(header.subarray(0, 12)), 12);
  return header;
}

/** Checks a file's header; throws STORE_FORMAT for a file that is not a store, StoreVersionError for a newer one. */
export function checkHeader(path: string, bytes: Buffer): void {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, 8).equals(MAGIC)) {
    throw new StoreError('STORE_FORMAT', `${path} is not a dkim-engine store file`);
  }
  if (bytes.readUInt32BE(12) !== crc32(bytes.subarray(0, 12))) {
    throw new StoreError('STORE_FORMAT', `${path} has a damaged header`);
  }
  const version = bytes.readUInt32BE(8);
  if (version > FORMAT_VERSION) throw new StoreVersionError(path, version, FORMAT_VERSION);
}

/** Frames one mutation as a journal record; throws STORE_TOO_LARGE over `maxRecordBytes`. */
export function encodeRecord(mutation: Mutation, maxRecordBytes: number): Buffer {
  const head = `{"o":${mutation.op === 'put' ? '"p"' : '"d"'},"c":${JSON.stringify(mutation.collection)},"k":${JSON.stringify(mutation.key)}`;
  const text =
    mutation.op === 'put'
      ? `${head},"v":${mutation.version},"n":${mutation.nextCheckAt},"d":${mutation.text}}`
      : `${head}}`;
  const length = Buffer.byteLength(text);
  if (length > maxRecordBytes) throw new StoreError('STORE_TOO_LARGE', `record is over ${maxRecordBytes} bytes`);
  const record = Buffer.allocUnsafe(FRAME_BYTES + length);
  record.writeUInt32BE(length, 0);
  record.write(text, FRAME_BYTES, 'utf8');
  record.writeUInt32BE(crc32(record.subarray(FRAME_BYTES), crc32(record.subarray(0, 4))), 4);
  return record;
}

/** A whole file holding `mutations`: what compaction writes. */
export function encodeSnapshot(mutations: Iterable<Mutation>, maxRecordBytes: number): Buffer {
  const parts = [encodeHeader()];
  for (const mutation of mutations) parts.push(encodeRecord(mutation, maxRecordBytes));
  return Buffer.concat(parts);
}

const isCollection = (value: unknown): value is CollectionName =>
  typeof value === 'string' && (COLLECTIONS as readonly string[]).includes(value);

/** Reads a record's payload back into a mutation, or undefined when it is not one. */
function decodePayload(payload: Buffer): Mutation | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { o, c, k, v, n, d } = value as Record<string, unknown>;
  if (!isCollection(c) || typeof k !== 'string') return undefined;
  if (o === 'd') return { op: 'delete', collection: c, key: k };
  if (o !== 'p' || !Number.isSafeInteger(v) || (v as number) < 1 || d === undefined) return undefined;
  if (n !== null && typeof n !== 'number') return undefined;
  return { op: 'put', collection: c, key: k, version: v as number, text: JSON.stringify(d), nextCheckAt: n };
}

type Frame = { status: 'ok'; end: number; payload: Buffer } | { status: JournalDamage['kind'] | 'end' };

/** Reads the frame at `offset`; never allocates: payloads are views of `bytes`. */
function readFrame(bytes: Buffer, offset: number, maxRecordBytes: number): Frame {
  if (offset === bytes.length) return { status: 'end' };
  if (bytes.length - offset < FRAME_BYTES) return { status: 'torn-tail' };
  const length = bytes.readUInt32BE(offset);
  if (length > maxRecordBytes) return { status: 'bad-length' };
  const end = offset + FRAME_BYTES + length;
  if (end > bytes.length) return { status: 'torn-tail' };
  const payload = bytes.subarray(offset + FRAME_BYTES, end);
  const crc = crc32(payload, crc32(bytes.subarray(offset, offset + 4)));
  return crc === bytes.readUInt32BE(offset + 4) ? { status: 'ok', end, payload } : { status: 'checksum' };
}

/**
 * Scans the records after the header. A record whose checksum fails is skipped alone when the
 * next frame is sound (its length framed it correctly); otherwise everything from it on is
 * dropped, since nothing after it can be framed. Work is linear in the file's size.
 */
export function scanJournal(
  bytes: Buffer,
  maxRecordBytes: number,
): { mutations: Mutation[]; damage: JournalDamage[]; goodBytes: number } {
  const mutations: Mutation[] = [];
  const damage: JournalDamage[] = [];
  let offset = HEADER_BYTES;
  for (;;) {
    const frame = readFrame(bytes, offset, maxRecordBytes);
    if (frame.status === 'end') break;
    if (frame.status === 'ok') {
      const mutation = decodePayload(frame.payload);
      if (mutation) mutations.push(mutation);
      else damage.push({ kind: 'bad-payload', offset, droppedBytes: frame.end - offset });
      offset = frame.end;
      continue;
    }
    if (frame.status === 'checksum') {
      const next = offset + FRAME_BYTES + bytes.readUInt32BE(offset);
      const after = readFrame(bytes, next, maxRecordBytes).status;
      if (after === 'ok' || after === 'end') {
        damage.push({ kind: 'checksum', offset, droppedBytes: next - offset });
        offset = next;
        continue;
      }
    }
    damage.push({ kind: frame.status, offset, droppedBytes: bytes.length - offset });
    offset = bytes.length;
    break;
  }
  return { mutations, damage, goodBytes: offset };
}
