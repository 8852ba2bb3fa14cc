// Insights in headless Chromium: the dashboard opens on the sample pipeline, a forecast bar's
// tooltip shows the exact won amount (computed here independently from the document), a funnel
// stage leads back to the board showing exactly the deals that entered it, a panel's CSV and the
// dashboard's PNG download, and screenshots in both themes, scrolled down to the lower panels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serveApp, launchBrowser, openApp, waitFrames, saveArtifact } from './support/browser.mjs';
import { PATIENCE_MS, requireRect } from './support/patience.mjs';
import { decodePng } from './support/png.mjs';

let served;
let browser;

// The pages' clock for every test here: the 15th of this quarter's middle month, 12:00 UTC.
// The sample is made relative to the present, and its figures for "this month" and "this
// quarter" are empty in the first hours of one: the suite failed a few minutes into a month.
const NOW = (() => {
  const today = new Date();
  const middle = today.getUTCMonth() - (today.getUTCMonth() % 3) + 1;
  return new Date(Date.UTC(today.getUTCFullYear(), middle, 15, 12));
})();

before(async () => {
  served = await serveApp();
  browser = await launchBrowser();
  await browser.context.clock.setFixedTime(NOW);
});

after(async () => {
  await browser?.close();
  served?.server.close();
});

async function click(page, name) {
  const rect = await page.evaluate((n) => window.pipeboard.rect(n), name);
  assert.ok(rect, `"${name}" is on screen`);
  await page.mouse.click(rect.x + rect.w / 2, rect.y + rect.h / 2);
  await waitFrames(page, 3);
}

// Scrolls the dashboard with the mouse wheel until the named element is wholly in the window;
// panels far below are not drawn at all, so an element not there yet means further down.
async function scrollIntoView(page, name, viewport) {
  const start = Date.now();
  const find = () => page.evaluate((n) => window.pipeboard.rect(n), name);
  let r = await find();
  while ((!r || r.y < 0 || r.y + r.h > viewport.height) && Date.now() - start < PATIENCE_MS) {
    await page.mouse.move(viewport.width / 2, viewport.height / 2);
    await page.mouse.wheel(0, r && r.y < 0 ? -200 : 200);
    await waitFrames(page, 3);
    r = await find();
  }
  assert.ok(r && r.y >= 0 && r.y + r.h <= viewport.height, `"${name}" is scrolled into view`);
  return r;
}

// A click that also fires a download, and the downloaded file's name and bytes.
async function clickForDownload(page, name) {
  const r = await requireRect(page, name);
  await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
  await waitFrames(page, 2);
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: PATIENCE_MS }),
    page.mouse.down().then(() => waitFrames(page, 2)).then(() => page.mouse.up()),
  ]);
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
}

async function openSampleInsights(viewport, deals = 400) {
  const { page, errors } = await openApp(browser.context, served.url, { viewport });
  assert.equal(await page.evaluate(() => Date.now()), NOW.getTime(), 'the page keeps the fixed time');
  const loaded = await page.evaluate((count) => window.pipeboard.loadState(window.pipeboard.sampleState({ deals: count })), deals);
  assert.equal(loaded.ok, true, JSON.stringify(loaded));
  await waitFrames(page, 3);
  await click(page, 'tab:insights');
  return { page, errors };
}

// This calendar quarter in UTC as [start, end) milliseconds, the dashboard's default period.
function thisQuarter() {
  const first = NOW.getUTCMonth() - (NOW.getUTCMonth() % 3);
  return [Date.UTC(NOW.getUTCFullYear(), first, 1), Date.UTC(NOW.getUTCFullYear(), first + 3, 1)];
}

const live = (record) => !record._deleted;

