// Swagger UI in a real browser (Debian's chromium driven by playwright-core):
//  - every operation of the served spec is listed at /docs/ as an .opblock with its method + path;
//  - "Try it out" -> "Execute" on GET /v1/exercises and GET /v1/exercises/{id} shows a live 200
//    with the expected JSON;
//  - no page errors, no failed requests, and a screenshot in .ci/out/swagger.png.
// Run by browser.sh, which starts the service and passes BASE_URL, NODE_PREFIX, OUT_DIR.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(join(process.env.NODE_PREFIX, 'resolve-from-here.js'));
const { chromium } = require('playwright-core');

const BASE = process.env.BASE_URL;
const OUT = process.env.OUT_DIR;
const WANT_ID = process.env.BROWSER_EXERCISE_ID || 'clamshells';
const TIMEOUT = 20_000;

let passed = 0;
const failed = [];
function check(ok, what) {
  if (ok) {
    passed += 1;
    console.log(`  ok   ${what}`);
  } else {
    failed.push(what);
    console.log(`  FAIL ${what}`);
  }
}

async function fetchJson(path) {
  const res = await fetch(BASE + path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

const spec = await fetchJson('/openapi.json');
const operations = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']) {
    if (item[method]) operations.push({ method, path, op: item[method] });
  }
}

// The exercise to show: `clamshells` unless the catalogue does not have it (yet).
let exerciseId = WANT_ID;
{
  const res = await fetch(`${BASE}/v1/exercises/${encodeURIComponent(WANT_ID)}`);
  if (res.status !== 200) {
    const list = await fetchJson('/v1/exercises?limit=1');
    exerciseId = list.data[0].id;
    console.log(`note: exercise "${WANT_ID}" is not in the catalogue (HTTP ${res.status}); using "${exerciseId}"`);
  }
}

// A fresh, empty profile: playwright takes it as launchPersistentContext's userDataDir, which it
// passes to chromium as --user-data-dir.
const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
let context = null;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1000 },
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
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const pageErrors = [];
  const badResponses = [];
  const offsite = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) badResponses.push(`${r.status()} ${r.url()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(BASE) && !r.url().startsWith('data:')) offsite.push(r.url());
  });

  const nav = await page.goto(`${BASE}/docs/`, { waitUntil: 'networkidle' });
  check(nav && nav.status() === 200, `GET /docs/ answers 200 (got ${nav && nav.status()})`);
  await page.waitForSelector('.opblock', { timeout: TIMEOUT });
  const title = await page.locator('.info .title').first().innerText();
  check(title.includes(spec.info.title), `page shows the API title "${spec.info.title}"`);

  // Every operation listed as an .opblock with the right method and path.
  const blocks = await page.$$eval('.opblock', (els) =>
    els.map((el) => ({
      method: (el.querySelector('.opblock-summary-method')?.textContent || '').trim().toLowerCase(),
      path: (
        el.querySelector('.opblock-summary-path')?.getAttribute('data-path') ||
        el.querySelector('.opblock-summary-path')?.textContent ||
        ''
      ).replace(/\u200b/g, '').trim(),
    })),
  );
  const listed = new Set(blocks.map((b) => `${b.method} ${b.path}`));
  for (const { method, path } of operations) {
    check(listed.has(`${method} ${path}`), `operation ${method.toUpperCase()} ${path} is listed`);
  }
  check(blocks.length === operations.length, `${blocks.length} operation blocks for ${operations.length} operations`);

  // Try it out -> Execute on one operation; returns the live response's status and body text.
  async function tryIt(operationId, fill) {
    const block = page.locator(`[id$="-${operationId}"].opblock`).first();
    await block.locator('.opblock-summary').first().click();
    await block.locator('button.try-out__btn').click();
    if (fill) await fill(block);
    await block.locator('button.execute').click();
    const live = block.locator('.live-responses-table .response').first();
    await live.waitFor({ state: 'visible', timeout: TIMEOUT });
    const status = (await live.locator('.response-col_status').first().innerText()).trim();
    const body = await live.locator('.response-col_description .highlight-code pre').first().innerText();
    const requestUrl = await block.locator('.request-url pre, .request-url .microlight').first().innerText().catch(() => '');
    return { status, body, requestUrl: requestUrl.trim(), block };
  }

  const listOpId = spec.paths['/v1/exercises'].get.operationId;
  // Swagger UI pre-fills every parameter with its example: clear them for a plain list.
  const list = await tryIt(listOpId, async (block) => {
    const inputs = block.locator('tr[data-param-name] input[type="text"]');
    for (let i = 0; i < (await inputs.count()); i += 1) await inputs.nth(i).fill('');
  });
  check(list.status === '200', `Execute GET /v1/exercises shows status 200 (got ${list.status})`);
  check(list.body.includes('"data"') && list.body.includes('"meta"'), 'GET /v1/exercises response shows "data" and "meta"');
  check(list.requestUrl === `${BASE}/v1/exercises`, `request URL is ${list.requestUrl}`);
  let listJson = null;
  try {
    listJson = JSON.parse(list.body);
  } catch (e) {
    console.log(`  (list body is not JSON: ${e.message}: ${list.body.slice(0, 200)})`);
  }
  check(listJson && Array.isArray(listJson.data) && listJson.data.length > 0, 'the shown list body is JSON with items');
  await list.block.screenshot({ path: join(OUT, 'swagger-list.png') });

  const getOpId = spec.paths['/v1/exercises/{id}'].get.operationId;
  const one = await tryIt(getOpId, async (block) => {
    const input = block.locator('tr[data-param-name="id"] input').first();
    await input.fill(exerciseId);
  });
  check(one.status === '200', `Execute GET /v1/exercises/{id} with id=${exerciseId} shows status 200 (got ${one.status})`);
  check(one.body.includes(`"${exerciseId}"`), `the response shows "${exerciseId}"`);
  check(one.requestUrl === `${BASE}/v1/exercises/${exerciseId}`, `request URL is ${one.requestUrl}`);
  let oneJson = null;
  try {
    oneJson = JSON.parse(one.body);
  } catch (e) {
    console.log(`  (exercise body is not JSON: ${e.message}: ${one.body.slice(0, 200)})`);
  }
  check(oneJson && oneJson.id === exerciseId && typeof oneJson.name === 'string', 'the shown body is the exercise as JSON');
  await one.block.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, 'swagger.png'), fullPage: false });

  check(pageErrors.length === 0, `no JavaScript errors on the page ${pageErrors.length ? JSON.stringify(pageErrors) : ''}`);
  check(badResponses.length === 0, `no failed requests ${badResponses.length ? JSON.stringify(badResponses) : ''}`);
  check(offsite.length === 0, `no requests leave the service ${offsite.length ? JSON.stringify(offsite.slice(0, 5)) : ''}`);
} catch (e) {
  failed.push(`unexpected error: ${e && e.stack ? e.stack : e}`);
  console.log(`  FAIL unexpected error: ${e && e.message ? e.message : e}`);
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}

console.log(`browser: ${passed} assertions passed, ${failed.length} failed`);
console.log(`COUNTS browser assertions=${passed} failed=${failed.length}`);
process.exit(failed.length === 0 ? 0 : 1);
