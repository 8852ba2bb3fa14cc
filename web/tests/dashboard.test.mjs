// Insights in headless Chromium: the dashboard opens on the sample pipeline, a forecast bar's
// tooltip shows the exact won amount (computed here independently from the document), a funnel
// stage leads back to the board showing every status, and screenshots in both themes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, launchBrowser, openApp, waitFrames, saveArtifact } from './support/browser.mjs';

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

async function click(page, name) {
  const rect = await page.evaluate((n) => window.pipeboard.rect(n), name);
  assert.ok(rect, `"${name}" is on screen`);
  await page.mouse.click(rect.x + rect.w / 2, rect.y + rect.h / 2);
  await waitFrames(page, 3);
}

async function openSampleInsights(viewport) {
  const { page, errors } = await openApp(browser.context, served.url, { viewport });
  const loaded = await page.evaluate(() => window.pipeboard.loadState(window.pipeboard.sampleState({ deals: 400 })));
  assert.equal(loaded.ok, true, JSON.stringify(loaded));
  await waitFrames(page, 3);
  await click(page, 'tab:insights');
  return { page, errors };
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
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const wonThisMonth = state.deals
    .filter((deal) => !deal._deleted && deal.status === 'won' && deal.closed_at)
    .filter((deal) => { const t = Date.parse(deal.closed_at); return t >= monthStart && t < nextMonth; })
    .reduce((sum, deal) => sum + deal.value, 0);
  assert.ok(wonThisMonth > 0, 'the sample pipeline won something this month');

  // The default period is this quarter, so the forecast's first month is the quarter's first.
  const index = now.getUTCMonth() % 3;
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

test('clicking a funnel stage shows the board with every status of deal', async () => {
  const { page, errors } = await openSampleInsights({ width: 1280, height: 800 });
  const state = await page.evaluate(() => window.pipeboard.getState());
  const closedIds = new Set(state.deals.filter((d) => d.status === 'won' || d.status === 'lost').map((d) => d._id));

  await click(page, 'funnel-stage:Negotiation');
  const rects = await page.evaluate(() => window.pipeboard.rects());
  assert.ok(!rects['chart:funnel'], 'the dashboard is gone');
  assert.ok(rects['column:Negotiation'], 'the board is back');
  assert.ok(rects.notice, 'a notice says what the board shows');
  const closedCards = Object.keys(rects).filter((name) => name.startsWith('card:') && closedIds.has(name.slice(5)));
  assert.ok(closedCards.length > 0, 'won and lost deals are on the board now');
  assert.deepEqual(errors, []);
});

test('screenshots of Insights at two sizes in the light and dark themes', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
    const { page, errors } = await openSampleInsights(viewport);
    for (const theme of ['light', 'dark']) {
      await waitFrames(page, 3);
      saveArtifact(`insights-${theme}-${viewport.width}x${viewport.height}.png`, await page.screenshot());
      await click(page, 'button:theme');
      await page.mouse.move(viewport.width / 2, 4);
    }
    assert.deepEqual(errors, []);
  }
});
