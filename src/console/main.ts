// The console page: tabs, the region, live updates over Server-Sent Events, and the admin buttons.
import type { ConsoleIdentities } from '../ses/node/console-view.js';
import { advanceClock, fetchIdentities, runChecks, serverResolver, watchEvents } from './api.js';
import { renderDetail } from './detail.js';
import { byId, errorText, h, time } from './dom.js';
import { renderIdentities } from './identities.js';
import { renderOutbox, wireOutbox } from './outbox.js';
import { wireTools } from './tools.js';

const resolver = serverResolver();
let current: ConsoleIdentities | undefined;
let openIdentity: string | undefined;
let refreshing: Promise<void> | undefined;
let again = false;

function say(text: string): void {
  byId('status-line').textContent = text;
}

function region(): string {
  return byId<HTMLSelectElement>('region-select').value;
}

function showRegions(data: ConsoleIdentities): void {
  const select = byId<HTMLSelectElement>('region-select');
  const known = new Set(Array.from(select.options, (o) => o.value));
  for (const name of data.regions) if (!known.has(name)) select.append(h('option', { value: name }, name));
  if (!select.value) select.value = data.region;
}

async function open(identity: string, focus: boolean): Promise<void> {
  const found = current?.identities.find((i) => i.identity === identity);
  if (!found || !current) return;
  openIdentity = identity;
  await renderDetail(found, current.now, resolver, focus);
}

/** Refetches everything; a change that arrives meanwhile runs one more refresh after it. */
function refresh(): Promise<void> {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      current = await fetchIdentities(region());
      showRegions(current);
      byId('clock').textContent = time(current.now);
      const table = renderIdentities(current, resolver, (identity) => void open(identity, true));
      const detail = openIdentity && !byId('identity-detail').hidden ? open(openIdentity, false) : undefined;
      await Promise.all([table, detail, renderOutbox(resolver)]);
    } catch (error) {
      say(errorText(error));
    } finally {
      refreshing = undefined;
      if (again) {
        again = false;
        void refresh();
      }
    }
  })();
  return refreshing;
}

function wireTabs(): void {
  const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('[role="tab"]'));
  const select = (tab: HTMLButtonElement) => {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute('aria-selected', String(selected));
      t.tabIndex = selected ? 0 : -1;
      byId(t.getAttribute('aria-controls') ?? '').hidden = !selected;
    }
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => {
      select(tab);
      if (tab.id === 'tab-outbox') void renderOutbox(resolver).catch((error) => say(errorText(error)));
    });
    tab.addEventListener('keydown', (event: KeyboardEvent) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (step === 0) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      if (next) {
        select(next);
        next.focus();
      }
    });
  });
}

function wireAdmin(): void {
  byId('advance-clock').addEventListener('click', async () => {
    const hours = Number(byId<HTMLSelectElement>('advance-by').value);
    try {
      const now = await advanceClock(hours * 3_600_000);
      say(`Clock moved ${hours} h forward, to ${time(now)}. Run the due checks to see what changes.`);
      await refresh();
    } catch (error) {
      say(errorText(error));
    }
  });
  byId('run-checks').addEventListener('click', async () => {
    try {
      const checked = await runChecks();
      say(`${checked} identit${checked === 1 ? 'y' : 'ies'} checked.`);
      await refresh();
    } catch (error) {
      say(errorText(error));
    }
  });
}

wireTabs();
wireAdmin();
wireTools(resolver);
wireOutbox(resolver, say);
byId('region-select').addEventListener('change', () => {
  byId('identity-detail').hidden = true;
  void refresh();
});
watchEvents(
  () => void refresh(),
  (live) => {
    byId('live').textContent = live ? 'live' : 'reconnecting…';
  },
);
void refresh();
