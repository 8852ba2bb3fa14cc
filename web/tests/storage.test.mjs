// Keeping the pipeline in the browser's IndexedDB, in headless Chromium with real storage:
// reloads, a killed browser, quota errors, a cleared database, damaged records, schema
// upgrades, and the import and export files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serveApp, launchBrowser, saveArtifact, waitFrames } from './support/browser.mjs';
import {
  makeProfileDir, launchProfile, killBrowser, openPage, blankPage, apply, saved, liveDeals,
  waitFor, clickRect, hasRect, exportThroughMenu, importThroughMenu, dropFile, readDatabase, byId,
  spreadBaseOnTop,
} from './support/storage.mjs';

let served;

before(async () => {
  served = await serveApp();
});

after(() => {
  served?.server.close();
});

function stageNamed(state, name) {
  return state.stages.find((stage) => stage.name === name && !stage._deleted);
}

function dealTitled(state, title) {
  return state.deals.find((deal) => deal.title === title && !deal._deleted);
}

test('a first visit gets a new workspace that is stored whole and comes back on reload', async () => {
  const browser = await launchBrowser();
  try {
    const { page, errors } = await openPage(browser.context, served.url);
    const status = await saved(page);
    assert.equal(status.state, 'saved', JSON.stringify(status));
    const first = await page.evaluate(() => window.pipeboard.getState());
    assert.equal(first.stages.length, 7);

    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    const again = await page.evaluate(() => window.pipeboard.getState());
    assert.equal(again.id, first.id, 'the same workspace, not another new one');
    assert.deepEqual(byId(again), byId(first));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

// The stored base (whether it is packed records, its size and SHA-256) and the records of
// some kinds on top of it, read in the page without the app.
function storedLayers(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open('pipeboard');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const out = {};
      let bytes = null;
      const tx = db.transaction(['base', 'deals', 'stages', 'history'], 'readonly');
      tx.objectStore('base').get('document').onsuccess = (event) => { bytes = event.target.result; };
      for (const store of ['deals', 'stages', 'history']) {
        tx.objectStore(store).getAll().onsuccess = (event) => { out[store] = event.target.result; };
      }
      tx.oncomplete = async () => {
        db.close();
        out.base = null;
        if (bytes instanceof Uint8Array) {
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
          out.base = {
            packed: String.fromCharCode(...bytes.subarray(0, 8)) === '\x89PBRECS\x01',
            length: bytes.length,
            sha: Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join(''),
          };
        }
        resolve(out);
      };
    };
  }));
}

test('the workspace is stored as one document plus the records changed since, and both load', async () => {
  const browser = await launchBrowser();
  try {
    const { page, errors } = await openPage(browser.context, served.url);
    const sample = await page.evaluate(() => window.pipeboard.loadState(window.pipeboard.sampleState({ deals: 300, seed: 7 })));
    assert.equal(sample.ok, true);
    await saved(page);
    let layers = await storedLayers(page);
    const base = layers.base;
    assert.ok(base && base.packed, 'the whole workspace is the base, as packed records');
    assert.deepEqual([layers.deals.length, layers.stages.length, layers.history.length], [0, 0, 0]);

    const state = await page.evaluate(() => window.pipeboard.getState());
    const moved = state.deals.find((deal) => deal.status === 'open' && !deal._deleted);
    const added = await apply(page, { type: 'createDeal', title: 'Written on top', value: 4200 });
    await apply(page, { type: 'moveDeal', id: moved._id, stage: 'Closing' });
    await apply(page, { type: 'renameWorkspace', name: 'Layered' });
    await saved(page);
    layers = await storedLayers(page);
    assert.deepEqual(layers.deals.map((deal) => deal._id).sort(), [added.id, moved._id].sort(),
      'only the changed deals are written again');
    assert.deepEqual(layers.base, base, 'the base is left as it was');

    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    const again = await page.evaluate(() => window.pipeboard.getState());
    assert.equal(again.name, 'Layered');
    assert.equal(again.deals.length, 301);
    assert.equal(dealTitled(again, 'Written on top').value, 4200);
    const closing = stageNamed(again, 'Closing');
    assert.equal(again.deals.find((deal) => deal._id === moved._id).stage_id, closing._id);
    assert.notEqual(again.deals.find((deal) => deal._id === moved._id)._rev, moved._rev);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a damaged base is reported, left untouched, and the tab works in memory', async () => {
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser.context, served.url);
    await apply(page, { type: 'createDeal', title: 'Before the damage' });
    await saved(page);
    await blankPage(page, served.url);
    // The stored packed records lose their second half.
    await page.evaluate(() => new Promise((resolve) => {
      indexedDB.open('pipeboard').onsuccess = (event) => {
        const db = event.target.result;
        const tx = db.transaction('base', 'readwrite');
        const store = tx.objectStore('base');
        store.get('document').onsuccess = (got) => {
          const bytes = got.target.result;
          store.put(bytes.slice(0, bytes.length >> 1), 'document');
        };
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
      };
    }));
    const damaged = (await storedLayers(page)).base;
    assert.ok(damaged.packed);
    await page.goto(served.url);
    await page.evaluate(() => window.pipeboard.ready);
    const status = await page.evaluate(() => window.pipeboard.storage());
    assert.equal(status.state, 'memory');
    assert.ok(await hasRect(page, 'notice:unreadable'), 'the app says why');
    await apply(page, { type: 'createDeal', title: 'Not written' });
    await blankPage(page, served.url);
    const stored = await storedLayers(page);
    assert.deepEqual(stored.base, damaged, 'the damaged base is not replaced');
    const deals = (await readDatabase(page)).deals.map((entry) => entry.value.title);
    assert.deepEqual(deals, ['Before the damage']);
  } finally {
    await browser.close();
  }
});

