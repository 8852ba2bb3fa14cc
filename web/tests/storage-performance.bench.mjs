// A measurement, not part of scripts/test.sh: run it with
//   node --test tests/storage-performance.bench.mjs
// Measures storage on large workspaces in headless Chromium and writes the numbers to
// storage-performance.json in the artifacts folder: the time to save one change (p50/p95),
// to load N deals on reload, and to export and import N deals through the Data menu. Only
// correctness is asserted. Sizes come from PIPEBOARD_PERF_DEALS (comma-separated; 2000 by
// default, e.g. PIPEBOARD_PERF_DEALS=10000,100000 for the full measurement).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serveApp, launchBrowser, saveArtifact } from './support/browser.mjs';
import { openPage, saved, clickRect, hasRect, waitFor } from './support/storage.mjs';

const SIZES = (process.env.PIPEBOARD_PERF_DEALS || '2000').split(',').map(Number).filter((n) => n > 0);
const SAVES_MEASURED = 60;
const results = { measuredAt: new Date().toISOString(), sizes: {} };
let served;

before(async () => {
  served = await serveApp();
});

after(() => {
  served?.server.close();
  saveArtifact('storage-performance.json', Buffer.from(JSON.stringify(results, null, 2)));
  console.log(JSON.stringify(results, null, 2));
});

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const countDeals = (page) => page.evaluate(() => window.pipeboard.getState().deals.length);

for (const deals of SIZES) {
  test(`storage with ${deals} deals: save one change, reload, export, import`, { timeout: 3600000 }, async () => {
    const source = await launchBrowser();
    const target = await launchBrowser();
    const numbers = {};
    try {
      const { page } = await openPage(source.context, served.url);
      await saved(page);
      const generated = await page.evaluate((count) => {
        const text = window.pipeboard.sampleState({ deals: count, seed: 11 });
        const start = performance.now();
        const result = window.pipeboard.loadState(text);
        return { ok: result.ok, bytes: text.length, replaceMs: performance.now() - start };
      }, deals);
      assert.equal(generated.ok, true);
      const storeStart = Date.now();
      assert.equal((await saved(page)).state, 'saved');
      numbers.documentBytes = generated.bytes;
      numbers.storeWholeMs = Date.now() - storeStart + generated.replaceMs;
      const total = await countDeals(page);
      assert.equal(total, deals);

      // Saving waits for the page's main thread, which the software renderer of headless
      // Chromium keeps busy drawing frames; a small window shows the cost of storage itself.
      const measureSaves = (offset) => page.evaluate(async ({ count, offset }) => {
        const state = window.pipeboard.getState();
        const ids = state.deals.filter((deal) => !deal._deleted).slice(offset, offset + count).map((deal) => deal._id);
        const times = [];
        for (const [i, id] of ids.entries()) {
          const start = performance.now();
          const result = window.pipeboard.applyCommand({ type: 'editDeal', id, value: 1000 + i });
          while (window.pipeboard.storage().savedThrough < result.seq) {
            await new Promise((resolve) => setTimeout(resolve, 0));
          }
          times.push(performance.now() - start);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return times;
      }, { count: SAVES_MEASURED, offset });
      const full = await measureSaves(0);
      numbers.saveOneChange = { p50: percentile(full, 50), p95: percentile(full, 95) };
      await page.setViewportSize({ width: 320, height: 240 });
      const small = await measureSaves(SAVES_MEASURED);
      numbers.saveOneChangeSmallWindow = { p50: percentile(small, 50), p95: percentile(small, 95) };
      await page.setViewportSize({ width: 1280, height: 800 });

      await page.reload();
      numbers.loadMs = await page.evaluate(async () => {
        await window.pipeboard.ready;
        return performance.now();
      });
      assert.equal(await countDeals(page), deals, 'every deal is back after the reload');

      const exportStart = Date.now();
      await clickRect(page, 'data-menu');
      const [download] = await Promise.all([page.waitForEvent('download'), clickRect(page, 'data:export-json')]);
      const file = await download.path();
      numbers.exportMs = Date.now() - exportStart;
      numbers.exportBytes = fs.statSync(file).size;

      const fresh = await openPage(target.context, served.url);
      await saved(fresh.page);
      await clickRect(fresh.page, 'data-menu');
      const [chooser] = await Promise.all([fresh.page.waitForEvent('filechooser'), clickRect(fresh.page, 'data:import')]);
      const importStart = Date.now();
      await chooser.setFiles(file);
      await waitFor(() => hasRect(fresh.page, 'import:apply'), { timeout: 600000, what: 'the preview' });
      numbers.importPreviewMs = Date.now() - importStart;
      await clickRect(fresh.page, 'import:apply');
      assert.equal((await saved(fresh.page)).state, 'saved');
      numbers.importMs = Date.now() - importStart;
      assert.equal(await countDeals(fresh.page), deals, 'the import holds every deal');
      results.sizes[deals] = numbers;
    } finally {
      await source.close();
      await target.close();
    }
  });
}
