// DKIM names: SES's selector rule and domain normalisation to lower-case A-labels.
import { DkimError } from './errors.js';

/** SES's DomainSigningSelector pattern: 1-63 letters, digits and inner hyphens. */
const SELECTOR_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const LABEL_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Characters that would make the URL parser read a path, port, credentials or an IPv6 literal.
const URL_SYNTAX = /[\s/\\?#@:[\]%*]/;
const MAX_DOMAIN_INPUT = 1024;
// What normalizeDomainFully returns unchanged: lower-case LDH labels of 1 to 63 characters, no
// hyphen at either end and no "--" (so no xn-- label for the IDN parser to check), at least two
// labels, the last not all digits (and at most 253 characters, checked beside it).
const NORMAL_ASCII =
  /^(?!.*--)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?![0-9]+$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Validates a DKIM selector as SES does and returns it in lower case (DNS is case-insensitive). */
export function normalizeSelector(selector: string): string {
  if (typeof selector !== 'string' || !SELECTOR_PATTERN.test(selector)) {
    const shown = typeof selector === 'string' ? describeName(selector) : `a ${typeof selector}`;
    throw new DkimError(
      'SELECTOR_INVALID',
      `selector ${shown} is invalid: use 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen`,
    );
  }
  return selector.toLowerCase();
}

/**
 * Validates a domain name and returns it as a lower-case A-label name without the trailing
 * dot. Unicode names go through the WHATWG URL host parser (UTS #46), present in Node and
 * browsers alike.
 */
export function normalizeDomain(domain: string): string {
  // Most names arrive normalised already: one pass over the characters proves it.
  if (typeof domain === 'string' && domain.length <= 254) {
    const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
    if (name.length <= 253 && NORMAL_ASCII.test(name)) return name;
  }
  return normalizeDomainFully(domain);
}

/** {@link normalizeDomain} without its shortcut for names already normalised (a test pins them equal). */
export function normalizeDomainFully(domain: string): string {
  if (typeof domain !== 'string')
    throw new DkimError('DOMAIN_INVALID', `domain must be a string, not a ${typeof domain}`);
  if (domain.length > MAX_DOMAIN_INPUT)
    throw new DkimError('DOMAIN_INVALID', `domain is ${domain.length} characters long`);
  let name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (name.length === 0) throw new DkimError('DOMAIN_INVALID', 'domain is empty');
  if (URL_SYNTAX.test(name)) {
    throw new DkimError(
      'DOMAIN_INVALID',
      `domain ${describeName(domain)} contains a character not allowed in a host name`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII-only names skip the IDN parser
  if (!/^[\x00-\x7f]*$/.test(name) || /(^|\.)xn--/i.test(name)) {
    let host: string;
    try {
      host = new URL(`http://${name}/`).hostname;
    } catch {
      throw new DkimError('DOMAIN_INVALID', `domain ${describeName(domain)} is not a valid internationalized name`);
    }
    name = host;
  }
  name = name.toLowerCase();
  if (name.length > 253) {
    throw new DkimError('DOMAIN_INVALID', `domain is ${name.length} octets long; a DNS name holds at most 253`);
  }
  const labels = name.split('.');
  if (labels.length < 2)
    throw new DkimError('DOMAIN_INVALID', `domain ${describeName(name)} needs at least two labels`);
  for (const label of labels) {
    if (label.length > 63)
      throw new DkimError('DOMAIN_INVALID', `label of ${label.length} octets; a label holds at most 63`);
    if (!LABEL_PATTERN.test(label)) {
      throw new DkimError(
        'DOMAIN_INVALID',
        label.length === 0
          ? `domain ${describeName(domain)} has an empty label`
          : `label ${describeName(label)} must be letters, digits and inner hyphens`,
      );
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] as string)) {
    throw new DkimError('DOMAIN_INVALID', `${describeName(name)} looks like an IP address, not a domain`);
  }
  return name;
}

/** Quotes a short name for a message; long input is only measured, never echoed. */
function describeName(value: string): string {
  return value.length <= 64 ? JSON.stringify(value) : `of ${value.length} characters`;
}