test('reload keeps every change: new, edited, moved and deleted deals and the workspace name', async () => {
  const browser = await launchBrowser();
  try {
    const { page, errors } = await openPage(browser.context, served.url);
    const acme = await apply(page, { type: 'createDeal', title: 'Acme renewal', value: 1250000, stage: 'Lead In' });
    const globex = await apply(page, { type: 'createDeal', title: 'Globex pilot', value: 400000, stage: 'Lead In' });
    const initech = await apply(page, { type: 'createDeal', title: 'Initech seats', value: 99000 });
    await apply(page, { type: 'editDeal', id: acme.id, title: 'Acme renewal (3 years)', value: 3750000 });
    await apply(page, { type: 'moveDeal', id: globex.id, stage: 'Negotiation' });
    await apply(page, { type: 'deleteDeal', id: initech.id });
    await apply(page, { type: 'renameWorkspace', name: 'Northwind sales' });
    const status = await saved(page);
    assert.equal(status.state, 'saved');
    assert.equal(status.savedThrough, status.queuedThrough);
    const before = await page.evaluate(() => window.pipeboard.getState());

    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    const after = await page.evaluate(() => window.pipeboard.getState());
    assert.deepEqual(byId(after), byId(before));
    assert.equal(after.name, 'Northwind sales');
    assert.equal(dealTitled(after, 'Acme renewal (3 years)').value, 3750000);
    assert.equal(dealTitled(after, 'Globex pilot').stage_id, stageNamed(after, 'Negotiation')._id);
    assert.equal(dealTitled(after, 'Initech seats'), undefined, 'the deleted deal stays deleted');
    assert.equal(liveDeals(after).length, 2);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a change made just before a reload is kept', async () => {
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser.context, served.url);
    await saved(page);
    // The command and the reload in one turn of the page's event loop: nothing had time to
    // be saved before the page started to unload.
    const reloaded = page.waitForEvent('load');
    await page.evaluate(() => {
      window.pipeboard.applyCommand({ type: 'createDeal', title: 'Signed at the last second', value: 500 });
      location.reload();
    }).catch(() => {});
    await reloaded;
    await page.waitForFunction(() => window.pipeboard && window.pipeboard.ready.then(() => true));
    const state = await page.evaluate(() => window.pipeboard.getState());
    assert.ok(dealTitled(state, 'Signed at the last second'), 'the deal survived the reload');
    const created = state.history.filter((event) => event.event === 'created');
    assert.equal(created.length, 1, 'with its history event, in the same save');
  } finally {
    await browser.close();
  }
});

