// The console's tools tab (formerly the example dashboard) in headless Chromium: key validation, Easy DKIM CNAMEs
// DNS checks and pasted messages over the server's DoH endpoint, here answering from zone data behind startSesServer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/bundle-console.mjs';
import { createZoneResolver, dkimTxtRecord, parsePrivateKey, signMessage } from '../../src/index.js';
import { createConsoleMounts } from '../../src/ses/node/console-routes.js';
import { type SesServer, startSesServer } from '../../src/ses/node/server.js';
import { keyFile } from '../../vectors/load.js';
import { chromiumAvailable, launchChromium } from './chromium.js';

const run = chromiumAvailable();
const pem = new TextDecoder().decode(keyFile('rsa2048.pkcs1.pem'));
const spkiBase64 = Buffer.from(keyFile('rsa2048.spki.der')).toString('base64');

describe.skipIf(!run)('the console tools tab in Chromium', () => {
  let browser: Browser;
  let server: SesServer;
  let page: Page;
  const built = mkdtempSync(join(tmpdir(), 'dkim-engine-console-build-'));

  beforeAll(async () => {
    await buildConsole(built);
    const zone = createZoneResolver();
    const record = dkimTxtRecord(parsePrivateKey(pem), { domain: 'published.example', selector: 'ses2026' });
    zone.set(record.name, 'TXT', [record.strings]);
    zone.set(`mail._domainkey.published.example`, 'TXT', [record.strings]);
    server = await startSesServer({ resolver: zone, mounts: createConsoleMounts({ directory: built }) });
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(server.url);
    await page.getByRole('tab', { name: 'Tools' }).click();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(built, { recursive: true, force: true });
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
  });

  it('shows the Easy DKIM CNAMEs for a domain', async () => {
    await page.fill('#easy-domain', 'Example.com');
    await page.fill('#easy-region', 'af-south-1');
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
    expect(await page.locator('#message-result .sig-code').first().textContent()).toBe('BODY_HASH_MISMATCH');
    expect(await page.locator('#message-result .sig-message').first().textContent()).toContain(
      'passes with relaxed body canonicalization: white space changed',
    );
  });
});
