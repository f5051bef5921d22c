// DOM helpers for the console: elements built from text (never from HTML strings), and status badges.

type Child = Node | string | null | undefined | false;

/** An element with attributes and children; text children are text nodes, so nothing is parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return element;
}

/** The element with `id`; throws when the page lacks it (a build mismatch, not user input). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** Replaces an element's children. */
export function fill(target: HTMLElement, ...children: Child[]): void {
  target.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** A status badge: the status as text, coloured by class (the text carries the meaning, not the colour). */
export function badge(status: string | undefined, extra: Record<string, string> = {}): HTMLElement {
  if (status === undefined) return h('span', { class: 'muted' }, '—');
  return h('span', { class: `status s-${status}`, ...extra }, status);
}

/** A time as the page shows it: ISO-like UTC, to the second; a dash for none. */
export function time(at: number | null | undefined): string {
  if (at === null || at === undefined) return '—';
  return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A message for an error of any kind. */
export function errorText(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

/** A button that copies `text` to the clipboard and says so. */
export function copyButton(text: string, label: string): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'copy', 'aria-label': label }, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy';
    }
    setTimeout(() => {
      button.textContent = 'Copy';
    }, 1500);
  });
  button.dataset.copy = text;
  return button;
}
