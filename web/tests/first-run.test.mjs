// The first minute in headless Chromium, each test in a fresh browser profile: the welcome and
// its three choices, the sample pipeline as its own Demo workspace (its board against
// getState(), its dashboard's charts), resetting the demo, and switching workspaces without
// their data mixing. Everything is done with real clicks on the canvas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, launchBrowser, openApp, waitFrames, saveArtifact } from './support/browser.mjs';
import { PATIENCE_MS, rect, requireRect, rectGone, stateWhen } from './support/patience.mjs';

const STAGES = ['Lead In', 'Contacting', 'Qualifying', 'Meeting/Demo', 'Negotiation', 'Closing', 'Post-Purchase'];

// A fresh profile and server for one test; `run` gets the page, closed whatever happens.
async function withFreshProfile(run, viewport = { width: 1280, height: 800 }) {
  const served = await serveApp();
  const browser = await launchBrowser();
  try {
    const { page, errors } = await openApp(browser.context, served.url, { viewport });
    await run(page, errors, served.url);
  } finally {
    await browser.close();
    served.server.close();
  }
}

async function press(page, name) {
  const r = await requireRect(page, name);
  await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
  await waitFrames(page, 2);
  await page.mouse.down();
  await waitFrames(page, 2);
}

async function click(page, name) {
  await press(page, name);
  await page.mouse.up();
  await waitFrames(page, 3);
}

// A click that makes the app store something and reload the page on another workspace.
async function clickAndReload(page, name) {
  await press(page, name);
  // The reloaded document's load event: a same-document navigation (leaving a snapshot's
  // fragment) comes first and must not count.
  const loaded = page.waitForEvent('load', { timeout: 60000 });
  await page.mouse.up();
  await loaded;
  await page.evaluate(() => window.pipeboard.ready);
  await waitFrames(page, 3);
}

async function openWorkspaceMenu(page) {
  await click(page, 'workspace-name');
  await requireRect(page, 'workspace:rename');
}

async function switchTo(page, name) {
  await openWorkspaceMenu(page);
  await clickAndReload(page, `workspace:${name}`);
}

const live = (records) => records.filter((record) => !record._deleted);

async function saved(page) {
  const status = await page.evaluate(() => window.pipeboard.whenSaved());
  assert.equal(status.state, 'saved', JSON.stringify(status));
}

test('a first visit is welcomed; starting empty keeps the seven stages and stays answered', async () => {
  await withFreshProfile(async (page, errors) => {
    const card = await requireRect(page, 'welcome');
    for (const name of ['welcome:empty', 'welcome:import', 'welcome:sample', 'welcome:storage-note']) {
      const part = await requireRect(page, name);
      assert.ok(part.x >= card.x && part.x + part.w <= card.x + card.w + 1, `${name} lies inside the welcome`);
    }
    const header = await requireRect(page, 'column-header:Lead In');
    assert.ok(card.y >= header.y + header.h, 'the stage headers stay visible above the welcome');
    assert.ok(Math.abs(card.x + card.w / 2 - 640) < 20, 'the welcome is centred');
    saveArtifact('first-run-welcome-1280x800.png', await page.screenshot());
    await page.setViewportSize({ width: 1920, height: 1080 });
    await waitFrames(page, 4);
    const wide = await requireRect(page, 'welcome');
    assert.ok(wide.y + wide.h <= 1080, 'the welcome fits at 1920x1080');
    saveArtifact('first-run-welcome-1920x1080.png', await page.screenshot());
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitFrames(page, 4);

    await click(page, 'welcome:empty');
    assert.ok(await rectGone(page, 'welcome'), `'welcome' is gone`);
    await requireRect(page, 'button:empty-add');
    const state = await page.evaluate(() => window.pipeboard.getState());
    assert.deepEqual(live(state.stages).sort((a, b) => a.position - b.position).map((s) => s.name), STAGES);
    assert.equal(live(state.deals).length, 0);

    // The empty board's tips go away for good.
    await click(page, 'button:hide-tips');
    assert.ok(await rectGone(page, 'button:hide-tips'), `'button:hide-tips' is gone`);
    await saved(page);
    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    await requireRect(page, 'button:empty-add');
    assert.equal(await rect(page, 'welcome'), null, 'no welcome after a reload');
    assert.equal(await rect(page, 'button:hide-tips'), null, 'no tips after a reload');
    assert.deepEqual((await page.evaluate(() => window.pipeboard.getState())).settings.dismissed_hints,
      ['welcome', 'board-tips']);
    assert.deepEqual(errors, []);
  });
});

