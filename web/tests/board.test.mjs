// The pipeline board in headless Chromium, driven with real mouse and keyboard events on the
// canvas at the positions the rectangles API reports, checking the result through
// window.pipeboard.getState(); plus screenshots of a realistic pipeline at three sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, launchBrowser, openApp, waitFrames, saveArtifact } from './support/browser.mjs';
import { PATIENCE_MS, rect, requireRect, rectGone, stateWhen } from './support/patience.mjs';
import { decodePng } from './support/png.mjs';

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

// [SECTION] Building workspaces in the page's own document format

const DAY_MS = 86400000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const isoDay = (ms) => iso(ms).slice(0, 10);

function record(id, ms) {
  return { _id: id, _rev: '1-0000000000000001', created: iso(ms), updated: iso(ms) };
}

function liveStages(state) {
  return state.stages.filter((stage) => !stage._deleted).sort((a, b) => a.position - b.position);
}

// A small, predictable board: `perStage` deals named "<stage letter><n>" in each of the first
// `stageCount` stages, worth 1,000 + n dollars, entered two days ago.
function smallBoard(state, { perStage = 3, stageCount = 3 } = {}) {
  const now = Date.now();
  const stages = liveStages(state);
  state.deals = [];
  state.history = [];
  state.activities = [];
  for (let s = 0; s < stageCount; s++) {
    for (let n = 0; n < perStage; n++) {
      const id = `d${s}-${n}`;
      state.deals.push({
        ...record(id, now - 3 * DAY_MS), pipeline_id: stages[s].pipeline_id, stage_id: stages[s]._id,
        position: n, title: `Deal ${id}`, organization: `Org ${id}`, value: (1000 + n) * 100,
        status: 'open', stage_entered_at: iso(now - 2 * DAY_MS),
      });
    }
  }
  return state;
}

