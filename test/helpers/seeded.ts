// A seeded pseudo-random generator for tests that walk random inputs: a failure can be replayed from its seed.

/** xorshift32 from `seed` (0 becomes 1, which xorshift needs); each call answers an integer below `below`. */
export function seededGenerator(seed: number): (below: number) => number {
  let state = seed >>> 0 || 1;
  return (below) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % below;
  };
}
