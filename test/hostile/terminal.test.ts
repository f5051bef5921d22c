// Terminal escapes from a hostile zone never reach the terminal in human output: issue #13 W11.
import { describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';

// OSC (set the window title), clear screen, a colour, a C1 CSI, DEL, NUL, BEL, backspace, a newline.
const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u009b1m\u007f\u0000\b\nforged line';
const zone = createZoneResolver({
  's1._domainkey.example.com': { TXT: [[`v=DKIM1; k=rsa; p=${HOSTILE}`]] },
});
// Any control character but the newlines that end lines.
// biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be printed
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the only escape allowed on a colour terminal
const SGR = /\u001b\[\d+m/g;

describe('human output of hostile DNS data', () => {
  it.each([
    ['NO_COLOR', { env: { NO_COLOR: '1' }, tty: true }],
    ['no terminal', { tty: false }],
  ])('#13 W11 escapes every control character (%s)', async (_what, options) => {
    const run = await runCli(['check', 'example.com', '--selector', 's1'], { resolver: zone, ...options });
    expect(run.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(run.stdout).toContain('\\x9b1m\\x7f\\x00\\x08\\x0aforged line');
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stdout.split('\n').some((line) => line.startsWith('forged line'))).toBe(false);
  });

  it('#13 W11 keeps only its own colour codes on a colour terminal', async () => {
    const run = await runCli(['check', 'example.com', '--selector', 's1'], { resolver: zone, tty: true });
    expect(run.stdout).toMatch(SGR);
    expect(run.stdout.replace(SGR, '')).not.toMatch(CONTROL);
  });

  it('#13 W11 escapes controls in error messages on stderr', async () => {
    const run = await runCli(['check', '--file', `/nonexistent/\u001b[2J\u009b${'list'}`], { resolver: zone });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('\\x1b[2J\\x9blist');
    expect(run.stderr).not.toMatch(CONTROL);
  });

  it('--json output carries the data JSON-escaped', async () => {
    const run = await runCli(['check', 'example.com', '--selector', 's1', '--json'], { resolver: zone });
    expect(run.stdout).not.toContain('\u001b');
    expect(JSON.stringify(run.json())).toContain('pwned');
  });
});