// A realistic pipeline: five reps, a few hundred deals over every stage with contacts, labels,
// activities due today, overdue and planned, stagnant deals, and won customers, lost and parked
// deals. Deterministic for a given seed (apart from being relative to today).
function realisticPipeline(state, { deals = 320, seed = 11 } = {}) {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const pick = (items) => items[Math.floor(rand() * items.length)];
  const between = (low, high) => low + Math.floor(rand() * (high - low + 1));
  const now = Date.now();
  const stages = liveStages(state);
  const pipelineId = stages[0].pipeline_id;
  const orgs = ['Northwind', 'Blue Harbor', 'Summit', 'Crescent', 'Ironwood', 'Bright Path', 'Redline',
    'Silver Oak', 'Keystone', 'Meridian', 'Evergreen', 'Granite', 'Lakeside', 'Polar', 'Horizon',
    'Cobalt', 'Riverbend', 'Atlas', 'Sunfield', 'Beacon', 'Vantage', 'Pinecrest'];
  const kinds = ['Traders', 'Logistics', 'Health', 'Foods', 'Systems', 'Analytics', 'Capital', 'Labs'];
  const products = ['Analytics suite', '50 seats', 'Annual licence', 'Pilot project', 'Onboarding pack',
    'Enterprise plan', 'Data migration', 'Support contract', 'Team expansion'];
  const people = ['Olivia Berg', 'Liam Okafor', 'Sofia Novak', 'Noah Schmidt', 'Mia Rossi', 'Kenji Tanaka',
    'Priya Patel', 'Tomás Silva', 'Hannah Jensen', 'Leila Haddad'];
  const repNames = ['Ava Thompson', 'Ben Carter', 'Chen Wei', 'Dana Kruger', 'Eli Morales'];
  state.reps = repNames.map((name, i) => ({
    ...record(`rep-${i}`, now - 400 * DAY_MS), name, email: `${name.split(' ')[0].toLowerCase()}@example.com`, active: true,
  }));
  state.lists.labels = ['Hot', 'Enterprise', 'Upsell', 'Partner'];
  state.deals = [];
  state.activities = [];
  state.history = [];
  const stageWeights = [26, 18, 16, 12, 9, 6, 13];
  const positions = stages.map(() => 0);
  for (let i = 0; i < deals; i++) {
    let roll = rand() * stageWeights.reduce((a, b) => a + b, 0);
    let stageIndex = 0;
    while (roll > stageWeights[stageIndex]) roll -= stageWeights[stageIndex++];
    const stage = stages[stageIndex];
    const org = `${pick(orgs)} ${pick(kinds)}`;
    const entered = now - between(0, 35) * DAY_MS - between(0, 8) * 3600000;
    const deal = {
      ...record(`deal-${i}`, entered - between(0, 20) * DAY_MS), pipeline_id: pipelineId, stage_id: stage._id,
      position: positions[stageIndex]++, title: `${org} – ${pick(products)}`, organization: `${org} Inc.`,
      value: Math.round(Math.exp(8.3 + (rand() + rand() + rand() - 1.5)) / 100) * 100 * 100,
      owner_id: `rep-${between(0, repNames.length - 1)}`, lead_source: pick(state.lists.lead_sources),
      industry: pick(state.lists.industries), labels: rand() < 0.3 ? [pick(state.lists.labels)] : [],
      contacts: [{ name: pick(people), role: 'Head of Operations', email: 'ops@example.com', phone: '', decision_maker: true }],
      status: 'open', stage_entered_at: iso(entered), expected_close: isoDay(now + between(-5, 60) * DAY_MS),
    };
    if (stageIndex === stages.length - 1) {
      deal.status = 'won';
      deal.closed_at = iso(entered);
      deal.contract_end = isoDay(entered + 365 * DAY_MS - between(0, 300) * DAY_MS);
    } else if (rand() < 0.08) {
      deal.status = 'lost';
      deal.lost_reason = pick(state.lists.lost_reasons);
      deal.closed_at = iso(entered + DAY_MS);
    } else if (rand() < 0.05) {
      deal.status = 'nurture';
      deal.revisit_on = isoDay(now + 40 * DAY_MS);
    }
    state.deals.push(deal);
    state.history.push({
      ...record(`h-${i}`, entered), deal_id: deal._id, at: iso(entered), event: 'created',
      from_stage_id: '', to_stage_id: stage._id, from_status: 'open', to_status: 'open', by_rep_id: deal.owner_id, detail: '',
    });
    if (deal.status === 'open') {
      const next = rand();
      const type = pick(['call', 'email', 'meeting', 'task']);
      let due = null;
      if (next < 0.15) due = new Date(new Date(now).setUTCHours(between(9, 17), 0, 0, 0)).getTime();
      else if (next < 0.3) due = now - between(1, 9) * DAY_MS;
      else if (next < 0.85) due = now + between(1, 20) * DAY_MS;
      if (due !== null) {
        state.activities.push({
          ...record(`a-${i}`, entered), deal_id: deal._id, type, subject: pick(['Discovery call', 'Send proposal', 'Product demo', 'Pricing review']),
          due: iso(due), has_time: true, done: false, done_at: null, note: '',
        });
      }
    }
  }
  return state;
}

// [SECTION] Driving the canvas

async function rects(page) {
  return page.evaluate(() => window.pipeboard.rects());
}

const center = (r) => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });

async function clickAt(page, x, y) {
  await page.mouse.move(x, y);
  await waitFrames(page, 2);
  await page.mouse.down();
  await waitFrames(page, 2);
  await page.mouse.up();
  await waitFrames(page, 3);
}

async function click(page, name) {
  const r = await requireRect(page, name);
  const { x, y } = center(r);
  await clickAt(page, x, y);
}

