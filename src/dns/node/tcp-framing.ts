// The one codec for DNS over TCP's 2-byte length framing (RFC 1035 section 4.2.2), for resolver and server.

/** `message` with its 16-bit big-endian length in front. */
export function frameMessage(message: Uint8Array): Uint8Array {
  const framed = new Uint8Array(2 + message.length);
  framed[0] = message.length >> 8;
  framed[1] = message.length & 0xff;
  framed.set(message, 2);
  return framed;
}

/**
 * Collects TCP data and cuts it into whole messages as their frames complete. Chunks are kept
 * as received and joined once per message, so a message arriving in many small segments costs
 * linear time, not a copy of everything so far per segment.
 */
export class FrameReader {
  private chunks: Uint8Array[] = [];
  private size = 0;

  /** Bytes received and not yet returned as a message. */
  get pending(): number {
    return this.size;
  }

  /** Adds `data`; returns the messages it completes, in order. */
  push(data: Uint8Array): Uint8Array[] {
    if (data.length > 0) {
      this.chunks.push(data);
      this.size += data.length;
    }
    const messages: Uint8Array[] = [];
    while (this.size >= 2) {
      const length = (this.byteAt(0) << 8) | this.byteAt(1);
      if (this.size < 2 + length) break;
      messages.push(this.take(2 + length).subarray(2));
    }
    return messages;
  }

  private byteAt(index: number): number {
    let offset = index;
    for (const chunk of this.chunks) {
      if (offset < chunk.length) return chunk[offset] as number;
      offset -= chunk.length;
    }
    return 0;
  }

  /** Removes and returns the first `count` bytes (count <= size). */
  private take(count: number): Uint8Array {
    const first = this.chunks[0] as Uint8Array;
    let out: Uint8Array;
    if (first.length >= count) {
      out = first.subarray(0, count);
    } else {
      out = new Uint8Array(count);
      let filled = 0;
      let i = 0;
      while (filled < count) {
        const chunk = this.chunks[i++] as Uint8Array;
        const part = chunk.subarray(0, Math.min(chunk.length, count - filled));
        out.set(part, filled);
        filled += part.length;
      }
    }
    this.drop(count);
    return out;
  }

  private drop(count: number): void {
    let left = count;
    let whole = 0;
    while (whole < this.chunks.length && (this.chunks[whole] as Uint8Array).length <= left) {
      left -= (this.chunks[whole] as Uint8Array).length;
      whole++;
    }
    // One splice per message, not one shift per chunk: many tiny segments stay linear.
    if (whole > 0) this.chunks.splice(0, whole);
    if (left > 0) this.chunks[0] = (this.chunks[0] as Uint8Array).subarray(left);
    this.size -= count;
  }
}
