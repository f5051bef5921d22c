// The SES listener and the body reader against the hostile HTTP client: issue #13 D1 and W1.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../src/index.js';
import { createSesV2RequestListener, hardenServer } from '../../src/node.js';
import { DEFAULT_BODY_LIMITS, readBody } from '../../src/ses/node/body.js';
import { createSesV2Backend } from '../../src/ses.js';
import { head, jsonRequest, rawExchange, serveOnLoopback, slowlorisHead, trickle } from './fixtures/http.js';

const LIST = '/v2/email/list-identities';
const MIB = 1024 * 1024;

describe('the SES v2 listener under hostile HTTP', () => {
  let listener: Awaited<ReturnType<typeof serveOnLoopback>>;
  beforeAll(async () => {
    const backend = createSesV2Backend({ resolver: createZoneResolver(), region: 'eu-south-1' });
    listener = await serveOnLoopback(createSesV2RequestListener(backend), (server) =>
      hardenServer(server, { headersTimeout: 400, requestTimeout: 5_000, keepAliveTimeout: 1_000 }),
    );
  });
  afterAll(async () => {
    await listener.close();
  });

  it('#13 D1 finishes a refused >1 MiB body with Connection: close, and the connection ends at once', async () => {
    const body = Buffer.alloc(MIB + 100, 0x20);
    const outcome = await rawExchange(listener.port, [jsonRequest(LIST, body), jsonRequest(LIST, '{}')], {
      waitMs: 3_000,
    });
    expect(outcome.responses[0]).toMatchObject({ status: 413, headers: { connection: 'close' } });
    expect(outcome.responses[0]?.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
    // No second answer on a connection the server said it closes, and no stall before the close.
    expect(outcome.responses).toHaveLength(1);
    expect(outcome.closed).toBe(true);
    expect(outcome.ms).toBeLessThan(2_000);
  });

  it('#13 D1 refuses a chunked body once it passes 1 MiB, closing the connection', async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const steps = [head('POST', LIST, { 'Transfer-Encoding': 'chunked' }), ...Array(5).fill(framed)];
    const outcome = await rawExchange(listener.port, steps, { waitMs: 3_000 });
    expect(outcome.responses[0]).toMatchObject({ status: 413, headers: { connection: 'close' } });
    expect(outcome.closed).toBe(true);
  });

  it('#13 W1 refuses a declared 1 GB body at once, before any of it arrives', async () => {
    const outcome = await rawExchange(listener.port, [head('POST', LIST, { 'Content-Length': 2 ** 30 })], {
      expect: 1,
      waitMs: 3_000,
    });
    expect(outcome.responses[0]).toMatchObject({ status: 413, headers: { connection: 'close' } });
    expect(outcome.firstResponseMs).toBeLessThan(1_000);
  });

  it('#13 W1 refuses a declared 1 GB body trickled a byte at a time, and cuts the trickle', async () => {
    const steps = [head('POST', LIST, { 'Content-Length': 2 ** 30 }), ...trickle(200, 20)];
    const outcome = await rawExchange(listener.port, steps, { waitMs: 1_000 });
    expect(outcome.responses[0]?.status).toBe(413);
    expect(outcome.closed).toBe(true);
    expect(outcome.ms).toBeLessThan(DEFAULT_BODY_LIMITS.drainTimeout + 1_500);
  });

  it('#13 W1 cuts a slowloris request head after the headers timeout', async () => {
    const outcome = await rawExchange(listener.port, slowlorisHead(LIST, 20, 200), { waitMs: 500 });
    expect(outcome.closed).toBe(true);
    expect(outcome.ms).toBeLessThan(2_000);
  });

  it('answers malformed JSON and bad percent-encoding, and keeps the connection for the next request', async () => {
    const outcome = await rawExchange(
      listener.port,
      [jsonRequest(LIST, '{"PageSize": '), head('GET', '/v2/email/identities/%E0%A4%A'), jsonRequest(LIST, '{}')],
      { expect: 3, waitMs: 2_000 },
    );
    expect(outcome.responses.map((r) => r.status)).toEqual([400, 400, 200]);
    expect(outcome.responses[0]?.headers['x-amzn-errortype']).toBe('SerializationException');
  });
});

describe('readBody on any node:http listener', () => {
  const limits = { maxBytes: 1024, bodyTimeout: 300, drainBytes: 4096, drainTimeout: 500 };
  let listener: Awaited<ReturnType<typeof serveOnLoopback>>;
  beforeAll(async () => {
    listener = await serveOnLoopback((req: IncomingMessage, res: ServerResponse) => {
      readBody(req, res, limits).then(
        (body) => res.end(Buffer.from(body)),
        (error: Error) => res.writeHead(400).end(error.message),
      );
    });
  });
  afterAll(async () => {
    await listener.close();
  });

  it('#13 W1 refuses a body that trickles past its deadline, with Connection: close', async () => {
    const steps = [head('POST', '/', { 'Content-Length': 100 }), ...trickle(100, 50)];
    const outcome = await rawExchange(listener.port, steps, { waitMs: 1_500 });
    expect(outcome.responses[0]).toMatchObject({ status: 400, headers: { connection: 'close' } });
    expect(outcome.responses[0]?.body).toContain('did not arrive within 300 ms');
    expect(outcome.firstResponseMs).toBeLessThan(1_000);
    expect(outcome.closed).toBe(true);
  });

  it('reads a body within its limits and keeps the connection alive', async () => {
    const outcome = await rawExchange(listener.port, [jsonRequest('/', '{"a":1}'), jsonRequest('/', '{"b":2}')], {
      expect: 2,
    });
    expect(outcome.responses.map((r) => r.body)).toEqual(['{"a":1}', '{"b":2}']);
    expect(outcome.closed).toBe(false);
  });
});
