// The tools tab (formerly the example dashboard): validate a BYODKIM key, show Easy DKIM CNAMEs, check either over
// DoH, and verify the signatures of a pasted message.
import {
  type DkimPrivateKey,
  dkimTxtRecord,
  easyDkimRecords,
  easyDkimTokens,
  isDkimError,
  type MessageVerification,
  parsePrivateKey,
  type Resolver,
  type VerificationResult,
  verifyIdentity,
  verifyMessage,
} from '../index.js';
import { badge, byId, errorText, fill, h } from './dom.js';

const value = (id: string) => byId<HTMLInputElement>(id).value.trim();
let key: DkimPrivateKey | undefined;

function failure(error: unknown): HTMLElement {
  if (isDkimError(error))
    return h('p', { class: 'error' }, h('span', { id: 'error-code' }, error.code), `: ${error.message}`);
  return h('p', { class: 'error' }, errorText(error));
}

function validateKey(): void {
  const target = byId('key-result');
  try {
    key = parsePrivateKey(byId<HTMLTextAreaElement>('key').value);
    const record = dkimTxtRecord(key, { domain: value('domain'), selector: value('selector') });
    fill(
      target,
      h(
        'p',
        {},
        `Valid RSA ${key.bits}-bit key (${key.form}, ${key.encoding}). Publish at `,
        h('code', {}, record.name),
      ),
      h('pre', { id: 'txt-value' }, record.value),
      h('pre', { id: 'zone-line' }, record.zone),
      key.warnings.length > 0 ? h('ul', {}, ...key.warnings.map((w) => h('li', {}, w.message))) : null,
    );
  } catch (error) {
    key = undefined;
    fill(target, failure(error));
  }
}

async function showCnames(): Promise<void> {
  const target = byId('cname-result');
  try {
    const domain = value('easy-domain');
    const typed = value('tokens');
    const tokens = typed ? typed.split(',').map((t) => t.trim()) : await easyDkimTokens({ domain });
    byId<HTMLInputElement>('tokens').value = tokens.join(',');
    const rows = easyDkimRecords({ domain, tokens, region: value('easy-region') }).map((r) =>
      h('tr', {}, h('td', {}, r.name), h('td', {}, 'CNAME'), h('td', {}, r.value)),
    );
    const head = h('tr', {}, ...['Name', 'Type', 'Value'].map((t) => h('th', { scope: 'col' }, t)));
    fill(target, h('table', { id: 'cnames' }, head, ...rows));
  } catch (error) {
    fill(target, failure(error));
  }
}

function renderResult(result: VerificationResult): HTMLElement[] {
  const head = h('tr', {}, ...['Type', 'Name', 'Verdict', 'Detail'].map((t) => h('th', { scope: 'col' }, t)));
  const rows = result.checks.map((c) =>
    h(
      'tr',
      {},
      h('td', {}, c.type),
      h('td', {}, c.name),
      h('td', { class: 'verdict' }, c.verdict),
      h('td', {}, c.detail),
    ),
  );
  return [
    h(
      'p',
      {},
      'Status: ',
      badge(result.status, { id: 'dns-status' }),
      result.authenticated ? ' DNSSEC-authenticated' : ' not DNSSEC-authenticated',
    ),
    h('table', {}, head, ...rows),
  ];
}

async function check(kind: 'byodkim' | 'easy-dkim', resolver: Resolver): Promise<void> {
  const target = byId('dns-result');
  fill(target, h('p', {}, 'Checking…'));
  try {
    const result =
      kind === 'byodkim'
        ? await verifyIdentity(
            { kind, domain: value('domain'), selector: value('selector'), ...(key ? { key } : {}) },
            resolver,
          )
        : await verifyIdentity(
            { kind, domain: value('easy-domain'), tokens: value('tokens').split(','), region: value('easy-region') },
            resolver,
            { followTargets: false },
          );
    fill(target, ...renderResult(result));
  } catch (error) {
    fill(target, failure(error));
  }
}

function renderSignatures(result: MessageVerification): HTMLElement[] {
  const head = h('tr', {}, ...['Result', 'Code', 'd=', 's=', 'a=', 'c=', 'Explanation'].map((t) => h('th', {}, t)));
  const rows = result.signatures.map((s) =>
    h(
      'tr',
      {},
      h('td', { class: `sig-result ${s.result}` }, s.result),
      h('td', { class: 'sig-code' }, s.code ?? ''),
      ...[s.domain, s.selector, s.algorithm, s.canonicalization].map((text) => h('td', {}, text)),
      h('td', { class: 'sig-message' }, s.message),
    ),
  );
  return [
    h('p', {}, 'Result: ', h('span', { id: 'message-status', class: 'status' }, result.result)),
    rows.length > 0
      ? h('div', { class: 'scroll' }, h('table', { id: 'pasted-signatures' }, head, ...rows))
      : h('p', {}, 'The message has no DKIM-Signature.'),
    h('pre', { id: 'auth-results' }, `Authentication-Results: ${result.authenticationResults}`),
  ];
}

async function verifyPasted(resolver: Resolver): Promise<void> {
  const target = byId('message-result');
  fill(target, h('p', {}, 'Verifying…'));
  try {
    // A pasted message has the browser's LF line ends; the engine reads them as CRLF, as MTAs do.
    fill(target, ...renderSignatures(await verifyMessage(byId<HTMLTextAreaElement>('message').value, resolver)));
  } catch (error) {
    fill(target, failure(error));
  }
}

/** Wires the tools tab's buttons; DNS checks go through `resolver` (the server's DoH endpoint). */
export function wireTools(resolver: Resolver): void {
  byId('validate').addEventListener('click', validateKey);
  byId('make-tokens').addEventListener('click', () => void showCnames());
  byId('check-byodkim').addEventListener('click', () => void check('byodkim', resolver));
  byId('check-easy').addEventListener('click', () => void check('easy-dkim', resolver));
  byId('verify-message').addEventListener('click', () => void verifyPasted(resolver));
}
