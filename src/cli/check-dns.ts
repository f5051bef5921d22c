// How `check` asks DNS: resolver settings from the options, and the authoritative-server mode.

import { domainKeyName } from '../core/key-record/format.js';
import { authoritativeResolver } from '../dns/authoritative.js';
import { createUdpResolver } from '../dns/node/udp.js';
import type { Resolver } from '../dns/types.js';
import { type Expectation, unanswered, type VerificationResult, verifyIdentity } from '../verify/verify.js';
import { type CommandContext, UsageError } from './command.js';
import type { CliIo } from './io.js';

/** The DNS options of `check`, validated. */
export interface ResolverSettings {
  readonly servers?: readonly string[];
  readonly timeout: number;
  readonly attempts: number;
  readonly authoritative: boolean;
  readonly port: number;
}

/** Reads and range-checks `--resolver`, `--timeout`, `--attempts`, `--authoritative` and `--port`. */
export function settingsOf(options: CommandContext['options']): ResolverSettings {
  const number = (name: string, fallback: number, max: number) => {
    const value = options[name];
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  return {
    ...(typeof options.resolver === 'string' ? { servers: [options.resolver] } : {}),
    timeout: number('timeout', 2000, 600_000),
    attempts: number('attempts', 3, 20),
    authoritative: options.authoritative === true,
    port: number('port', 53, 65_535),
  };
}

function createResolver(io: CliIo, settings: ResolverSettings, servers?: readonly string[]): Resolver {
  const options = {
    timeout: settings.timeout,
    attempts: settings.attempts,
    ...(servers ? { servers } : {}),
  };
  return io.createResolver ? io.createResolver(options) : createUdpResolver(options);
}

/**
 * Verifies one identity through the configured resolver, or with `--authoritative` through the
 * zone's own name servers (TEMPORARY_FAILURE NO_NAMESERVERS when none is found).
 */
export async function verifyWithSettings(
  io: CliIo,
  expectation: Expectation,
  settings: ResolverSettings,
): Promise<VerificationResult> {
  const base = createResolver(io, settings, settings.servers);
  try {
    if (!settings.authoritative) return await verifyIdentity(expectation, base, { now: io.now() });
    const probe =
      expectation.kind === 'byodkim' ? domainKeyName(expectation.selector, expectation.domain) : expectation.domain;
    const direct = await authoritativeResolver(
      probe.toLowerCase(),
      base,
      (servers) => createResolver(io, settings, servers),
      { port: settings.port },
    );
    if (direct === null) {
      return unanswered(
        expectation.domain,
        'NO_NAMESERVERS',
        `no name servers found for ${expectation.domain}`,
        io.now(),
      );
    }
    try {
      return await verifyIdentity(expectation, direct, { now: io.now() });
    } finally {
      await direct.close?.();
    }
  } finally {
    await base.close?.();
  }
}