test('the welcome\'s import choice reads a chosen file into the pipeline', async () => {
  await withFreshProfile(async (page, errors) => {
    const state = await page.evaluate(() => window.pipeboard.getState());
    const stage = live(state.stages).find((s) => s.name === 'Qualifying');
    const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    state.deals = [1, 2, 3].map((n) => ({
      _id: `imported-${n}`, _rev: '1-0000000000000001', created: at, updated: at,
      pipeline_id: stage.pipeline_id, stage_id: stage._id, position: n, title: `Imported deal ${n}`,
      value: n * 100000, status: 'open', stage_entered_at: at,
    }));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'welcome:import')]);
    await chooser.setFiles({ name: 'deals.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(state)) });
    await click(page, 'import:apply');
    const after = await stateWhen(page, (s) => live(s.deals).length === 3);
    assert.deepEqual(live(after.deals).map((d) => d.title).sort(), ['Imported deal 1', 'Imported deal 2', 'Imported deal 3']);
    assert.ok(await rectGone(page, 'welcome'), `'welcome' is gone`);
    await requireRect(page, 'card:imported-1');
    assert.deepEqual(errors, []);
  });
});

test('the sample opens as its own Demo workspace with every stage and chart filled', async () => {
  await withFreshProfile(async (page, errors) => {
    await clickAndReload(page, 'welcome:sample');
    const state = await stateWhen(page, (s) => live(s.deals).length === 300);
    assert.equal(state.name, 'Demo');
    const workspaces = await page.evaluate(() => window.pipeboard.workspaces());
    assert.deepEqual(workspaces.map((w) => [w.name, w.demo, w.current]),
      [['My pipeline', false, false], ['Demo', true, true]]);

    // Every stage holds deals, and the board shows each deal in its own stage's column.
    const stageOf = new Map(live(state.deals).map((d) => [d._id, d.stage_id]));
    const byStatus = {};
    for (const deal of live(state.deals)) byStatus[deal.status] = (byStatus[deal.status] || 0) + 1;
    for (const status of ['open', 'won', 'lost', 'nurture']) assert.ok(byStatus[status] > 0, `some deals are ${status}`);
    const rects = await page.evaluate(() => window.pipeboard.rects());
    for (const stage of live(state.stages)) {
      const openHere = live(state.deals).filter((d) => d.stage_id === stage._id && d.status === 'open').length;
      if (stage.name !== 'Post-Purchase') assert.ok(openHere > 0, `${stage.name} holds open deals`);
      const column = rects[`column:${stage.name}`];
      assert.ok(column, `the ${stage.name} column is drawn`);
      const cards = Object.entries(rects).filter(([name, r]) => name.startsWith('card:') &&
        r.x >= column.x && r.x + r.w <= column.x + column.w + 1);
      if (openHere > 0) assert.ok(cards.length > 0, `${stage.name} shows cards`);
      for (const [name] of cards) assert.equal(stageOf.get(name.slice(5)), stage._id, `${name} is in ${stage.name}`);
    }
    saveArtifact('first-run-sample-board-1280x800.png', await page.screenshot());

    await click(page, 'tab:insights');
    await requireRect(page, 'chart:funnel');
    saveArtifact('first-run-sample-dashboard-1280x800.png', await page.screenshot());
    // Each chart is looked for as the dashboard scrolls down past it: a chart counts as
    // filled when it draws bars, slices or funnel stages of some height.
    const wanted = {
      funnel: 'funnel-stage:', forecast: 'bar:forecast:', 'lost reasons': 'bar:lost-reasons:',
      'time in stage': 'bar:time-in-stage:', 'deal sizes': 'bar:deal-sizes:', team: 'bar:team:',
      'lead sources': 'slice:sources:', 'win rate trend': 'chart:win-rate', 'stagnant deals': 'stagnant-open:',
    };
    const seen = new Set();
    const funnel = await requireRect(page, 'chart:funnel');
    await page.mouse.move(funnel.x + funnel.w / 2, funnel.y + funnel.h / 2);
    const start = Date.now();
    for (;;) {
      const drawn = await page.evaluate(() => window.pipeboard.rects());
      for (const [chart, prefix] of Object.entries(wanted)) {
        if (Object.entries(drawn).some(([name, r]) => name.startsWith(prefix) && r.h > 0)) seen.add(chart);
      }
      if (seen.size === Object.keys(wanted).length || Date.now() - start > PATIENCE_MS) break;
      await page.mouse.wheel(0, 300);
      await waitFrames(page, 3);
    }
    assert.deepEqual(Object.keys(wanted).filter((chart) => !seen.has(chart)), [], 'every chart has something to show');
    assert.deepEqual(errors, []);
  });
});

