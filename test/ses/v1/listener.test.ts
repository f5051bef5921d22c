// The v1 and outbox listeners over HTTP: body limits, content types, mount contexts, and the legacy TXT path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../../src/dns/zone.js';
import { createSesBackend } from '../../../src/ses/emulator-backend.js';
import { createSesOutboxListener, OUTBOX_PATH } from '../../../src/ses/node/outbox-listener.js';
import { createSesV1RequestListener, isSesV1Request } from '../../../src/ses/node/v1-listener.js';
import { sesV1Mounts } from '../../../src/ses/node/v1-mounts.js';
import type { SesV1Backend } from '../../../src/ses/v1/operations.js';
import { SES_V1_NAMESPACE } from '../../../src/ses/v1/xml.js';
import { startHttp } from './harness.js';

const backend = createSesBackend({ resolver: createZoneResolver() });
let http: Awaited<ReturnType<typeof startHttp>>;

beforeAll(async () => {
  const v1 = createSesV1RequestListener(backend as unknown as SesV1Backend, { bodyLimit: 4096 });
  const box = createSesOutboxListener(backend.outbox());
  http = await startHttp((req, res) => ((req.url ?? '').startsWith(OUTBOX_PATH) ? box(req, res) : v1(req, res)));
});
afterAll(() => http.close());

const post = (body: string, type = 'application/x-www-form-urlencoded; charset=utf-8') =>
  fetch(`${http.url}/`, { method: 'POST', headers: { 'content-type': type }, body });

describe('the v1 listener', () => {
  it('answers XML with the request id in the body and the x-amzn-requestid header', async () => {
    const response = await post('Action=ListIdentities&Version=2010-12-01');
    const xml = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(xml).toContain(`<ListIdentitiesResponse xmlns="${SES_V1_NAMESPACE}">`);
    expect(xml).toContain(`<RequestId>${response.headers.get('x-amzn-requestid')}</RequestId>`);
  });

  it('refuses a body over the limit with 413 before reading it all, and stays up', async () => {
    const response = await post(`Action=ListIdentities&Pad=${'x'.repeat(10_000)}`);
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('<Code>RequestEntityTooLarge</Code>');
    expect((await post('Action=ListIdentities')).status).toBe(200);
  });

  it('answers malformed percent-encoding and unknown actions as ErrorResponse, 4xx', async () => {
    const malformed = await post('Action=%E0%A4%A');
    expect([malformed.status, (await malformed.text()).includes('<Code>MalformedQueryString</Code>')]).toEqual([
      404,
      true,
    ]);
    const unknown = await post('Action=DescribeEverything');
    expect([unknown.status, (await unknown.text()).includes('<Code>InvalidAction</Code>')]).toEqual([400, true]);
  });

  it('isSesV1Request: POST / with a form body only', () => {
    const req = (method: string, url: string, type: string) =>
      ({ method, url, headers: { 'content-type': type } }) as never;
    expect(isSesV1Request(req('POST', '/', 'application/x-www-form-urlencoded; charset=utf-8'))).toBe(true);
    expect(isSesV1Request(req('POST', '/', 'application/json'))).toBe(false);
    expect(isSesV1Request(req('POST', '/v2/email/identities', 'application/x-www-form-urlencoded'))).toBe(false);
    expect(isSesV1Request(req('GET', '/', 'application/x-www-form-urlencoded'))).toBe(false);
  });

  it('the mounts use the backend of the server context', async () => {
    const other = createSesBackend({ resolver: createZoneResolver() });
    await other.createEmailIdentity({ EmailIdentity: 'mounted.example' });
    const [outboxMount, v1Mount] = sesV1Mounts();
    const server = await startHttp((req, res) =>
      (req.url ?? '').startsWith(OUTBOX_PATH)
        ? outboxMount?.listener(req, res, { backend: other })
        : v1Mount?.listener(req, res, { backend: other }),
    );
    try {
      const xml = await (
        await fetch(`${server.url}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'Action=ListIdentities',
        })
      ).text();
      expect(xml).toContain('<member>mounted.example</member>');
      expect(await (await fetch(`${server.url}${OUTBOX_PATH}`)).json()).toEqual({ messages: [] });
    } finally {
      await server.close();
    }
  });
});

describe('the outbox listener', () => {
  it('GET lists, DELETE answers 204, other methods 405', async () => {
    expect(await (await fetch(`${http.url}${OUTBOX_PATH}`)).json()).toEqual({ messages: [] });
    expect((await fetch(`${http.url}${OUTBOX_PATH}?id=unknown`, { method: 'DELETE' })).status).toBe(204);
    const put = await fetch(`${http.url}${OUTBOX_PATH}`, { method: 'PUT', body: '{}' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, DELETE']);
  });
});

// VerifyDomainIdentity is the v2-backend's legacy `_amazonses` TXT verification
// (backend.verifyDomainIdentity, notes/phase2-shared.md). Until it is merged this runs only under CI,
// where it must pass.
const hasLegacy = typeof (backend as { verifyDomainIdentity?: unknown }).verifyDomainIdentity === 'function';

describe.runIf(hasLegacy || process.env.CI === 'true')('VerifyDomainIdentity (legacy TXT, v2-backend)', () => {
  it('returns a 44-character base64 token that GetIdentityVerificationAttributes shows, Pending', async () => {
    const xml = await (await post('Action=VerifyDomainIdentity&Domain=legacy.example')).text();
    const token = /<VerificationToken>([^<]+)<\/VerificationToken>/.exec(xml)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const attributes = await (
      await post('Action=GetIdentityVerificationAttributes&Identities.member.1=legacy.example')
    ).text();
    expect(attributes).toContain(`<VerificationToken>${token}</VerificationToken>`);
    expect(attributes).toContain('<VerificationStatus>Pending</VerificationStatus>');
  });
});

describe('VerifyDomainIdentity through the table, with a backend that has it', () => {
  it('maps Domain to backend.verifyDomainIdentity and the token into the Result', async () => {
    const calls: unknown[] = [];
    const stub = Object.assign(Object.create(backend) as object, {
      v1: backend.v1,
      verifyDomainIdentity: async (input: unknown) => {
        calls.push(input);
        return { VerificationToken: 'EXAMPLE3VYb9EDI2nTOQRi/Tf6MI/6bD6THIGiP1MVY=' };
      },
    });
    const server = await startHttp(createSesV1RequestListener(stub as unknown as SesV1Backend));
    try {
      const xml = await (
        await fetch(`${server.url}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'Action=VerifyDomainIdentity&Domain=stub.example',
        })
      ).text();
      expect(calls).toEqual([{ Domain: 'stub.example' }]);
      expect(xml).toContain(
        '<VerifyDomainIdentityResult>\n<VerificationToken>EXAMPLE3VYb9EDI2nTOQRi/Tf6MI/6bD6THIGiP1MVY=</VerificationToken>',
      );
    } finally {
      await server.close();
    }
  });
});
