// startSesServer in-process on loopback: regions, admin routes, mounts, errors, provider DNS, shutdown.
import { afterEach, describe, expect, it } from 'vitest';
import { createZoneResolver, DkimError, type Resolver } from '../../../src/index.js';
import { createUdpResolver, type SesServer, SesServerError, startSesServer } from '../../../src/node.js';

const T0 = Date.UTC(2026, 11, 1);
const signed = (region: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/${region}/ses/aws4_request, SignedHeaders=host, Signature=0`,
});

let servers: SesServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function start(options: Partial<Parameters<typeof startSesServer>[0]> = {}): Promise<SesServer> {
  const server = await startSesServer({ resolver: createZoneResolver(), now: () => T0, ...options });
  servers.push(server);
  return server;
}

async function call(server: SesServer, method: string, path: string, body?: unknown, headers = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), json: await response.json() };
}

describe('startSesServer', () => {
  it('keeps one state per SigV4 region; unsigned requests use the default region', async () => {
    const server = await start({ region: 'eu-south-1' });
    const created = await call(
      server,
      'POST',
      '/v2/email/identities',
      { EmailIdentity: 'r.example' },
      signed('af-south-1'),
    );
    expect(created.json.DkimAttributes.SigningHostedZone).toBe('dkim.af-south-1.amazonses.com');
    expect((await call(server, 'GET', '/v2/email/identities/r.example', undefined, signed('af-south-1'))).status).toBe(
      200,
    );
    const elsewhere = await call(server, 'GET', '/v2/email/identities/r.example', undefined, signed('us-east-1'));
    expect([elsewhere.status, elsewhere.type]).toEqual([404, 'NotFoundException']);
    await call(server, 'POST', '/v2/email/identities', { EmailIdentity: 'd.example' });
    expect(server.regions.entries().map(([region]) => region)).toEqual(['eu-south-1', 'af-south-1', 'us-east-1']);
    const unsigned = await call(server, 'GET', '/v2/email/identities/d.example');
    expect(unsigned.json.DkimAttributes.SigningHostedZone).toBe('dkim.eu-south-1.amazonses.com');
  });

  it("DEED across the regions one server hosts: a replica takes its parent region's signing", async () => {
    const server = await start();
    const deed = {
      EmailIdentity: 'deed.example',
      DkimSigningAttributes: { DomainSigningAttributesOrigin: 'AWS_SES_US_EAST_1' },
    };
    const orphan = await call(server, 'POST', '/v2/email/identities', deed, signed('eu-west-1'));
    expect([orphan.status, orphan.type]).toEqual([400, 'BadRequestException']);
    const parent = await call(
      server,
      'POST',
      '/v2/email/identities',
      { EmailIdentity: 'deed.example' },
      signed('us-east-1'),
    );
    const replica = await call(server, 'POST', '/v2/email/identities', deed, signed('eu-west-1'));
    expect(replica.status).toBe(200);
    expect(replica.json.DkimAttributes).toMatchObject({
      Tokens: parent.json.DkimAttributes.Tokens,
      SigningAttributesOrigin: 'AWS_SES_US_EAST_1',
    });
  });

  it('admin routes: the clock moves, due checks run, the link is clicked; bad input is SES-shaped', async () => {
    const server = await start();
    expect((await call(server, 'GET', '/_dkim-engine/clock')).json).toEqual({ now: T0 });
    expect((await call(server, 'POST', '/_dkim-engine/clock', { advanceMs: 3_600_000 })).json).toEqual({
      now: T0 + 3_600_000,
    });
    for (const body of [{ advanceMs: -1 }, { advanceMs: '5' }, {}]) {
      const bad = await call(server, 'POST', '/_dkim-engine/clock', body);
      expect([bad.status, bad.type]).toEqual([400, 'BadRequestException']);
    }
    await call(server, 'POST', '/v2/email/identities', { EmailIdentity: 'c.example' });
    await call(server, 'POST', '/v2/email/identities', { EmailIdentity: 'me@c.example' });
    expect((await call(server, 'POST', '/_dkim-engine/check')).json).toEqual({ checked: 1 });
    expect((await call(server, 'POST', '/_dkim-engine/check')).json).toEqual({ checked: 0 });
    expect((await call(server, 'POST', '/_dkim-engine/confirm', { emailAddress: 'me@c.example' })).json).toEqual({
      confirmed: 'me@c.example',
    });
    expect((await call(server, 'GET', '/v2/email/identities/me%40c.example')).json.VerificationStatus).toBe('SUCCESS');
    const missing = await call(server, 'POST', '/_dkim-engine/confirm', { emailAddress: 'who@c.example' });
    expect([missing.status, missing.type]).toEqual([404, 'NotFoundException']);
    const unknown = await call(server, 'POST', '/_dkim-engine/reset');
    expect([unknown.status, unknown.type]).toEqual([404, 'UnknownOperationException']);
  });

  it('answers unknown routes, missing operations, bad bodies and bugs with SES-shaped errors', async () => {
    const server = await start({
      createBackend: () => ({
        getAccount: async () => ({ SendingEnabled: true }),
        getEmailIdentity: async () => {
          throw new Error('secret internals');
        },
      }),
    });
    const unknown = await call(server, 'GET', '/v2/email/nothing');
    expect([unknown.status, unknown.type]).toEqual([404, 'UnknownOperationException']);
    expect(await call(server, 'GET', '/v2/email/account')).toMatchObject({
      status: 200,
      json: { SendingEnabled: true },
    });
    const missing = await call(server, 'POST', '/v2/email/tags', { ResourceArn: 'x', Tags: [] });
    expect(missing).toMatchObject({
      status: 404,
      type: 'UnknownOperationException',
      json: { message: 'TagResource is not implemented by this emulator yet.' },
    });
    const notObject = await call(server, 'POST', '/v2/email/identities', '[1]');
    expect([notObject.status, notObject.type]).toEqual([400, 'SerializationException']);
    const big = await call(server, 'POST', '/v2/email/identities', `{"EmailIdentity":"${'a'.repeat(1_100_000)}"}`);
    expect([big.status, big.type]).toEqual([413, 'RequestEntityTooLargeException']);
    const bug = await call(server, 'GET', '/v2/email/identities/x.example');
    expect(bug).toMatchObject({ status: 500, type: 'InternalFailure' });
    expect(JSON.stringify(bug.json)).not.toContain('secret');
    expect((await call(server, 'GET', '/v2/email/account')).status).toBe(200);
  });

  it('mounts see their requests first, by prefix or predicate, with the region and its backend', async () => {
    const seen: string[] = [];
    const server = await start({
      mounts: [
        {
          match: '/_aws/ses',
          listener: (_req, res, context) => {
            seen.push(`outbox ${context.region} ${context.accountId}`);
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"messages":[]}');
          },
        },
        {
          match: (req) => req.method === 'POST' && req.url === '/',
          listener: (_req, res, context) => {
            seen.push(`v1 ${context.region} ${typeof context.backend}`);
            res.writeHead(200).end('{}');
          },
        },
      ],
    });
    expect((await call(server, 'GET', '/_aws/ses')).json).toEqual({ messages: [] });
    await call(server, 'POST', '/', 'Action=ListIdentities', signed('eu-west-1'));
    expect(seen).toEqual(['outbox us-east-1 000000000000', 'v1 eu-west-1 object']);
  });

  it("serves the provider's zones over DNS and never asks the customer's resolver about them", async () => {
    const asked: string[] = [];
    const zone = createZoneResolver();
    const customer: Resolver = {
      resolve: (name, type) => {
        asked.push(name);
        return zone.resolve(name, type);
      },
    };
    const server = await start({ resolver: customer, dnsPort: 0 });
    const created = await call(server, 'POST', '/v2/email/identities', { EmailIdentity: 'p.example' });
    const tokens: string[] = created.json.DkimAttributes.Tokens;
    for (const token of tokens) zone.set(`${token}._domainkey.p.example`, 'CNAME', `${token}.dkim.amazonses.com`);
    expect(await server.checkAll()).toBe(1);
    expect((await call(server, 'GET', '/v2/email/identities/p.example')).json.VerificationStatus).toBe('SUCCESS');
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((name) => name.endsWith('amazonses.com'))).toEqual([]);
    const wire = createUdpResolver({ servers: [server.dnsAddress as string], timeout: 1000, attempts: 2 });
    const answer = await wire.resolve(`${tokens[0]}.dkim.amazonses.com`, 'TXT');
    expect(answer.kind).toBe('records');
    await wire.close?.();
  }, 30_000);

  it('a port in use is a PORT_IN_USE error, for HTTP and for DNS', async () => {
    const first = await start({ dnsPort: 0 });
    await expect(start({ port: first.port })).rejects.toMatchObject({ code: 'PORT_IN_USE' });
    const dnsPort = Number((first.dnsAddress as string).split(':')[1]);
    const error = await start({ dnsPort }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SesServerError);
    expect((error as Error).message).toMatch(new RegExp(`DNS port ${dnsPort} .* in use`));
  });

  it('refuses bad options with OPTION_INVALID', async () => {
    for (const options of [{ accountId: '12' }, { region: 'mars' }, { port: 70_000 }, { checkEvery: 0 }]) {
      await expect(start(options)).rejects.toBeInstanceOf(DkimError);
    }
  });

  it('shutdown finishes the request in flight, then refuses new connections', async () => {
    let release: () => void = () => {};
    const server = await start({
      createBackend: () => ({
        getAccount: () =>
          new Promise((resolve) => {
            release = () => resolve({ slow: true });
          }),
      }),
    });
    const inFlight = call(server, 'GET', '/v2/email/account');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = server.close();
    release();
    expect((await inFlight).json).toEqual({ slow: true });
    await closed;
    await expect(fetch(`${server.url}/v2/email/account`)).rejects.toThrow();
  });
});
