// An identity's detail: every record to publish (copy buttons, zone-file text), each record's verdict now, the timeline.
import type { RecordCheck, Resolver } from '../index.js';
import type { ConsoleIdentity, ConsoleRecord } from '../ses/node/console-view.js';
import { allChecks, checkInPage } from './checks.js';
import { badge, byId, copyButton, fill, h, time } from './dom.js';
import { timeline } from './timeline.js';

const KIND_LABEL = { dkim: 'DKIM', mailFrom: 'MAIL FROM', legacyTxt: 'Legacy TXT' } as const;

function recordRow(record: ConsoleRecord, index: number): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-record': `${record.type} ${record.name}` },
    h('td', { 'data-label': 'For' }, KIND_LABEL[record.kind]),
    h('td', { 'data-label': 'Name' }, h('code', { class: 'name' }, record.name)),
    h('td', { 'data-label': 'Type' }, record.type),
    h(
      'td',
      { 'data-label': 'Value' },
      h('code', { class: 'value' }, record.value),
      ' ',
      copyButton(record.value, `Copy the value of record ${index + 1}, ${record.type} ${record.name}`),
    ),
    h('td', { class: 'verdict', 'data-label': 'Verdict now' }, 'checking…'),
  );
}

/** The page's verdict for a record: the check with the same name and type. */
function verdictFor(record: ConsoleRecord, checks: readonly RecordCheck[]): RecordCheck | undefined {
  return checks.find((c) => c.type === record.type && c.name === record.name);
}

function verificationList(identity: ConsoleIdentity): HTMLElement {
  const items = (['dkim', 'mailFrom', 'legacyTxt'] as const).flatMap((kind) => {
    const v = identity.verifications[kind];
    if (!v) return [];
    const error = v.lastError ? ` (last error ${v.lastError})` : '';
    return [
      h(
        'li',
        {},
        `${KIND_LABEL[kind]}: `,
        badge(v.status),
        ` last checked ${time(v.lastCheckedAt)}, next ${time(v.nextCheckAt)}${error}`,
      ),
    ];
  });
  return h('ul', { class: 'plain' }, ...items);
}

/** Shows the detail of `identity` in #identity-detail and checks its records from the page. */
export async function renderDetail(
  identity: ConsoleIdentity,
  now: number,
  resolver: Resolver,
  focus: boolean,
): Promise<void> {
  const target = byId('identity-detail');
  const rows = identity.records.map(recordRow);
  const zone = identity.records.map((r) => r.zone).join('\n');
  const close = h('button', { type: 'button', id: 'close-detail' }, 'Close');
  close.addEventListener('click', () => {
    target.hidden = true;
    document.getElementById(`open-${identity.identity}`)?.focus();
  });
  fill(
    target,
    h('h2', { id: 'detail-title', tabindex: '-1' }, identity.identity),
    verificationList(identity),
    identity.records.length === 0
      ? h('p', { class: 'muted' }, 'Nothing to publish for this identity.')
      : h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { id: 'records', class: 'stack' },
            h('caption', {}, 'Records to publish'),
            h(
              'thead',
              {},
              h('tr', {}, ...['For', 'Name', 'Type', 'Value', 'Verdict now'].map((t) => h('th', { scope: 'col' }, t))),
            ),
            h('tbody', {}, ...rows),
          ),
        ),
    zone ? h('h3', {}, 'Zone file') : null,
    zone ? h('pre', { id: 'zone-text' }, zone) : null,
    zone ? copyButton(zone, 'Copy the zone-file text') : null,
    h('h3', {}, 'Timeline'),
    timeline(identity, now),
    close,
  );
  target.hidden = false;
  if (focus) byId('detail-title').focus();
  const checks = allChecks(await checkInPage(identity, resolver));
  identity.records.forEach((record, i) => {
    const cell = rows[i]?.querySelector<HTMLElement>('.verdict');
    if (!cell) return;
    const check = verdictFor(record, checks);
    fill(cell, check ? h('span', { class: `verdict v-${check.verdict}` }, check.verdict) : '—');
    if (check && check.verdict !== 'MATCH' && check.verdict !== 'VALID') cell.append(' ', check.detail);
  });
}
