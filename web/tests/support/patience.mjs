// Waiting for what a test expects to see. The app consumes queued input a few events per
// frame, so on a busy machine a result may take a while to show: these poll every couple of
// frames until it shows or patience runs out, and leave the verdict to the caller's assert.
import assert from 'node:assert/strict';
import { waitFrames } from './browser.mjs';

export const PATIENCE_MS = 20000;

export async function rect(page, name) {
  return page.evaluate((n) => window.pipeboard.rect(n), name);
}

// The named rectangle, once it is drawn (an assertion failure when it never is).
export async function requireRect(page, name) {
  const start = Date.now();
  let found = await rect(page, name);
  while (!found && Date.now() - start < PATIENCE_MS) {
    await waitFrames(page, 2);
    found = await rect(page, name);
  }
  assert.ok(found, `"${name}" is on screen`);
  return found;
}

// True once the named rectangle is no longer drawn.
export async function rectGone(page, name) {
  const start = Date.now();
  let found = await rect(page, name);
  while (found && Date.now() - start < PATIENCE_MS) {
    await waitFrames(page, 2);
    found = await rect(page, name);
  }
  return found === null;
}

// The workspace once `ready(state)` holds, or as it is when patience runs out.
export async function stateWhen(page, ready) {
  const start = Date.now();
  let state = await page.evaluate(() => window.pipeboard.getState());
  while (!ready(state) && Date.now() - start < PATIENCE_MS) {
    await waitFrames(page, 2);
    state = await page.evaluate(() => window.pipeboard.getState());
  }
  return state;
}