// Presses on `from`, moves in steps with frames in between (as a hand would), and releases at
// the point `to` or at whatever `to` returns once the drag is under way.
async function drag(page, from, to, { steps = 10, hold = 2 } = {}) {
  const start = center(from);
  await page.mouse.move(start.x, start.y);
  await waitFrames(page, 2);
  await page.mouse.down();
  await waitFrames(page, hold);
  await page.mouse.move(start.x + 12, start.y + 12, { steps: 3 });
  await waitFrames(page, 2);
  const target = typeof to === 'function' ? await to() : to;
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    await page.mouse.move(start.x + 12 + (target.x - start.x - 12) * t, start.y + 12 + (target.y - start.y - 12) * t);
    await waitFrames(page, 1);
  }
  await waitFrames(page, 3);
  await page.mouse.up();
  await waitFrames(page, 4);
}

// Types text as key presses. A character outside US ASCII is sent as one key event carrying
// that text, as a keyboard with that key sends it (Playwright's type() would insert it without
// key events).
async function typeText(page, text) {
  const cdp = await page.context().newCDPSession(page);
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) {
      await page.keyboard.type(ch);
    } else {
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch });
    }
  }
  await cdp.detach();
}

async function open(page, state, viewport) {
  if (viewport) await page.setViewportSize(viewport);
  const result = await page.evaluate((doc) => window.pipeboard.loadState(doc), state);
  assert.equal(result.ok, true, JSON.stringify(result).slice(0, 400));
  await waitFrames(page, 4);
}

async function freshPage(viewport = { width: 1280, height: 800 }) {
  const { page, errors } = await openApp(browser.context, served.url, { viewport });
  const state = await page.evaluate(() => window.pipeboard.getState());
  return { page, errors, state };
}

function dealOf(state, id) {
  return state.deals.find((deal) => deal._id === id);
}

function stageNamed(state, name) {
  return liveStages(state).find((stage) => stage.name === name);
}

function columnOrder(state, stageName) {
  const stage = stageNamed(state, stageName);
  return state.deals.filter((deal) => !deal._deleted && deal.stage_id === stage._id)
    .sort((a, b) => a.position - b.position).map((deal) => deal._id);
}

// [SECTION] Tests

test('quick add: a new deal typed into a column is saved with its title, organization and value', async () => {
  const { page, errors, state } = await freshPage();
  await open(page, smallBoard(state));
  await click(page, 'button:add-deal:Contacting');
  await requireRect(page, 'field:quick-add-title');
  await typeText(page, 'Globex – 40 seats');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Globex Corporation');
  await page.keyboard.press('Tab');
  await page.keyboard.type('48,000');
  await page.keyboard.press('Enter');

  const titled = (deal) => deal.title === 'Globex – 40 seats';
  const after = await stateWhen(page, (s) => s.deals.some(titled));
  const created = after.deals.find(titled);
  assert.ok(created, `the deal was created (deals: ${after.deals.map((deal) => deal.title).join(', ')})`);
  assert.equal(created.organization, 'Globex Corporation');
  assert.equal(created.value, 4800000);
  assert.equal(created.stage_id, stageNamed(after, 'Contacting')._id);
  assert.equal(created.status, 'open');
  const card = await requireRect(page, `card:${created._id}`);
  const column = await requireRect(page, 'column:Contacting');
  assert.ok(card.x >= column.x && card.x + card.w <= column.x + column.w, 'the card shows in Contacting');
  assert.ok(await rectGone(page, 'field:quick-add-title'), 'the form closed');
  assert.deepEqual(errors, []);
});

