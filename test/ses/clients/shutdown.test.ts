// The subprocess on SIGINT and SIGTERM: the request in flight (three RSA keys being made) finishes, then exit 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CustomerDns, clientsAvailable, startCustomerDns, startEmulator } from './harness.js';

const run = clientsAvailable();

describe.skipIf(!run)('verify-dkim serve shuts down gracefully', () => {
  let dns: CustomerDns;
  beforeAll(async () => {
    dns = await startCustomerDns(['slow.test']);
  }, 30_000);
  afterAll(async () => {
    await dns?.stop();
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: the create in flight gets its answer, the exit code is 0',
    async (signal) => {
      const emulator = await startEmulator(dns.knot.server);
      // Easy DKIM with --dns-port generates three 2048-bit key pairs: the request takes a while.
      const inFlight = fetch(`${emulator.url}/v2/email/identities`, {
        method: 'POST',
        body: JSON.stringify({ EmailIdentity: 'slow.test' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 300)); // the request has arrived; its keys take seconds
      const exit = emulator.stop(signal);
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(((await response.json()) as { DkimAttributes: { Tokens: string[] } }).DkimAttributes.Tokens).toHaveLength(
        3,
      );
      expect(await exit).toBe(0);
      expect(emulator.stderr()).toContain(`${signal}: finishing in-flight requests`);
      await expect(fetch(`${emulator.url}/v2/email/identities`)).rejects.toThrow();
    },
    30_000,
  );
});