test('a browser killed during a burst of edits keeps every change it reported saved, each one whole', async () => {
  const profile = makeProfileDir();
  let context = await launchProfile(profile);
  try {
    const { page } = await openPage(context, served.url);
    await saved(page);
    // Creates deals and moves every other one on, a few at a time, never waiting for saves.
    await page.evaluate(() => {
      window.burst = { commands: [] };
      (async () => {
        for (let i = 0; ; i++) {
          const created = window.pipeboard.applyCommand({ type: 'createDeal', title: `Burst ${i}`, value: i * 100 });
          window.burst.commands.push({ kind: 'create', title: `Burst ${i}`, id: created.id, seq: created.seq });
          if (i % 2 === 1) {
            const moved = window.pipeboard.applyCommand({ type: 'moveDeal', id: created.id, stage: 'Qualifying' });
            window.burst.commands.push({ kind: 'move', title: `Burst ${i}`, id: created.id, seq: moved.seq });
          }
          if (i % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 0));
        }
      })();
    });
    await waitFor(() => page.evaluate(() => window.pipeboard.storage().savedThrough > 40),
      { timeout: 60000, what: 'saves during the burst' });
    // What the app has reported saved at this moment must survive the kill.
    const reported = await page.evaluate(() => ({
      savedThrough: window.pipeboard.storage().savedThrough,
      commands: window.burst.commands.slice(),
    }));
    await killBrowser(context, profile);

    context = await launchProfile(profile);
    const reopened = await openPage(context, served.url);
    const state = await reopened.page.evaluate(() => window.pipeboard.getState());
    const qualifying = stageNamed(state, 'Qualifying')._id;
    const byId = new Map(state.deals.map((deal) => [deal._id, deal]));
    const mustHave = reported.commands.filter((command) => command.seq <= reported.savedThrough);
    assert.ok(mustHave.length > 40, `the burst had saved ${mustHave.length} commands before the kill`);
    for (const command of mustHave) {
      const deal = byId.get(command.id);
      assert.ok(deal, `${command.title} was reported saved and is there`);
      if (command.kind === 'move') assert.equal(deal.stage_id, qualifying, `${command.title} stays moved`);
    }
    // Whole changes only: every deal has its creation event, every move its stage change,
    // and no stage change exists without the move it records.
    const historyOf = (id, kind) => state.history.filter((event) => event.deal_id === id && event.event === kind);
    for (const deal of liveDeals(state)) {
      assert.equal(historyOf(deal._id, 'created').length, 1, `${deal.title} has its creation event`);
      const moves = historyOf(deal._id, 'stage_changed');
      assert.equal(moves.length, deal.stage_id === qualifying ? 1 : 0, `${deal.title}: move and its event together`);
    }
    for (const event of state.history) assert.ok(byId.has(event.deal_id), 'no event without its deal');
    saveArtifact('storage-kill-summary.json', Buffer.from(JSON.stringify({
      reportedSaved: mustHave.length, issued: reported.commands.length, recovered: liveDeals(state).length,
    }, null, 2)));
  } finally {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

test('a quota error says so in the app, keeps the app working and overwrites nothing stored', async () => {
  const browser = await launchBrowser();
  try {
    await browser.context.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function guardedPut(...args) {
        if (window.failPutsWithQuota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    const { page } = await openPage(browser.context, served.url);
    const deal = await apply(page, { type: 'createDeal', title: 'Kept as it was', value: 100 });
    assert.equal((await saved(page)).state, 'saved');

    await page.evaluate(() => { window.failPutsWithQuota = true; });
    await apply(page, { type: 'editDeal', id: deal.id, title: 'Edited while full', value: 200 });
    const failed = await saved(page);
    assert.equal(failed.state, 'failed');
    assert.match(failed.reason, /quota|full/i);
    assert.ok(failed.notices.some((notice) => notice.id === 'quota'), 'a notice explains it');
    await waitFrames(page, 3);
    assert.ok(await hasRect(page, 'notice:quota'), 'the notice is drawn');
    assert.ok(await hasRect(page, 'save-status'), 'the save indicator is drawn');
    saveArtifact('storage-quota-notice.png', await page.screenshot());

    const inMemory = await page.evaluate(() => window.pipeboard.getState());
    assert.equal(dealTitled(inMemory, 'Edited while full').value, 200, 'the app keeps the edit in memory');
    const more = await page.evaluate(() => window.pipeboard.applyCommand({ type: 'createDeal', title: 'Also while full' }));
    assert.equal(more.ok, true, 'and keeps accepting edits');

    const stored = await readDatabase(page);
    const storedDeal = stored.deals.find((entry) => entry.key === deal.id).value;
    assert.equal(storedDeal.title, 'Kept as it was', 'what was stored is unchanged');
    assert.equal(stored.deals.length, 1);

    await page.evaluate(() => { window.failPutsWithQuota = false; });
    await waitFor(() => page.evaluate(() => window.pipeboard.storage().state === 'saved'),
      { timeout: 15000, what: 'the retry after the quota error' });
    const retried = await readDatabase(page);
    assert.equal(retried.deals.find((entry) => entry.key === deal.id).value.title, 'Edited while full');
    assert.equal(retried.deals.length, 2, 'nothing made while full was lost');
    assert.ok(!(await page.evaluate(() => window.pipeboard.storage().notices)).some((n) => n.id === 'quota'));
  } finally {
    await browser.close();
  }
});

test('a fold the full disk refuses loses nothing and is not tried again at every edit', async () => {
  const browser = await launchBrowser();
  try {
    await browser.context.addInitScript(() => {
      window.basePuts = 0;
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function guardedPut(...args) {
        if (this.name === 'base' && localStorage.getItem('test.refuse-base') === 'yes') {
          window.basePuts++;
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
        return put.apply(this, args);
      };
    });
    const { page } = await openPage(browser.context, served.url);
    const sample = await page.evaluate(() => window.pipeboard.loadState(window.pipeboard.sampleState({ deals: 600, seed: 5 })));
    assert.equal(sample.ok, true);
    await saved(page);
    const before = await page.evaluate(() => window.pipeboard.getState());
    await blankPage(page, served.url);
    const onTop = await spreadBaseOnTop(page, before);
    await page.evaluate(() => localStorage.setItem('test.refuse-base', 'yes'));

    await page.goto(served.url);
    await page.evaluate(() => window.pipeboard.ready);
    await waitFor(() => page.evaluate(() => window.basePuts === 1), { timeout: 15000, what: 'the fold to be tried' });
    const edited = liveDeals(before).find((deal) => deal.status === 'open');
    for (let i = 0; i < 3; i++) {
      await apply(page, { type: 'editDeal', id: edited._id, value: 5000 + i });
      assert.equal((await saved(page)).state, 'saved', 'edits are still saved on top');
    }
    await new Promise((resolve) => setTimeout(resolve, 4500));
    assert.equal(await page.evaluate(() => window.basePuts), 1, 'no second fold after the edits');

    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    const state = await page.evaluate(() => window.pipeboard.getState());
    assert.equal(state.deals.find((deal) => deal._id === edited._id).value, 5002);
    assert.equal(liveDeals(state).length, liveDeals(before).length, 'every deal is still there');
    assert.equal((await readDatabase(page)).base.length, 0, 'nothing was folded');
    assert.ok(onTop > 2500);
  } finally {
    await browser.close();
  }
});

test('a database the browser cleared is detected, and the last export can be imported back', async () => {
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser.context, served.url);
    await apply(page, { type: 'createDeal', title: 'Worth keeping', value: 777700 });
    await apply(page, { type: 'renameWorkspace', name: 'Before the wipe' });
    const exported = await exportThroughMenu(page);
    await saved(page);
    const beforeWipe = await page.evaluate(() => window.pipeboard.getState());

    await blankPage(page, served.url);
    await page.evaluate(() => new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase('pipeboard');
      request.onsuccess = resolve;
      request.onerror = () => reject(request.error);
    }));
    await page.goto(served.url);
    await page.evaluate(() => window.pipeboard.ready);
    const status = await page.evaluate(() => window.pipeboard.storage());
    const wiped = status.notices.find((notice) => notice.id === 'wiped');
    assert.ok(wiped, 'the app says the stored pipeline is gone');
    assert.equal(wiped.offersImport, true);
    assert.match(wiped.text, /Before the wipe/);
    assert.ok(wiped.text.includes(exported.name), 'and names the last export');
    assert.equal(liveDeals(await page.evaluate(() => window.pipeboard.getState())).length, 0);
    saveArtifact('storage-wiped-notice.png', await page.screenshot());

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), clickRect(page, 'notice:wiped:import')]);
    await chooser.setFiles({ name: exported.name, mimeType: 'application/json', buffer: Buffer.from(exported.text) });
    await waitFor(() => hasRect(page, 'import:apply'), { what: 'the import preview' });
    await clickRect(page, 'import:apply');
    const restored = await page.evaluate(() => window.pipeboard.getState());
    assert.deepEqual(byId(restored), byId(beforeWipe));
    assert.ok(!(await hasRect(page, 'notice:wiped')), 'the notice goes once the export is back');
    await saved(page);

    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    assert.deepEqual(byId(await page.evaluate(() => window.pipeboard.getState())), byId(beforeWipe));
    assert.ok(!(await page.evaluate(() => window.pipeboard.storage().notices)).some((n) => n.id === 'wiped'));
  } finally {
    await browser.close();
  }
});

