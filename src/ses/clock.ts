// The emulator's clock: a base clock plus an offset the admin clock route advances, shared by every region.

/** A clock whose time can be moved forward (never back), e.g. to see a verification window expire. */
export interface SesClock {
  /** Epoch milliseconds: the base clock plus the offset. */
  now(): number;
  /** Moves the clock forward by `ms` (0 to {@link MAX_ADVANCE_MS}) and returns the new time. */
  advance(ms: number): number;
  /** How far the clock runs ahead of its base, in milliseconds. */
  readonly offsetMs: number;
}

/** The farthest one advance may move the clock: ten years, far past any SES window. */
export const MAX_ADVANCE_MS = 10 * 365 * 24 * 60 * 60 * 1000;

/**
 * A clock over `base` (default Date.now) with an offset of 0.
 * @example
 * const clock = createSesClock();
 * const backend = createSesV2Backend({ resolver, now: clock.now });
 * clock.advance(73 * 3600_000); // past SES's 72-hour window
 */
export function createSesClock(base: () => number = Date.now): SesClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms: number) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_ADVANCE_MS) {
        throw new RangeError(`advanceMs must be a number of milliseconds from 0 to ${MAX_ADVANCE_MS}`);
      }
      offset += Math.floor(ms);
      return base() + offset;
    },
    get offsetMs() {
      return offset;
    },
  };
}
