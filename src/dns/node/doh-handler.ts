// The DoH request handler (RFC 8484): a DNS query over HTTP answered from a resolver (dashboard, test DoH server).
import type { IncomingMessage, ServerResponse } from 'node:http';
import dnsPacket from 'dns-packet';
import { readLimited } from '../../node/read-limited.js';
import { MAX_MESSAGE_SIZE } from '../message.js';
import type { Resolver } from '../types.js';
import { answerFromResolver, type DecodedQuery } from './server.js';

/**
 * Reads the DNS query of a DoH request (RFC 8484: GET with ?dns=<base64url>, or POST with the
 * message as body, at most 65,535 bytes). Null when there is none or it does not decode.
 */
export async function readDohQuery(req: IncomingMessage): Promise<DecodedQuery | null> {
  let body: Uint8Array | null;
  if (req.method === 'GET') {
    body = Buffer.from(new URL(req.url ?? '/', 'http://localhost').searchParams.get('dns') ?? '', 'base64url');
  } else {
    body = await readLimited(req, MAX_MESSAGE_SIZE);
    if (body === null) return null;
  }
  try {
    return dnsPacket.decode(Buffer.from(body.buffer, body.byteOffset, body.length));
  } catch {
    return null;
  }
}

/** Answers a DoH request from a resolver: 400 for a bad query, 504 when the resolver times out. */
export async function serveDohRequest(resolver: Resolver, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const query = await readDohQuery(req);
  const answer = query === null ? null : await answerFromResolver(resolver, query);
  if (answer === null) {
    res.writeHead(query === null ? 400 : 504).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/dns-message' }).end(answer);
}