test('switching workspaces never mixes their data, and the demo resets to its first state', async () => {
  await withFreshProfile(async (page, errors) => {
    await click(page, 'welcome:empty');
    const mine = await page.evaluate(() => window.pipeboard.applyCommand({ type: 'createDeal', title: 'Only in mine', value: 4200 }));
    assert.equal(mine.ok, true);
    await saved(page);

    await openWorkspaceMenu(page);
    await clickAndReload(page, 'workspace:demo');
    let state = await stateWhen(page, (s) => live(s.deals).length === 300);
    assert.equal(state.name, 'Demo');
    assert.ok(!state.deals.some((d) => d.title === 'Only in mine'), 'the demo has none of my deals');
    const sampleIds = live(state.deals).map((d) => d._id).sort();
    const demoDeal = await page.evaluate(() => window.pipeboard.applyCommand({ type: 'createDeal', title: 'Shown to a prospect', value: 100 }));
    const moved = await page.evaluate((id) => window.pipeboard.applyCommand({ type: 'deleteDeal', id }), sampleIds[0]);
    assert.equal(demoDeal.ok && moved.ok, true);
    await saved(page);

    await switchTo(page, 'My pipeline');
    state = await stateWhen(page, (s) => s.name === 'My pipeline');
    assert.deepEqual(live(state.deals).map((d) => d.title), ['Only in mine']);

    await switchTo(page, 'Demo');
    state = await stateWhen(page, (s) => s.name === 'Demo');
    assert.equal(live(state.deals).length, 300, 'the demo kept its own edits');
    assert.ok(live(state.deals).some((d) => d.title === 'Shown to a prospect'));

    await openWorkspaceMenu(page);
    await click(page, 'workspace:reset-demo');
    state = await stateWhen(page, (s) => !s.deals.some((d) => d.title === 'Shown to a prospect'));
    assert.deepEqual(live(state.deals).map((d) => d._id).sort(), sampleIds, 'the demo is the sample again');
    await saved(page);
    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    state = await page.evaluate(() => window.pipeboard.getState());
    assert.deepEqual(live(state.deals).map((d) => d._id).sort(), sampleIds, 'the reset is stored');
    assert.deepEqual(errors, []);
  });
});

