// Two tabs of the app on the same stored workspace: neither loses the other's changes, each
// shows the other's edits, an import in one reaches the other, and an old tab never blocks a
// newer version of the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { serveApp, launchBrowser, saveArtifact } from './support/browser.mjs';
import {
  openPage, blankPage, apply, saved, liveDeals, waitFor, hasRect, readDatabase, byId, spreadBaseOnTop,
} from './support/storage.mjs';

let served;

before(async () => {
  served = await serveApp();
});

after(() => {
  served?.server.close();
});

function titles(state) {
  return liveDeals(state).map((deal) => deal.title).sort();
}

const stateOf = (page) => page.evaluate(() => window.pipeboard.getState());

test('two tabs editing at once lose nothing, and each shows the other\'s edits', async () => {
  const browser = await launchBrowser();
  try {
    const first = await openPage(browser.context, served.url);
    await saved(first.page);
    const second = await openPage(browser.context, served.url, { newPage: true });
    assert.equal((await stateOf(second.page)).id, (await stateOf(first.page)).id, 'one workspace');

    // Both tabs create and edit deals in the same moments.
    const burst = (page, tab) => page.evaluate(async (name) => {
      const ids = [];
      for (let i = 0; i < 25; i++) {
        const created = window.pipeboard.applyCommand({ type: 'createDeal', title: `${name} ${i}`, value: i });
        ids.push(created.id);
        if (i % 3 === 0) window.pipeboard.applyCommand({ type: 'editDeal', id: created.id, value: 1000 + i });
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      return ids;
    }, tab);
    await Promise.all([burst(first.page, 'First tab'), burst(second.page, 'Second tab')]);
    await Promise.all([saved(first.page), saved(second.page)]);

    const expected = [...Array(25).keys()].flatMap((i) => [`First tab ${i}`, `Second tab ${i}`]).sort();
    for (const { page } of [first, second]) {
      await waitFor(async () => titles(await stateOf(page)).length === 50, { what: 'both tabs\' deals in each tab' });
      const state = await stateOf(page);
      assert.deepEqual(titles(state), expected);
      for (const deal of liveDeals(state)) {
        const i = Number(deal.title.split(' ').pop());
        assert.equal(deal.value, i % 3 === 0 ? 1000 + i : i, `${deal.title} has its edited value`);
      }
    }
    // Settling may take one more round: a tab whose count of changes since the export is
    // ahead writes it back when it reads the other's.
    const same = async (a, b) => {
      await waitFor(async () => isDeepStrictEqual(byId(await stateOf(a)), byId(await stateOf(b))),
        { timeout: 5000, what: 'the tabs to settle' }).catch(() => {});
      assert.deepEqual(byId(await stateOf(a)), byId(await stateOf(b)), 'both tabs hold the same workspace');
    };
    await same(first.page, second.page);

    // And the database holds it too.
    const third = await openPage(browser.context, served.url, { newPage: true });
    await same(third.page, first.page);
    assert.deepEqual(first.errors, []);
    assert.deepEqual(second.errors, []);
  } finally {
    await browser.close();
  }
});

test('an edit in one tab shows in the other, and the same deal edited in both ends the same in both', async () => {
  const browser = await launchBrowser();
  try {
    const first = await openPage(browser.context, served.url);
    await saved(first.page);
    const second = await openPage(browser.context, served.url, { newPage: true });

    const latencies = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const deal = await apply(first.page, { type: 'createDeal', title: `Seen elsewhere ${i}`, value: 10 });
      await waitFor(async () => (await stateOf(second.page)).deals.some((d) => d._id === deal.id),
        { interval: 5, what: 'the other tab to show the new deal' });
      latencies.push(Date.now() - started);
    }
    saveArtifact('tabs-visibility-latency.json', Buffer.from(JSON.stringify({ milliseconds: latencies })));

    const shared = await apply(first.page, { type: 'createDeal', title: 'Contested', value: 1 });
    await waitFor(async () => (await stateOf(second.page)).deals.some((d) => d._id === shared.id), { what: 'sync' });
    await Promise.all([
      apply(first.page, { type: 'editDeal', id: shared.id, title: 'Contested (first tab)' }),
      apply(second.page, { type: 'editDeal', id: shared.id, title: 'Contested (second tab)' }),
    ]);
    await Promise.all([saved(first.page), saved(second.page)]);
    const pick = (state) => state.deals.find((deal) => deal._id === shared.id);
    await waitFor(async () => {
      const [a, b] = [pick(await stateOf(first.page)), pick(await stateOf(second.page))];
      return a._rev === b._rev;
    }, { what: 'both tabs to settle on one version' });
    const winner = pick(await stateOf(first.page));
    assert.ok(['Contested (first tab)', 'Contested (second tab)'].includes(winner.title));
    assert.deepEqual(pick(await stateOf(second.page)), winner);
    const page = await browser.context.newPage();
    await blankPage(page, served.url);
    // The losing tab may have stored its version last; the winner writes its own back when it
    // reads that change.
    const storedRev = async () => (await readDatabase(page)).deals.find((entry) => entry.key === shared.id).value._rev;
    await waitFor(async () => (await storedRev()) === winner._rev, { what: 'the database to keep the same winner' });
    assert.deepEqual(pick(await stateOf(first.page)), winner, 'the first tab still shows the winner');
  } finally {
    await browser.close();
  }
});