test('editing a deal saves a valid value and refuses an invalid one beside the field', async () => {
  const { page, errors, state } = await freshPage();
  await open(page, smallBoard(state));
  await click(page, 'card:d1-0');
  await requireRect(page, 'editing:d1-0');

  await click(page, 'field:deal-value');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('a lot');
  await page.keyboard.press('Enter');
  await requireRect(page, 'error:deal-value');
  let after = await page.evaluate(() => window.pipeboard.getState());
  assert.equal(dealOf(after, 'd1-0').value, 100000, 'the previous value stays');

  await click(page, 'field:deal-value');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('7,250.50');
  await page.keyboard.press('Enter');
  after = await stateWhen(page, (s) => dealOf(s, 'd1-0').value !== 100000);
  assert.equal(dealOf(after, 'd1-0').value, 725050);
  assert.ok(await rectGone(page, 'error:deal-value'), 'the error goes once the value is valid');

  await click(page, 'field:deal-title');
  await page.keyboard.press('Control+A');
  await typeText(page, 'Café Zürich – Ωmega');
  await page.keyboard.press('Enter');
  after = await stateWhen(page, (s) => dealOf(s, 'd1-0').title !== 'Deal d1-0');
  assert.equal(dealOf(after, 'd1-0').title, 'Café Zürich – Ωmega', 'text beyond ASCII is typed and saved');

  await page.keyboard.press('Escape');
  assert.ok(await rectGone(page, 'panel:deal-editor'), 'Escape closes the editor');
  assert.deepEqual(errors, []);
});

test('dragging a card to the next stage moves it and records the move in its history', async () => {
  const { page, errors, state } = await freshPage();
  await open(page, smallBoard(state));
  const card = await requireRect(page, 'card:d0-1');
  const target = await requireRect(page, 'card:d1-2');
  await drag(page, card, { x: target.x + target.w / 2, y: target.y + target.h - 6 });

  const contacting = stageNamed(state, 'Contacting')._id;
  const after = await stateWhen(page, (s) => dealOf(s, 'd0-1').stage_id === contacting);
  assert.equal(dealOf(after, 'd0-1').stage_id, contacting);
  assert.deepEqual(columnOrder(after, 'Contacting'), ['d1-0', 'd1-1', 'd1-2', 'd0-1'], 'it lands after the card it was dropped below');
  const events = after.history.filter((event) => event.deal_id === 'd0-1' && event.event === 'stage_changed');
  assert.equal(events.length, 1);
  assert.equal(events[0].from_stage_id, stageNamed(after, 'Lead In')._id);
  assert.equal(events[0].to_stage_id, contacting);
  const drawn = await requireRect(page, 'card:d0-1');
  const column = await requireRect(page, 'column:Contacting');
  assert.ok(drawn.x >= column.x && drawn.x + drawn.w <= column.x + column.w, 'the card is drawn in its new column');
  assert.deepEqual(errors, []);
});

test('dragging a card onto Lost asks for the reason; undo brings the deal back', async () => {
  const { page, errors, state } = await freshPage();
  await open(page, smallBoard(state));
  const card = await requireRect(page, 'card:d2-0');
  assert.equal(await rect(page, 'dropzone:lost'), null, 'no drop zones before a drag');
  await drag(page, card, async () => center(await requireRect(page, 'dropzone:lost')));
  await requireRect(page, 'button:lost-confirm');
  let after = await page.evaluate(() => window.pipeboard.getState());
  assert.equal(dealOf(after, 'd2-0').status, 'open', 'nothing changes before the reason is given');

  await click(page, 'option:lost-reason:Competitor');
  await click(page, 'button:lost-confirm');
  after = await stateWhen(page, (s) => dealOf(s, 'd2-0').status !== 'open');
  assert.equal(dealOf(after, 'd2-0').status, 'lost');
  assert.equal(dealOf(after, 'd2-0').lost_reason, 'Competitor');
  assert.ok(after.history.some((event) => event.deal_id === 'd2-0' && event.to_status === 'lost' && event.detail === 'Competitor'));
  assert.ok(await rectGone(page, 'card:d2-0'), 'a lost deal leaves the board');

  await page.keyboard.press('Control+Z');
  after = await stateWhen(page, (s) => dealOf(s, 'd2-0').status === 'open');
  assert.equal(dealOf(after, 'd2-0').status, 'open', 'undo reopens it');
  await requireRect(page, 'card:d2-0');
  await page.keyboard.press('Control+Shift+Z');
  after = await stateWhen(page, (s) => dealOf(s, 'd2-0').status === 'lost');
  assert.equal(dealOf(after, 'd2-0').status, 'lost', 'redo marks it lost again');
  assert.deepEqual(errors, []);
});

