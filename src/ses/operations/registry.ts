// How operation families become backend methods: each family is an object of functions over the backend state.
import type { SesBackendState } from '../state.js';

/** An operation: a named function whose first parameter is the backend state. */
// biome-ignore lint/suspicious/noExplicitAny: any parameter list; Bound<> keeps each operation's own types
export type Operation = (state: SesBackendState, ...args: any[]) => unknown;

/** A family's operations with the state bound: what the backend facade exposes. */
export type Bound<F extends Record<string, Operation>> = {
  [K in keyof F]: F[K] extends (state: SesBackendState, ...args: infer A) => infer R ? (...args: A) => R : never;
};

/** Binds every operation of a family to one backend state. */
export function bindOperations<F extends Record<string, Operation>>(state: SesBackendState, family: F): Bound<F> {
  const bound: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(family)) bound[name] = operation.bind(null, state);
  return bound as Bound<F>;
}