// The deals that entered a stage in [from, to), rebuilt here from the document's history by the
// funnel's rule: each deal's stage visits in time order, a visit counting when it began in the
// period other than by reopening a closed deal; a deal without history entered its stage at
// stage_entered_at.
function dealsThatEntered(state, stageId, from, to) {
  const stages = new Map(state.stages.filter(live).map((stage) => [stage._id, stage]));
  const pipelineId = stages.get(stageId).pipeline_id;
  const historyOf = new Map();
  for (const event of state.history.filter(live)) {
    if (!historyOf.has(event.deal_id)) historyOf.set(event.deal_id, []);
    historyOf.get(event.deal_id).push(event);
  }
  const entered = new Set();
  for (const deal of state.deals.filter(live)) {
    if (stages.get(deal.stage_id)?.pipeline_id !== pipelineId) continue;
    const steps = (historyOf.get(deal._id) || []).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const firstMove = steps.find((step) => step.event === 'stage_changed' && step.from_stage_id);
    const initialStage = firstMove ? firstMove.from_stage_id : deal.stage_id;
    const visits = [];
    let current = null;
    let active = false;
    const open = (stage, at, reopened = false) => {
      visits.push({ stage, at, reopened });
      current = stage;
      active = true;
    };
    if (steps.length === 0) open(deal.stage_id, Date.parse(deal.stage_entered_at || deal.created));
    else if (steps[0].event !== 'created') open(initialStage, Math.min(Date.parse(deal.created), Date.parse(steps[0].at)));
    for (const step of steps) {
      const at = Date.parse(step.at);
      if (step.event === 'created') {
        if (visits.length === 0) open(step.to_stage_id || initialStage, at);
      } else if (step.event === 'stage_changed') {
        if (active) open(step.to_stage_id, at);
        else current = step.to_stage_id;
      } else if (step.to_status === 'open') {
        if (!active) open(current, at, true);
      } else {
        active = false;
      }
    }
    if (visits.some((v) => v.stage === stageId && !v.reopened && v.at >= from && v.at < to)) entered.add(deal._id);
  }
  return entered;
}

// "$12,345.67" the way the app writes US dollars, from cents.
function dollars(cents) {
  const whole = Math.floor(cents / 100).toLocaleString('en-US');
  return `$${whole}.${String(cents % 100).padStart(2, '0')}`;
}

test('hovering this month\'s forecast bar shows the exact amount won this month', async () => {
  const { page, errors } = await openSampleInsights({ width: 1280, height: 800 });
  assert.ok(await page.evaluate(() => window.pipeboard.rect('chart:funnel')), 'the funnel is drawn');

  const state = await page.evaluate(() => window.pipeboard.getState());
  const monthStart = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), 1);
  const nextMonth = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() + 1, 1);
  const wonThisMonth = state.deals
    .filter((deal) => !deal._deleted && deal.status === 'won' && deal.closed_at)
    .filter((deal) => { const t = Date.parse(deal.closed_at); return t >= monthStart && t < nextMonth; })
    .reduce((sum, deal) => sum + deal.value, 0);
  assert.ok(wonThisMonth > 0, 'the sample pipeline won something this month');

  // The default period is this quarter, so the forecast's first month is the quarter's first.
  const index = NOW.getUTCMonth() % 3;
  const bar = await page.evaluate((name) => window.pipeboard.rect(name), `bar:forecast:${index}`);
  assert.ok(bar, 'this month\'s won bar is drawn');
  await page.mouse.move(bar.x + bar.w / 2, bar.y + bar.h / 2);
  await waitFrames(page, 3);
  const rects = await page.evaluate(() => window.pipeboard.rects());
  assert.ok(rects[`tooltip:forecast:${index}`], 'a tooltip is shown for the hovered month');
  const shown = Object.keys(rects).find((name) => name.startsWith('tooltip-value:'));
  assert.equal(shown, `tooltip-value:${dollars(wonThisMonth)}`);
  assert.deepEqual(errors, []);
});

test('clicking a funnel stage shows the board with exactly the deals that entered it', async () => {
  const viewport = { width: 1920, height: 1080 };
  const { page, errors } = await openSampleInsights(viewport, 150);
  const state = await page.evaluate(() => window.pipeboard.getState());
  const negotiation = state.stages.find((stage) => live(stage) && stage.name === 'Negotiation');
  const expected = dealsThatEntered(state, negotiation._id, ...thisQuarter());
  assert.ok(expected.size > 0, 'some deals entered Negotiation this quarter');
  const closed = state.deals.filter((d) => expected.has(d._id) && (d.status === 'won' || d.status === 'lost'));
  assert.ok(closed.length > 0, 'some of them have closed since');

  await click(page, 'funnel-stage:Negotiation');
  await requireRect(page, 'column:Negotiation');
  const rects = await page.evaluate(() => window.pipeboard.rects());
  assert.ok(!rects['chart:funnel'], 'the dashboard is gone');
  assert.ok(rects.notice, 'a notice says what the board shows');
  assert.ok(rects['text:hidden-count'], 'the summary says deals are hidden and by what');
  const shown = new Set(Object.keys(rects).filter((name) => name.startsWith('card:')).map((name) => name.slice(5)));
  assert.deepEqual([...shown].sort(), [...expected].sort());

  // The filter panel says what the selection is and can drop it.
  await click(page, 'button:filters');
  await requireRect(page, 'text:filter-only-deals');
  saveArtifact('board-dashboard-selection-1920x1080.png', await page.screenshot());
  assert.deepEqual(errors, []);
});