test('an import of a broken file changes nothing and says what is wrong', async () => {
  const browser = await launchBrowser();
  try {
    const { page, errors } = await openPage(browser.context, served.url);
    await apply(page, { type: 'createDeal', title: 'Untouched', value: 4200 });
    const exported = await exportThroughMenu(page);
    await saved(page);
    const before = await page.evaluate(() => window.pipeboard.getState());

    const truncated = exported.text.slice(0, Math.floor(exported.text.length / 2));
    await importThroughMenu(page, { name: 'truncated.json', mimeType: 'application/json', buffer: Buffer.from(truncated) });
    assert.ok(await hasRect(page, 'import:error'), 'the dialog shows an error');
    assert.ok(!(await hasRect(page, 'import:apply')), 'and offers nothing to apply');
    saveArtifact('storage-broken-import.png', await page.screenshot());
    await clickRect(page, 'import:close');
    assert.deepEqual(await page.evaluate(() => window.pipeboard.getState()), before);

    // A changed value breaks the export's checksum.
    const tampered = exported.text.replace('"value":4200', '"value":4300');
    assert.notEqual(tampered, exported.text);
    await dropFile(page, { name: 'tampered.json', mimeType: 'application/json', text: tampered });
    assert.ok(await hasRect(page, 'import:error'));
    await clickRect(page, 'import:close');

    await dropFile(page, { name: 'deals.csv', mimeType: 'text/csv', text: 'Title,Value\n,abc\n' });
    assert.ok(await hasRect(page, 'import:error'), 'a CSV without one usable row is refused too');
    await clickRect(page, 'import:close');
    assert.deepEqual(await page.evaluate(() => window.pipeboard.getState()), before);

    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    assert.deepEqual(byId(await page.evaluate(() => window.pipeboard.getState())), byId(before), 'and nothing stored changed');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('export, then import into a fresh profile, reproduces the workspace exactly; the replaced one can be restored', async () => {
  const source = await launchBrowser();
  const target = await launchBrowser();
  try {
    const { page } = await openPage(source.context, served.url);
    const sample = await page.evaluate(() => window.pipeboard.sampleState({ deals: 120, seed: 7 }));
    assert.equal((await page.evaluate((text) => window.pipeboard.loadState(text), sample)).ok, true);
    const deal = liveDeals(await page.evaluate(() => window.pipeboard.getState()))[0];
    await apply(page, { type: 'editDeal', id: deal._id, notes: 'Üñíçødé notes, "quoted", <b>not markup</b>' });
    const exported = await exportThroughMenu(page);
    const original = await page.evaluate(() => window.pipeboard.getState());
    const file = JSON.parse(exported.text);
    assert.equal(file.format, 'pipeboard');
    assert.equal(file.version, 1);
    assert.match(file.checksum, /^fnv1a64:[0-9a-f]{16}$/);
    assert.match(exported.name, /^pipeboard-.*\.json$/);

    const fresh = await openPage(target.context, served.url);
    await saved(fresh.page);
    const before = await fresh.page.evaluate(() => window.pipeboard.getState());
    await importThroughMenu(fresh.page, { name: exported.name, mimeType: 'application/json', buffer: Buffer.from(exported.text) });
    assert.ok(await hasRect(fresh.page, 'import:choice-replace'), 'replacing is offered');
    saveArtifact('storage-import-preview.png', await fresh.page.screenshot());
    await clickRect(fresh.page, 'import:apply');
    assert.deepEqual(await fresh.page.evaluate(() => window.pipeboard.getState()), original);
    await saved(fresh.page);
    await fresh.page.reload();
    await fresh.page.evaluate(() => window.pipeboard.ready);
    assert.deepEqual(byId(await fresh.page.evaluate(() => window.pipeboard.getState())), byId(original), 'stored exactly');

    await clickRect(fresh.page, 'data-menu');
    await clickRect(fresh.page, 'data:restore:0');
    await waitFor(async () => (await fresh.page.evaluate(() => window.pipeboard.getState())).id === before.id,
      { what: 'the restore' });
    assert.deepEqual(byId(await fresh.page.evaluate(() => window.pipeboard.getState())), byId(before));
  } finally {
    await source.close();
    await target.close();
  }
});

test('a CSV export of the deals imports into another workspace as a merge preview', async () => {
  const source = await launchBrowser();
  const target = await launchBrowser();
  try {
    const { page } = await openPage(source.context, served.url);
    await apply(page, { type: 'createDeal', title: 'Acme, Inc. renewal', value: 1250000, stage: 'Qualifying' });
    await apply(page, { type: 'createDeal', title: '=SUM(A1)', value: 500 });
    const csv = await exportThroughMenu(page, 'data:export-csv');
    assert.match(csv.name, /\.csv$/);
    assert.ok(csv.text.includes('"Acme, Inc. renewal"'));
    assert.ok(csv.text.includes("'=SUM(A1)"), 'formula-looking text is defused');

    const other = await openPage(target.context, served.url);
    await dropFile(other.page, { name: csv.name, mimeType: 'text/csv', text: csv.text });
    assert.ok(await hasRect(other.page, 'import:summary'));
    assert.ok(!(await hasRect(other.page, 'import:choice-replace')), 'a CSV only merges');
    await clickRect(other.page, 'import:apply');
    const state = await other.page.evaluate(() => window.pipeboard.getState());
    assert.equal(dealTitled(state, 'Acme, Inc. renewal').value, 1250000);
    assert.equal(dealTitled(state, 'Acme, Inc. renewal').stage_id, stageNamed(state, 'Qualifying')._id);
    assert.ok(dealTitled(state, '=SUM(A1)'));
  } finally {
    await source.close();
    await target.close();
  }
});

// A database as schema version 1 of Pipeboard wrote it: every record in one "records" store.
async function writeSchemaOne(page) {
  await page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open('pipeboard', 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('workspace');
      db.createObjectStore('records', { keyPath: ['kind', '_id'] });
      db.createObjectStore('changes', { keyPath: 'seq', autoIncrement: true });
    };
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(['workspace', 'records', 'changes'], 'readwrite');
      const at = '2026-03-02T09:00:00Z';
      tx.objectStore('workspace').put({
        format: 'pipeboard', version: 1, id: 'ws-old', name: 'Saved by schema 1',
        currency: { code: 'EUR', symbol: '€', minor_digits: 2 }, created: at,
        settings: { theme: 'system', ui_layout: '', last_export_at: '1970-01-01T00:00:00Z', changes_since_export: 2 },
        lists: { lead_sources: ['Website'], industries: [], lost_reasons: ['Price'], labels: [] },
      }, 'workspace');
      const records = tx.objectStore('records');
      const meta = (id) => ({ _id: id, _rev: '1-00000000000000a1', created: at, updated: at });
      records.put({ ...meta('p-1'), kind: 'pipeline', name: 'New business', position: 0 });
      records.put({ ...meta('s-lead'), kind: 'stage', pipeline_id: 'p-1', name: 'Lead In', position: 0, probability: 10 });
      records.put({ ...meta('s-won'), kind: 'stage', pipeline_id: 'p-1', name: 'Closing', position: 1, probability: 90 });
      records.put({ ...meta('d-acme'), kind: 'deal', pipeline_id: 'p-1', stage_id: 's-lead', title: 'Acme renewal', value: 1250000, status: 'open', stage_entered_at: at });
      records.put({ ...meta('d-globex'), kind: 'deal', pipeline_id: 'p-1', stage_id: 's-won', title: 'Globex pilot', value: 300000, status: 'open', stage_entered_at: at });
      records.put({ ...meta('h-acme'), kind: 'history', deal_id: 'd-acme', at, event: 'created', to_stage_id: 's-lead' });
      records.put({ ...meta('x-odd'), kind: 'gadget', name: 'from an unknown future' });
      tx.objectStore('changes').add({ tab: 'old', at: Date.now(), kind: 'records', keys: ['deal/d-acme'] });
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

test('a database of schema version 1 is upgraded in place with nothing lost', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await blankPage(page, served.url);
    await writeSchemaOne(page);
    await page.goto(served.url);
    await page.evaluate(() => window.pipeboard.ready);
    const state = await page.evaluate(() => window.pipeboard.getState());
    assert.equal(state.name, 'Saved by schema 1');
    assert.equal(state.currency.code, 'EUR');
    assert.deepEqual(state.deals.map((deal) => [deal._id, deal.title, deal.value]).sort(),
      [['d-acme', 'Acme renewal', 1250000], ['d-globex', 'Globex pilot', 300000]]);
    assert.equal(dealTitled(state, 'Globex pilot').stage_id, 's-won');
    assert.equal(state.history.length, 1);
    assert.equal((await page.evaluate(() => window.pipeboard.storage())).state, 'saved');

    await apply(page, { type: 'editDeal', id: 'd-acme', value: 1300000 });
    await saved(page);
    await blankPage(page, served.url);
    const stored = await readDatabase(page);
    assert.equal(stored.version, 4);
    assert.ok(!stored.stores.includes('records'), 'the old store is gone');
    assert.deepEqual(stored.deals.map((entry) => entry.key).sort(), ['d-acme', 'd-globex']);
    assert.equal(stored.deals.find((entry) => entry.key === 'd-acme').value.value, 1300000);
    assert.equal(stored.stages.length, 2);
    assert.equal(stored['set-aside'].length, 1, 'the record of an unknown kind is set aside, not dropped');
    assert.equal(stored['set-aside'][0].value.record.name, 'from an unknown future');
  } finally {
    await browser.close();
  }
});

// A database as schema version 3 of Pipeboard wrote it: the base a JSON document, and `kept`
// kept before an import, as a JSON document too.
async function writeSchemaThree(page, doc, kept) {
  await page.evaluate(({ doc, kept }) => new Promise((resolve, reject) => {
    const request = indexedDB.open('pipeboard', 3);
    const kinds = ['pipelines', 'stages', 'reps', 'targets', 'deals', 'activities', 'history'];
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const store of kinds) db.createObjectStore(store, { keyPath: '_id' });
      for (const store of ['workspace', 'kept-data', 'set-aside', 'base']) db.createObjectStore(store);
      db.createObjectStore('kept', { keyPath: 'id' });
      db.createObjectStore('changes', { keyPath: 'seq', autoIncrement: true });
    };
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(['workspace', 'base', 'kept', 'kept-data'], 'readwrite');
      const header = { ...doc };
      for (const store of kinds) delete header[store];
      tx.objectStore('workspace').put(header, 'workspace');
      tx.objectStore('base').put(new TextEncoder().encode(JSON.stringify(doc)), 'document');
      tx.objectStore('kept').put({ id: 'kept-old', label: 'Before an import', takenAt: Date.now() - 60000 });
      tx.objectStore('kept-data').put(JSON.stringify(kept), 'kept-old');
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  }), { doc, kept });
}

