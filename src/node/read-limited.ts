// The one way Node code reads a stream up to a byte limit: stdin, DoH request bodies, SES request bodies.

/**
 * Reads `source` to its end and returns its bytes, or null as soon as it runs over `limit`
 * bytes (the rest is not read: leaving the loop ends the stream). Callers turn null into their
 * own error.
 * @example
 * const body = await readLimited(req, 65_535);
 * if (body === null) res.writeHead(413).end();
 */
export async function readLimited(
  source: AsyncIterable<Uint8Array | string>,
  limit: number,
): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limit) return null;
    chunks.push(bytes);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}
