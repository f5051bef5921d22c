// The web console in a real headless Chromium (Debian's), driven by playwright-core: startSesServer with the
// console, v1 and outbox mounts in front of Knot (the customer's zone), identities made and mail sent with the SDK.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateEmailIdentityCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/bundle-console.mjs';
import { createUdpResolver, type Outbox } from '../../src/node.js';
import { createConsoleMounts } from '../../src/ses/node/console-routes.js';
import { type SesServer, startSesServer } from '../../src/ses/node/server.js';
import { sesV1Mounts } from '../../src/ses/node/v1-mounts.js';
import { type CustomerDns, KNOTC, startCustomerDns } from '../ses/clients/harness.js';
import { CHROMIUM, chromiumAvailable, launchChromium } from './chromium.js';

const run = chromiumAvailable() && KNOTC !== undefined;
const DOMAIN = 'console.test';

describe.skipIf(!run)('the web console of verify-dkim serve, in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dns: CustomerDns;
  let server: SesServer;
  let ses: SESv2Client;
  let tokens: string[] = [];
  const shots = mkdtempSync(join(tmpdir(), 'dkim-engine-console-'));
  const built = mkdtempSync(join(tmpdir(), 'dkim-engine-console-build-'));
  const errors: Error[] = [];

  beforeAll(async () => {
    await buildConsole(built);
    dns = await startCustomerDns([DOMAIN]);
    server = await startSesServer({
      resolver: createUdpResolver({ servers: [dns.knot.server], timeout: 500, attempts: 2 }),
      checkEvery: 100,
      onError: (error) => errors.push(error as Error),
      mounts: [...sesV1Mounts(), ...createConsoleMounts({ directory: built, events: { intervalMs: 100 } })],
    });
    ses = new SESv2Client({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(server.url);
  }, 60_000);

  afterAll(async () => {
    ses?.destroy();
    await browser?.close();
    await server?.close();
    await dns?.stop();
    rmSync(shots, { recursive: true, force: true });
    rmSync(built, { recursive: true, force: true });
  });

  const row = () => page.locator(`tr[data-identity="${DOMAIN}"]`);

  it('is served at / with its content types and a content security policy', async () => {
    expect(await page.title()).toBe('dkim-engine console');
    const html = await fetch(`${server.url}/`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await fetch(`${server.url}/console.js`)).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await fetch(`${server.url}/console.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${server.url}/_dkim-engine/identities`, { method: 'POST' })).status).toBe(405);
  });

  it('(1) shows a new Easy DKIM identity PENDING, with three records to copy and why it is pending', async () => {
    const created = await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: DOMAIN }));
    tokens = created.DkimAttributes?.Tokens ?? [];
    expect(tokens).toHaveLength(3);
    await expect.poll(() => row().locator('[data-kind="dkim"]').textContent(), { timeout: 10_000 }).toBe('PENDING');
    // Checked in the page over DoH: the CNAMEs are not there yet.
    await expect
      .poll(() => row().locator('.explanation').textContent(), { timeout: 10_000 })
      .toContain(
        `DKIM: ${tokens[0]}._domainkey.${DOMAIN} does not exist (NXDOMAIN). Publish ${tokens[0]}._domainkey.${DOMAIN} CNAME`,
      );
    await row().getByRole('button', { name: DOMAIN }).click();
    const records = page.locator('#records tbody tr');
    await expect.poll(() => records.count()).toBe(3);
    for (const [i, token] of tokens.entries()) {
      const record = records.nth(i);
      expect(await record.locator('code.name').textContent()).toBe(`${token}._domainkey.${DOMAIN}`);
      expect(await record.locator('code.value').textContent()).toBe(`${token}.dkim.amazonses.com`);
      expect(await record.locator('button.copy').getAttribute('data-copy')).toBe(`${token}.dkim.amazonses.com`);
    }
    await expect.poll(() => records.nth(0).locator('td.verdict').textContent()).toMatch(/^NOT_FOUND/);
    expect(await page.locator('#zone-text').textContent()).toContain(`IN CNAME ${tokens[0]}.dkim.amazonses.com.`);
    await page.screenshot({ path: join(shots, 'pending.png'), fullPage: true });
  });

  it('(2) turns the row SUCCESS without a reload once the CNAMEs are published', async () => {
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const lines = tokens.map((token) => `${token}._domainkey CNAME ${token}.dkim.amazonses.com.`);
    await dns.publish(DOMAIN, lines, { name: `${tokens[0]}._domainkey.${DOMAIN}`, type: 'CNAME' });
    await expect.poll(() => row().locator('[data-kind="dkim"]').textContent(), { timeout: 15_000 }).toBe('SUCCESS');
    expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
    // The open detail follows: every record verified from the page, the timeline shows the change.
    await expect.poll(() => page.locator('#records td.verdict').allTextContents()).toEqual(['MATCH', 'MATCH', 'MATCH']);
    expect(await page.locator('svg.timeline rect.b-SUCCESS').count()).toBe(1);
    expect(await page.locator('svg.timeline rect.b-PENDING').count()).toBe(1);
    await page.screenshot({ path: join(shots, 'success.png'), fullPage: true });
  });

  it('(3) shows both signatures of a sent message passing, verified in the page', async () => {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: `app@${DOMAIN}`,
        Destination: { ToAddresses: ['someone@example.net'] },
        Content: { Simple: { Subject: { Data: 'Console test' }, Body: { Text: { Data: 'Hello from the console.' } } } },
      }),
    );
    await page.getByRole('tab', { name: 'Outbox' }).click();
    const message = page.locator('#outbox-rows tr[data-message]');
    await expect.poll(() => message.count(), { timeout: 10_000 }).toBe(1);
    await message.getByRole('button', { name: 'Console test' }).click();
    const signatures = page.locator('#signatures li.signature');
    await expect.poll(() => signatures.count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator(`#signatures li.pass[data-domain="${DOMAIN}"]`).count()).toBe(1);
    expect(await page.locator('#signatures li.pass[data-domain="amazonses.com"]').count()).toBe(1);
    await page.screenshot({ path: join(shots, 'outbox.png'), fullPage: true });
  });

  it('(4) says "body hash did not verify", with the explanation, for a message tampered with in the outbox', async () => {
    const outbox = (server.regions.get('us-east-1') as { outbox(): Outbox }).outbox();
    const [sent] = outbox.list();
    if (!sent) throw new Error('the outbox is empty');
    const raw = new TextDecoder().decode(outbox.raw(sent.Id));
    const { RawData: _, ...entry } = sent;
    outbox.add(entry, new TextEncoder().encode(raw.replace('Hello from the console.', 'Hello from somebody else.')));
    await page.getByRole('tab', { name: 'Outbox' }).click();
    await page.locator('#outbox-rows').getByRole('button', { name: 'Console test' }).click();
    const identity = page.locator(`#signatures li[data-domain="${DOMAIN}"]`);
    await expect
      .poll(() => identity.locator('.sig-message').textContent(), { timeout: 10_000 })
      .toMatch(/^BODY_HASH_MISMATCH: body hash did not verify: \S/);
    expect(await identity.getAttribute('class')).toContain('fail');
    await page.screenshot({ path: join(shots, 'tampered.png'), fullPage: true });
  });

  it('moves the clock and runs the due checks from its buttons', async () => {
    await page.getByRole('tab', { name: 'Identities' }).click();
    const before = await page.locator('#clock').textContent();
    await page.selectOption('#advance-by', '24');
    await page.click('#advance-clock');
    await expect.poll(() => page.locator('#clock').textContent()).not.toBe(before);
    await page.click('#run-checks');
    await expect.poll(() => page.locator('#status-line').textContent()).toMatch(/checked\.$/);
  });

  it('keeps working at 360 px and in the dark scheme, and by keyboard', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(20, 23, 27)');
    await page.getByRole('tab', { name: 'Identities' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-outbox');
    expect(await page.locator('#outbox-panel').isVisible()).toBe(true);
    await page.screenshot({ path: join(shots, 'narrow-dark.png'), fullPage: true });
    expect(existsSync(join(shots, 'narrow-dark.png'))).toBe(true);
    expect(errors.map(String)).toEqual([]);
    expect(CHROMIUM).toBe('/usr/bin/chromium');
  });
});