test('a database of schema version 3, with JSON documents, opens with nothing lost and restores', async () => {
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser.context, served.url);
    const sample = await page.evaluate(() => window.pipeboard.loadState(window.pipeboard.sampleState({ deals: 400, seed: 11 })));
    assert.equal(sample.ok, true);
    const doc = await page.evaluate(() => window.pipeboard.getState());
    const kept = { ...doc, name: 'Kept by schema 3', deals: doc.deals.slice(0, 50) };
    await blankPage(page, served.url);
    await page.evaluate(() => new Promise((resolve, reject) => {
      localStorage.clear();
      const request = indexedDB.deleteDatabase('pipeboard');
      request.onsuccess = resolve;
      request.onerror = () => reject(request.error);
    }));
    await writeSchemaThree(page, doc, kept);
    const jsonBase = (await storedLayers(page)).base;
    assert.equal(jsonBase.packed, false);

    await page.goto(served.url);
    await page.evaluate(() => window.pipeboard.ready);
    assert.deepEqual(byId(await page.evaluate(() => window.pipeboard.getState())), byId(doc));
    const deal = doc.deals.find((candidate) => candidate.status === 'open' && !candidate._deleted);
    await apply(page, { type: 'editDeal', id: deal._id, title: 'Edited over a JSON base' });
    assert.equal((await saved(page)).state, 'saved');
    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    const again = await page.evaluate(() => window.pipeboard.getState());
    assert.equal(again.deals.find((candidate) => candidate._id === deal._id).title, 'Edited over a JSON base');
    assert.equal(again.deals.length, doc.deals.length);
    await blankPage(page, served.url);
    assert.deepEqual((await storedLayers(page)).base, jsonBase, 'the JSON base waits for the next fold');
    assert.equal((await readDatabase(page)).version, 4);

    // The workspace kept as JSON comes back, and the one it replaces is kept packed.
    await page.goto(served.url);
    await page.evaluate(() => window.pipeboard.ready);
    await clickRect(page, 'data-menu');
    await clickRect(page, 'data:restore:0');
    await waitFor(async () => (await page.evaluate(() => window.pipeboard.getState())).name === 'Kept by schema 3',
      { what: 'the restore of the JSON kept workspace' });
    assert.deepEqual(byId(await page.evaluate(() => window.pipeboard.getState())), byId(kept));
    await saved(page);
    await clickRect(page, 'data-menu');
    await clickRect(page, 'data:restore:0');
    await waitFor(async () => (await page.evaluate(() => window.pipeboard.getState())).deals.length === doc.deals.length,
      { what: 'the restore of the packed kept workspace' });
    const back = await page.evaluate(() => window.pipeboard.getState());
    assert.equal(back.deals.find((candidate) => candidate._id === deal._id).title, 'Edited over a JSON base');
    assert.equal(back.name, doc.name);
  } finally {
    await browser.close();
  }
});