test('dragging a card within its column reorders it', async () => {
  const { page, errors, state } = await freshPage();
  await open(page, smallBoard(state, { perStage: 4, stageCount: 1 }));
  const last = await requireRect(page, 'card:d0-3');
  const first = await requireRect(page, 'card:d0-0');
  await drag(page, last, { x: first.x + first.w / 2, y: first.y + 6 });
  const after = await stateWhen(page, (s) => columnOrder(s, 'Lead In')[0] === 'd0-3');
  assert.deepEqual(columnOrder(after, 'Lead In'), ['d0-3', 'd0-0', 'd0-1', 'd0-2']);
  await waitFrames(page, 3);
  const top = await requireRect(page, 'card:d0-3');
  const next = await requireRect(page, 'card:d0-0');
  assert.ok(top.y < next.y, 'the card is drawn first');
  assert.deepEqual(errors, []);
});

test('filters: search and owner narrow the board and say how many deals they hide', async () => {
  const { page, errors, state } = await freshPage({ width: 1920, height: 1080 });
  const pipeline = realisticPipeline(state);
  await open(page, pipeline);
  const visibleCards = async () => Object.keys(await rects(page)).filter((name) => name.startsWith('card:')).map((name) => name.slice(5));

  await page.keyboard.press('/');
  await waitFrames(page, 3);
  await page.keyboard.type('northwind');
  await requireRect(page, 'text:hidden-count');
  const matches = (id) => /northwind/i.test(`${dealOf(pipeline, id).title} ${dealOf(pipeline, id).organization}`);
  const start = Date.now();
  let shown = await visibleCards();
  while (!(shown.length > 0 && shown.every(matches)) && Date.now() - start < PATIENCE_MS) {
    await waitFrames(page, 2);
    shown = await visibleCards();
  }
  assert.ok(shown.length > 0, 'some deals match');
  for (const id of shown) assert.ok(matches(id), `${dealOf(pipeline, id).title} matches the search`);

  await click(page, 'button:clear-filters');
  await click(page, 'button:filters');
  await click(page, 'field:filter-owner');
  await click(page, 'option:owner:Chen Wei');
  await page.keyboard.press('Escape');
  await requireRect(page, 'text:hidden-count');
  await waitFrames(page, 3);
  const owned = await visibleCards();
  assert.ok(owned.length > 0);
  for (const id of owned) assert.equal(dealOf(pipeline, id).owner_id, 'rep-2');
  assert.deepEqual(errors, []);
});

test('keyboard: arrows select, Enter opens, Shift+arrow moves a deal, ? shows the shortcuts', async () => {
  const { page, errors, state } = await freshPage();
  await open(page, smallBoard(state));
  await page.keyboard.press('ArrowDown');
  await requireRect(page, 'selected:d0-0');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await requireRect(page, 'selected:d1-1');
  await page.keyboard.press('Enter');
  await requireRect(page, 'editing:d1-1');
  await page.keyboard.press('Escape');
  assert.ok(await rectGone(page, 'panel:deal-editor'));

  const contacting = stageNamed(state, 'Contacting')._id;
  const qualifying = stageNamed(state, 'Qualifying')._id;
  await page.keyboard.press('Shift+ArrowRight');
  let after = await stateWhen(page, (s) => dealOf(s, 'd1-1').stage_id === qualifying);
  assert.equal(dealOf(after, 'd1-1').stage_id, qualifying);
  await page.keyboard.press('Control+Z');
  after = await stateWhen(page, (s) => dealOf(s, 'd1-1').stage_id === contacting);
  assert.equal(dealOf(after, 'd1-1').stage_id, contacting);

  await page.keyboard.press('?');
  await requireRect(page, 'panel:help');
  await page.keyboard.press('Escape');
  assert.ok(await rectGone(page, 'panel:help'));

  await page.keyboard.press('n');
  await requireRect(page, 'field:quick-add-title');
  await waitFrames(page, 3);
  await page.keyboard.type('Typed without the mouse');
  await page.keyboard.press('Enter');
  after = await stateWhen(page, (s) => s.deals.some((deal) => deal.title === 'Typed without the mouse'));
  assert.ok(after.deals.some((deal) => deal.title === 'Typed without the mouse'),
    `the typed deal was created (deals: ${after.deals.map((deal) => deal.title).join(', ')})`);
  assert.deepEqual(errors, []);
});

