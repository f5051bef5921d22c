// awsQuery responses: SES v1's XML for results and for ErrorResponse, with SES's namespace and a RequestId.
import type { SesQueryError } from './errors.js';

/** The SES v1 model's xmlNamespace (ses/2010-12-01 service-2.json). */
export const SES_V1_NAMESPACE = 'http://ses.amazonaws.com/doc/2010-12-01/';

/** A map member: serialized as `<entry><key>…</key><value>…</value></entry>` (botocore's `_handle_map`). */
export class XmlMap {
  constructor(readonly entries: ReadonlyArray<readonly [string, XmlValue]>) {}
}

/**
 * What a result holds: text, numbers and booleans as text, Dates in ISO 8601, arrays as `<member>`
 * lists, XmlMap as entries, objects as child elements (undefined members are left out).
 */
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | XmlMap
  | readonly XmlValue[]
  | { readonly [name: string]: XmlValue | undefined };

const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids are what this finds
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * XML text: the five predefined entities escaped, and characters XML 1.0 cannot carry (C0
 * controls other than tab, LF, CR; lone surrogates; U+FFFE/U+FFFF) replaced with U+FFFD, so
 * an echoed parameter can never make the response unparseable.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c).replace(NOT_XML, '\ufffd');
}

function element(name: string, value: XmlValue | undefined, out: string[]): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    out.push(`<${name}>`);
    for (const member of value as readonly XmlValue[]) element('member', member, out);
    out.push(`</${name}>`);
  } else if (value instanceof XmlMap) {
    out.push(`<${name}>`);
    for (const [key, entry] of value.entries) {
      out.push('<entry>');
      element('key', key, out);
      element('value', entry, out);
      out.push('</entry>');
    }
    out.push(`</${name}>`);
  } else if (value instanceof Date) {
    out.push(`<${name}>${value.toISOString()}</${name}>`);
  } else if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [child, member] of Object.entries(value)) element(child, member, out);
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
  }
}

/**
 * A success response: `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result><ResponseMetadata>`.
 * `result` null leaves the Result element out (VerifyEmailAddress has no output shape); an empty
 * object gives `<{Action}Result/>`-equivalent `<{Action}Result></{Action}Result>`.
 */
export function queryResponseXml(
  action: string,
  result: { readonly [name: string]: XmlValue | undefined } | null,
  requestId: string,
): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<${action}Response xmlns="${SES_V1_NAMESPACE}">`];
  if (result !== null) element(`${action}Result`, result, out);
  out.push(`<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`);
  out.push(`</${action}Response>`);
  return out.join('\n');
}

/** The ErrorResponse every action answers on failure (the shape captured from real SES, ses-research C.1). */
export function queryErrorXml(error: SesQueryError, requestId: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ErrorResponse xmlns="${SES_V1_NAMESPACE}">`,
    `<Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>`,
    `<RequestId>${escapeXml(requestId)}</RequestId>`,
    '</ErrorResponse>',
  ].join('\n');
}
