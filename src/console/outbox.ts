// The outbox: sent messages newest first; opening one shows its headers, body and each DKIM-Signature's verdict.
import { type Resolver, type SignatureVerification, verifyMessage } from '../index.js';
import { clearOutbox, fetchOutbox, type SentEmail } from './api.js';
import { byId, errorText, fill, h } from './dom.js';

/** Most characters of a body the page shows. */
const BODY_PREVIEW = 20_000;

function recipients(message: SentEmail): string {
  const d = message.Destination;
  const all = [...(d?.ToAddresses ?? []), ...(d?.CcAddresses ?? []), ...(d?.BccAddresses ?? [])];
  if (all.length > 0) return all.join(', ');
  return /^to:\s*(.*)$/im.exec(headerPart(message.RawData))?.[1] ?? '—';
}

function headerPart(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  return end < 0 ? raw : raw.slice(0, end);
}

function subjectOf(message: SentEmail): string {
  return message.Subject ?? /^subject:\s*(.*)$/im.exec(headerPart(message.RawData))?.[1] ?? '(no subject)';
}

function signatureItem(signature: SignatureVerification): HTMLElement {
  const passed = signature.result === 'pass';
  return h(
    'li',
    { class: `signature ${passed ? 'pass' : 'fail'}`, 'data-domain': signature.domain },
    h(
      'span',
      { class: `status s-${passed ? 'SUCCESS' : 'FAILED'}`, 'data-result': signature.result },
      signature.result,
    ),
    ' ',
    h('strong', {}, `d=${signature.domain} s=${signature.selector}`),
    ` ${signature.algorithm}, ${signature.canonicalization}${signature.keyBits ? `, ${signature.keyBits}-bit key` : ''}`,
    h('div', { class: 'sig-message' }, signature.code ? `${signature.code}: ${signature.message}` : signature.message),
    signature.explanation ? h('div', { class: 'sig-explanation' }, signature.explanation) : null,
  );
}

/** Shows one message, then verifies its signatures in the page. */
async function openMessage(message: SentEmail, resolver: Resolver): Promise<void> {
  const target = byId('message-detail');
  const raw = message.RawData;
  const headers = headerPart(raw);
  const body = raw.slice(headers.length).replace(/^\r?\n\r?\n/, '');
  const list = h('ul', { id: 'signatures', class: 'plain', 'aria-live': 'polite' }, h('li', {}, 'verifying…'));
  fill(
    target,
    h('h2', { id: 'message-title', tabindex: '-1' }, subjectOf(message)),
    h('p', {}, `From ${message.Source} to ${recipients(message)} at ${message.Timestamp} UTC (${message.Id})`),
    h('h3', {}, 'DKIM signatures'),
    list,
    h('h3', {}, 'Headers'),
    h('pre', { id: 'message-headers' }, headers),
    h('h3', {}, 'Body'),
    h('pre', { id: 'message-body' }, body.length > BODY_PREVIEW ? `${body.slice(0, BODY_PREVIEW)}…` : body),
  );
  target.hidden = false;
  byId('message-title').focus();
  try {
    const verdict = await verifyMessage(raw, resolver);
    if (verdict.signatures.length === 0) fill(list, h('li', {}, 'This message has no DKIM-Signature.'));
    else fill(list, ...verdict.signatures.map(signatureItem));
  } catch (error) {
    fill(list, h('li', { class: 'error' }, errorText(error)));
  }
}

/** Draws the outbox list; a server without an outbox says so. */
export async function renderOutbox(resolver: Resolver): Promise<void> {
  const rows = byId<HTMLTableSectionElement>('outbox-rows');
  const messages = await fetchOutbox();
  if (messages === null) {
    fill(rows, h('tr', {}, h('td', { colspan: '4', class: 'muted' }, 'This server keeps no outbox.')));
    return;
  }
  if (messages.length === 0) {
    fill(rows, h('tr', {}, h('td', { colspan: '4', class: 'muted' }, 'No messages sent yet.')));
    return;
  }
  fill(
    rows,
    ...messages.map((message) => {
      const open = h('button', { type: 'button', class: 'link' }, subjectOf(message));
      open.addEventListener('click', () => void openMessage(message, resolver));
      return h(
        'tr',
        { 'data-message': message.Id },
        h('td', { 'data-label': 'Time' }, `${message.Timestamp} UTC`),
        h('td', { 'data-label': 'From' }, message.Source),
        h('td', { 'data-label': 'To' }, recipients(message)),
        h('th', { scope: 'row', 'data-label': 'Subject' }, open),
      );
    }),
  );
}

/** Wires the clear button: `DELETE /_aws/ses`, after a confirmation. */
export function wireOutbox(resolver: Resolver, status: (text: string) => void): void {
  byId('clear-outbox').addEventListener('click', async () => {
    if (!confirm('Delete every message in the outbox?')) return;
    try {
      await clearOutbox();
      byId('message-detail').hidden = true;
      status('Outbox cleared.');
      await renderOutbox(resolver);
    } catch (error) {
      status(errorText(error));
    }
  });
}
