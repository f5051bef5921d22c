import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DkimStatus,
  initialState,
  nextCheckAt,
  type ObservationOutcome,
  replay,
  SUCCESS_RECHECK_MS,
  transition,
  VERIFICATION_WINDOW_MS,
  type VerificationEvent,
  type VerificationState,
} from '../../src/index.js';

const H = 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 26);
const obs = (at: number, outcome: ObservationOutcome): VerificationEvent => ({ type: 'observation', at, outcome });
const statusAfter = (events: VerificationEvent[], start = initialState({ at: T0 })) => replay(start, events).status;

describe('the transition table', () => {
  it('a new domain starts PENDING, an email address NOT_STARTED and stays there', () => {
    expect(initialState({ at: T0 }).status).toBe('PENDING');
    const email = initialState({ at: T0, identityType: 'EMAIL_ADDRESS' });
    expect(email.status).toBe('NOT_STARTED');
    expect(statusAfter([obs(T0 + H, 'MATCH')], email)).toBe('NOT_STARTED');
    expect(nextCheckAt(email)).toBeNull();
  });

  it.each<[string, VerificationEvent[], DkimStatus]>([
    ['PENDING + MATCH -> SUCCESS', [obs(T0 + H, 'MATCH')], 'SUCCESS'],
    ['PENDING + NO_MATCH before 72 h -> PENDING', [obs(T0 + 71 * H, 'NO_MATCH')], 'PENDING'],
    ['PENDING + NO_MATCH at 72 h -> FAILED', [obs(T0 + 72 * H, 'NO_MATCH')], 'FAILED'],
    ['PENDING + DNS_ERROR -> TEMPORARY_FAILURE', [obs(T0 + H, 'DNS_ERROR')], 'TEMPORARY_FAILURE'],
    ['PENDING + DNS_ERROR at 72 h -> FAILED', [obs(T0 + 72 * H, 'DNS_ERROR')], 'FAILED'],
    [
      'TEMPORARY_FAILURE (pending) + NO_MATCH -> PENDING',
      [obs(T0 + H, 'DNS_ERROR'), obs(T0 + 2 * H, 'NO_MATCH')],
      'PENDING',
    ],
    ['TEMPORARY_FAILURE (pending) + MATCH -> SUCCESS', [obs(T0 + H, 'DNS_ERROR'), obs(T0 + 2 * H, 'MATCH')], 'SUCCESS'],
    ['the 72 h clock runs through DNS errors', [obs(T0 + H, 'DNS_ERROR'), obs(T0 + 73 * H, 'NO_MATCH')], 'FAILED'],
    ['SUCCESS + MATCH -> SUCCESS', [obs(T0 + H, 'MATCH'), obs(T0 + 7 * H, 'MATCH')], 'SUCCESS'],
    [
      'SUCCESS + NO_MATCH -> TEMPORARY_FAILURE',
      [obs(T0 + H, 'MATCH'), obs(T0 + 7 * H, 'NO_MATCH')],
      'TEMPORARY_FAILURE',
    ],
    [
      'SUCCESS + DNS_ERROR -> TEMPORARY_FAILURE',
      [obs(T0 + H, 'MATCH'), obs(T0 + 7 * H, 'DNS_ERROR')],
      'TEMPORARY_FAILURE',
    ],
    [
      'TEMPORARY_FAILURE (recheck) + MATCH -> SUCCESS again',
      [obs(T0 + H, 'MATCH'), obs(T0 + 7 * H, 'NO_MATCH'), obs(T0 + 70 * H, 'MATCH')],
      'SUCCESS',
    ],
    [
      'TEMPORARY_FAILURE (recheck) + NO_MATCH before 72 h -> TEMPORARY_FAILURE',
      [obs(T0 + H, 'MATCH'), obs(T0 + 7 * H, 'NO_MATCH'), obs(T0 + 78 * H, 'NO_MATCH')],
      'TEMPORARY_FAILURE',
    ],
    [
      'TEMPORARY_FAILURE (recheck) for 72 h -> FAILED',
      [obs(T0 + H, 'MATCH'), obs(T0 + 7 * H, 'NO_MATCH'), obs(T0 + 79 * H, 'DNS_ERROR')],
      'FAILED',
    ],
    ['FAILED + MATCH -> FAILED', [obs(T0 + 72 * H, 'NO_MATCH'), obs(T0 + 73 * H, 'MATCH')], 'FAILED'],
    ['FAILED + restart -> PENDING', [obs(T0 + 72 * H, 'NO_MATCH'), { type: 'restart', at: T0 + 80 * H }], 'PENDING'],
    [
      'FAILED + start (new attributes) -> PENDING',
      [obs(T0 + 72 * H, 'NO_MATCH'), { type: 'start', at: T0 + 80 * H }],
      'PENDING',
    ],
    [
      'SigningEnabled changes nothing',
      [obs(T0 + H, 'MATCH'), { type: 'signing', at: T0 + 2 * H, enabled: false }],
      'SUCCESS',
    ],
    [
      'an event older than the last check is ignored',
      [obs(T0 + 5 * H, 'MATCH'), obs(T0 + 4 * H, 'NO_MATCH')],
      'SUCCESS',
    ],
  ])('%s', (_rule, events, expected) => {
    expect(statusAfter(events)).toBe(expected);
  });

  it('restart opens a new 72 h window', () => {
    const failed = replay(initialState({ at: T0 }), [
      obs(T0 + 72 * H, 'NO_MATCH'),
      { type: 'restart', at: T0 + 100 * H },
    ]);
    expect(failed.pendingSince).toBe(T0 + 100 * H);
    expect(transition(failed, obs(T0 + 171 * H, 'NO_MATCH')).status).toBe('PENDING');
    expect(transition(failed, obs(T0 + 172 * H, 'NO_MATCH')).status).toBe('FAILED');
  });
});

