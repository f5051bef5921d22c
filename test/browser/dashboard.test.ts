// The example dashboard in a real headless Chromium (Debian's), driven by playwright-core: the
// page and its DoH endpoint served from one origin on 127.0.0.1, DNS answers from zone data.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, type DashboardServer, startDashboardServer } from '../../examples/dashboard/server.js';
import { createZoneResolver, dkimTxtRecord, parsePrivateKey, signMessage } from '../../src/index.js';
import { keyFile } from '../../vectors/load.js';

const CHROMIUM = '/usr/bin/chromium';

function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error('chromium is not installed: .ci/run must apt-get install chromium');
  return false;
}

const run = chromiumAvailable();
const pem = new TextDecoder().decode(keyFile('rsa2048.pkcs1.pem'));
const spkiBase64 = Buffer.from(keyFile('rsa2048.spki.der')).toString('base64');

describe.skipIf(!run)('the dashboard in Chromium', () => {
  let browser: Browser;
  let server: DashboardServer;
  let page: Page;
  const shots = mkdtempSync(join(tmpdir(), 'dkim-engine-dashboard-'));

  beforeAll(async () => {
    await buildDashboard();
    const zone = createZoneResolver();
    const record = dkimTxtRecord(parsePrivateKey(pem), { domain: 'published.example', selector: 'ses2026' });
    zone.set(record.name, 'TXT', [record.strings]);
    zone.set(`mail._domainkey.published.example`, 'TXT', [record.strings]);
    server = await startDashboardServer(zone);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext();
    page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(server.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(shots, { recursive: true, force: true });
  });

  it('loads', async () => {
    expect(await page.title()).toBe('dkim-engine dashboard');
    expect(await page.locator('h1').textContent()).toBe('dkim-engine dashboard');
  });

  it('shows the right p= for a vector key', async () => {
    await page.fill('#domain', 'published.example');
    await page.fill('#selector', 'ses2026');
    await page.fill('#key', pem);
    await page.click('#validate');
    await expect.poll(() => page.locator('#txt-value').textContent()).toBe(`v=DKIM1; k=rsa; p=${spkiBase64}`);
  });

  it('shows the error code of a bad key', async () => {
    await page.fill('#key', pem.replace('MII', 'MI!'));
    await page.click('#validate');
    await expect.poll(() => page.locator('#error-code').textContent()).toBe('BASE64_INVALID');
    await page.fill('#key', new TextDecoder().decode(keyFile('rsa512.pkcs1.pem')));
    await page.click('#validate');
    await expect.poll(() => page.locator('#error-code').textContent()).toBe('KEY_SIZE_UNSUPPORTED');
  });

  it('checks DNS over DoH: SUCCESS for a published domain, PENDING for a missing one', async () => {
    await page.fill('#key', pem);
    await page.click('#validate');
    await page.fill('#domain', 'published.example');
    await page.click('#check-byodkim');
    await expect.poll(() => page.locator('#dns-status').textContent(), { timeout: 10_000 }).toBe('SUCCESS');
    await page.fill('#domain', 'missing.example');
    await page.click('#check-byodkim');
    await expect.poll(() => page.locator('#dns-status').textContent(), { timeout: 10_000 }).toBe('PENDING');
    await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
    expect(existsSync(join(shots, 'dashboard.png'))).toBe(true);
  });

  it('shows the Easy DKIM CNAMEs for a domain', async () => {
    await page.fill('#easy-domain', 'Example.com');
    await page.fill('#region', 'af-south-1');
    await page.click('#make-tokens');
    await expect.poll(() => page.locator('#cnames tr').count()).toBe(4);
    const value = await page.locator('#cnames tr:nth-child(2) td:nth-child(3)').textContent();
    expect(value).toMatch(/^[a-z2-7]{32}\.dkim\.af-south-1\.amazonses\.com$/);
  });

  it('verifies a pasted message: pass, then the explanation of a changed body', async () => {
    const message = 'From: a@published.example\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nHello there.\r\n';
    const signed = (
      await signMessage(message, {
        domain: 'published.example',
        selector: 'mail',
        key: parsePrivateKey(pem),
        canonicalization: 'simple/simple',
      })
    ).prepend(message);
    await page.fill('#doh', '/dns-query');
    await page.fill('#message', signed);
    await page.click('#verify-message');
    await expect.poll(() => page.locator('#message-status').textContent(), { timeout: 10_000 }).toBe('pass');
    expect(await page.locator('#auth-results').textContent()).toMatch(
      /dkim=pass header\.d=published\.example header\.s=mail/,
    );
    // A relay added white space: relaxed would have forgiven it, and the page says so.
    await page.fill('#message', signed.replace('Hello there.', 'Hello  there.  '));
    await page.click('#verify-message');
    await expect.poll(() => page.locator('#message-status').textContent(), { timeout: 10_000 }).toBe('fail');
    expect(await page.locator('.sig-code').first().textContent()).toBe('BODY_HASH_MISMATCH');
    expect(await page.locator('.sig-message').first().textContent()).toContain(
      'passes with relaxed body canonicalization: white space changed',
    );
  });
});
