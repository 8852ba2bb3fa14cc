// Pipeboard's service worker: keeps the app's files so it opens with no network after the
// first visit. A version is the SHA-256 of the files themselves, so any new build is a new
// version: it is fetched in the background, stored in its own cache, and the open pages are
// told; the next page load (the "Reload" the page offers) switches to it.
'use strict';

const APP_FILES = [
  './', 'style.css', 'pipeboard-shell.js', 'storage.js', 'workspaces.js', 'snapshot.js',
  'pipeboard.js', 'pipeboard.wasm',
  'manifest.webmanifest', 'icon.svg', 'icon-maskable.svg',
];
const CACHE_PREFIX = 'pipeboard-app-';
const META_CACHE = 'pipeboard-meta';
const CURRENT = '__pipeboard/current'; // the version pages load
const READY = '__pipeboard/ready'; // a newer version, stored whole, waiting for a page load

// The version each page started with, so a page still loading never mixes two versions.
const versionOfClient = new Map();
let checking = null;

async function readMeta(key) {
  const response = await (await caches.open(META_CACHE)).match(key);
  return response ? response.text() : null;
}

async function writeMeta(key, value) {
  const meta = await caches.open(META_CACHE);
  if (value === null) await meta.delete(key);
  else await meta.put(key, new Response(value));
}

async function versionOf(bodies) {
  const total = bodies.reduce((sum, body) => sum + body.byteLength + 8, 0);
  const all = new Uint8Array(total);
  const view = new DataView(all.buffer);
  let at = 0;
  for (const body of bodies) {
    view.setFloat64(at, body.byteLength);
    all.set(new Uint8Array(body), at + 8);
    at += body.byteLength + 8;
  }
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(hash.slice(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

// Every app file from the network (revalidated, never a stale HTTP cache entry).
async function fetchApp() {
  const responses = await Promise.all(APP_FILES.map(async (file) => {
    const response = await fetch(new Request(file, { cache: 'no-cache' }));
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    return response;
  }));
  const bodies = await Promise.all(responses.map((response) => response.clone().arrayBuffer()));
  return { name: CACHE_PREFIX + await versionOf(bodies), responses };
}

async function storeApp({ name, responses }) {
  const cache = await caches.open(name);
  await Promise.all(responses.map((response, i) => cache.put(APP_FILES[i], response)));
  return name;
}

async function notifyPages(message) {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(message);
}

// Stores the version being served unless it is the one pages load already; tells the pages
// when a newer one is ready.
async function fetchAndStore() {
  const fetched = await fetchApp();
  const current = await readMeta(CURRENT);
  if (!current) {
    await storeApp(fetched);
    await writeMeta(CURRENT, fetched.name);
    return false;
  }
  if (fetched.name === current) return false;
  if (await readMeta(READY) !== fetched.name) {
    await storeApp(fetched);
    await writeMeta(READY, fetched.name);
  }
  await notifyPages({ type: 'update-ready' });
  return true;
}

function checkForUpdate() {
  if (!checking) {
    // Offline, or the server is gone: keep serving what is stored.
    checking = fetchAndStore().catch(() => false).finally(() => {
      checking = null;
    });
  }
  return checking;
}

async function removeOtherVersions(keep) {
  for (const name of await caches.keys()) {
    if (name.startsWith(CACHE_PREFIX) && !keep.includes(name)) await caches.delete(name);
  }
}

// A page load takes the newest stored version.
async function versionForNewPage() {
  const ready = await readMeta(READY);
  if (ready && await caches.has(ready)) {
    await writeMeta(CURRENT, ready);
    await writeMeta(READY, null);
    await removeOtherVersions([ready]);
    return ready;
  }
  return readMeta(CURRENT);
}

async function serve(event, file) {
  const navigation = event.request.mode === 'navigate';
  let name;
  if (navigation) {
    name = await versionForNewPage();
    if (name && event.resultingClientId) versionOfClient.set(event.resultingClientId, name);
  } else {
    name = versionOfClient.get(event.clientId) || await readMeta(CURRENT);
  }
  if (name) {
    const stored = await (await caches.open(name)).match(file);
    if (stored) return stored;
  }
  return fetch(event.request);
}

self.addEventListener('install', (event) => {
  event.waitUntil(fetchAndStore().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    await self.clients.claim();
    const keep = [await readMeta(CURRENT), await readMeta(READY)].filter(Boolean);
    await removeOtherVersions(keep);
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  const file = request.mode === 'navigate' || path === '' || path === 'index.html' ? './' : path;
  if (!APP_FILES.includes(file)) return;
  event.respondWith(serve(event, file));
});

self.addEventListener('message', (event) => {
  const message = event.data || {};
  const reply = event.ports && event.ports[0];
  if (message.type === 'check-for-update') {
    event.waitUntil(checkForUpdate().then((found) => reply && reply.postMessage({ found })));
  } else if (message.type === 'status') {
    event.waitUntil((async () => {
      const current = await readMeta(CURRENT);
      const cache = current ? await caches.open(current) : null;
      const stored = cache ? (await Promise.all(APP_FILES.map((file) => cache.match(file)))).every(Boolean) : false;
      if (reply) reply.postMessage({ version: current, offlineReady: stored, updateReady: Boolean(await readMeta(READY)) });
    })());
  }
});
