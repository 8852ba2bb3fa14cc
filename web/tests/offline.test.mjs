// The app after its first visit: it opens with its data when the server is gone, offers a new
// version when one is served, is installable, and keeps its strict Content-Security-Policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST, launchBrowser, saveArtifact } from './support/browser.mjs';
import { startServer } from '../serve.mjs';
import { openPage, apply, saved, waitFor, liveDeals, byId } from './support/storage.mjs';

function copyOfApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeboard-dist-'));
  fs.cpSync(DIST, dir, { recursive: true });
  return dir;
}

async function stop(served) {
  served.server.closeAllConnections();
  await new Promise((resolve) => served.server.close(resolve));
}

function offlineReady(page) {
  return waitFor(async () => {
    const status = await page.evaluate(() => window.pipeboard.offlineStatus());
    return status && status.offlineReady ? status : null;
  }, { timeout: 20000, what: 'the service worker to keep the app' });
}

test('with the server stopped, a reload opens the app with its data', async () => {
  const root = copyOfApp();
  const served = await startServer({ root, port: 0 });
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser.context, served.url);
    await apply(page, { type: 'createDeal', title: 'Works offline', value: 31400 });
    await saved(page);
    await offlineReady(page);
    const before = await page.evaluate(() => window.pipeboard.getState());

    await stop(served);
    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    const after = await page.evaluate(() => window.pipeboard.getState());
    assert.deepEqual(byId(after), byId(before));
    assert.equal(liveDeals(after)[0].title, 'Works offline');
    const more = await apply(page, { type: 'createDeal', title: 'Made offline' });
    assert.ok(more.id);
    assert.equal((await saved(page)).state, 'saved', 'saving needs no network');
    saveArtifact('offline-reload.png', await page.screenshot());
  } finally {
    await browser.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a new version on the server is fetched in the background, announced, and used after reload', async () => {
  const root = copyOfApp();
  const served = await startServer({ root, port: 0 });
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser.context, served.url);
    await offlineReady(page);
    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    const first = await page.evaluate(() => window.pipeboard.offlineStatus());

    const marker = `/* build ${Date.now()} */\n`;
    fs.appendFileSync(path.join(root, 'style.css'), marker);
    await page.reload();
    await page.evaluate(() => window.pipeboard.ready);
    const servedStyle = await page.evaluate(() => fetch('style.css').then((response) => response.text()));
    assert.ok(!servedStyle.includes(marker), 'the page keeps loading the version it has until told');
    await waitFor(() => page.evaluate(() => !document.getElementById('update').classList.contains('hidden')),
      { timeout: 20000, what: 'the new-version notice' });
    saveArtifact('offline-update-ready.png', await page.screenshot());

    await Promise.all([page.waitForNavigation(), page.click('#update-reload')]);
    await page.evaluate(() => window.pipeboard.ready);
    const updatedStyle = await page.evaluate(() => fetch('style.css').then((response) => response.text()));
    assert.ok(updatedStyle.includes(marker), 'after the reload the new version is used');
    const now = await page.evaluate(() => window.pipeboard.offlineStatus());
    assert.notEqual(now.version, first.version, 'as a new cache version');
    assert.equal(now.updateReady, false);
  } finally {
    await browser.close();
    await stop(served);
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the app is installable and runs under its strict Content-Security-Policy', async () => {
  const root = copyOfApp();
  const served = await startServer({ root, port: 0 });
  const browser = await launchBrowser();
  try {
    await browser.context.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const { page, errors } = await openPage(browser.context, served.url);
    const response = await page.request.get(served.url);
    const policy = response.headers()['content-security-policy'];
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(policy, /connect-src 'self'/);
    assert.doesNotMatch(policy, /unsafe-inline|'unsafe-eval'/);

    const manifest = await page.evaluate(async () => {
      const link = document.querySelector('link[rel="manifest"]');
      return (await fetch(link.href)).json();
    });
    assert.equal(manifest.display, 'standalone');
    assert.ok(manifest.icons.some((icon) => icon.purpose === 'maskable'));
    for (const icon of manifest.icons) {
      const image = await page.request.get(new URL(icon.src, served.url).href);
      assert.equal(image.status(), 200, `${icon.src} is served`);
    }
    await offlineReady(page);
    const cdp = await browser.context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'Chromium sees nothing that prevents installing');

    // An imported file whose text looks like markup and script stays data.
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['Title,Notes\n<img src=x onerror=alert(1)>,<script>alert(2)</script>\n'], 'x.csv', { type: 'text/csv' }));
      document.getElementById('canvas').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await waitFor(() => page.evaluate(() => window.pipeboard.rect('import:apply')), { what: 'the preview' });
    assert.equal(await page.evaluate(() => document.querySelectorAll('img, script:not([src])').length), 0);
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await stop(served);
    fs.rmSync(root, { recursive: true, force: true });
  }
});