test('an edit is saved at once while another tab holds the writers\' lock for a whole workspace', async () => {
  const browser = await launchBrowser();
  try {
    const app = await openPage(browser.context, served.url);
    await saved(app.page);
    // The page outside the app holds the lock as a tab importing or folding a large
    // workspace does, for as long as the test wants.
    const outside = await browser.context.newPage();
    await blankPage(outside, served.url);
    await outside.evaluate(() => new Promise((held) => {
      navigator.locks.request('pipeboard-storage-writer', () => new Promise((release) => {
        window.releaseWriters = release;
        held();
      }));
    }));

    const deal = await apply(app.page, { type: 'createDeal', title: 'Saved meanwhile', value: 5 });
    await waitFor(() => app.page.evaluate((seq) => window.pipeboard.storage().savedThrough >= seq, deal.seq),
      { timeout: 5000, what: 'the edit to be saved while the lock is held' });
    const stored = (await readDatabase(outside)).deals.find((entry) => entry.key === deal.id);
    assert.equal(stored?.value.title, 'Saved meanwhile');
    assert.equal((await app.page.evaluate(() => window.pipeboard.storage())).state, 'saved');
    await outside.evaluate(() => window.releaseWriters());
  } finally {
    await browser.close();
  }
});

test('a workspace imported in one tab replaces it in the other', async () => {
  const browser = await launchBrowser();
  try {
    const first = await openPage(browser.context, served.url);
    await saved(first.page);
    const second = await openPage(browser.context, served.url, { newPage: true });
    const sample = await first.page.evaluate(() => window.pipeboard.sampleState({ deals: 40, seed: 3 }));
    assert.equal((await first.page.evaluate((text) => window.pipeboard.loadState(text), sample)).ok, true);
    await saved(first.page);
    const expected = await stateOf(first.page);
    await waitFor(async () => (await stateOf(second.page)).id === expected.id, { what: 'the other tab to reload' });
    assert.deepEqual(byId(await stateOf(second.page)), byId(expected));
  } finally {
    await browser.close();
  }
});

test('an old tab gives way to a newer version of the database and says to reload', async () => {
  const browser = await launchBrowser();
  try {
    const old = await openPage(browser.context, served.url);
    await apply(old.page, { type: 'createDeal', title: 'Before the upgrade' });
    await saved(old.page);
    const newer = await browser.context.newPage();
    await blankPage(newer, served.url);
    const current = await newer.evaluate(async () => (await indexedDB.databases()).find((db) => db.name === 'pipeboard').version);
    // Opening a higher version succeeds only if the old tab closes its connection.
    const version = await newer.evaluate((next) => new Promise((resolve, reject) => {
      const request = indexedDB.open('pipeboard', next);
      request.onupgradeneeded = () => {};
      request.onsuccess = () => {
        const { version } = request.result;
        request.result.close();
        resolve(version);
      };
      request.onblocked = () => reject(new Error('blocked by the old tab'));
      request.onerror = () => reject(request.error);
    }), current + 1);
    assert.equal(version, current + 1);
    const status = await old.page.evaluate(() => window.pipeboard.storage());
    assert.equal(status.state, 'memory');
    assert.ok(status.notices.some((notice) => notice.id === 'newer-tab'));
    assert.ok(await hasRect(old.page, 'notice:newer-tab'));
    const stored = await readDatabase(newer);
    assert.ok(stored.deals.some((entry) => entry.value.title === 'Before the upgrade'), 'what it had saved is there');
  } finally {
    await browser.close();
  }
});

test('a tab that missed changes dropped from the log reads everything and keeps its own edits', async () => {
  const browser = await launchBrowser();
  try {
    const first = await openPage(browser.context, served.url);
    const quiet = await apply(first.page, { type: 'createDeal', title: 'Written behind the log', value: 1 });
    await saved(first.page);
    const second = await openPage(browser.context, served.url, { newPage: true });
    const own = await apply(second.page, { type: 'createDeal', title: 'Made in the second tab', value: 2 });
    await saved(second.page);

    // A change stored without a log entry, and the log marked as trimmed past everything the
    // second tab has seen: only reading the whole database can find that change.
    const outside = await browser.context.newPage();
    await blankPage(outside, served.url);
    await outside.evaluate((id) => new Promise((resolve) => {
      indexedDB.open('pipeboard').onsuccess = (event) => {
        const db = event.target.result;
        const tx = db.transaction(['deals', 'workspace'], 'readwrite');
        const deals = tx.objectStore('deals');
        deals.get(id).onsuccess = (got) => {
          const deal = got.target.result;
          deals.put({ ...deal, title: 'Renamed behind the log', _parent_rev: deal._rev, _rev: '9-00000000000000ff' });
        };
        tx.objectStore('workspace').put(1e9, 'changes-trimmed-through');
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
      };
    }), quiet.id);
    await apply(first.page, { type: 'createDeal', title: 'Logged as usual', value: 3 });
    await saved(first.page);

    await waitFor(async () => titles(await stateOf(second.page)).includes('Renamed behind the log'),
      { what: 'the second tab to read everything' });
    const state = await stateOf(second.page);
    assert.ok(titles(state).includes('Logged as usual'));
    assert.ok(state.deals.some((deal) => deal._id === own.id && deal.title === 'Made in the second tab'),
      'its own deal stays');
  } finally {
    await browser.close();
  }
});

