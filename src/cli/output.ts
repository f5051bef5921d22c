// Terminal output: colours (only on a TTY), tables and JSON lines.
import type { CliIo, CliOutput } from './io.js';

type Colour = 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold';
const CODES: Record<Colour, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** Paints text when the output is a terminal and NO_COLOR is not set (https://no-color.org). */
export function painter(io: CliIo, output: CliOutput): (colour: Colour, text: string) => string {
  const enabled = output.isTTY === true && !io.env.NO_COLOR;
  return (colour, text) => (enabled ? `\u001b[${CODES[colour][0]}m${text}\u001b[${CODES[colour][1]}m` : text);
}

/** The colour of a status or verdict. */
export function statusColour(status: string): Colour {
  if (status === 'SUCCESS' || status === 'MATCH' || status === 'VALID') return 'green';
  if (status === 'PENDING' || status === 'NOT_FOUND' || status === 'CNAME_DANGLING') return 'yellow';
  if (status === 'TEMPORARY_FAILURE' || status === 'DNS_ERROR') return 'cyan';
  return 'red';
}

/** Lines of cells padded to the widest cell of each column. */
export function table(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visible(cell).length);
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visible(cell).length)))
        .join('  ')
        .trimEnd(),
  );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes to measure width
const ANSI = /\u001b\[[0-9;]*m/g;
function visible(text: string): string {
  return text.replace(ANSI, '');
}

// C0 controls (newline and tab too: data must not forge lines or columns), DEL and C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it finds
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from outside (DNS data, names, paths, error messages) made safe for a terminal: every
 * control character is shown as `\xHH`, so no escape sequence (OSC, CSI, clear screen) in a zone
 * reaches the terminal. Human output only; JSON output is escaped by JSON.stringify.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Writes one JSON document and a newline. */
export function writeJson(output: CliOutput, value: unknown): void {
  output.write(`${JSON.stringify(value)}\n`);
}
