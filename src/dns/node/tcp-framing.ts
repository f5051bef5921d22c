// The one codec for DNS over TCP's 2-byte length framing (RFC 1035 section 4.2.2), for resolver and server.

/** `message` with its 16-bit big-endian length in front. */
export function frameMessage(message: Uint8Array): Uint8Array {
  const framed = new Uint8Array(2 + message.length);
  framed[0] = message.length >> 8;
  framed[1] = message.length & 0xff;
  framed.set(message, 2);
  return framed;
}

/** Collects TCP data and cuts it into whole messages as their frames complete. */
export class FrameReader {
  private buffered = new Uint8Array(0);

  /** Bytes received and not yet returned as a message. */
  get pending(): number {
    return this.buffered.length;
  }

  /** Adds `data`; returns the messages it completes, in order (views over the received bytes). */
  push(data: Uint8Array): Uint8Array[] {
    const all = new Uint8Array(this.buffered.length + data.length);
    all.set(this.buffered, 0);
    all.set(data, this.buffered.length);
    const messages: Uint8Array[] = [];
    let offset = 0;
    while (all.length - offset >= 2) {
      const length = ((all[offset] as number) << 8) | (all[offset + 1] as number);
      if (all.length - offset < 2 + length) break;
      messages.push(all.subarray(offset + 2, offset + 2 + length));
      offset += 2 + length;
    }
    this.buffered = all.subarray(offset);
    return messages;
  }
}
