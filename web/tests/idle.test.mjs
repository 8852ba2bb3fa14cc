// The app draws only when something changes: idle, it draws no frames; it wakes at once on
// input, on a timer it set (a blinking text cursor) and on a change made in another tab.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, launchBrowser } from './support/browser.mjs';
import { openPage, saved, waitFor } from './support/storage.mjs';
import { requireRect } from './support/patience.mjs';

const IDLE_MS = 3000;
let served;

before(async () => {
  served = await serveApp();
});

after(() => {
  served?.server.close();
});

const frames = (page) => page.evaluate(() => window.pipeboard.frameCount());

// Waits until the app stops drawing by itself, then returns the frames drawn over `ms`.
async function framesWhileIdle(page, ms = IDLE_MS) {
  let last = await frames(page);
  await waitFor(async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await frames(page);
    const settled = now === last;
    last = now;
    return settled;
  }, { timeout: 20000, what: 'the app to settle' });
  const start = await frames(page);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await frames(page)) - start;
}

test('an idle board draws no frames, and input, a text cursor and another tab wake it', async () => {
  const browser = await launchBrowser();
  try {
    const { page, errors } = await openPage(browser.context, served.url);
    await page.evaluate(() => window.pipeboard.loadState(window.pipeboard.sampleState({ deals: 300, seed: 5 })));
    await saved(page);
    assert.equal(await framesWhileIdle(page), 0, 'no frames while nothing changes');

    // Moving the mouse over the board wakes it at once.
    const before = await frames(page);
    await page.mouse.move(400, 300);
    await page.mouse.move(420, 320);
    await waitFor(async () => (await frames(page)) > before, { timeout: 2000, what: 'a frame after the mouse moved' });

    // A focused text field keeps its cursor blinking: a few frames a second, not sixty.
    const search = await requireRect(page, 'field:search');
    await page.mouse.click(search.x + search.w / 2, search.y + search.h / 2);
    const blinking = await framesWhileIdleWithCursor(page);
    assert.ok(blinking >= 3 && blinking <= 20, `the cursor blinks with ${blinking} frames in ${IDLE_MS} ms`);
    await page.keyboard.press('Escape');
    await page.mouse.click(640, 700);
    assert.equal(await framesWhileIdle(page), 0, 'idle again once the field is left');

    // A deal another tab creates wakes this tab, which takes it in without any input here.
    const other = await openPage(browser.context, served.url, { newPage: true });
    assert.equal(await framesWhileIdle(page), 0, 'idle while the other tab opens');
    const quiet = await frames(page);
    const created = await other.page.evaluate(() => window.pipeboard.applyCommand({ type: 'createDeal', title: 'From the other tab', value: 5 }));
    assert.equal(created.ok, true);
    await waitFor(async () => (await frames(page)) > quiet, { timeout: 5000, what: 'a frame after the other tab\'s change' });
    await waitFor(() => page.evaluate((id) => window.pipeboard.getState().deals.some((deal) => deal._id === id), created.id),
      { timeout: 5000, what: 'the other tab\'s deal in this tab' });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

// Frames over IDLE_MS with a text field active (it never settles to zero).
async function framesWhileIdleWithCursor(page) {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const start = await frames(page);
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  return (await frames(page)) - start;
}
