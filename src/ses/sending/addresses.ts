// Email addresses in send requests and headers: the addr-spec of a mailbox, address lists, SES's address errors.
import { badRequest } from '../errors.js';

/** SES's recipient limit: "A recipient is any To, CC, or BCC address", 50 per message (quotas.html). */
export const MAX_RECIPIENTS = 50;
/** SES's longest address (320: 64 + @ + 255), as floci's probes of SES found. */
const MAX_ADDRESS = 320;

/** A mailbox: `Name <local@domain>` or a bare `local@domain`. */
export interface Mailbox {
  /** As given, for SES's error listing ("yoyo <yoyo@domain.com>, yoyo@domain.com"). */
  readonly text: string;
  /** `local@domain`. */
  readonly address: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f]/;

/**
 * Checks an addr-spec the way SES reports bad ones: SES's messages match JavaMail's
 * InternetAddress checks word for word (ses-research H), a subset of which is here.
 */
function checkAddrSpec(address: string): void {
  const at = address.lastIndexOf('@');
  let problem: string | null = null;
  if (at < 0) problem = "Missing final '@domain'";
  else if (at === 0) problem = 'Missing local name';
  else if (at === address.length - 1) problem = 'Missing domain';
  else if (CONTROL_OR_SPACE.test(address.slice(0, at))) problem = 'Local address contains control or whitespace';
  else if (CONTROL_OR_SPACE.test(address.slice(at + 1))) problem = 'Domain contains control or whitespace';
  else if (address.slice(at + 1).startsWith('.')) problem = 'Domain starts with dot';
  else if (address.slice(at + 1).includes('..')) problem = 'Domain contains dot-dot';
  else if (address.endsWith('.')) problem = 'Domain ends with dot';
  else if (address.length > MAX_ADDRESS) problem = 'Address too long';
  if (problem !== null) throw badRequest(problem);
}

/** One mailbox (`Name <a@b>` or `a@b`). BadRequestException with SES's address messages otherwise. */
export function parseMailbox(text: string): Mailbox {
  const trimmed = text.trim();
  const open = trimmed.lastIndexOf('<');
  let address = trimmed;
  if (open >= 0) {
    if (!trimmed.endsWith('>')) throw badRequest(`Illegal address in ${trimmed.slice(0, 100)}`);
    address = trimmed.slice(open + 1, -1).trim();
  }
  checkAddrSpec(address);
  return { text: trimmed, address };
}

/** Splits an address-list header value at top-level commas (not inside quotes, comments or <>). */
export function splitAddressList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(' || c === '<') depth++;
    else if ((c === ')' || c === '>') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.map((part) => part.trim()).filter((part) => part.length > 0 && !part.endsWith(':;'));
}

/** The domain of an addr-spec, lower case. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** Mailboxes of Amazon SES's mailbox simulator, which the sandbox lets through unverified. */
export function isSimulatorAddress(address: string): boolean {
  return domainOf(address) === 'simulator.amazonses.com';
}

/** All recipients, checked: at least one, at most {@link MAX_RECIPIENTS}, each a valid address. */
export function checkRecipients(recipients: readonly string[]): Mailbox[] {
  if (recipients.length === 0) throw badRequest('The message must include at least one recipient.');
  // The text real SES answers past 50 recipients, as reported by users; unconfirmed in AWS docs (ses-research E.1).
  if (recipients.length > MAX_RECIPIENTS) throw badRequest(`Recipient count exceeds ${MAX_RECIPIENTS}.`);
  return recipients.map(parseMailbox);
}