test('a database from a newer version is left untouched and the app runs in memory', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await blankPage(page, served.url);
    await page.evaluate(() => new Promise((resolve, reject) => {
      const request = indexedDB.open('pipeboard', 9);
      request.onupgradeneeded = () => request.result.createObjectStore('future').put('precious', 'data');
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    }));
    await page.goto(served.url);
    await page.evaluate(() => window.pipeboard.ready);
    const status = await page.evaluate(() => window.pipeboard.storage());
    assert.equal(status.state, 'memory');
    assert.match(status.reason, /newer version/);
    assert.ok(status.notices.some((notice) => notice.id === 'newer-data'));
    assert.ok(await hasRect(page, 'notice:newer-data'));
    const edit = await page.evaluate(() => window.pipeboard.applyCommand({ type: 'createDeal', title: 'In memory' }));
    assert.equal(edit.ok, true, 'the app keeps working');

    await blankPage(page, served.url);
    const stored = await readDatabase(page);
    assert.equal(stored.version, 9);
    assert.deepEqual(stored.stores, ['future']);
    assert.deepEqual(stored.future, [{ key: 'data', value: 'precious' }]);
  } finally {
    await browser.close();
  }
});

test('a stored workspace entry from a newer data format is not read or overwritten', async () => {
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser.context, served.url);
    await saved(page);
    await blankPage(page, served.url);
    await page.evaluate(() => new Promise((resolve) => {
      indexedDB.open('pipeboard').onsuccess = (event) => {
        const db = event.target.result;
        const tx = db.transaction('workspace', 'readwrite');
        const store = tx.objectStore('workspace');
        store.get('workspace').onsuccess = (got) => store.put({ ...got.target.result, version: 99 }, 'workspace');
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
      };
    }));
    await page.goto(served.url);
    await page.evaluate(() => window.pipeboard.ready);
    const status = await page.evaluate(() => window.pipeboard.storage());
    assert.equal(status.state, 'memory');
    assert.ok(await hasRect(page, 'notice:unreadable'), 'the app says why');
    await apply(page, { type: 'createDeal', title: 'Not written' });
    await blankPage(page, served.url);
    const stored = await readDatabase(page);
    assert.equal(stored.workspace.find((entry) => entry.key === 'workspace').value.version, 99);
    assert.equal(stored.deals.length, 0);
  } finally {
    await browser.close();
  }
});

