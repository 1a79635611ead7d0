// Swagger UI in a real browser (Debian's chromium driven by playwright-core):
//  - every operation of the served spec is listed at /docs/ as an .opblock with its method + path;
//  - "Try it out" -> "Execute" on GET /v1/exercises and GET /v1/exercises/{id}, first as Swagger UI
//    pre-fills them from the documented examples (comma lists, `fields` cutting items down), then
//    with every list broadened to all its allowed values (Swagger UI cannot send an optional list
//    left empty), shows a live 200 with the expected JSON, equal to the same request sent
//    directly; and on POST /v1/routines/generate with its pre-filled example body;
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
// Generous: a whole page of whole exercises is a large body for Swagger UI to highlight.
const TIMEOUT = 60_000;

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

  // Try it out -> Execute: opens the operation's block, presses "Try it out", lets `fill` edit
  // the form, presses Execute and returns the live response's status, body text and request URL.
  // A second Execute on the same block first presses "Clear" so the old response is gone.
  async function open(operationId) {
    const block = page.locator(`[id$="-${operationId}"].opblock`).first();
    await block.locator('.opblock-summary').first().click();
    await block.locator('button.try-out__btn').click();
    return block;
  }
  async function execute(block, fill) {
    const clear = block.locator('button.btn-clear');
    if (await clear.count()) await clear.first().click();
    if (fill) await fill(block);
    // Operations that also answer FHIR list two media types; ask for the JSON one.
    const types = block.locator('select.content-type');
    for (let i = 0; i < await types.count(); i++) {
      const options = await types.nth(i).locator('option').allInnerTexts();
      if (options.includes('application/json')) await types.nth(i).selectOption('application/json');
    }
    await block.locator('button.execute').click();
    const live = block.locator('.live-responses-table .response').first();
    await live.waitFor({ state: 'visible', timeout: TIMEOUT });
    const status = (await live.locator('.response-col_status').first().innerText()).trim();
    const body = await live.locator('.response-col_description .highlight-code pre').first().innerText();
    const requestUrl = await block.locator('.request-url pre, .request-url .microlight').first().innerText().catch(() => '');
    let json = null;
    try {
      json = JSON.parse(body);
    } catch (e) {
      console.log(`  (body is not JSON: ${e.message}: ${body.slice(0, 200)})`);
    }
    return { status, body, json, requestUrl: requestUrl.trim(), block };
  }
  // Swagger UI renders a list of allowed values as a multi-select pre-selected with the documented
  // example, and will not send an optional list left empty (its validation applies `minItems: 1`
  // to it, so Execute refuses): a list can be changed, not cleared. `broaden` clears the text
  // inputs and selects every allowed value in each list except those named in `keep`.
  async function broaden(block, keep = []) {
    const inputs = block.locator('tr[data-param-name] input[type="text"]');
    for (let i = 0; i < (await inputs.count()); i += 1) await inputs.nth(i).fill('');
    const rows = block.locator('tr[data-param-name]');
    for (let i = 0; i < (await rows.count()); i += 1) {
      const row = rows.nth(i);
      const name = await row.getAttribute('data-param-name');
      const select = row.locator('select[multiple]');
      if (keep.includes(name) || (await select.count()) === 0) continue;
      const values = (await select.first().locator('option').evaluateAll((os) => os.map((o) => o.value))).filter((v) => v !== '');
      await select.first().selectOption(values);
    }
  }
  const allowedOf = (op, name) => op.parameters.find((p) => p.name === name).schema.items.enum;
  // Objects compared with their keys sorted (a sparse fieldset may order keys differently).
  const canonical = (v) => JSON.stringify(v, (_, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x);
  async function direct(url) {
    const res = await fetch(url);
    return { status: res.status, json: await res.json() };
  }
  const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  // GET /v1/exercises as Swagger UI pre-fills it: every documented example, lists sent as comma
  // lists (style form, explode false) and `fields` cutting the items down.
  const listOp = spec.paths['/v1/exercises'].get;
  const listFields = listOp.parameters.find((p) => p.name === 'fields').example;
  const listBlock = await open(listOp.operationId);
  const pre = await execute(listBlock);
  check(pre.status === '200', `Execute GET /v1/exercises as pre-filled shows status 200 (got ${pre.status})`);
  check(pre.requestUrl.includes(`fields=${listFields.join(',')}`),
    `pre-filled request sends fields=${listFields.join(',')} as one comma list: ${pre.requestUrl}`);
  check(pre.json && Array.isArray(pre.json.data) && pre.json.meta && Number.isInteger(pre.json.meta.total),
    'the pre-filled response is a JSON page');
  if (pre.json && Array.isArray(pre.json.data)) {
    const allowed = new Set(['id', ...listFields]);
    check(pre.json.data.every((e) => typeof e.id === 'string' && Object.keys(e).every((k) => allowed.has(k))),
      `pre-filled response items hold only ${[...allowed].join(',')}`);
  }
  const preDirect = await direct(pre.requestUrl);
  check(preDirect.status === 200 && sameJson(preDirect.json, pre.json),
    'the pre-filled response shown equals the same request sent directly');

  // The same operation with every list broadened to all its allowed values (`exclude` kept at
  // its documented example) and the text inputs cleared: whole exercises, the excluded one left out.
  const list = await execute(listBlock, (block) => broaden(block, ['exclude']));
  const allFields = allowedOf(listOp, 'fields');
  const excludeParam = (listOp.parameters || []).find((p) => p.name === 'exclude');
  const excluded = [].concat(excludeParam.example ?? excludeParam.schema?.example ?? [])[0];
  check(list.status === '200', `Execute GET /v1/exercises with every list broadened shows status 200 (got ${list.status})`);
  check(list.body.includes('"data"') && list.body.includes('"meta"'), 'GET /v1/exercises response shows "data" and "meta"');
  check(list.requestUrl.startsWith(`${BASE}/v1/exercises?`) &&
    list.requestUrl.includes(`muscle=${allowedOf(listOp, 'muscle').join(',')}`) &&
    list.requestUrl.includes(`fields=${allFields.join(',')}`) && list.requestUrl.includes(`exclude=${excluded}`),
    `request URL sends every muscle and field as comma lists: ${list.requestUrl.slice(0, 160)}...`);
  check(list.json && Array.isArray(list.json.data) && list.json.data.length > 0, 'the shown list body is JSON with items');
  if (list.json && Array.isArray(list.json.data)) {
    check(list.json.data.every((e) => typeof e.name === 'string' && Array.isArray(e.steps) && e.targets && e.id !== excluded),
      `the list shows whole exercises, without ${excluded}`);
    const listDirect = await direct(list.requestUrl);
    check(sameJson(listDirect.json, list.json), 'the list shown equals the same request sent directly');
    const withoutFields = new URL(list.requestUrl);
    withoutFields.searchParams.delete('fields');
    const plain = await direct(withoutFields.href);
    check(plain.json.data.length === list.json.data.length && canonical(plain.json.data) === canonical(list.json.data),
      'with every field asked for, the items equal the same request without fields');
  }
  await listBlock.screenshot({ path: join(OUT, 'swagger-list.png') });

  // GET /v1/exercises/{id}: pre-filled `fields` first (a cut-down exercise), then cleared.
  const getOp = spec.paths['/v1/exercises/{id}'].get;
  const oneFields = getOp.parameters.find((p) => p.name === 'fields').example;
  const fillId = async (block) => {
    await block.locator('tr[data-param-name="id"] input').first().fill(exerciseId);
  };
  const oneBlock = await open(getOp.operationId);
  const cut = await execute(oneBlock, fillId);
  check(cut.status === '200', `Execute GET /v1/exercises/{id} as pre-filled shows status 200 (got ${cut.status})`);
  check(cut.requestUrl === `${BASE}/v1/exercises/${exerciseId}?fields=${oneFields.join(',')}`,
    `pre-filled request URL is ${cut.requestUrl}`);
  const wantKeys = [...new Set(['id', ...oneFields])].sort();
  check(cut.json && cut.json.id === exerciseId && sameJson(Object.keys(cut.json).sort(), wantKeys),
    `the pre-filled response is ${exerciseId} cut down to ${wantKeys.join(',')} (got ${cut.json && Object.keys(cut.json).join(',')})`);
  const one = await execute(oneBlock, async (block) => {
    await broaden(block);
    await fillId(block);
  });
  check(one.status === '200', `Execute GET /v1/exercises/{id} with id=${exerciseId} and every field shows status 200 (got ${one.status})`);
  check(one.body.includes(`"${exerciseId}"`), `the response shows "${exerciseId}"`);
  check(one.requestUrl === `${BASE}/v1/exercises/${exerciseId}?fields=${allowedOf(getOp, 'fields').join(',')}`,
    `request URL is ${one.requestUrl}`);
  const oneJson = one.json;
  check(oneJson && oneJson.id === exerciseId && typeof oneJson.name === 'string' && Array.isArray(oneJson.steps),
    'the shown body is the whole exercise as JSON');
  const whole = await direct(`${BASE}/v1/exercises/${exerciseId}`);
  check(whole.status === 200 && canonical(whole.json) === canonical(oneJson),
    `with every field asked for, the body equals GET /v1/exercises/${exerciseId}`);
  await one.block.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, 'swagger.png'), fullPage: false });

  // POST /v1/routines/generate with the documented example body Swagger UI pre-fills.
  const genOp = spec.paths['/v1/routines/generate'].post;
  const genBlock = await open(genOp.operationId);
  const made = await execute(genBlock);
  check(made.status === '200', `Execute POST /v1/routines/generate with the example body shows status 200 (got ${made.status})`);
  check(made.requestUrl === `${BASE}/v1/routines/generate`, `request URL is ${made.requestUrl}`);
  check(made.json && Array.isArray(made.json.items) && made.json.items.length > 0 &&
    made.json.items.every((i) => typeof i.reason === 'string' && i.reason.length > 0),
    'the generated routine is shown with items that say why');
  await genBlock.screenshot({ path: join(OUT, 'swagger-generate.png') });

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
