import { describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../../src/dns/zone.js';
import { createSesBackend } from '../../../src/ses/emulator-backend.js';
import { SesException } from '../../../src/ses/errors.js';
import { SesQueryError, toQueryError } from '../../../src/ses/v1/errors.js';
import { MAX_PARAMETERS, optionalList, optionalStructList, parseQueryParams } from '../../../src/ses/v1/form.js';
import { runQueryAction, type SesV1Backend } from '../../../src/ses/v1/operations.js';
import { escapeXml, queryErrorXml, queryResponseXml, SES_V1_NAMESPACE, XmlMap } from '../../../src/ses/v1/xml.js';

const backend = () => createSesBackend({ resolver: createZoneResolver(), now: () => 1_700_000_000_000 });

function form(params: Record<string, string>): Map<string, string> {
  return parseQueryParams(new URLSearchParams(params).toString());
}

async function run(b: object, params: Record<string, string>) {
  return runQueryAction(b as SesV1Backend, form({ Version: '2010-12-01', ...params }));
}

async function failure(b: object, params: Record<string, string>): Promise<SesQueryError> {
  const error = await run(b, params).then(
    () => null,
    (e: unknown) => e,
  );
  const known = toQueryError(error);
  if (!known) throw new Error(`expected a query error, got ${String(error)}`);
  return known;
}

describe('awsQuery form parsing', () => {
  it('decodes percent-encoding and + as space, lists by member index', () => {
    const params = parseQueryParams('Action=X&Identities.member.1=a%40b.com&Identities.member.2=c+d&Empty=');
    expect(params.get('Action')).toBe('X');
    expect(optionalList(params, 'Identities')).toEqual(['a@b.com', 'c d']);
    expect(optionalList(params, 'Empty')).toEqual([]);
    expect(optionalList(params, 'Absent')).toBeUndefined();
  });

  it('reads structure lists (Tags.member.N.Name/Value)', () => {
    const params = form({ 'Tags.member.1.Name': 'a', 'Tags.member.1.Value': '1', 'Tags.member.2.Name': 'b' });
    expect(optionalStructList(params, 'Tags', ['Name', 'Value'])).toEqual([{ Name: 'a', Value: '1' }, { Name: 'b' }]);
  });

  it('refuses bad percent-encoding, repeated names and too many parameters with MalformedQueryString', () => {
    const codes = ['A=%zz', 'A=1&A=2', Array.from({ length: MAX_PARAMETERS + 1 }, (_, i) => `p${i}=1`).join('&')].map(
      (text) => {
        try {
          parseQueryParams(text);
          return 'parsed';
        } catch (error) {
          return (error as SesQueryError).code;
        }
      },
    );
    expect(codes).toEqual(['MalformedQueryString', 'MalformedQueryString', 'MalformedQueryString']);
  });
});

describe('awsQuery XML', () => {
  it('wraps a result in <ActionResponse> with SES namespace and RequestId, maps as entries, lists as members', () => {
    const xml = queryResponseXml(
      'GetIdentityDkimAttributes',
      { DkimAttributes: new XmlMap([['a.com', { DkimEnabled: true, DkimTokens: ['t1', 't2'] }]]) },
      'req-1',
    );
    expect(xml).toContain(`<GetIdentityDkimAttributesResponse xmlns="${SES_V1_NAMESPACE}">`);
    expect(xml).toContain(
      '<DkimAttributes><entry><key>a.com</key><value><DkimEnabled>true</DkimEnabled><DkimTokens><member>t1</member><member>t2</member></DkimTokens></value></entry></DkimAttributes>'.replace(
        /></g,
        '>\n<',
      ),
    );
    expect(xml).toContain('<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>');
  });

  it('leaves the Result element out when the operation has no output (VerifyEmailAddress)', () => {
    expect(queryResponseXml('VerifyEmailAddress', null, 'r')).not.toContain('VerifyEmailAddressResult');
  });

  it('writes ErrorResponse with Type, Code, escaped Message and RequestId', () => {
    const xml = queryErrorXml(new SesQueryError('MessageRejected', 'failed: A <a@b.com> & co'), 'r-2');
    expect(xml).toContain(`<ErrorResponse xmlns="${SES_V1_NAMESPACE}">`);
    expect(xml).toContain(
      '<Error><Type>Sender</Type><Code>MessageRejected</Code><Message>failed: A &lt;a@b.com&gt; &amp; co</Message></Error>',
    );
    expect(xml).toContain('<RequestId>r-2</RequestId>');
  });

  it('never writes a character XML 1.0 cannot hold', () => {
    expect(escapeXml('a\u0000b\u001fc\ud800d\ufffe')).toBe('a\ufffdb\ufffdc\ufffdd\ufffd');
  });
});

describe('the v1 operation table', () => {
  it('answers MissingAction, InvalidAction (AWS common errors) and a wrong Version', async () => {
    const b = backend();
    expect((await failure(b, { Version: '2010-12-01' })).code).toBe('MissingAction');
    const unknown = await failure(b, { Action: 'FrobnicateIdentity' });
    expect([unknown.code, unknown.message]).toEqual([
      'InvalidAction',
      'The action or operation requested is invalid. Verify that the action is typed correctly. (FrobnicateIdentity)',
    ]);
    expect((await failure(b, { Action: 'toString' })).code).toBe('InvalidAction');
    expect((await failure(b, { Action: 'ListIdentities', Version: '2019-09-27' })).code).toBe('InvalidAction');
  });

  it('answers MissingParameter for a required parameter', async () => {
    const error = await failure(backend(), { Action: 'VerifyDomainDkim' });
    expect([error.code, error.message]).toEqual(['MissingParameter', 'The request must contain the parameter Domain.']);
  });

  it('one store for both APIs: a v1 domain is a v2 identity with the same tokens, and back', async () => {
    const b = backend();
    const v1 = await run(b, { Action: 'VerifyDomainDkim', Domain: 'example.com' });
    const v2 = await b.getEmailIdentity({ EmailIdentity: 'example.com' });
    expect((v1.result as { DkimTokens: string[] }).DkimTokens).toEqual(v2.DkimAttributes.Tokens);
    expect(v2.DkimAttributes.Tokens).toHaveLength(3);
    const created = await b.createEmailIdentity({ EmailIdentity: 'other.example' });
    const again = await run(b, { Action: 'VerifyDomainDkim', Domain: 'other.example' });
    expect((again.result as { DkimTokens: string[] }).DkimTokens).toEqual(created.DkimAttributes?.Tokens);
    const listed = await run(b, { Action: 'ListIdentities', IdentityType: 'Domain' });
    expect((listed.result as { Identities: string[] }).Identities).toEqual(['example.com', 'other.example']);
  });

  it('VerifyEmailIdentity is idempotent, and says SES words for a bad address', async () => {
    const b = backend();
    await run(b, { Action: 'VerifyEmailIdentity', EmailAddress: 'me@example.com' });
    await run(b, { Action: 'VerifyEmailIdentity', EmailAddress: 'me@example.com' });
    expect((await b.listEmailIdentities()).EmailIdentities.map((i) => i.IdentityName)).toEqual(['me@example.com']);
    const error = await failure(b, { Action: 'VerifyEmailIdentity', EmailAddress: 'not-an-address' });
    expect([error.code, error.message]).toEqual(['InvalidParameterValue', 'Invalid email addressnot-an-address.']);
  });

  it('GetIdentityVerificationAttributes: Pending, then Success once confirmed; unknown identities left out', async () => {
    const b = backend();
    await run(b, { Action: 'VerifyEmailIdentity', EmailAddress: 'me@example.com' });
    const params = { Action: 'GetIdentityVerificationAttributes', 'Identities.member.1': 'me@example.com' };
    const before = (await run(b, { ...params, 'Identities.member.2': 'nobody@example.com' })).result;
    expect((before as { VerificationAttributes: XmlMap }).VerificationAttributes.entries).toEqual([
      ['me@example.com', { VerificationStatus: 'Pending' }],
    ]);
    await b.confirmEmailAddress('me@example.com');
    const after = (await run(b, params)).result;
    expect((after as { VerificationAttributes: XmlMap }).VerificationAttributes.entries[0]?.[1]).toEqual({
      VerificationStatus: 'Success',
    });
  });

  it('SetIdentityDkimEnabled changes the v2 SigningEnabled; an address without a DKIM domain is refused', async () => {
    const b = backend();
    await b.createEmailIdentity({ EmailIdentity: 'example.com' });
    await run(b, { Action: 'SetIdentityDkimEnabled', Identity: 'example.com', DkimEnabled: 'false' });
    expect((await b.getEmailIdentity({ EmailIdentity: 'example.com' })).DkimAttributes.SigningEnabled).toBe(false);
    await run(b, { Action: 'VerifyEmailIdentity', EmailAddress: 'me@elsewhere.example' });
    const error = await failure(b, {
      Action: 'SetIdentityDkimEnabled',
      Identity: 'me@elsewhere.example',
      DkimEnabled: 'true',
    });
    expect([error.code, error.message]).toEqual([
      'InvalidParameterValue',
      'Domain elsewhere.example is not verified for DKIM signing.',
    ]);
  });

  it('ListIdentities pages with MaxItems and NextToken; DeleteIdentity is idempotent', async () => {
    const b = backend();
    for (const d of ['a.example', 'b.example', 'c.example']) await b.createEmailIdentity({ EmailIdentity: d });
    const first = (await run(b, { Action: 'ListIdentities', MaxItems: '2' })).result as {
      Identities: string[];
      NextToken: string;
    };
    expect(first.Identities).toEqual(['a.example', 'b.example']);
    const second = (await run(b, { Action: 'ListIdentities', MaxItems: '2', NextToken: first.NextToken })).result;
    expect(second).toEqual({ Identities: ['c.example'] });
    await run(b, { Action: 'DeleteIdentity', Identity: 'b.example' });
    await run(b, { Action: 'DeleteIdentity', Identity: 'b.example' });
    await expect(b.getEmailIdentity({ EmailIdentity: 'b.example' })).rejects.toThrow(SesException);
    expect((await failure(b, { Action: 'ListIdentities', MaxItems: '0' })).code).toBe('InvalidParameterValue');
  });

  it('SetIdentityMailFromDomain checks BehaviorOnMXFailure with SES v1 ValidationError text', async () => {
    const error = await failure(backend(), {
      Action: 'SetIdentityMailFromDomain',
      Identity: 'example.com',
      BehaviorOnMXFailure: 'Bounce',
    });
    expect([error.code, error.message]).toEqual([
      'ValidationError',
      "1 validation error detected: Value 'Bounce' at 'behaviorOnMXFailure' failed to satisfy constraint: Member must satisfy enum value set: [RejectMessage, UseDefaultValue]",
    ]);
  });

  it('GetIdentityMailFromDomainAttributes reads the v2 MailFromAttributes; unknown identities are left out', async () => {
    const b = backend();
    await b.createEmailIdentity({ EmailIdentity: 'mail.example' });
    const { result } = await run(b, {
      Action: 'GetIdentityMailFromDomainAttributes',
      'Identities.member.1': 'mail.example',
      'Identities.member.2': 'unknown.example',
    });
    const entries = (result as { MailFromDomainAttributes: XmlMap }).MailFromDomainAttributes.entries;
    expect(entries.map(([identity]) => identity)).toEqual(['mail.example']);
    // Real SES without a custom MAIL FROM: only the behaviour (ses-research A.4, in v1 spelling).
    expect(entries[0]?.[1]).toMatchObject({ BehaviorOnMXFailure: 'UseDefaultValue' });
  });

  it('maps v2 exceptions to v1 codes', () => {
    expect(toQueryError(new SesException('BadRequestException', 'x'))?.code).toBe('InvalidParameterValue');
    expect(toQueryError(new SesException('MessageRejected', 'x'))?.code).toBe('MessageRejected');
    expect(toQueryError(new Error('bug'))).toBeNull();
  });
});