test('a workspace is renamed, duplicated and deleted after a confirmation', async () => {
  await withFreshProfile(async (page, errors) => {
    await click(page, 'welcome:empty');
    await page.evaluate(() => window.pipeboard.applyCommand({ type: 'createDeal', title: 'Kept deal', value: 100 }));
    await openWorkspaceMenu(page);
    await click(page, 'workspace:rename');
    await click(page, 'field:workspace-name');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Northwind sales');
    await click(page, 'rename-workspace:confirm');
    await stateWhen(page, (s) => s.name === 'Northwind sales');
    await saved(page);

    await openWorkspaceMenu(page);
    await clickAndReload(page, 'workspace:duplicate');
    let state = await stateWhen(page, (s) => s.name === 'Copy of Northwind sales');
    assert.deepEqual(live(state.deals).map((d) => d.title), ['Kept deal']);
    assert.deepEqual((await page.evaluate(() => window.pipeboard.workspaces())).map((w) => w.name),
      ['Northwind sales', 'Copy of Northwind sales']);

    await openWorkspaceMenu(page);
    await click(page, 'workspace:delete');
    await requireRect(page, 'delete-workspace:export');
    await click(page, 'delete-workspace:cancel');
    assert.ok(await rectGone(page, 'delete-workspace:confirm'), `'delete-workspace:confirm' is gone`);
    assert.equal((await page.evaluate(() => window.pipeboard.workspaces())).length, 2, 'cancel deletes nothing');

    await openWorkspaceMenu(page);
    await click(page, 'workspace:delete');
    await clickAndReload(page, 'delete-workspace:confirm');
    state = await stateWhen(page, (s) => s.name === 'Northwind sales');
    assert.deepEqual(live(state.deals).map((d) => d.title), ['Kept deal']);
    assert.deepEqual((await page.evaluate(() => window.pipeboard.workspaces())).map((w) => w.name), ['Northwind sales']);
    const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    assert.deepEqual(databases, ['pipeboard'], 'the copy\'s database is gone');
    assert.deepEqual(errors, []);
  });
});

test('presentation mode enlarges the UI and hides notes, and turning it off loses nothing', async () => {
  await withFreshProfile(async (page, errors) => {
    await click(page, 'welcome:empty');
    const created = await page.evaluate(() => window.pipeboard.applyCommand({ type: 'createDeal', title: 'Projector deal', value: 990000, stage: 'Qualifying' }));
    await page.evaluate((id) => window.pipeboard.applyCommand({ type: 'editDeal', id, notes: 'Private: budget is flexible' }), created.id);
    await click(page, `card:${created.id}`);
    await requireRect(page, 'field:deal-notes');
    const before = await page.evaluate(() => window.pipeboard.getState());
    const button = await requireRect(page, 'tab:board');

    await click(page, 'button:present');
    await requireRect(page, 'hidden:deal-notes');
    assert.equal(await rect(page, 'field:deal-notes'), null, 'the notes are hidden');
    await requireRect(page, 'button:mask-amounts');
    const bigButton = await requireRect(page, 'tab:board');
    assert.ok(bigButton.h > button.h * 1.2 && bigButton.w > button.w * 1.2,
      `the controls and their text grew (${button.w}x${button.h} -> ${bigButton.w}x${bigButton.h})`);
    const bigCard = await requireRect(page, `card:${created.id}`);
    await click(page, 'button:mask-amounts');
    await page.mouse.move(bigCard.x + bigCard.w / 2, bigCard.y + bigCard.h / 2);
    await waitFrames(page, 3);
    saveArtifact('presentation-1280x800.png', await page.screenshot());
    await click(page, 'tab:insights');
    await requireRect(page, 'insights-hidden');
    assert.equal(await rect(page, 'chart:funnel'), null, 'no chart gives the masked amounts away');
    await click(page, 'tab:board');
    await requireRect(page, `card:${created.id}`);

    await click(page, 'button:present');
    await requireRect(page, 'field:deal-notes');
    assert.equal(await rect(page, 'button:mask-amounts'), null);
    const after = await requireRect(page, 'tab:board');
    assert.ok(Math.abs(after.h - button.h) < 1 && Math.abs(after.w - button.w) < 1, 'the controls are back to their size');
    assert.deepEqual(await page.evaluate(() => window.pipeboard.getState()), before, 'nothing in the workspace changed');
    assert.deepEqual(errors, []);
  });
});