// A workspace of 600 sample deals stored with every record on top of no base, then opened in
// two tabs; both will want to fold.
async function twoTabsOnSpreadRecords(browser) {
  const first = await openPage(browser.context, served.url);
  const sample = await first.page.evaluate(() => window.pipeboard.loadState(window.pipeboard.sampleState({ deals: 600, seed: 3 })));
  assert.equal(sample.ok, true);
  await saved(first.page);
  const before = await stateOf(first.page);
  await blankPage(first.page, served.url);
  const onTop = await spreadBaseOnTop(first.page, before);
  assert.ok(onTop > 2500, `${onTop} records on top`);
  await openPage(browser.context, served.url);
  const second = await openPage(browser.context, served.url, { newPage: true });
  return { first, second, before };
}

const storedLayers = (page) => readDatabase(page).then((stored) => ({
  base: stored.base.length, deals: stored.deals.length, history: stored.history.length,
}));

test('many records written on top of the base are folded into a new base; another tab keeps up', async () => {
  const browser = await launchBrowser();
  try {
    const { first, second, before } = await twoTabsOnSpreadRecords(browser);
    assert.deepEqual(byId(await stateOf(first.page)), byId(before), 'the records alone load as before');
    const layers = () => storedLayers(second.page);
    // readDatabase runs in the app's page here, beside the app: it only reads.
    await waitFor(async () => (await layers()).base === 1, { timeout: 20000, what: 'the fold into a new base' });
    const folded = await layers();
    assert.deepEqual([folded.deals, folded.history], [0, 0], 'nothing is left on top');

    const deal = liveDeals(before).find((candidate) => candidate.status === 'open');
    await apply(first.page, { type: 'editDeal', id: deal._id, title: 'Edited after the fold' });
    await saved(first.page);
    await waitFor(async () => titles(await stateOf(second.page)).includes('Edited after the fold'),
      { what: 'the other tab to take the edit made after the fold' });

    await second.page.reload();
    await second.page.evaluate(() => window.pipeboard.ready);
    assert.deepEqual(byId(await stateOf(second.page)), byId(await stateOf(first.page)));
    assert.equal((await layers()).deals, 1, 'only the edited deal is on top');
  } finally {
    await browser.close();
  }
});

test('a tab that had not read a change made before another tab folded reads everything', async () => {
  const browser = await launchBrowser();
  try {
    const setup = await openPage(browser.context, served.url);
    const sample = await setup.page.evaluate(() => window.pipeboard.loadState(window.pipeboard.sampleState({ deals: 600, seed: 3 })));
    assert.equal(sample.ok, true);
    await saved(setup.page);
    const whole = await stateOf(setup.page);
    const deal = liveDeals(whole).find((candidate) => candidate.status === 'open');
    await blankPage(setup.page, served.url);
    await spreadBaseOnTop(setup.page, whole);

    // The page outside the app holds the writers' lock, so the late tab cannot fold before
    // the change below is logged; then the change is announced to no tab.
    const outside = setup.page;
    await outside.evaluate(() => new Promise((held) => {
      navigator.locks.request('pipeboard-storage-writer', () => new Promise((release) => {
        window.releaseWriters = release;
        held();
      }));
    }));
    const late = await openPage(browser.context, served.url, { newPage: true });
    await outside.evaluate((stored) => new Promise((resolve) => {
      indexedDB.open('pipeboard').onsuccess = (event) => {
        const db = event.target.result;
        const tx = db.transaction(['deals', 'changes'], 'readwrite');
        tx.objectStore('deals').put({ ...stored, kind: 'deal', title: 'Written from outside', _parent_rev: stored._rev, _rev: '9-00000000000000ff' });
        tx.objectStore('changes').add({ tab: 'outside', at: Date.now(), kind: 'records', keys: [`deal/${stored._id}`] });
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
      };
    }), deal);
    await outside.evaluate(() => window.releaseWriters());

    // A tab opened now reads the change with everything else and folds it into the base.
    const folding = await openPage(browser.context, served.url, { newPage: true });
    assert.ok(titles(await stateOf(folding.page)).includes('Written from outside'));
    await waitFor(async () => (await storedLayers(outside)).base === 1, { timeout: 20000, what: 'the fold' });
    assert.equal((await storedLayers(outside)).deals, 0, 'the change is now only in the base');
    await waitFor(async () => titles(await stateOf(late.page)).includes('Written from outside'),
      { what: 'the late tab to read everything after the fold' });
  } finally {
    await browser.close();
  }
});
