// How `check` asks DNS: resolver settings from the options, and the authoritative-server mode.

import { domainKeyName } from '../core/key-record/format.js';
import { authoritativeResolver } from '../dns/authoritative.js';
import { type Expectation, unanswered, type VerificationResult, verifyIdentity } from '../verify/verify.js';
import type { CommandContext } from './command.js';
import { createCliResolver, type DnsOptions, dnsOptionsOf, integerOption } from './dns-options.js';
import type { CliIo } from './io.js';

/** The DNS options of `check`, validated. */
export interface ResolverSettings extends DnsOptions {
  readonly authoritative: boolean;
  readonly port: number;
}

/** Reads and range-checks `--resolver`, `--timeout`, `--attempts`, `--authoritative` and `--port`. */
export function settingsOf(options: CommandContext['options']): ResolverSettings {
  return {
    ...dnsOptionsOf(options),
    authoritative: options.authoritative === true,
    port: integerOption(options, 'port', 53, 1, 65_535),
  };
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
  const base = createCliResolver(io, settings);
  try {
    if (!settings.authoritative) return await verifyIdentity(expectation, base, { now: io.now() });
    const probe =
      expectation.kind === 'byodkim' ? domainKeyName(expectation.selector, expectation.domain) : expectation.domain;
    const direct = await authoritativeResolver(
      probe.toLowerCase(),
      base,
      (servers) => createCliResolver(io, settings, servers),
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