test('on a phone: stage tabs, tap to open, long-press to drag a card onto another stage', async () => {
  const { page, errors, state } = await freshPage({ width: 390, height: 844 });
  await open(page, smallBoard(state), { width: 390, height: 844 });
  const all = await rects(page);
  assert.equal(Object.keys(all).filter((name) => name.startsWith('column:')).length, 1, 'one stage at a time');
  await requireRect(page, 'tab:Contacting');

  await click(page, 'tab:Contacting');
  await requireRect(page, 'column:Contacting');
  await click(page, 'card:d1-0');
  const panel = await requireRect(page, 'panel:deal-editor');
  assert.ok(panel.w >= 389, 'the deal opens full screen');
  await click(page, 'button:editor-close');
  assert.ok(await rectGone(page, 'panel:deal-editor'));

  const card = await requireRect(page, 'card:d1-2');
  const tab = await requireRect(page, 'tab:Lead In');
  const start = center(card);
  await page.mouse.move(start.x, start.y);
  await waitFrames(page, 2);
  await page.mouse.down();
  await page.waitForTimeout(700);
  await waitFrames(page, 3);
  const end = center(tab);
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(start.x + (end.x - start.x) * i / 10, start.y + (end.y - start.y) * i / 10);
    await waitFrames(page, 1);
  }
  await waitFrames(page, 3);
  await page.mouse.up();
  const leadIn = stageNamed(state, 'Lead In')._id;
  const after = await stateWhen(page, (s) => dealOf(s, 'd1-2').stage_id === leadIn);
  assert.equal(dealOf(after, 'd1-2').stage_id, leadIn);
  assert.deepEqual(errors, []);
});

// [SECTION] Screenshots

async function screenshot(page, name) {
  const png = await page.screenshot();
  saveArtifact(name, png);
  return decodePng(png);
}

