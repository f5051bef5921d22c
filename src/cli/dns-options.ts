// The DNS options every DNS-asking command shares (--resolver, --timeout, --attempts), read once, and its resolver.
import { createUdpResolver } from '../dns/node/udp.js';
import type { Resolver } from '../dns/types.js';
import { type CommandContext, UsageError } from './command.js';
import type { CliIo } from './io.js';

/** A decimal integer option within [min, max], or `fallback` when absent; a UsageError otherwise. */
export function integerOption(
  options: CommandContext['options'],
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  const n = Number(value);
  // Digits only: not '1e3', ' 5', '' or '-0'.
  if (!/^[0-9]+$/.test(String(value)) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** `--resolver`, `--timeout` (ms per attempt, default 2000) and `--attempts` (default 3), range-checked. */
export interface DnsOptions {
  readonly servers?: readonly string[];
  readonly timeout: number;
  readonly attempts: number;
}

/** Reads and range-checks the shared DNS options. */
export function dnsOptionsOf(options: CommandContext['options']): DnsOptions {
  return {
    ...(typeof options.resolver === 'string' ? { servers: [options.resolver] } : {}),
    timeout: integerOption(options, 'timeout', 2000, 1, 600_000),
    attempts: integerOption(options, 'attempts', 3, 1, 20),
  };
}

/** The resolver the options ask for (`servers` overrides theirs), or the io's own in tests. */
export function createCliResolver(io: CliIo, settings: DnsOptions, servers = settings.servers): Resolver {
  const options = { timeout: settings.timeout, attempts: settings.attempts, ...(servers ? { servers } : {}) };
  return io.createResolver ? io.createResolver(options) : createUdpResolver(options);
}
