// PEM blocks (RFC 7468, with RFC 1421 headers): finding them in text and decoding their bodies.
import { base64Decode } from './base64.js';
import { DkimError } from './errors.js';

/** One PEM block (RFC 7468, with RFC 1421 headers for legacy encrypted keys). */
export interface PemBlock {
  readonly label: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]{1,64})-----$/;
const END = /^-----END ([A-Z0-9 ]{1,64})-----$/;
const MAX_BLOCKS = 8;

/**
 * Finds the PEM blocks in `text` (LF or CRLF). Text outside blocks is ignored, as RFC 7468
 * asks; inside a block only headers, base64 lines and white space are allowed.
 */
export function parsePemBlocks(text: string): PemBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: PemBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const begin = BEGIN.exec((lines[index] as string).trim());
    index++;
    if (!begin) continue;
    if (blocks.length === MAX_BLOCKS) throw new DkimError('PEM_INVALID', `more than ${MAX_BLOCKS} PEM blocks`);
    const label = begin[1] as string;
    const headers = new Map<string, string>();
    const bodyLines: string[] = [];
    let ended = false;
    let inHeaders = index < lines.length && (lines[index] as string).includes(':');
    while (index < lines.length) {
      const line = (lines[index] as string).trim();
      index++;
      const end = END.exec(line);
      if (end) {
        if (end[1] !== label) throw new DkimError('PEM_INVALID', `PEM block "${label}" ends with "${end[1]}"`);
        ended = true;
        break;
      }
      if (inHeaders) {
        if (line === '') {
          inHeaders = false;
          continue;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) throw new DkimError('PEM_INVALID', `malformed header line in PEM block "${label}"`);
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        continue;
      }
      if (BEGIN.test(line)) throw new DkimError('PEM_INVALID', `PEM block "${label}" has no END line`);
      bodyLines.push(line);
    }
    if (!ended) throw new DkimError('PEM_INVALID', `PEM block "${label}" has no END line`);
    blocks.push({ label, headers, body: bodyLines.join('') });
  }
  return blocks;
}

/** Decodes a block's base64 body; bad base64 stays BASE64_INVALID, an empty body is a PEM problem. */
export function decodePemBody(block: PemBlock): Uint8Array {
  if (block.body.length === 0) throw new DkimError('PEM_INVALID', `PEM block "${block.label}" is empty`);
  return base64Decode(block.body);
}
