// The status timeline of an identity as an inline SVG: one lane per verification kind, coloured by status.
import type { ConsoleIdentity } from '../ses/node/console-view.js';

const SVG = 'http://www.w3.org/2000/svg';
const KINDS = [
  ['dkim', 'DKIM'],
  ['mailFrom', 'MAIL FROM'],
  ['legacyTxt', 'TXT'],
] as const;
const LANE = 34;
const LEFT = 86;
const WIDTH = 640;

function el(tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

interface Segment {
  readonly from: number;
  readonly to: number;
  readonly status: string;
}

/** The statuses of one kind over time, from the identity's creation to `now`. */
export function segments(identity: ConsoleIdentity, kind: string, now: number): Segment[] {
  const changes = identity.history.filter((c) => c.kind === kind);
  const current = identity.verifications[kind as keyof ConsoleIdentity['verifications']]?.status;
  if (current === undefined) return [];
  const out: Segment[] = [];
  let start = identity.createdAt;
  let status = changes[0]?.from ?? current;
  for (const change of changes) {
    out.push({ from: start, to: change.at, status });
    start = change.at;
    status = change.to;
  }
  out.push({ from: start, to: Math.max(now, start), status: current });
  return out;
}

function duration(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 48) return `${Math.round(hours / 24)} d`;
  if (hours >= 1) return `${Math.round(hours)} h`;
  return `${Math.max(0, Math.round(ms / 60_000))} min`;
}

/**
 * The timeline picture: a lane per kind the identity has, a band per status, a tick at each
 * change. The SVG has a title and description, and each band a title, for screen readers.
 */
export function timeline(identity: ConsoleIdentity, now: number): SVGSVGElement {
  const lanes = KINDS.map(([kind, label]) => ({ label, parts: segments(identity, kind, now) })).filter(
    (lane) => lane.parts.length > 0,
  );
  const height = lanes.length * LANE + 30;
  const svg = el('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: 'img',
    class: 'timeline',
    'aria-labelledby': 'timeline-title timeline-desc',
  }) as SVGSVGElement;
  const changes = identity.history.length;
  svg.append(
    el('title', { id: 'timeline-title' }, `Status timeline of ${identity.identity}`),
    el('desc', { id: 'timeline-desc' }, `${changes} status change${changes === 1 ? '' : 's'} since creation`),
  );
  const start = identity.createdAt;
  const span = Math.max(now - start, 1);
  const x = (at: number) => LEFT + ((at - start) / span) * (WIDTH - LEFT - 10);
  lanes.forEach((lane, i) => {
    const y = 8 + i * LANE;
    svg.append(el('text', { x: 0, y: y + 17, class: 'lane' }, lane.label));
    for (const part of lane.parts) {
      const width = Math.max(x(part.to) - x(part.from), 2);
      const band = el('rect', { x: x(part.from), y, width, height: 24, rx: 3, class: `band b-${part.status}` });
      band.append(el('title', {}, `${part.status} for ${duration(part.to - part.from)}`));
      svg.append(band);
      if (width > 70) svg.append(el('text', { x: x(part.from) + 5, y: y + 16, class: 'band-label' }, part.status));
    }
  });
  const axis = lanes.length * LANE + 22;
  svg.append(
    el('text', { x: LEFT, y: axis, class: 'axis' }, 'created'),
    el('text', { x: WIDTH - 10, y: axis, class: 'axis', 'text-anchor': 'end' }, `now (+${duration(span)})`),
  );
  return svg;
}
