// The dashboard's logic: the browser-safe main entry of dkim-engine and nothing else.
import {
  createDohResolver,
  type DkimPrivateKey,
  dkimTxtRecord,
  easyDkimRecords,
  easyDkimTokens,
  isDkimError,
  type MessageVerification,
  parsePrivateKey,
  type VerificationResult,
  verifyIdentity,
  verifyMessage,
} from '../../src/index.js';

const $ = <T extends HTMLElement = HTMLInputElement>(id: string) => document.getElementById(id) as T;
const value = (id: string) => $(id).value.trim();
let key: DkimPrivateKey | undefined;

function show(target: string, html: string): void {
  $(target).innerHTML = html;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function failure(error: unknown): string {
  if (isDkimError(error))
    return `<p class="error"><span id="error-code">${error.code}</span>: ${escapeHtml(error.message)}</p>`;
  return `<p class="error">${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`;
}

$('validate').addEventListener('click', () => {
  try {
    key = parsePrivateKey($<HTMLTextAreaElement>('key').value);
    const record = dkimTxtRecord(key, { domain: value('domain'), selector: value('selector') });
    const warnings = key.warnings.map((w) => `<li>${escapeHtml(w.message)}</li>`).join('');
    show(
      'key-result',
      `<p>Valid RSA ${key.bits}-bit key (${key.form}, ${key.encoding}). Publish at <code>${escapeHtml(record.name)}</code>:</p>` +
        `<pre id="txt-value">${escapeHtml(record.value)}</pre><pre id="zone-line">${escapeHtml(record.zone)}</pre>` +
        (warnings ? `<ul>${warnings}</ul>` : ''),
    );
  } catch (error) {
    key = undefined;
    show('key-result', failure(error));
  }
});

$('make-tokens').addEventListener('click', async () => {
  try {
    const domain = value('easy-domain');
    const tokens = value('tokens')
      ? value('tokens')
          .split(',')
          .map((t) => t.trim())
      : await easyDkimTokens({ domain });
    $('tokens').value = tokens.join(',');
    const rows = easyDkimRecords({ domain, tokens, region: value('region') })
      .map((r) => `<tr><td>${escapeHtml(r.name)}</td><td>CNAME</td><td>${escapeHtml(r.value)}</td></tr>`)
      .join('');
    show('cname-result', `<table id="cnames"><tr><th>Name</th><th>Type</th><th>Value</th></tr>${rows}</table>`);
  } catch (error) {
    show('cname-result', failure(error));
  }
});

function renderResult(result: VerificationResult): string {
  const rows = result.checks
    .map(
      (c) =>
        `<tr><td>${c.type}</td><td>${escapeHtml(c.name)}</td><td class="verdict">${c.verdict}</td><td>${escapeHtml(c.detail)}</td></tr>`,
    )
    .join('');
  return (
    `<p>Status: <span id="dns-status" class="status ${result.status}">${result.status}</span> ` +
    `${result.authenticated ? 'DNSSEC-authenticated' : 'not DNSSEC-authenticated'}</p>` +
    `<table><tr><th>Type</th><th>Name</th><th>Verdict</th><th>Detail</th></tr>${rows}</table>`
  );
}

async function check(kind: 'byodkim' | 'easy-dkim'): Promise<void> {
  show('dns-result', '<p>Checking...</p>');
  try {
    const resolver = createDohResolver({ url: new URL(value('doh'), location.href).href });
    const result =
      kind === 'byodkim'
        ? await verifyIdentity(
            { kind, domain: value('domain'), selector: value('selector'), ...(key ? { key } : {}) },
            resolver,
          )
        : await verifyIdentity(
            { kind, domain: value('easy-domain'), tokens: value('tokens').split(','), region: value('region') },
            resolver,
            { followTargets: false },
          );
    show('dns-result', renderResult(result));
  } catch (error) {
    show('dns-result', failure(error));
  }
}

$('check-byodkim').addEventListener('click', () => void check('byodkim'));
$('check-easy').addEventListener('click', () => void check('easy-dkim'));

function renderSignatures(result: MessageVerification): string {
  const rows = result.signatures
    .map(
      (s) =>
        `<tr><td class="sig-result status ${s.result}">${s.result}</td><td class="sig-code">${s.code ?? ''}</td>` +
        `<td>${escapeHtml(s.domain)}</td><td>${escapeHtml(s.selector)}</td><td>${escapeHtml(s.algorithm)}</td>` +
        `<td>${escapeHtml(s.canonicalization)}</td><td class="sig-message">${escapeHtml(s.message)}</td></tr>`,
    )
    .join('');
  return (
    `<p>Result: <span id="message-status" class="status ${result.result}">${result.result}</span></p>` +
    (rows
      ? `<table id="signatures"><tr><th>Result</th><th>Code</th><th>d=</th><th>s=</th><th>a=</th><th>c=</th><th>Explanation</th></tr>${rows}</table>`
      : '<p>The message has no DKIM-Signature.</p>') +
    `<pre id="auth-results">Authentication-Results: ${escapeHtml(result.authenticationResults)}</pre>`
  );
}

$('verify-message').addEventListener('click', async () => {
  show('message-result', '<p>Verifying...</p>');
  try {
    const resolver = createDohResolver({ url: new URL(value('doh'), location.href).href });
    // A pasted message has the browser's LF line ends; the engine reads them as CRLF, as MTAs do.
    show('message-result', renderSignatures(await verifyMessage($<HTMLTextAreaElement>('message').value, resolver)));
  } catch (error) {
    show('message-result', failure(error));
  }
});
