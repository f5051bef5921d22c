// The restJson1 router's pure parts: matching, percent-decoding, binding, bodies, regions, the clock.
import { describe, expect, it } from 'vitest';
import { createSesClock } from '../../../src/ses/clock.js';
import { regionOfRequest } from '../../../src/ses/node/region.js';
import {
  bindInput,
  matchRoute,
  parseJsonBody,
  parseQuery,
  RestProtocolError,
  splitTarget,
} from '../../../src/ses/node/rest-router.js';

const refused = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(RestProtocolError);
    return error as RestProtocolError;
  }
  throw new Error('not refused');
};

describe('matchRoute', () => {
  it.each([
    ['GET', '/v2/email/identities/a%40b.example', 'GetEmailIdentity', { EmailIdentity: 'a@b.example' }],
    ['GET', '/v2/email/identities', 'ListEmailIdentities', {}],
    ['GET', '/v2/email/identities/', 'ListEmailIdentities', {}],
    ['POST', '/v2/email/list-identities', 'ListEmailIdentities', {}],
    [
      'PUT',
      '/v1/email/identities/x.example/dkim/signing',
      'PutEmailIdentityDkimSigningAttributes',
      { EmailIdentity: 'x.example' },
    ],
    [
      'PUT',
      '/v2/email/identities/x.example/dkim/signing',
      'PutEmailIdentityDkimSigningAttributes',
      { EmailIdentity: 'x.example' },
    ],
    ['PUT', '/v2/email/identities/x.example/dkim', 'PutEmailIdentityDkimAttributes', { EmailIdentity: 'x.example' }],
    [
      'DELETE',
      '/v2/email/identities/a%2Fb/policies/p%20q',
      'DeleteEmailIdentityPolicy',
      { EmailIdentity: 'a/b', PolicyName: 'p q' },
    ],
    ['GET', '/v2/email/account', 'GetAccount', {}],
  ])('%s %s is %s', (method, path, operation, labels) => {
    const match = matchRoute(method, path);
    expect(match?.route.operation).toBe(operation);
    expect(match?.labels).toEqual(labels);
  });

  it.each([
    ['PATCH', '/v2/email/identities/x.example'],
    ['GET', '/v2/email/nothing'],
    ['GET', '/v2/email/identities//dkim'],
    ['GET', 'v2/email/identities'],
  ])('%s %s matches nothing', (method, path) => {
    expect(matchRoute(method, path)).toBeNull();
  });

  it('bad percent-encoding in a label is a 400 BadRequestException', () => {
    const error = refused(() => matchRoute('GET', '/v2/email/identities/%E0%A4%A'));
    expect([error.status, error.type]).toEqual([400, 'BadRequestException']);
    expect(error.message).toMatch(/percent-encoding/);
  });
});

describe('query, body and input binding', () => {
  it('parses the query strictly: + is literal, names repeat, bad encoding is refused', () => {
    const query = parseQuery('ResourceArn=arn%3Aaws%3Ases%3A%3A%3Aidentity%2Fa+b%40x&TagKeys=a&TagKeys=b%20c&flag');
    expect(query.get('ResourceArn')).toEqual(['arn:aws:ses:::identity/a+b@x']);
    expect(query.get('TagKeys')).toEqual(['a', 'b c']);
    expect(query.get('flag')).toEqual(['']);
    expect(refused(() => parseQuery('a=%zz')).status).toBe(400);
  });

  it('binds labels over body members, types query members, drops unknown body members', () => {
    const untag = matchRoute('DELETE', '/v2/email/tags');
    expect(bindInput(untag as never, parseQuery('ResourceArn=r&TagKeys=a&TagKeys=b'), {})).toEqual({
      ResourceArn: 'r',
      TagKeys: ['a', 'b'],
    });
    const put = matchRoute('PUT', '/v2/email/identities/real.example/dkim');
    expect(
      bindInput(put as never, new Map(), { EmailIdentity: 'other.example', SigningEnabled: 'true', Extra: 1 }),
    ).toEqual({ EmailIdentity: 'real.example', SigningEnabled: 'true' });
    const list = matchRoute('GET', '/v2/email/identities');
    expect(bindInput(list as never, parseQuery('PageSize=20'), {})).toEqual({ PageSize: 20 });
    const error = refused(() => bindInput(list as never, parseQuery('PageSize=ten'), {}));
    expect([error.status, error.type]).toEqual([400, 'SerializationException']);
  });

  it.each(['[]', 'null', '"x"', '42', '{bad', '{"a":1'])('a body of %s is a SerializationException', (text) => {
    const error = refused(() => parseJsonBody(new TextEncoder().encode(text)));
    expect([error.status, error.type]).toEqual([400, 'SerializationException']);
  });

  it('an empty body is {}; invalid UTF-8 is refused', () => {
    expect(parseJsonBody(new Uint8Array())).toEqual({});
    expect(refused(() => parseJsonBody(new Uint8Array([0x7b, 0xff, 0x7d]))).type).toBe('SerializationException');
  });

  it('splits origin-form and absolute-form targets without normalising dot segments', () => {
    expect(splitTarget('/v2/email/identities/%2e%2e?PageSize=1')).toEqual({
      path: '/v2/email/identities/%2e%2e',
      query: 'PageSize=1',
    });
    expect(splitTarget('http://127.0.0.1:4566/v2/email/account')).toEqual({ path: '/v2/email/account', query: '' });
  });
});

describe('regionOfRequest', () => {
  const auth = (scope: string) => ({
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${scope}, SignedHeaders=host;x-amz-date, Signature=abc`,
  });
  it.each([
    ['20261201/eu-south-1/ses/aws4_request', 'eu-south-1'],
    ['20261201/us-gov-west-1/ses/aws4_request', 'us-gov-west-1'],
    ['20261201/mars/ses/aws4_request', null],
    ['20261201/eu-south-1/ses', null],
  ])('%s -> %s', (scope, region) => {
    expect(regionOfRequest(auth(scope))).toBe(region);
  });
  it('no Authorization, or another scheme, is no region', () => {
    expect(regionOfRequest({})).toBeNull();
    expect(regionOfRequest({ authorization: 'Basic Zm9vOmJhcg==' })).toBeNull();
  });
});

describe('the emulator clock', () => {
  it('runs with its base plus the offset; only forward moves are taken', () => {
    let base = 1_000;
    const clock = createSesClock(() => base);
    expect(clock.advance(500)).toBe(1_500);
    base = 2_000;
    expect(clock.now()).toBe(2_500);
    expect(clock.offsetMs).toBe(500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });
});
