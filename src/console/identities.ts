// The identities table: type, statuses, check times, and for anything not SUCCESS the verifier's explanation.
import type { Resolver } from '../index.js';
import type { ConsoleIdentities, ConsoleIdentity } from '../ses/node/console-view.js';
import { checkInPage, explanation, firstProblem, type PageChecks } from './checks.js';
import { badge, byId, fill, h, time } from './dom.js';

const KINDS = ['dkim', 'mailFrom', 'legacyTxt'] as const;

/** The earliest of the identity's last (or next) check times. */
function checkTime(identity: ConsoleIdentity, field: 'lastCheckedAt' | 'nextCheckAt', pick: 'max' | 'min') {
  const times = KINDS.map((k) => identity.verifications[k]?.[field]).filter((t): t is number => typeof t === 'number');
  if (times.length === 0) return null;
  return pick === 'max' ? Math.max(...times) : Math.min(...times);
}

/** Why the identity is not verified, from the page's own checks; empty when every kind is SUCCESS. */
export function explain(identity: ConsoleIdentity, results: PageChecks): string {
  const lines: string[] = [];
  for (const kind of KINDS) {
    const state = identity.verifications[kind];
    if (!state || state.status === 'SUCCESS' || state.status === 'NOT_STARTED') continue;
    const problem = firstProblem(results[kind]);
    const label = kind === 'dkim' ? 'DKIM' : kind === 'mailFrom' ? 'MAIL FROM' : 'TXT';
    if (problem) lines.push(`${label}: ${explanation(problem)}`);
    else if (results[kind]) lines.push(`${label}: the records check out now; the status changes at the next check`);
  }
  if (identity.type === 'EMAIL_ADDRESS' && identity.status !== 'SUCCESS') {
    lines.push('The address has not clicked its verification link yet (POST /_dkim-engine/confirm).');
  }
  return lines.join(' ');
}

function row(identity: ConsoleIdentity, onOpen: (identity: string) => void): HTMLTableRowElement {
  const v = identity.verifications;
  const open = h('button', { type: 'button', class: 'link', id: `open-${identity.identity}` }, identity.identity);
  open.addEventListener('click', () => onOpen(identity.identity));
  const cell = (label: string, ...children: (Node | string)[]) => h('td', { 'data-label': label }, ...children);
  return h(
    'tr',
    { 'data-identity': identity.identity },
    h('th', { scope: 'row', 'data-label': 'Identity' }, open),
    cell('Type', identity.type === 'DOMAIN' ? 'Domain' : 'Address'),
    cell('Status', badge(identity.status, { 'data-kind': 'status' })),
    cell('DKIM', badge(v.dkim?.status, { 'data-kind': 'dkim' })),
    cell('MAIL FROM', badge(v.mailFrom?.status, { 'data-kind': 'mailFrom' })),
    cell('Legacy TXT', badge(v.legacyTxt?.status, { 'data-kind': 'legacyTxt' })),
    cell('Last check', time(checkTime(identity, 'lastCheckedAt', 'max'))),
    cell('Next check', time(checkTime(identity, 'nextCheckAt', 'min'))),
    h('td', { class: 'explanation', 'data-label': 'Why' }),
  );
}

/**
 * Draws the table, then fills each row's explanation from checks run in the page (over DoH),
 * for identities whose status is not SUCCESS.
 */
export async function renderIdentities(
  data: ConsoleIdentities,
  resolver: Resolver,
  onOpen: (identity: string) => void,
): Promise<void> {
  const body = byId<HTMLTableSectionElement>('identity-rows');
  const rows = data.identities.map((identity) => row(identity, onOpen));
  fill(body, ...rows);
  if (rows.length === 0) {
    fill(body, h('tr', {}, h('td', { colspan: '9', class: 'muted' }, 'No identities in this region yet.')));
  }
  byId('identities-note').textContent = data.truncated ? 'Showing the first identities only.' : '';
  await Promise.all(
    data.identities.map(async (identity, i) => {
      const cell = rows[i]?.querySelector<HTMLElement>('.explanation');
      if (!cell) return;
      const pending = KINDS.some((k) => {
        const status = identity.verifications[k]?.status;
        return status !== undefined && status !== 'SUCCESS' && status !== 'NOT_STARTED';
      });
      if (!pending && identity.status === 'SUCCESS') return;
      cell.textContent = 'checking…';
      cell.textContent = explain(identity, await checkInPage(identity, resolver));
    }),
  );
}
