// The app starts in headless Chromium: the first frame arrives, nothing errs, and the canvas
// really shows the seven default stage columns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, launchBrowser, openApp, waitFrames, saveArtifact } from './support/browser.mjs';
import { decodePng } from './support/png.mjs';

const DEFAULT_STAGES = ['Lead In', 'Contacting', 'Qualifying', 'Meeting/Demo', 'Negotiation', 'Closing', 'Post-Purchase'];

let served;
let browser;

before(async () => {
  served = await serveApp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  served?.server.close();
});

test('the app draws the seven default stage columns with no console errors', async () => {
  const { page, errors } = await openApp(browser.context, served.url);
  await waitFrames(page, 3);

  const rects = await page.evaluate(() => window.pipeboard.rects());
  const headers = DEFAULT_STAGES.map((name) => rects[`column-header:${name}`]);
  headers.forEach((rect, i) => assert.ok(rect, `column header "${DEFAULT_STAGES[i]}" was drawn`));
  for (let i = 1; i < headers.length; i++) {
    assert.ok(headers[i].x > headers[i - 1].x, `"${DEFAULT_STAGES[i]}" is right of "${DEFAULT_STAGES[i - 1]}"`);
  }
  assert.ok(headers[6].x + headers[6].w <= 1280, 'all seven columns fit at 1280 px');

  const state = await page.evaluate(() => window.pipeboard.getState());
  const stageNames = state.stages.filter((stage) => !stage._deleted).map((stage) => stage.name);
  assert.deepEqual([...stageNames].sort(), [...DEFAULT_STAGES].sort());

  const screenshot = await page.screenshot();
  saveArtifact('foundation-empty-board-1280x800.png', screenshot);
  const image = decodePng(screenshot);
  // Each header carries its stage colour in a strip along its top edge.
  const stageColors = new Set();
  for (const rect of headers) {
    const [r, g, b] = image.pixel(rect.x + rect.w / 2, rect.y + 2);
    stageColors.add(`${r >> 4},${g >> 4},${b >> 4}`);
  }
  assert.ok(stageColors.size >= 6, `header strips show distinct stage colours (${[...stageColors].join(' ')})`);
  // Text was rendered inside the first header: its pixels are not one flat colour.
  const first = headers[0];
  const shades = new Set();
  for (let x = first.x + 8; x < first.x + first.w / 2; x += 2) {
    for (let y = first.y + 8; y < first.y + 30; y += 2) shades.add(image.pixel(x, y).join(','));
  }
  assert.ok(shades.size > 8, 'the first column header shows text');

  assert.deepEqual(errors, [], 'no console errors');
});

test('a workspace loaded through the automation API shows its deals on the canvas', async () => {
  const { page, errors } = await openApp(browser.context, served.url);
  const state = await page.evaluate(() => window.pipeboard.getState());
  const leadIn = state.stages.find((stage) => stage.name === 'Lead In');
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  state.deals = [{
    _id: 'deal-acme', _rev: '1-0000000000000001', created: now, updated: now,
    pipeline_id: leadIn.pipeline_id, stage_id: leadIn._id, title: 'Acme Corp renewal',
    organization: 'Acme Corp', value: 1250000, status: 'open', stage_entered_at: now,
  }];
  const result = await page.evaluate((doc) => window.pipeboard.loadState(doc), state);
  assert.equal(result.ok, true, JSON.stringify(result));
  await waitFrames(page, 3);
  const card = await page.evaluate(() => window.pipeboard.rect('card:deal-acme'));
  assert.ok(card, 'the deal card was drawn');
  const column = await page.evaluate(() => window.pipeboard.rect('column:Lead In'));
  assert.ok(card.x >= column.x && card.x + card.w <= column.x + column.w, 'the card sits in Lead In');

  const broken = await page.evaluate(() => window.pipeboard.loadState('{"format":"pipeboard", "version": 1, "deals": ['));
  assert.equal(broken.ok, false);
  assert.match(broken.error, /line|column|parse|JSON/i);
  await waitFrames(page, 2);
  assert.ok(await page.evaluate(() => window.pipeboard.rect('card:deal-acme')), 'a broken document changed nothing');
  assert.deepEqual(errors, []);
});
