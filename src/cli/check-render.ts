// How `check` shows results: JSON, the human table with advice, the progress bar, and the exit code.
import type { DkimPrivateKey } from '../core/key.js';
import { dkimTxtRecord } from '../core/key-record/format.js';
import { type CheckedStatus, worstStatus } from '../core/status.js';
import { type Expectation, type RecordCheck, VERDICT_STATUS, type VerificationResult } from '../verify/verify.js';
import { EXIT } from './command.js';
import type { CliIo } from './io.js';
import { painter, escapeControls as safe, statusColour, table } from './output.js';

const STATUS_EXIT: Readonly<Record<CheckedStatus, number>> = {
  SUCCESS: EXIT.SUCCESS,
  FAILED: EXIT.FAILED,
  PENDING: EXIT.PENDING,
  TEMPORARY_FAILURE: EXIT.TEMPORARY_FAILURE,
};

/** The exit code for results: that of the worst status among them (SUCCESS for none). */
export function exitCodeOf(statuses: Iterable<CheckedStatus>): number {
  return STATUS_EXIT[worstStatus(statuses)];
}

/** The JSON shape of one check result. */
export function resultJson(result: VerificationResult, expectation: Expectation) {
  return {
    status: result.status,
    domain: result.domain,
    mode: expectation.kind === 'byodkim' ? 'BYODKIM' : 'EASY_DKIM',
    checks: result.checks.map((check) => ({
      name: check.name,
      type: check.type,
      status: VERDICT_STATUS[check.verdict],
      found: check.found,
      expected: check.expected,
      ttl: check.ttl,
      authenticated: check.authenticated,
      ...(VERDICT_STATUS[check.verdict] === 'SUCCESS'
        ? {}
        : {
            // The code is the shared verdict; INVALID and DNS_ERROR also name the diagnosis or DNS answer.
            reason: {
              code: check.verdict,
              message: check.detail,
              ...(check.reason !== check.verdict ? { subcode: check.reason } : {}),
            },
          }),
    })),
  };
}

/** The human report of one result: a table of checks, advice under each, the DNSSEC line. */
export function renderHuman(
  io: CliIo,
  result: VerificationResult,
  expectation: Expectation,
  key?: DkimPrivateKey,
): string {
  const paint = painter(io, io.stdout);
  const mode = expectation.kind === 'byodkim' ? 'BYODKIM' : 'Easy DKIM';
  const lines = [
    `${paint('bold', safe(result.domain))}  ${mode}  ${paint(statusColour(result.status), result.status)}`,
  ];
  const rows = result.checks.map((check) => [
    check.type,
    safe(check.name),
    paint(statusColour(check.verdict), check.verdict === 'DNS_ERROR' ? `DNS_ERROR (${check.reason})` : check.verdict),
    safe(check.detail),
  ]);
  const rendered = table(rows, '  ');
  result.checks.forEach((check, i) => {
    lines.push(rendered[i] ?? '');
    for (const extra of advice(check, expectation, key)) lines.push(`      ${paint('dim', safe(extra))}`);
  });
  lines.push(
    result.authenticated
      ? paint('green', '  DNSSEC-authenticated (AD bit from the resolver)')
      : paint('dim', '  not DNSSEC-authenticated (no AD bit: the resolver did not vouch for these answers)'),
  );
  return `${lines.join('\n')}\n`;
}

/** What to tell the user under a check: what to publish, what the diagnosis says, caching times. */
function advice(check: RecordCheck, expectation: Expectation, key?: DkimPrivateKey): string[] {
  const out: string[] = [];
  if (check.verdict === 'NOT_FOUND' || check.verdict === 'CNAME_DANGLING' || check.verdict === 'MISMATCH') {
    if (check.type === 'CNAME' && check.expected) out.push(`publish: ${check.name}. IN CNAME ${check.expected}.`);
    if (check.type === 'TXT' && key && expectation.kind === 'byodkim') {
      out.push(`publish: ${dkimTxtRecord(key, { domain: expectation.domain, selector: expectation.selector }).zone}`);
    }
  }
  if (check.hint) out.push(check.hint);
  for (const found of check.found) out.push(`found: ${found.length > 120 ? `${found.slice(0, 117)}...` : found}`);
  if (check.ttl !== null) {
    out.push(
      check.verdict === 'NOT_FOUND'
        ? `resolvers may cache this negative answer for ${check.ttl} s (SOA negative-cache time)`
        : `ttl ${check.ttl} s`,
    );
  }
  return out;
}

/** A one-line progress bar for `--file` on a terminal (`total` 0 when unknown). */
export function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}${total > 0 ? `/${total}` : ''}`;
}