test('damaged records are reported and set aside; the rest loads and saving goes on', async () => {
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser.context, served.url);
    const good = await apply(page, { type: 'createDeal', title: 'Healthy deal', value: 1000 });
    await saved(page);
    await blankPage(page, served.url);
    await page.evaluate(() => new Promise((resolve) => {
      indexedDB.open('pipeboard').onsuccess = (event) => {
        const db = event.target.result;
        const tx = db.transaction(['deals', 'activities'], 'readwrite');
        tx.objectStore('deals').put({ _id: 'deal-garbled', kind: 'deal', title: 42, value: 'lots', status: 'exploded' });
        tx.objectStore('deals').put({ _id: 'not-a-deal', kind: 'activity', subject: 'misfiled' });
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
      };
    }));
    await page.goto(served.url);
    await page.evaluate(() => window.pipeboard.ready);
    const status = await saved(page);
    assert.equal(status.state, 'saved', 'storage itself works');
    assert.ok(await hasRect(page, 'notice:damaged-records'), 'the damage is reported');
    const state = await page.evaluate(() => window.pipeboard.getState());
    assert.ok(dealTitled(state, 'Healthy deal'));
    assert.ok(!state.deals.some((deal) => deal._id === 'not-a-deal'), 'the misfiled record is skipped');

    await apply(page, { type: 'editDeal', id: good.id, value: 2000 });
    assert.equal((await saved(page)).state, 'saved');
    await blankPage(page, served.url);
    const stored = await readDatabase(page);
    const aside = stored['set-aside'].map((entry) => entry.key).sort();
    assert.deepEqual(aside, ['deals/deal-garbled', 'deals/not-a-deal']);
    assert.equal(stored['set-aside'].find((entry) => entry.key === 'deals/deal-garbled').value.record.value, 'lots',
      'the copy is the record exactly as it was stored');
    assert.equal(stored.deals.find((entry) => entry.key === good.id).value.value, 2000);
  } finally {
    await browser.close();
  }
});

test('the browser is asked to keep the data, and the Data menu shows the answer', async () => {
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser.context, served.url);
    const status = await waitFor(async () => {
      const now = await page.evaluate(() => window.pipeboard.storage());
      return typeof now.persistent === 'boolean' ? now : null;
    }, { what: 'the answer to navigator.storage.persist()' });
    assert.ok(status.quota > 0 && status.usage >= 0, 'usage and quota are known');
    await clickRect(page, 'data-menu');
    assert.ok(await hasRect(page, 'data:persistence'), 'the menu says whether the browser keeps the data');
    saveArtifact('storage-data-menu.png', await page.screenshot());
  } finally {
    await browser.close();
  }
});