describe('nextCheckAt', () => {
  it('checks often at first, backs off to hourly, and never past the deadline', () => {
    let state = initialState({ at: T0 });
    expect(nextCheckAt(state)).toBe(T0);
    const gaps: number[] = [];
    for (let guard = 0; guard < 1000; guard++) {
      const next = nextCheckAt(state);
      if (next === null) break;
      if (state.lastCheckedAt !== null) gaps.push(next - state.lastCheckedAt);
      expect(next).toBeLessThanOrEqual(T0 + VERIFICATION_WINDOW_MS);
      state = transition(state, obs(next, 'NO_MATCH'));
    }
    expect(state.status).toBe('FAILED');
    expect(gaps[0]).toBe(5 * 60 * 1000);
    expect(Math.max(...gaps)).toBe(H);
    // Gaps only grow, except the last, which the deadline may cut short.
    expect(gaps.slice(0, -1).every((gap, i) => i === 0 || gap >= (gaps[i - 1] as number))).toBe(true);
    expect(nextCheckAt(state)).toBeNull();
  });

  it('rechecks a verified identity every 6 hours', () => {
    const verified = transition(initialState({ at: T0 }), obs(T0 + H, 'MATCH'));
    expect(nextCheckAt(verified)).toBe(T0 + H + SUCCESS_RECHECK_MS);
  });
});

// Model-based testing: random sequences of observations and clock advances against a model
// written from the rules, not from the implementation.
interface Model {
  status: DkimStatus;
  windowStart: number | null;
  now: number;
  sawMatch: boolean;
}

const ALLOWED: ReadonlySet<string> = new Set([
  'PENDING MATCH SUCCESS',
  'PENDING NO_MATCH PENDING',
  'PENDING NO_MATCH FAILED',
  'PENDING DNS_ERROR TEMPORARY_FAILURE',
  'PENDING DNS_ERROR FAILED',
  'TEMPORARY_FAILURE MATCH SUCCESS',
  'TEMPORARY_FAILURE NO_MATCH PENDING',
  'TEMPORARY_FAILURE NO_MATCH TEMPORARY_FAILURE',
  'TEMPORARY_FAILURE NO_MATCH FAILED',
  'TEMPORARY_FAILURE DNS_ERROR TEMPORARY_FAILURE',
  'TEMPORARY_FAILURE DNS_ERROR FAILED',
  'SUCCESS MATCH SUCCESS',
  'SUCCESS NO_MATCH TEMPORARY_FAILURE',
  'SUCCESS DNS_ERROR TEMPORARY_FAILURE',
  'FAILED MATCH FAILED',
  'FAILED NO_MATCH FAILED',
  'FAILED DNS_ERROR FAILED',
]);

describe('model-based properties', () => {
  it('FAILED only after 72 h without MATCH, SUCCESS only on a MATCH, no transition outside the table, replay deterministic', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 30 * H }) }),
      fc.record({
        kind: fc.constant('observe' as const),
        outcome: fc.constantFrom<ObservationOutcome>('MATCH', 'NO_MATCH', 'DNS_ERROR'),
      }),
      fc.record({ kind: fc.constant('restart' as const) }),
      fc.record({ kind: fc.constant('signing' as const), enabled: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let state: VerificationState = initialState({ at: T0 });
        const model: Model = { status: 'PENDING', windowStart: T0, now: T0, sawMatch: false };
        const events: VerificationEvent[] = [];
        for (const s of steps) {
          if (s.kind === 'advance') {
            model.now += s.ms;
            continue;
          }
          const before = state.status;
          const event: VerificationEvent =
            s.kind === 'observe'
              ? obs(model.now, s.outcome)
              : s.kind === 'restart'
                ? { type: 'restart', at: model.now }
                : { type: 'signing', at: model.now, enabled: s.enabled };
          events.push(event);
          state = transition(state, event);
          if (s.kind === 'restart') {
            expect(state.status).toBe('PENDING');
            model.windowStart = model.now;
          } else if (s.kind === 'signing') {
            expect(state.status).toBe(before);
          } else {
            expect(
              ALLOWED.has(`${before} ${s.outcome} ${state.status}`),
              `${before} ${s.outcome} ${state.status}`,
            ).toBe(true);
            if (state.status === 'SUCCESS') expect(s.outcome).toBe('MATCH');
            if (state.status === 'FAILED' && before !== 'FAILED') {
              // The window opened when pending began or when a verified identity first failed.
              const opened = state.failingSince ?? model.windowStart ?? T0;
              expect(model.now - opened).toBeGreaterThanOrEqual(VERIFICATION_WINDOW_MS);
              expect(s.outcome).not.toBe('MATCH');
            }
            if (s.outcome === 'MATCH' && before !== 'FAILED') expect(state.status).toBe('SUCCESS');
            if (state.status === 'SUCCESS') model.windowStart = null;
            if (before === 'SUCCESS' && state.status === 'TEMPORARY_FAILURE') model.windowStart = model.now;
          }
          const next = nextCheckAt(state);
          if (state.status === 'FAILED') expect(next).toBeNull();
          if (next !== null && state.status !== 'SUCCESS' && model.windowStart !== null) {
            expect(next).toBeLessThanOrEqual(model.windowStart + VERIFICATION_WINDOW_MS);
          }
        }
        expect(replay(initialState({ at: T0 }), events)).toEqual(state);
      }),
      { numRuns: 3000 },
    );
  });
});
