// Pipeboard's database in the browser: IndexedDB holds the base, every record of the workspace
// as one entry (written when a workspace is created, imported, restored or folded; packed
// records, see src/core/packed_records.hpp, or a JSON document); on top of it one
// entry per record (deal, activity, stage, ...) written since, in a store per kind; the
// workspace entry; and an append-only change log written in the same transaction as the
// records. Reading one base and a few records at start is far faster than reading every
// record as its own entry. The wasm app hands over the records each command changed; they are
// committed within a fraction of a second, and at once when the page is hidden. Several tabs
// share the database: IndexedDB runs their writes one at a time, a Web Lock keeps them from
// writing whole documents at once, and a BroadcastChannel tells the other tabs to read the
// change log and take the records that changed.
'use strict';

window.PipeboardStorage = (() => {
  const DB_NAME = 'pipeboard';
  const SCHEMA_VERSION = 4;
  const KIND_STORES = {
    pipeline: 'pipelines', stage: 'stages', rep: 'reps', target: 'targets',
    deal: 'deals', activity: 'activities', history: 'history',
  };
  const RECORD_STORES = Object.values(KIND_STORES);
  const BASE = 'base'; // the base, as bytes, under BASE_KEY
  const BASE_KEY = 'document';
  const WORKSPACE = 'workspace'; // keys below
  const HEADER_KEY = 'workspace'; // the workspace entry: the document without its records
  const TRIMMED_KEY = 'changes-trimmed-through'; // change log entries up to here are gone
  const CHANGES = 'changes';
  const KEPT = 'kept'; // workspaces kept before an import or a restore: {id, label, takenAt}
  // Their content by id, so listing them stays cheap: {fields, records} as the app keeps
  // them (a JSON document before schema version 4).
  const KEPT_DATA = 'kept-data';
  const SET_ASIDE = 'set-aside'; // stored records that could not be read, as they were
  const MARKER_BASE = 'pipeboard.storage-marker';
  const RETRY_DELAY_MS = 4000;
  const BLOCKED_TIMEOUT_MS = 4000;
  const ESTIMATE_INTERVAL_MS = 10000;
  const CHANGE_LOG_KEPT = 5000;
  // Records on top of the base are folded into a new base once there are more than this
  // many, plus one per BASE_BYTES_PER_RECORD bytes of base (packed records take about 155
  // bytes each, so about one per 160 of its records): up to there, reading them at start
  // (about 25 µs each) costs a small part of loading the base, and a fold, which writes the
  // whole workspace, stays rare.
  const FOLD_AT_RECORDS = 2000;
  const BASE_BYTES_PER_RECORD = 25000;
  const FOLD_DELAY_MS = 3000;
  const CHANGE_LOG_TRIM_EVERY = 100;
  const KEPT_WORKSPACES = 3;
  const LOCK_BASE = 'pipeboard-storage-writer';
  const CHANNEL_BASE = 'pipeboard-storage';

  // Every workspace has its own database; the first one keeps the original names, so data
  // stored before there were several workspaces opens unchanged (and old tabs still agree).
  function scoped(base, database, separator) {
    return database === DB_NAME ? base : `${base}${separator}${database}`;
  }

  const SOURCE_NOTHING_STORED = 0;
  const SOURCE_STORED = 1;
  const SOURCE_UNUSABLE = 2;

  // UPGRADES[v] turns a version v database into version v + 1 inside the upgrade
  // transaction; a fresh database runs them all. A step that fails aborts the upgrade, which
  // leaves the database exactly as it was.
  const UPGRADES = [
    // 1: every record in one store keyed by [kind, _id], the workspace entry, the change log.
    (db) => {
      if (!db.objectStoreNames.contains(WORKSPACE)) db.createObjectStore(WORKSPACE);
      if (!db.objectStoreNames.contains('records')) db.createObjectStore('records', { keyPath: ['kind', '_id'] });
      if (!db.objectStoreNames.contains(CHANGES)) db.createObjectStore(CHANGES, { keyPath: 'seq', autoIncrement: true });
    },
    // 2: one store per kind, so the start reads each kind in bulk; kept workspaces; damaged
    // records set aside. The records move over in the same transaction.
    (db, tx) => {
      for (const store of RECORD_STORES) db.createObjectStore(store, { keyPath: '_id' });
      db.createObjectStore(KEPT, { keyPath: 'id' });
      db.createObjectStore(KEPT_DATA);
      db.createObjectStore(SET_ASIDE);
      if (!db.objectStoreNames.contains('records')) return;
      const moved = tx.objectStore('records').getAll();
      moved.onsuccess = () => {
        for (const record of moved.result) {
          const store = record && KIND_STORES[record.kind];
          if (store && typeof record._id === 'string' && record._id !== '') {
            tx.objectStore(store).put(record);
          } else {
            tx.objectStore(SET_ASIDE).put(
              { store: 'records', record, problems: ['not a record of a known kind'], at: Date.now() },
              `records/${String(record && record._id)}`);
          }
        }
        db.deleteObjectStore('records');
      };
    },
    // 3: the base document. The records stored so far stay where they are, as the records
    // written on top of an empty base.
    (db) => {
      db.createObjectStore(BASE);
    },
    // 4: the base and kept workspaces may be packed records, which a Pipeboard of schema 3
    // would take for damaged documents; the new version keeps such a Pipeboard out instead.
    // A JSON base stays as it is until the next fold packs it, kept JSON documents as they are.
    () => {},
  ];

  function randomId() {
    const words = new Uint32Array(4);
    crypto.getRandomValues(words);
    return Array.from(words, (word) => word.toString(16).padStart(8, '0')).join('');
  }

  function recordKey(record) {
    return `${record.kind}/${record._id}`;
  }

  function describeError(error) {
    if (!error) return 'unknown error';
    return error.message ? `${error.name || 'Error'}: ${error.message}` : String(error);
  }

  function readMarker(database) {
    try {
      const text = localStorage.getItem(scoped(MARKER_BASE, database, ':'));
      const marker = text ? JSON.parse(text) : null;
      return marker && typeof marker === 'object' ? marker : null;
    } catch {
      return null;
    }
  }

  function writeMarker(database, marker) {
    try {
      localStorage.setItem(scoped(MARKER_BASE, database, ':'), JSON.stringify(marker));
    } catch {
      // Without localStorage a cleared database cannot be told from a first visit; saving
      // itself is unaffected.
    }
  }

  function formatDate(ms) {
    return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  // The workspace entry as the document's head: format and version first, so the app's
  // loader can stream the records that follow.
  function documentText(header, read) {
    const head = { format: header.format, version: header.version };
    for (const [key, value] of Object.entries(header)) {
      if (!(key in head) && !RECORD_STORES.includes(key) && key !== 'checksum') head[key] = value;
    }
    const parts = [JSON.stringify(head).slice(0, -1)];
    for (const store of RECORD_STORES) parts.push(`,"${store}":`, JSON.stringify(read[store]));
    parts.push('}');
    return parts.join('');
  }

  function headerOf(doc) {
    const header = {};
    for (const [key, value] of Object.entries(doc)) {
      if (!RECORD_STORES.includes(key) && key !== 'checksum') header[key] = value;
    }
    return header;
  }

  function openDatabase(database, onBlocked) {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result) => {
        if (!settled) {
          settled = true;
          resolve(result);
        }
      };
      if (typeof indexedDB === 'undefined' || !indexedDB) {
        settle({ error: 'this browser gives the page no IndexedDB (a private window may turn it off)' });
        return;
      }
      let request;
      try {
        request = indexedDB.open(database, SCHEMA_VERSION);
      } catch (error) {
        settle({ error: `the database could not be opened (${describeError(error)})` });
        return;
      }
      request.onupgradeneeded = (event) => {
        const db = request.result;
        const tx = request.transaction;
        try {
          for (let version = event.oldVersion; version < SCHEMA_VERSION; version++) UPGRADES[version](db, tx);
        } catch (error) {
          tx.abort();
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        if (settled) {
          // Opened after this tab gave up waiting: it already runs in memory.
          db.close();
          return;
        }
        settle({ db });
      };
      request.onerror = (event) => {
        event.preventDefault();
        const error = request.error;
        if (error && error.name === 'VersionError') {
          settle({ newer: true, error: 'the data in this browser was saved by a newer version of Pipeboard' });
        } else {
          settle({ error: `the database could not be opened (${describeError(error)})` });
        }
      };
      request.onblocked = () => {
        onBlocked();
        setTimeout(() => settle({
          blocked: true,
          error: 'another Pipeboard tab with an older version keeps the database open',
        }), BLOCKED_TIMEOUT_MS);
      };
    });
  }

  // Everything stored, read in bulk (getAll per store) in one transaction.
  function readAll(db) {
    return new Promise((resolve, reject) => {
      const tx = db.transaction([BASE, WORKSPACE, CHANGES, ...RECORD_STORES], 'readonly');
      const read = { header: undefined, base: null, lastSeq: 0, count: 0 };
      tx.objectStore(WORKSPACE).get(HEADER_KEY).onsuccess = (event) => {
        read.header = event.target.result;
      };
      tx.objectStore(BASE).get(BASE_KEY).onsuccess = (event) => {
        if (event.target.result !== undefined) {
          read.base = event.target.result;
          read.count++;
        }
      };
      for (const store of RECORD_STORES) {
        tx.objectStore(store).getAll().onsuccess = (event) => {
          read[store] = event.target.result;
          read.count += event.target.result.length;
        };
      }
      tx.objectStore(CHANGES).openKeyCursor(null, 'prev').onsuccess = (event) => {
        const cursor = event.target.result;
        read.lastSeq = cursor ? cursor.key : 0;
      };
      tx.oncomplete = () => resolve(read);
      tx.onabort = () => reject(tx.error || new Error('the read was interrupted'));
    });
  }

  // `bytes` (packed records or a JSON document) become the base and `header` the workspace
  // entry; the records on top are cleared. Logs a 'replace' so other tabs take it whole.
  function putDocument(tx, { bytes, header }, tab) {
    for (const store of RECORD_STORES) tx.objectStore(store).clear();
    tx.objectStore(BASE).put(bytes, BASE_KEY);
    tx.objectStore(WORKSPACE).put(header, HEADER_KEY);
    tx.objectStore(CHANGES).add({ tab, at: Date.now(), kind: 'replace', keys: [] });
  }

  // Stores a whole document as the content of `database` (a new workspace, a duplicate), from
  // outside any open workspace. Resolves once committed.
  async function writeDocument(database, text) {
    const doc = JSON.parse(text);
    if (!doc || !Array.isArray(doc.pipelines) || doc.pipelines.length === 0) {
      throw new Error('the workspace to store has no pipeline');
    }
    const opened = await openDatabase(database, () => {});
    if (!opened.db) throw new Error(opened.error);
    try {
      await new Promise((resolve, reject) => {
        const tx = opened.db.transaction([BASE, WORKSPACE, CHANGES, ...RECORD_STORES], 'readwrite', { durability: 'strict' });
        putDocument(tx, { bytes: new TextEncoder().encode(text), header: headerOf(doc) }, 'new-workspace');
        tx.oncomplete = resolve;
        tx.onabort = () => reject(tx.error || new Error('the write was interrupted'));
      });
    } finally {
      opened.db.close();
    }
  }

  // Removes a workspace's database and its marker (else its absence would read as data the
  // browser cleared). Resolves once deleted; the workspace's own tab must have closed it.
  function deleteDocument(database) {
    try {
      localStorage.removeItem(scoped(MARKER_BASE, database, ':'));
    } catch {
      // Nothing to forget.
    }
    return new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase(database);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
  }

  // `database`: this workspace's IndexedDB database; `onSaved(header)`: told after each
  // committed write with the workspace entry written, if any.
  function create({ database = DB_NAME, onSaved = () => {} } = {}) {
    const tabId = randomId();
    const LOCK_NAME = scoped(LOCK_BASE, database, ':');
    const CHANNEL_NAME = scoped(CHANNEL_BASE, database, ':');
    const LOCATION = `this browser (IndexedDB, database "${database}")`;
    let module = null;
    let db = null;
    let mode = 'stored'; // or 'memory': nothing is written
    let memoryReason = '';
    let source = SOURCE_NOTHING_STORED;
    let initialText = null;
    let initialBase = null;
    let initialRead = null;
    let lastSeen = 0;
    let recordsOnTop = 0; // written since the base, as counted by this tab
    let baseBytes = 0;
    let foldTimer = 0;
    let foldAfter = 0; // after a failed fold, the records on top it waits for before trying again
    let handedOver = null;
    let failure = '';
    let blocked = false;
    let persistent = null;
    let usage = -1;
    let quota = -1;
    let lastEstimate = 0;
    // Wall-clock milliseconds to a fraction of one, so what a save took can be measured
    // (Date.now() counts whole milliseconds, and a save takes two to four).
    let lastSavedAt = 0;
    const wallClockMs = () => performance.timeOrigin + performance.now();
    let queuedThrough = 0;
    let savedThrough = 0;
    let kept = [];
    const notices = new Map();

    const pending = new Map();
    let pendingHeader = null;
    let pendingEntries = [];
    let batchInFlight = false;
    let awaitingTurn = null;
    let nextTrimAt = 0;
    let lastLogged = 0; // key of the newest change-log entry this tab wrote
    let headerWrittenThrough = 0; // seq of the newest header this tab wrote
    // A change is written as soon as the task that made it is done (a microtask): the commands
    // of one gesture, queued in the same task, share a transaction, and changes queued while
    // one is being written share the next. A timer would wait at least 4 ms when the edit came
    // from a chain of timers.
    let flushDue = false;
    let retryTimer = 0;
    let wholeRetryTimer = 0;
    let writeChain = Promise.resolve();
    let writesInFlight = 0;
    let wholeSavesInFlight = 0;
    let catchingUp = false;
    let catchUpAgain = false;
    let statusQueued = false;
    let lastReportedStatus = '';

    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;

    // [SECTION] Status, as the app and the automation API see it
    function state() {
      if (mode === 'memory') return 'memory';
      if (failure) return 'failed';
      if (blocked) return 'saving';
      if (pending.size || pendingHeader || pendingEntries.length || writesInFlight) return 'saving';
      return 'saved';
    }

    function status() {
      const current = state();
      let reason = '';
      if (current === 'memory') reason = memoryReason;
      else if (current === 'failed') reason = failure;
      else if (blocked) reason = 'waiting for another Pipeboard tab to close the database';
      return {
        state: current, reason, lastSavedAt, savedThrough, queuedThrough, persistent, usage, quota,
        location: mode === 'memory' ? '' : LOCATION,
        notices: [...notices.values()],
        kept,
      };
    }

    function reportStatus() {
      if (statusQueued) return;
      statusQueued = true;
      // After the current task, so the app is never re-entered from inside one of its calls.
      setTimeout(() => {
        statusQueued = false;
        // An unchanged status would only wake the app to draw the same frame.
        const text = JSON.stringify(status());
        if (!module || text === lastReportedStatus) return;
        lastReportedStatus = text;
        module.ccall('pb_storage_changed', null, ['string'], [text]);
      }, 0);
    }

    function setNotice(id, title, text, offersImport = false) {
      notices.set(id, { id, title, text, offersImport });
      reportStatus();
    }

    function goMemoryOnly(reason, notice) {
      mode = 'memory';
      memoryReason = reason;
      pending.clear();
      pendingHeader = null;
      pendingEntries = [];
      if (notice) setNotice(notice.id, notice.title, notice.text, notice.offersImport);
      reportStatus();
    }

    async function refreshEstimate(force) {
      if (!navigator.storage || !navigator.storage.estimate) return;
      const now = Date.now();
      if (!force && now - lastEstimate < ESTIMATE_INTERVAL_MS) return;
      lastEstimate = now;
      try {
        const estimate = await navigator.storage.estimate();
        usage = estimate.usage ?? -1;
        quota = estimate.quota ?? -1;
      } catch {
        // The estimate is advice only.
      }
      reportStatus();
    }

    async function askForPersistence() {
      if (!navigator.storage || !navigator.storage.persist) return;
      try {
        persistent = await navigator.storage.persisted();
        if (!persistent) persistent = await navigator.storage.persist();
      } catch {
        persistent = null;
      }
      reportStatus();
    }

    function updateMarker(header) {
      const marker = readMarker(database) || {};
      if (header && typeof header === 'object') {
        marker.workspaceId = header.id;
        marker.name = header.name;
      }
      marker.savedAt = Date.now();
      writeMarker(database, marker);
    }

    // [SECTION] Start: open, upgrade, read everything, tell a cleared database from a first visit
    async function start() {
      const opened = await openDatabase(database, () => {
        blocked = true;
        reportStatus();
      });
      blocked = false;
      if (!opened.db) {
        source = SOURCE_UNUSABLE;
        const notice = opened.newer
          ? { id: 'newer-data', title: 'This browser holds data from a newer Pipeboard',
            text: 'It is left untouched. This tab works in memory and saves nothing; reload to get the newest version of Pipeboard.' }
          : opened.blocked
            ? { id: 'blocked', title: 'Another Pipeboard tab keeps the database open',
              text: 'Close or reload the other Pipeboard tabs, then reload this one. Until then this tab works in memory and saves nothing; nothing stored is overwritten.' }
            : { id: 'storage-unavailable', title: 'Pipeboard cannot use this browser\'s storage',
              text: `Because ${opened.error}, this tab works in memory and saves nothing. Export your work before closing it.` };
        goMemoryOnly(opened.error, notice);
        return;
      }
      db = opened.db;
      db.onversionchange = onVersionChange;
      db.onclose = onForcedClose;
      let read;
      try {
        read = await readAll(db);
      } catch (error) {
        source = SOURCE_UNUSABLE;
        goMemoryOnly(`the stored pipeline could not be read (${describeError(error)})`, {
          id: 'storage-unreadable', title: 'The stored pipeline could not be read',
          text: 'It is left untouched. This tab works in memory and saves nothing; reload to try again.',
        });
        return;
      }
      lastSeen = read.lastSeq;
      noteLayers(read);
      const marker = readMarker(database);
      if (read.header === undefined) {
        if (read.count > 0) {
          source = SOURCE_UNUSABLE;
          goMemoryOnly('the stored pipeline is incomplete (its workspace entry is missing)', {
            id: 'storage-incomplete', title: 'The stored pipeline is incomplete',
            text: 'Its records are left untouched. This tab works in memory and saves nothing.',
          });
          return;
        }
        source = SOURCE_NOTHING_STORED;
        if (marker && marker.savedAt && !marker.wiped) {
          marker.wiped = { detectedAt: Date.now(), name: marker.name, savedAt: marker.savedAt, lastExport: marker.lastExport };
          writeMarker(database, marker);
        }
      } else if (!read.header || typeof read.header !== 'object') {
        source = SOURCE_UNUSABLE;
        goMemoryOnly('the stored workspace entry is damaged', {
          id: 'storage-damaged', title: 'The stored pipeline is damaged',
          text: 'It is left untouched. This tab works in memory and saves nothing; import your last export to carry on.',
          offersImport: true,
        });
        return;
      } else {
        source = SOURCE_STORED;
        initialText = documentText(read.header, read);
        initialBase = read.base;
        initialRead = read;
      }
      const wiped = (readMarker(database) || {}).wiped;
      if (wiped) showWipedNotice(wiped);
      if (channel) channel.onmessage = () => catchUp();
      askForPersistence();
      refreshEstimate(true);
    }

    function showWipedNotice(wiped) {
      const saved = wiped.savedAt ? ` on ${formatDate(wiped.savedAt)}` : '';
      const name = wiped.name ? `'${wiped.name}'` : 'your pipeline';
      const lastExport = wiped.lastExport
        ? ` Your last export was ${wiped.lastExport.file}, made on ${formatDate(wiped.lastExport.at)}.`
        : ' No export was made from this browser.';
      setNotice('wiped', 'The pipeline stored in this browser is gone',
        `Pipeboard last saved ${name} here${saved}, but the browser has since cleared this site's storage ` +
        `(to free space, or because its data was deleted).${lastExport} Import your last export to get it back; ` +
        'until then a new workspace is used.', true);
    }

    function onVersionChange() {
      flushNow();
      db.close();
      db = null;
      goMemoryOnly('a newer version of Pipeboard is open in another tab', {
        id: 'newer-tab', title: 'Pipeboard was updated in another tab',
        text: 'Reload this tab to keep saving. Until then your changes stay in this tab only; nothing stored is overwritten.',
      });
    }

    function onForcedClose() {
      db = null;
      goMemoryOnly('the browser closed the database', {
        id: 'closed', title: 'The browser closed Pipeboard\'s storage',
        text: 'Its data may have been cleared. Export the workspace now to keep a copy, then reload.',
      });
    }

    // [SECTION] Saving what the app queued
    function queue(text) {
      const batch = JSON.parse(text);
      queuedThrough = batch.seq;
      if (mode !== 'stored') return;
      for (const record of batch.records) pending.set(recordKey(record), record);
      if (batch.header) pendingHeader = batch.header;
      pendingEntries.push({ seq: batch.seq, keys: batch.records.map(recordKey) });
      if (!flushDue && !failure) {
        flushDue = true;
        queueMicrotask(() => {
          if (flushDue) flush();
        });
      }
      reportStatus();
    }

    function takeBatch() {
      const batch = {
        records: [...pending.values()], header: pendingHeader, entries: pendingEntries, through: queuedThrough,
      };
      pending.clear();
      pendingHeader = null;
      pendingEntries = [];
      return batch;
    }

    // A failed batch goes back under anything queued since, which is newer.
    function putBack(batch) {
      for (const record of batch.records) {
        const key = recordKey(record);
        if (!pending.has(key)) pending.set(key, record);
      }
      if (!pendingHeader) pendingHeader = batch.header;
      pendingEntries = batch.entries.concat(pendingEntries);
    }

    function hasPending() {
      return pending.size > 0 || pendingHeader !== null || pendingEntries.length > 0;
    }

    // Writes run one after another in the order asked. All but an edit's batch also hold the
    // writers' lock, so no two tabs prepare and write a whole document (hundreds of megabytes)
    // at once. A batch (`locked` false) is one transaction that only puts, and IndexedDB
    // already runs readwrite transactions over the same stores one at a time, in the order
    // they were created, whichever tab created them; the lock would add a round trip to the
    // browser process, 1 to 3 ms, to every save. A quiet write (housekeeping that changes
    // nothing the user sees) does not show as saving.
    function serialized(write, { quiet = false, locked = true } = {}) {
      if (!quiet) writesInFlight++;
      const run = writeChain.then(() => (locked && navigator.locks ? navigator.locks.request(LOCK_NAME, write) : write()));
      writeChain = run.catch(() => {});
      if (quiet) return run;
      return run.finally(() => {
        writesInFlight--;
        reportStatus();
      });
    }

    function flush() {
      flushDue = false;
      if (mode !== 'stored' || !db || batchInFlight || wholeSavesInFlight || !hasPending()) return;
      const batch = takeBatch();
      batchInFlight = true;
      awaitingTurn = batch;
      serialized(() => {
        awaitingTurn = null;
        return writeBatch(batch);
      }, { locked: false }).then(() => batchSaved(batch), (error) => batchFailed(batch, error))
        .finally(() => {
          awaitingTurn = null;
          batchInFlight = false;
          if (hasPending() && !failure) flush();
        });
    }

    // When the page is being hidden or unloaded nothing asynchronous can wait for a lock:
    // the transaction starts now. IndexedDB still orders it after earlier writes.
    function flushNow() {
      flushDue = false;
      // A batch still waiting for its turn would never be written if the page goes now.
      if (awaitingTurn) putBack(awaitingTurn);
      if (mode !== 'stored' || !db || !hasPending()) return;
      const batch = takeBatch();
      writesInFlight++;
      writeBatch(batch, 'strict').then(() => batchSaved(batch), (error) => batchFailed(batch, error))
        .finally(() => {
          writesInFlight--;
          reportStatus();
        });
    }

    function batchSaved(batch) {
      savedThrough = Math.max(savedThrough, batch.through);
      lastSavedAt = wallClockMs();
      if (failure) {
        failure = '';
        notices.delete('quota');
        notices.delete('write-failed');
      }
      updateMarker(batch.header);
      if (batch.header) onSaved(batch.header);
      if (channel) channel.postMessage({ tab: tabId });
      recordsOnTop += batch.records.length;
      scheduleFold();
      trimChangeLog();
      refreshEstimate(false);
      reportStatus();
    }

    function batchFailed(batch, error) {
      putBack(batch);
      if (mode !== 'stored') return;
      if (error && error.name === 'QuotaExceededError') {
        failure = 'storage is full (quota exceeded)';
        setNotice('quota', 'Changes are not being saved: the browser\'s storage is full',
          'The browser refused to store more data for Pipeboard. Your changes stay in this tab and are saved as soon as there is room: ' +
          'free disk space, or export the workspace to keep a copy. Nothing stored so far was changed.');
      } else {
        failure = `the browser refused the write (${describeError(error)})`;
        setNotice('write-failed', 'Changes are not being saved',
          `The last save failed: ${describeError(error)}. Your changes stay in this tab and Pipeboard keeps trying; export the workspace to keep a copy.`);
      }
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        retryTimer = 0;
        flush();
      }, RETRY_DELAY_MS);
      refreshEstimate(true);
      reportStatus();
    }

    // 'strict' waits until the data is on the disk (an fsync, tens of milliseconds);
    // 'relaxed' until the browser has handed it to the operating system, which keeps it
    // through a crash or kill of the browser but not through a power cut. Edits are saved
    // relaxed, so one costs about a millisecond; whole workspaces, and everything written while
    // the page is being hidden or closed, strict.
    function transaction(stores, durability) {
      return db.transaction(stores, 'readwrite', { durability });
    }

    // Runs `fill(tx, fail)` in one readwrite transaction; resolves when it is committed.
    function inTransaction(stores, fill, durability = 'strict') {
      return new Promise((resolve, reject) => {
        if (!db) {
          reject(new DOMException('the database is closed', 'InvalidStateError'));
          return;
        }
        let tx;
        try {
          tx = transaction(stores, durability);
        } catch (error) {
          reject(error);
          return;
        }
        let failed = null;
        const fail = (error) => {
          if (failed) return;
          failed = error;
          try {
            tx.abort();
          } catch {
            // Already finished.
          }
        };
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(failed || tx.error || new DOMException('the save was interrupted', 'AbortError'));
        const guard = (callback) => (event) => {
          if (failed) return;
          try {
            callback(event);
          } catch (error) {
            fail(error);
          }
        };
        try {
          fill(tx, guard);
        } catch (error) {
          fail(error);
        }
      });
    }

    // Records are put without reading what is stored, and the transaction is committed at
    // once: a transaction still waiting on a read when the page goes (a change followed by a
    // reload) goes down with the page. Another tab may have stored a newer revision meanwhile;
    // that tab reads this change (pb_apply_remote) and, when its own revision wins, writes it back.
    function writeBatch(batch, durability = 'relaxed') {
      return inTransaction([WORKSPACE, CHANGES, ...RECORD_STORES], (tx, guard) => {
        for (const record of batch.records) tx.objectStore(KIND_STORES[record.kind]).put(record);
        const workspace = tx.objectStore(WORKSPACE);
        // A batch put back after a failure must not overwrite a newer header this tab wrote.
        if (batch.header && batch.through >= headerWrittenThrough) {
          headerWrittenThrough = batch.through;
          workspace.put(batch.header, HEADER_KEY);
        }
        const changes = tx.objectStore(CHANGES);
        let added = null;
        for (const entry of batch.entries) {
          added = changes.add({ tab: tabId, at: Date.now(), kind: 'records', keys: entry.keys });
        }
        if (added) added.onsuccess = guard(() => { lastLogged = added.result; });
        if (tx.commit) tx.commit();
      }, durability);
    }

    // The log keeps its last CHANGE_LOG_KEPT entries; older ones are dropped now and then
    // (a tab that slept through them reads everything instead).
    function trimChangeLog() {
      const through = lastLogged - CHANGE_LOG_KEPT;
      if (through <= 0 || lastLogged < nextTrimAt || !db) return;
      nextTrimAt = lastLogged + CHANGE_LOG_TRIM_EVERY;
      inTransaction([WORKSPACE, CHANGES], (tx) => {
        tx.objectStore(CHANGES).delete(IDBKeyRange.upperBound(through));
        tx.objectStore(WORKSPACE).put(through, TRIMMED_KEY);
      }, 'relaxed').catch(() => {
        // Trimming is housekeeping: the next batch tries again.
        nextTrimAt = 0;
      });
    }

    // [SECTION] Folding the records on top into a new base, so the next start reads one
    // document again. It waits until edits pause, writes the app's whole workspace, and gives
    // way when another tab stored something this tab has not taken yet.
    // What a full read found: the base's size and the records on top of it.
    function noteLayers(read) {
      recordsOnTop = read.count - (read.base ? 1 : 0);
      baseBytes = read.base ? read.base.length : 0;
    }

    function scheduleFold() {
      clearTimeout(foldTimer);
      foldTimer = 0;
      if (recordsOnTop <= FOLD_AT_RECORDS + baseBytes / BASE_BYTES_PER_RECORD) return;
      if (recordsOnTop < foldAfter) return;
      foldTimer = setTimeout(() => {
        foldTimer = 0;
        fold();
      }, FOLD_DELAY_MS);
    }

    function handOver(bytes, pipelines) {
      handedOver = { bytes, pipelines };
    }

    function fold() {
      if (mode !== 'stored' || !db || !module || failure || wholeSavesInFlight) return;
      let folded = null;
      serialized(() => {
        handedOver = null;
        module.ccall('pb_hand_over_document', null, [], []);
        const doc = handedOver;
        handedOver = null;
        if (!doc || !(doc.pipelines > 0)) return undefined;
        return inTransaction([BASE, CHANGES, ...RECORD_STORES], (tx, guard) => {
          const unseen = tx.objectStore(CHANGES).getAll(IDBKeyRange.lowerBound(lastSeen, true));
          unseen.onsuccess = guard(() => {
            if (unseen.result.some((entry) => entry.tab !== tabId)) return;
            for (const store of RECORD_STORES) tx.objectStore(store).clear();
            tx.objectStore(BASE).put(doc.bytes, BASE_KEY);
            tx.objectStore(CHANGES).add({ tab: tabId, at: Date.now(), kind: 'fold', keys: [] });
            folded = doc;
          });
        }, 'strict');
      }, { quiet: true }).then(() => {
        if (!folded) {
          // Another tab stored something first: take it, then try again.
          catchUp();
          scheduleFold();
          return;
        }
        recordsOnTop = 0;
        foldAfter = 0;
        baseBytes = folded.bytes.length;
        if (channel) channel.postMessage({ tab: tabId });
      }, () => {
        // Writing the whole workspace failed (a full disk, most likely); the records on top
        // stay as they are. Trying again after every edit would write it again each time.
        foldAfter = recordsOnTop * 2;
      });
    }

    // The whole workspace in place of what is stored (a new workspace, an import, a restore):
    // `bytes` its packed records, `headerText` its workspace entry. A first save gives way when
    // another tab stored a workspace meanwhile.
    function saveWhole(bytes, headerText, pipelines, first) {
      if (mode !== 'stored') return;
      let header;
      try {
        header = JSON.parse(headerText);
      } catch (error) {
        failure = `the workspace could not be prepared for saving (${describeError(error)})`;
        reportStatus();
        return;
      }
      // Never replace stored data with an empty or half-built document.
      if (!header || typeof header !== 'object' || !(pipelines > 0)) {
        failure = 'the workspace to save has no pipeline; what is stored was kept';
        reportStatus();
        return;
      }
      // What was queued so far is part of the document.
      pending.clear();
      pendingHeader = null;
      pendingEntries = [];
      if (wholeRetryTimer) {
        // The document that kept failing is superseded by this one.
        clearTimeout(wholeRetryTimer);
        wholeRetryTimer = 0;
        wholeSavesInFlight--;
      }
      writeWhole({ bytes, header }, first, queuedThrough);
    }

    // Until it succeeds, batches wait: written before it, they would be replaced by it.
    function writeWhole(doc, first, through, retry = false) {
      const { header } = doc;
      let gaveWay = false;
      if (!retry) wholeSavesInFlight++;
      serialized(() => inTransaction([BASE, WORKSPACE, CHANGES, ...RECORD_STORES], (tx, guard) => {
        const workspace = tx.objectStore(WORKSPACE);
        const write = () => {
          putDocument(tx, doc, tabId);
          headerWrittenThrough = Math.max(headerWrittenThrough, through);
        };
        if (!first) {
          write();
          return;
        }
        const existing = workspace.get(HEADER_KEY);
        existing.onsuccess = guard(() => {
          if (existing.result !== undefined) {
            gaveWay = true;
            return;
          }
          write();
        });
      })).then(() => {
        wholeSavesInFlight--;
        if (gaveWay) {
          reloadWhole(true);
          return;
        }
        savedThrough = Math.max(savedThrough, through);
        lastSavedAt = wallClockMs();
        recordsOnTop = 0;
        baseBytes = doc.bytes.length;
        failure = '';
        notices.delete('write-failed');
        notices.delete('quota');
        updateMarker(header);
        onSaved(header);
        if (channel) channel.postMessage({ tab: tabId });
        refreshEstimate(true);
        flush();
      }, (error) => {
        if (mode !== 'stored') {
          wholeSavesInFlight--;
          return;
        }
        failure = error && error.name === 'QuotaExceededError'
          ? 'storage is full (quota exceeded)'
          : `the browser refused the write (${describeError(error)})`;
        setNotice('write-failed', 'The workspace could not be saved',
          `${failure}. It stays in this tab and Pipeboard keeps trying; what was stored before is unchanged. ` +
          'Export the workspace to keep a copy.');
        // Changes queued since stay queued: they are newer than this document.
        wholeRetryTimer = setTimeout(() => {
          wholeRetryTimer = 0;
          writeWhole(doc, first, through, true);
        }, RETRY_DELAY_MS);
        refreshEstimate(true);
      }).finally(reportStatus);
    }

    // [SECTION] Other tabs: read the change log since the last look and take what changed
    function catchUp() {
      if (!db || mode !== 'stored') return;
      if (catchingUp) {
        catchUpAgain = true;
        return;
      }
      catchingUp = true;
      let reload = '';
      let header = null;
      const records = [];
      let newest = lastSeen;
      let tx;
      try {
        tx = db.transaction([WORKSPACE, CHANGES, ...RECORD_STORES], 'readonly');
      } catch {
        catchingUp = false;
        return;
      }
      const workspace = tx.objectStore(WORKSPACE);
      const trimmed = workspace.get(TRIMMED_KEY);
      const entries = tx.objectStore(CHANGES).getAll(IDBKeyRange.lowerBound(lastSeen, true));
      entries.onsuccess = () => {
        const list = entries.result;
        if (!list.length) return;
        newest = list[list.length - 1].seq;
        const foreign = list.filter((entry) => entry.tab !== tabId);
        if (!foreign.length) return;
        if (foreign.some((entry) => entry.kind === 'replace')) {
          reload = 'replaced';
          return;
        }
        if ((trimmed.result || 0) > lastSeen) {
          // Entries this tab never saw are gone from the log: read everything.
          reload = 'missed';
          return;
        }
        // Another tab folded the records on top into the base; the records of entries before
        // the fold that this tab has not read are now only in the base.
        const lastFold = foreign.findLastIndex((entry) => entry.kind === 'fold');
        if (lastFold >= 0) {
          recordsOnTop = 0;
          clearTimeout(foldTimer);
        }
        if (lastFold > 0) {
          reload = 'missed';
          return;
        }
        workspace.get(HEADER_KEY).onsuccess = (event) => {
          header = event.target.result || null;
        };
        const keys = new Set();
        for (const entry of foreign.slice(lastFold + 1)) for (const key of entry.keys) keys.add(key);
        for (const key of keys) {
          const slash = key.indexOf('/');
          const store = KIND_STORES[key.slice(0, slash)];
          if (!store) continue;
          tx.objectStore(store).get(key.slice(slash + 1)).onsuccess = (event) => {
            if (event.target.result) records.push(event.target.result);
          };
        }
      };
      const finish = () => {
        catchingUp = false;
        if (catchUpAgain) {
          catchUpAgain = false;
          catchUp();
        }
      };
      tx.oncomplete = () => {
        lastSeen = newest;
        if (reload) {
          reloadWhole(reload === 'replaced');
        } else if (module && (header || records.length)) {
          callWithText('pb_apply_remote', JSON.stringify({ header, records }));
        }
        finish();
      };
      tx.onabort = finish;
    }

    // Text goes through the heap, not ccall's 'string' (which copies onto the small wasm
    // stack and cannot take thousands of records).
    function callWithText(name, text) {
      const bytes = new TextEncoder().encode(text);
      const at = module._malloc(bytes.length + 1);
      if (!at) {
        module.ccall('pb_show_message', null, ['string'], ['Not enough memory to take the changes of another tab; reload this tab']);
        return;
      }
      module.HEAPU8.set(bytes, at);
      module.HEAPU8[at + bytes.length] = 0;
      try {
        module.ccall(name, 'number', ['number'], [at]);
      } finally {
        module._free(at);
      }
    }

    // A workspace as the app loads it: the workspace entry and records on top (text) and the
    // base (bytes, or null when there is none), after the `leading` strings.
    function callWithLayers(name, text, base, leading = []) {
      const top = new TextEncoder().encode(text);
      const baseBytes = base || new Uint8Array(0);
      const at = module._malloc(top.length + baseBytes.length + 1);
      if (!at) {
        module.ccall('pb_show_message', null, ['string'], ['Not enough memory to read the stored workspace; reload this tab']);
        return;
      }
      module.HEAPU8.set(top, at);
      module.HEAPU8.set(baseBytes, at + top.length);
      try {
        module.ccall(name, null, [...leading.map(() => 'string'), 'number', 'number', 'number', 'number'],
          [...leading, at, top.length, at + top.length, baseBytes.length]);
      } finally {
        module._free(at);
      }
    }

    // Reads everything stored. After another tab replaced the workspace, this tab takes it
    // whole, and changes queued here are dropped: they belong to the workspace replaced (which
    // that tab kept: Data > Restore). Otherwise (change log entries this tab never saw were
    // trimmed) every record goes through the same revision rule as a single change, so edits
    // made here and not stored yet stay.
    function reloadWhole(replaced) {
      if (!db) return;
      if (replaced) {
        pending.clear();
        pendingHeader = null;
        pendingEntries = [];
      }
      readAll(db).then((read) => {
        lastSeen = Math.max(lastSeen, read.lastSeq);
        noteLayers(read);
        if (!read.header || typeof read.header !== 'object' || !module) return;
        callWithLayers(replaced ? 'pb_reload_from_storage' : 'pb_merge_from_storage',
          documentText(read.header, read), read.base);
      }, () => {});
    }

    // [SECTION] Workspaces kept before an import or a restore
    async function refreshKept() {
      if (!db) return;
      try {
        const list = await new Promise((resolve, reject) => {
          const request = db.transaction(KEPT, 'readonly').objectStore(KEPT).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        kept = list.sort((a, b) => b.takenAt - a.takenAt)
          .map(({ id, label, takenAt }) => ({ id, label, takenAt }));
      } catch {
        kept = [];
      }
      reportStatus();
    }

    // `fields`: the workspace as a document of no records; `records`: its records, packed.
    function keepWorkspace(label, fields, records) {
      if (mode !== 'stored') return;
      const entry = { id: `kept-${Date.now()}-${randomId().slice(0, 8)}`, label, takenAt: Date.now() };
      serialized(() => inTransaction([KEPT, KEPT_DATA], (tx, guard) => {
        tx.objectStore(KEPT).put(entry);
        tx.objectStore(KEPT_DATA).put({ fields, records }, entry.id);
        const all = tx.objectStore(KEPT).getAll();
        all.onsuccess = guard(() => {
          const older = all.result.sort((a, b) => b.takenAt - a.takenAt).slice(KEPT_WORKSPACES);
          for (const old of older) {
            tx.objectStore(KEPT).delete(old.id);
            tx.objectStore(KEPT_DATA).delete(old.id);
          }
        });
      })).then(refreshKept, (error) => {
        setNotice('keep-failed', 'The workspace before the import could not be kept',
          `The browser refused to store it (${describeError(error)}). Export the workspace to keep a copy.`);
      });
    }

    function restoreKept(id) {
      if (!db) return;
      const tx = db.transaction([KEPT, KEPT_DATA], 'readonly');
      const meta = tx.objectStore(KEPT).get(id);
      const data = tx.objectStore(KEPT_DATA).get(id);
      tx.oncomplete = () => {
        const kept = data.result;
        const leading = [meta.result ? meta.result.label : 'kept workspace'];
        if (kept && typeof kept.fields === 'string' && kept.records instanceof Uint8Array) {
          callWithLayers('pb_kept_workspace_loaded', kept.fields, kept.records, leading);
        } else if (typeof kept === 'string') {
          // Kept before schema version 4: the whole JSON document.
          callWithLayers('pb_kept_workspace_loaded', kept, null, leading);
        } else {
          module.ccall('pb_show_message', null, ['string'], ['That kept workspace is no longer stored']);
        }
      };
    }

    // [SECTION] Records the app could not read at start: a copy of each is set aside
    function setAsideDamaged(problems) {
      const read = initialRead;
      if (!read || !db || mode !== 'stored') return;
      const byRecord = new Map();
      for (const { path, message } of problems) {
        const [, store, index] = String(path).split('/');
        const record = RECORD_STORES.includes(store) ? read[store][Number(index)] : undefined;
        if (!record) continue;
        const key = `${store}/${String(record._id)}`;
        if (!byRecord.has(key)) byRecord.set(key, { store, record, problems: [], at: Date.now() });
        byRecord.get(key).problems.push(`${path}: ${message}`);
      }
      if (!byRecord.size) return;
      serialized(() => inTransaction([SET_ASIDE], (tx) => {
        for (const [key, entry] of byRecord) tx.objectStore(SET_ASIDE).put(entry, key);
      })).catch(() => {});
    }

    function takeInitialBase() {
      const base = initialBase;
      initialBase = null;
      return base;
    }

    function takeInitialState() {
      const text = initialText;
      initialText = null;
      // The records stay until the app has reported which of them it could not read.
      setTimeout(() => {
        initialRead = null;
      }, 0);
      return text;
    }

    function dismissNotice(id) {
      notices.delete(id);
      if (id === 'wiped') {
        const marker = readMarker(database);
        if (marker) {
          delete marker.wiped;
          writeMarker(database, marker);
        }
      }
      reportStatus();
    }

    function noteExport(file) {
      const marker = readMarker(database) || {};
      marker.lastExport = { file, at: Date.now() };
      writeMarker(database, marker);
    }

    function bind(instance) {
      module = instance;
      reportStatus();
      refreshKept();
      scheduleFold();
    }

    // A read-only snapshot from a link (snapshot.js): shown from memory; this browser's
    // databases are neither opened nor written.
    let snapshot = false;
    function startSnapshot(text) {
      snapshot = true;
      mode = 'memory';
      memoryReason = 'this is a read-only snapshot from a link';
      source = SOURCE_STORED;
      initialText = text;
    }

    // Before the workspace's database is deleted: nothing more is written from this tab.
    function close() {
      goMemoryOnly('this workspace was deleted');
      if (db) db.close();
      db = null;
    }

    const storage = {
      start, bind, status, queue, saveWhole, keepWorkspace, restoreKept, setAsideDamaged,
      takeInitialState, takeInitialBase, handOver, dismissNotice, noteExport, catchUp, close,
      database, startSnapshot,
      isSnapshot: () => snapshot,
      initialSource: () => source,
      unusable: (reason) => goMemoryOnly(reason),
      flushNow,
      // The sequence number of the newest change still being written, 0 when all are stored
      // (or cannot be): the app holds its next frame back a moment for it.
      unsavedChange: () => (mode === 'stored' && !failure && queuedThrough > savedThrough ? queuedThrough : 0),
    };

    // Commit before the page can be frozen or discarded; beforeunload is not reliable.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flushNow();
      else catchUp();
    });
    window.addEventListener('pagehide', () => flushNow());
    window.addEventListener('focus', () => catchUp());
    return Object.freeze(storage);
  }

  return Object.freeze({ create, writeDocument, deleteDocument, DB_NAME, SCHEMA_VERSION });
})();