test('a panel\'s CSV holds the numbers it shows, and the PNG is the dashboard as drawn', async () => {
  const viewport = { width: 1280, height: 800 };
  const { page, errors } = await openSampleInsights(viewport);
  const state = await page.evaluate(() => window.pipeboard.getState());
  const [from, to] = thisQuarter();
  const lost = new Map();
  for (const deal of state.deals.filter(live)) {
    if (deal.status !== 'lost' || !deal.closed_at) continue;
    const at = Date.parse(deal.closed_at);
    if (at < from || at >= to) continue;
    const reason = deal.lost_reason || '(none)';
    const row = lost.get(reason) || { deals: 0, cents: 0 };
    row.deals += 1;
    row.cents += deal.value;
    lost.set(reason, row);
  }
  assert.ok(lost.size > 1, 'deals were lost for several reasons this quarter');

  await scrollIntoView(page, 'csv:lost-reasons', viewport);
  const csv = await clickForDownload(page, 'csv:lost-reasons');
  assert.match(csv.name, /^pipeboard-lost-reasons-this-quarter-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = csv.bytes.toString('utf8').trim().split('\r\n');
  assert.equal(lines[0], 'lost reason,deals lost,lost value');
  const rows = new Map(lines.slice(1).map((line) => {
    const [reason, deals, value] = line.split(',');
    return [reason, { deals: Number(deals), cents: Math.round(Number(value) * 100) }];
  }));
  assert.deepEqual(rows, lost);

  await scrollIntoView(page, 'dashboard-export-png', viewport);
  const png = await clickForDownload(page, 'dashboard-export-png');
  assert.match(png.name, /^pipeboard-insights-this-quarter-\d{4}-\d{2}-\d{2}\.png$/);
  const canvas = await page.evaluate(() => {
    const element = document.querySelector('canvas');
    return { width: element.width, height: element.height };
  });
  const image = decodePng(png.bytes);
  assert.deepEqual({ width: image.width, height: image.height }, canvas);
  // Not blank: the drawn dashboard has many colours (text, charts), a cleared canvas one.
  const colours = new Set();
  for (let y = 0; y < image.height; y += 7) {
    for (let x = 0; x < image.width; x += 7) colours.add(image.pixel(x, y).join(','));
  }
  assert.ok(colours.size > 20, `the image shows the dashboard (${colours.size} colours)`);
  saveArtifact('insights-download.png', png.bytes);
  assert.deepEqual(errors, []);
});

test('screenshots of Insights at two sizes in the light and dark themes', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
    const { page, errors } = await openSampleInsights(viewport);
    for (const theme of ['light', 'dark']) {
      await waitFrames(page, 3);
      saveArtifact(`insights-${theme}-${viewport.width}x${viewport.height}.png`, await page.screenshot());
      // The lower panels, scrolled to the end.
      await scrollIntoView(page, 'panel:stagnant', viewport);
      await page.mouse.wheel(0, 5000);
      await waitFrames(page, 3);
      await page.mouse.move(viewport.width - 4, viewport.height - 4);
      await waitFrames(page, 3);
      saveArtifact(`insights-${theme}-${viewport.width}x${viewport.height}-lower.png`, await page.screenshot());
      await page.mouse.move(viewport.width / 2, viewport.height / 2);
      await page.mouse.wheel(0, -5000);
      await waitFrames(page, 3);
      await click(page, 'button:theme');
      await page.mouse.move(viewport.width / 2, 4);
    }
    assert.deepEqual(errors, []);
  }
});
