// The emulator's clock: a base clock plus an offset that the admin clock route moves forward.

/** A clock whose `now` every backend of one server shares. */
export interface EmulatorClock {
  /** Epoch milliseconds: the base clock plus the offset. */
  now(): number;
  /** Moves the clock forward by `ms` (a non-negative number) and returns the new now. */
  advance(ms: number): number;
  /** How far the clock runs ahead of its base, in milliseconds. */
  readonly offsetMs: number;
}

/** The farthest one advance may move the clock: ten years, far past any SES window. */
export const MAX_ADVANCE_MS = 10 * 365 * 24 * 60 * 60 * 1000;

/** An offset clock over `base` (default Date.now). */
export function createEmulatorClock(base: () => number = Date.now): EmulatorClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms) {
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
