// The account: GetAccount (sandbox or production, the sending quota), and the count of messages sent.
import { type SesBackendState, throttle } from '../state.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** SES's sandbox quota: 200 messages a day, 1 a second. */
export const SANDBOX_QUOTA = { Max24HourSend: 200, MaxSendRate: 1 } as const;
/** A production quota as SES grants at first (50,000 a day, 14 a second). */
export const PRODUCTION_QUOTA = { Max24HourSend: 50_000, MaxSendRate: 14 } as const;

function prune(state: SesBackendState, at: number): void {
  const from = at - DAY_MS;
  let drop = 0;
  while (drop < state.sends.length && (state.sends[drop] ?? 0) <= from) drop++;
  if (drop > 0) state.sends.splice(0, drop);
}

/** Notes `count` messages accepted now (for the sending helper): they count in SentLast24Hours for a day. */
export async function recordSend(state: SesBackendState, count = 1): Promise<void> {
  const at = state.now();
  prune(state, at);
  for (let i = 0; i < count; i++) state.sends.push(at);
}

/** Whether the account is in the sandbox (the `sandbox` option). */
export function inSandbox(state: SesBackendState): boolean {
  return state.options.sandbox === true;
}

/** GetAccount: sandbox or production, the sending quota and what was sent in the last 24 hours. */
export async function getAccount(state: SesBackendState, _input: Record<string, never> = {}) {
  throttle(state, 'GetAccount');
  prune(state, state.now());
  const sandbox = inSandbox(state);
  return {
    DedicatedIpAutoWarmupEnabled: false,
    EnforcementStatus: 'HEALTHY',
    ProductionAccessEnabled: !sandbox,
    SendQuota: { ...(sandbox ? SANDBOX_QUOTA : PRODUCTION_QUOTA), SentLast24Hours: state.sends.length },
    SendingEnabled: true,
    SuppressionAttributes: { SuppressedReasons: [] as string[] },
  };
}
