// `npm run screenshot`: regenerates docs/console.png, the README's picture of the web console. Starts the
// emulator over zone data (no network), makes a few identities and a sent message, and photographs the page.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createZoneResolver, easyDkimRecords } from '../src/index.js';
import { createConsoleMounts } from '../src/ses/node/console-routes.js';
import { startSesServer } from '../src/ses/node/server.js';
import { sesV1Mounts } from '../src/ses/node/v1-mounts.js';
import { launchChromium } from '../test/browser/chromium.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'docs/console.png');
const customer = createZoneResolver();
const server = await startSesServer({
  resolver: customer,
  tokenSecret: 'screenshot',
  // A fixed clock: the picture changes only when the page does.
  now: () => Date.UTC(2026, 0, 15, 9, 0, 0),
  mounts: [...sesV1Mounts(), ...createConsoleMounts({ directory: join(root, 'dist/console') })],
});

async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

try {
  // example.com publishes its CNAMEs after 40 minutes; shop.example.net publishes its MAIL FROM MX
  // after two hours and its DKIM CNAMEs not yet; ops@example.org has not clicked its link.
  const created = await call('POST', '/v2/email/identities', { EmailIdentity: 'example.com' });
  const tokens = (created.DkimAttributes as { Tokens: string[] }).Tokens;
  await call('POST', '/v2/email/identities', { EmailIdentity: 'shop.example.net' });
  await call('PUT', '/v2/email/identities/shop.example.net/mail-from', { MailFromDomain: 'mail.shop.example.net' });
  await call('POST', '/v2/email/identities', { EmailIdentity: 'ops@example.org' });
  await server.checkAll();
  const advance = async (minutes: number) => {
    await call('POST', '/_dkim-engine/clock', { advanceMs: minutes * 60_000 });
    await server.checkAll();
  };
  await advance(40);
  for (const record of easyDkimRecords({ domain: 'example.com', tokens })) {
    customer.set(record.name, 'CNAME', record.value);
  }
  await advance(5);
  await advance(75);
  customer.set('mail.shop.example.net', 'MX', [{ preference: 10, exchange: 'feedback-smtp.us-east-1.amazonses.com' }]);
  await advance(15);
  await advance(45);
  await call('POST', '/v2/email/outbound-emails', {
    FromEmailAddress: 'hello@example.com',
    Destination: { ToAddresses: ['someone@example.org'] },
    Content: { Simple: { Subject: { Data: 'Welcome aboard' }, Body: { Text: { Data: 'Hello!' } } } },
  });

  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(server.url);
  await page.locator('tr[data-identity="shop.example.net"] .explanation:not(:empty)').waitFor();
  await page.getByRole('button', { name: 'shop.example.net' }).click();
  await page.locator('#records td.verdict', { hasNotText: 'checking' }).first().waitFor();
  mkdirSync(join(root, 'docs'), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  await browser.close();
  console.log(`wrote ${out}`);
} finally {
  await server.close();
}
