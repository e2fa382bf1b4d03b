// Opens the scheduler's fleet console in Debian's headless Chromium as an operator would: signs in with the token,
// waits for the pool to be drawn, takes a screenshot, sets the pool's budget on the page. Prints what it saw as one
// JSON object; MeshIT checks it and reads the budget back over gRPC.
// Usage: node console-check.mjs CONSOLE_URL TOKEN_FILE POOL WATTS SCREENSHOT
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const [url, tokenFile, pool, watts, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.UN0_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const seen = {};
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  seen.title = await page.title();
  await page.fill('#token', readFileSync(tokenFile, 'utf8').trim());
  await page.click('#sign-in button');
  await page.waitForSelector(`[data-testid=pools] [data-pool="${pool}"]`, { timeout: 30000 });
  await page.waitForSelector('[data-testid=grid] [data-region]', { timeout: 30000 });
  seen.pools = await page.$$eval('[data-testid=pools] [data-pool]', (gs) => gs.map((g) => g.getAttribute('data-pool')));
  seen.regions = await page.$$eval('[data-testid=grid] [data-region]', (cs) => cs.map((c) => c.getAttribute('data-region')));
  // The activity feed reads the last hour from Kafka: give it the time to draw the tenants' charts.
  await page.waitForSelector('[data-testid=tenants] [data-tenant] svg circle', { timeout: 30000 });
  seen.tenants = await page.$$eval('[data-testid=tenants] [data-tenant]', (cs) => cs.map((c) => c.getAttribute('data-tenant')));
  seen.routedPools = await page.$$eval('[data-testid=routing] svg text.label', (ts) => ts.map((t) => t.textContent));
  await page.screenshot({ path: screenshot, fullPage: true });

  await page.fill('[data-testid=budget-form] input[name=name]', pool);
  await page.fill('[data-testid=budget-form] input[name=watts]', watts);
  await page.fill('[data-testid=budget-form] input[name=reason]', 'set from the console by MeshIT');
  await page.click('[data-testid=budget-form] button');
  await page.waitForFunction(() => document.querySelector('[data-testid=budget-result]').textContent.length > 0, null, { timeout: 30000 });
  seen.budgetResult = await page.textContent('[data-testid=budget-result]');
  seen.status = await page.textContent('#status');
  seen.errors = errors;
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
