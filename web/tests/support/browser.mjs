// Shared set-up of the browser tests: serve the built app, drive Debian's Chromium headless
// with playwright-core (it never downloads a browser), and collect console errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../serve.mjs';

export const DIST = process.env.PIPEBOARD_DIST || path.resolve(import.meta.dirname, '../../../build/web/dist');
export const ARTIFACTS = process.env.PIPEBOARD_ARTIFACTS || path.resolve(import.meta.dirname, '../../../build/browser-artifacts');

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];

export async function serveApp() {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`no built app in ${DIST}: run scripts/build.sh web first`);
  }
  return startServer({ root: DIST, port: 0 });
}

// A fresh browser profile each time, so storage never leaks between tests.
export async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeboard-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, profile, close };
}

// Opens the app, records console errors and failed requests, and waits for the first frame.
export async function openApp(context, url, { viewport } = {}) {
  const page = context.pages()[0] || await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  await page.goto(url);
  await page.evaluate(() => window.pipeboard.ready);
  return { page, errors };
}

// Asks for `frames` more frames (the app draws only when something changes) and waits until
// they are drawn, so rectangles reflect the last change.
export async function waitFrames(page, frames = 2) {
  await page.evaluate(async (count) => {
    const start = window.pipeboard.frameCount();
    window.pipeboard.requestFrames(count);
    while (window.pipeboard.frameCount() < start + count) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }, frames);
}

export function saveArtifact(name, buffer) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  fs.writeFileSync(file, buffer);
  return file;
}
