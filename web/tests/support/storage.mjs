// Helpers of the storage, offline and tab tests: browser profiles that outlive a browser
// (relaunch, kill), the real UI's Data menu and import dialog, and direct IndexedDB reads to
// check what is stored independently of the app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { waitFrames, saveArtifact } from './browser.mjs';

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];

export function makeProfileDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pipeboard-profile-'));
}

// A browser on `profile`, which survives closing (or killing) it so a relaunch finds the same
// storage.
export async function launchProfile(profile) {
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
}

// The browser process of a persistent context: the one process started with this profile
// that is not a helper (helpers carry --type=...).
function browserProcessId(profile) {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args;
    try {
      args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (args.includes(`--user-data-dir=${profile}`) && !args.some((arg) => arg.startsWith('--type='))) {
      return Number(entry);
    }
  }
  return null;
}

// SIGKILL to the browser started on `profile` (as a crash or a killed task would end it).
export async function killBrowser(context, profile) {
  const pid = browserProcessId(profile);
  if (!pid) throw new Error(`no browser process runs on ${profile}`);
  const closed = new Promise((resolve) => context.once('close', resolve));
  process.kill(pid, 'SIGKILL');
  await closed;
}

// Opens the app in the context's first page (or a new one) and waits for its first frame.
export async function openPage(context, url, { newPage = false } = {}) {
  const page = newPage ? await context.newPage() : (context.pages()[0] || await context.newPage());
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.evaluate(() => window.pipeboard.ready);
  return { page, errors };
}

// A same-origin page without the app (the server's 404), for touching IndexedDB while no
// app holds it open.
export async function blankPage(page, url) {
  await page.goto(new URL('no-app-here', url).href);
}

export async function apply(page, command) {
  const result = await page.evaluate((c) => window.pipeboard.applyCommand(c), command);
  if (!result.ok) throw new Error(`${JSON.stringify(command)} failed: ${result.error}`);
  return result;
}

export function saved(page) {
  return page.evaluate(() => window.pipeboard.whenSaved());
}

const RECORD_ARRAYS = ['pipelines', 'stages', 'reps', 'targets', 'deals', 'activities', 'history'];

// The workspace with each record list in id order: IndexedDB hands records back by key, so
// a reloaded workspace holds the same records as before, not necessarily in the same order.
export function byId(state) {
  const out = { ...state };
  for (const name of RECORD_ARRAYS) out[name] = [...state[name]].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  return out;
}

export function liveDeals(state) {
  return state.deals.filter((deal) => !deal._deleted);
}

export async function waitFor(check, { timeout = 10000, interval = 25, what = 'condition' } = {}) {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

// Clicks the centre of a named rectangle the app drew, waiting for it to be drawn.
export async function clickRect(page, name) {
  const rect = await waitFor(() => page.evaluate((n) => window.pipeboard.rect(n), name), { what: `rect ${name}` });
  await page.mouse.click(rect.x + rect.w / 2, rect.y + rect.h / 2);
  await waitFrames(page, 2);
  return rect;
}

export async function hasRect(page, name) {
  await waitFrames(page, 2);
  return Boolean(await page.evaluate((n) => window.pipeboard.rect(n), name));
}

// Data menu > Export the workspace (JSON): the downloaded file's name and text. In about
// one full browser run in ten the click on the menu item started no download (the menu was
// seen open and the item drawn, so the cause is not yet known); the menu is then opened and
// the item clicked once more, and the miss is logged.
export async function exportThroughMenu(page, item = 'data:export-json') {
  for (let attempt = 1; ; attempt++) {
    await clickRect(page, 'data-menu');
    const download = page.waitForEvent('download', { timeout: 10000 }).catch((error) => {
      if (attempt === 2) throw error;
      return null;
    });
    await clickRect(page, item);
    const started = await download;
    if (started) {
      const file = await started.path();
      return { name: started.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
    }
    const seen = saveArtifact(`export-miss-${Date.now()}.png`, await page.screenshot());
    const rectsNow = JSON.stringify(await page.evaluate(() => window.pipeboard.rects()));
    console.warn(`exportThroughMenu: a click on ${item} started no download; trying again (screen: ${seen}; rects: ${rectsNow})`);
    await page.keyboard.press('Escape');
    await waitFrames(page, 2);
  }
}

// Data menu > Import a file, answering the file chooser with `file` ({name, mimeType, buffer}).
export async function importThroughMenu(page, file) {
  await clickRect(page, 'data-menu');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), clickRect(page, 'data:import')]);
  await chooser.setFiles(file);
  await waitFor(async () => (await hasRect(page, 'import:apply')) || (await hasRect(page, 'import:error')),
    { what: 'the import dialog' });
}

// Drops `file` on the page as a user dragging it from the file manager would.
export async function dropFile(page, { name, mimeType, text }) {
  await page.evaluate(({ name, mimeType, text }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: mimeType }));
    const target = document.getElementById('canvas');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, { name, mimeType, text });
  await waitFor(async () => (await hasRect(page, 'import:apply')) || (await hasRect(page, 'import:error')),
    { what: 'the import dialog' });
}

// Every entry of the app's IndexedDB database, read in the page without the app.
export function readDatabase(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open('pipeboard');
    // Never create the database by looking at it.
    request.onupgradeneeded = () => request.transaction.abort();
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const names = Array.from(db.objectStoreNames);
      const out = { version: db.version, stores: names };
      const tx = db.transaction(names, 'readonly');
      for (const name of names) {
        const store = tx.objectStore(name);
        const keys = store.getAllKeys();
        const values = store.getAll();
        values.onsuccess = () => {
          out[name] = keys.result.map((key, i) => ({ key, value: values.result[i] }));
        };
      }
      tx.oncomplete = () => {
        db.close();
        resolve(out);
      };
    };
  }));
}

// Puts every record of `doc` (the workspace as getState gives it, which must be the stored
// base's) on top of the base and deletes the base, as a database of schema 2 holds them: far
// more records on top than a fold waits for. Returns how many records were put. Run in a
// page without the app.
export function spreadBaseOnTop(page, doc) {
  return page.evaluate((doc) => new Promise((resolve) => {
    indexedDB.open('pipeboard').onsuccess = (event) => {
      const db = event.target.result;
      const stores = { pipelines: 'pipeline', stages: 'stage', reps: 'rep', targets: 'target', deals: 'deal', activities: 'activity', history: 'history' };
      const tx = db.transaction(['base', ...Object.keys(stores)], 'readwrite');
      let count = 0;
      for (const [store, kind] of Object.entries(stores)) {
        for (const record of doc[store] || []) {
          tx.objectStore(store).put({ ...record, kind });
          count++;
        }
      }
      tx.objectStore('base').delete('document');
      tx.oncomplete = () => {
        db.close();
        resolve(count);
      };
    };
  }), doc);
}