test('screenshots of a realistic pipeline at 1280x800, 1920x1080 and on a phone', async () => {
  const { page, errors, state } = await freshPage();
  const pipeline = realisticPipeline(state);
  for (const [width, height] of [[1280, 800], [1920, 1080]]) {
    await open(page, structuredClone(pipeline), { width, height });
    const headers = Object.entries(await rects(page)).filter(([name]) => name.startsWith('column-header:'));
    assert.equal(headers.length, 7, `all seven stages are on screen at ${width}x${height}`);
    for (const [, r] of headers) assert.ok(r.x + r.w <= width, 'no column is cut off');
    await screenshot(page, `board-${width}x${height}.png`);
  }

  await open(page, structuredClone(pipeline), { width: 1280, height: 800 });
  const card = await requireRect(page, 'card:deal-3');
  await clickAt(page, card.x + card.w / 2, card.y + card.h / 2);
  await requireRect(page, 'panel:deal-editor');
  await screenshot(page, 'board-editor-1280x800.png');
  await click(page, 'tab:deal-history');
  await screenshot(page, 'board-editor-history-1280x800.png');
  await page.keyboard.press('Escape');
  await waitFrames(page, 2);

  const from = await requireRect(page, 'card:deal-5');
  const startPoint = center(from);
  await page.mouse.move(startPoint.x, startPoint.y);
  await waitFrames(page, 2);
  await page.mouse.down();
  for (let i = 1; i <= 6; i++) {
    await page.mouse.move(startPoint.x + 40 * i, startPoint.y + 10 * i);
    await waitFrames(page, 1);
  }
  await waitFrames(page, 2);
  await screenshot(page, 'board-dragging-1280x800.png');
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 5);
  await page.mouse.up();
  await waitFrames(page, 3);

  await click(page, 'button:stages');
  await requireRect(page, 'panel:stages');
  await click(page, 'button:stage-criteria:Qualifying');
  await screenshot(page, 'board-stage-editor-1280x800.png');
  await click(page, 'button:stages-close');
  assert.ok(await rectGone(page, 'panel:stages'));

  await click(page, 'button:filters');
  await requireRect(page, 'panel:filters');
  await screenshot(page, 'board-filters-1280x800.png');
  await page.keyboard.press('Escape');
  assert.ok(await rectGone(page, 'panel:filters'));

  const openCard = Object.keys(await rects(page))
    .find((name) => name.startsWith('card:') && dealOf(pipeline, name.slice(5)).status === 'open');
  const winning = await requireRect(page, openCard);
  await drag(page, winning, async () => center(await requireRect(page, 'dropzone:won')));
  await requireRect(page, 'button:won-confirm');
  await screenshot(page, 'board-won-dialog-1280x800.png');
  await click(page, 'button:dialog-cancel');
  assert.ok(await rectGone(page, 'button:won-confirm'));

  await page.keyboard.press('?');
  await requireRect(page, 'panel:help');
  await screenshot(page, 'board-help-1280x800.png');
  await page.keyboard.press('Escape');
  assert.ok(await rectGone(page, 'panel:help'));

  await click(page, 'button:theme');
  const dark = await screenshot(page, 'board-dark-1280x800.png');
  const [r, g, b] = dark.pixel(640, 790);
  assert.ok(r + g + b < 200, 'the dark theme darkens the board');
  await click(page, 'button:activities');
  await screenshot(page, 'board-due-today-dark-1280x800.png');
  await click(page, 'button:activities-close');
  await click(page, 'button:theme');

  await open(page, structuredClone(pipeline), { width: 390, height: 844 });
  await screenshot(page, 'board-phone-390x844.png');
  const phoneCard = Object.keys(await rects(page)).find((name) => name.startsWith('card:'));
  await click(page, phoneCard);
  await screenshot(page, 'board-phone-editor-390x844.png');

  // A high-DPI screen (the app starts on it): the same layout in CSS pixels, drawn at twice
  // the density.
  await page.setViewportSize({ width: 1280, height: 800 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 2, mobile: false });
  await page.reload();
  await page.evaluate(() => window.pipeboard.ready);
  await open(page, structuredClone(pipeline));
  const backing = await page.evaluate(() => ({ ratio: devicePixelRatio, width: document.getElementById('canvas').width }));
  assert.equal(backing.ratio, 2);
  assert.equal(backing.width, 2560, 'the canvas draws at device resolution');
  const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' });
  const sharp = decodePng(Buffer.from(data, 'base64'));
  saveArtifact('board-hidpi-1280x800@2x.png', Buffer.from(data, 'base64'));
  assert.equal(sharp.width, 2560, 'the screenshot has device pixels');
  const hiHeaders = Object.entries(await rects(page)).filter(([name]) => name.startsWith('column-header:'));
  assert.equal(hiHeaders.length, 7);
  for (const [, r] of hiHeaders) assert.ok(r.x + r.w <= 1280, 'the layout stays in CSS pixels');
  await cdp.send('Emulation.clearDeviceMetricsOverride');
  await cdp.detach();
  await page.reload();
  await page.evaluate(() => window.pipeboard.ready);

  await open(page, smallBoard(state, { perStage: 0, stageCount: 0 }), { width: 1280, height: 800 });
  await requireRect(page, 'button:empty-sample');
  await screenshot(page, 'board-empty-1280x800.png');
  assert.deepEqual(errors, []);
});