test('a shared snapshot link opens read-only in a fresh profile, which can save a copy', async () => {
  await withFreshProfile(async (page, errors, url) => {
    await click(page, 'welcome:empty');
    for (const title of ['Atlas renewal', 'Beacon pilot']) {
      assert.equal((await page.evaluate((t) => window.pipeboard.applyCommand({ type: 'createDeal', title: t, value: 250000 }), title)).ok, true);
    }
    await saved(page);
    const shared = await page.evaluate(() => window.pipeboard.getState());
    await openWorkspaceMenu(page);
    await click(page, 'workspace:share');
    await requireRect(page, 'share:link');
    const link = await page.evaluate(() => window.pipeboard.snapshotLink());
    assert.ok(link.startsWith(`${url}#snapshot=`), link.slice(0, 80));
    assert.ok(!link.includes('Atlas'), 'the link carries the workspace compressed, not as text');

    // Someone else's browser: a profile of its own.
    const other = await launchBrowser();
    try {
      const opened = await openApp(other.context, link);
      const viewer = opened.page;
      await requireRect(viewer, 'snapshot-banner');
      let state = await viewer.evaluate(() => window.pipeboard.getState());
      assert.deepEqual(live(state.deals).map((d) => d.title).sort(), ['Atlas renewal', 'Beacon pilot']);
      assert.equal(state.name, shared.name);
      assert.equal((await viewer.evaluate(() => window.pipeboard.storage())).state, 'memory', 'nothing is stored');
      const refused = await viewer.evaluate(() => window.pipeboard.applyCommand({ type: 'createDeal', title: 'Sneaked in' }));
      assert.equal(refused.ok, false);
      const card = await requireRect(viewer, `card:${live(state.deals)[0]._id}`);
      const qualifying = await requireRect(viewer, 'column:Qualifying');
      await viewer.mouse.move(card.x + card.w / 2, card.y + card.h / 2);
      await viewer.mouse.down();
      await viewer.mouse.move(qualifying.x + qualifying.w / 2, qualifying.y + 200, { steps: 8 });
      await waitFrames(viewer, 3);
      await viewer.mouse.up();
      await waitFrames(viewer, 3);
      state = await viewer.evaluate(() => window.pipeboard.getState());
      assert.deepEqual(live(state.deals).map((d) => d.stage_id).sort(), live(shared.deals).map((d) => d.stage_id).sort(), 'a drag moves nothing');
      assert.deepEqual(await viewer.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)), [], 'no database was created');
      saveArtifact('snapshot-read-only-1280x800.png', await viewer.screenshot());

      await clickAndReload(viewer, 'snapshot:save-copy');
      state = await stateWhen(viewer, (s) => s.name === `${shared.name} (snapshot)`);
      assert.deepEqual(live(state.deals).map((d) => d.title).sort(), ['Atlas renewal', 'Beacon pilot']);
      assert.equal(await viewer.evaluate(() => location.hash), '');
      assert.equal(await rect(viewer, 'snapshot-banner'), null, 'the copy is an ordinary workspace');
      assert.equal((await viewer.evaluate(() => window.pipeboard.applyCommand({ type: 'createDeal', title: 'Mine now' }))).ok, true);
      assert.deepEqual(opened.errors, []);
    } finally {
      await other.close();
    }
    assert.deepEqual(errors, []);
  });
});

test('a workspace too large for a link is refused, with a JSON file offered instead', async () => {
  await withFreshProfile(async (page, errors) => {
    const loaded = await page.evaluate(() => window.pipeboard.loadState(window.pipeboard.sampleState({ deals: 20000 })));
    assert.equal(loaded.ok, true);
    await openWorkspaceMenu(page);
    await click(page, 'workspace:share');
    await requireRect(page, 'share:too-large');
    assert.equal(await rect(page, 'share:link'), null, 'no link is offered');
    assert.equal(await page.evaluate(() => window.pipeboard.snapshotLink()), null);
    const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'share:download-json')]);
    assert.match(download.suggestedFilename(), /\.json$/);
    assert.deepEqual(errors, []);
  });
});
