// The emulator's clock: a base clock plus an offset the admin clock route advances, shared by every region.

/** A clock whose time can be moved forward (never back), e.g. to see a verification window expire. */
export interface SesClock {
  /** Epoch milliseconds: the base clock plus the offset. */
  now(): number;
  /** Moves the clock forward by `ms` (>= 0) and returns the new time. */
  advance(ms: number): number;
}

/** A clock over `base` (default Date.now) with an offset of 0. */
export function createSesClock(base: () => number = Date.now): SesClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward by a finite amount');
      offset += ms;
      return base() + offset;
    },
  };
}
