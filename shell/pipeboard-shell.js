// The thin JS shell around the Pipeboard wasm module: checks what the browser can do, reads
// the stored workspace (storage.js) while the module downloads, loads the module with a
// visible loading state and clear failures, bridges the clipboard, files (download, choose,
// drop) and the service worker, and exposes the automation API `window.pipeboard`
// (documented in README.md).
'use strict';

(() => {
  const loading = document.getElementById('loading');
  const loadingText = document.getElementById('loading-text');
  const failure = document.getElementById('failure');
  const canvas = document.getElementById('canvas');
  let module = null;
  let failed = false;
  // Each workspace is its own database (workspaces.js); this tab shows one of them.
  const workspace = window.PipeboardWorkspaces.chosen();
  let workspaces = null;
  const storage = window.PipeboardStorage.create({
    database: workspace.database,
    onSaved: (header) => workspaces && workspaces.named(header),
  });
  workspaces = window.PipeboardWorkspaces.controller(workspace, storage, (text) => tellApp(text));
  let lastSnapshotLink = null;
  // Files larger than this are refused before they are read (the app's own limit is 1 GiB).
  const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

  function showFailure(title, text) {
    failed = true;
    document.getElementById('failure-title').textContent = title;
    document.getElementById('failure-text').textContent = text;
    loading.classList.add('hidden');
    failure.classList.remove('hidden');
  }
  document.getElementById('failure-reload').addEventListener('click', () => location.reload());

  let resolveReady;
  let rejectReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Tests and scripts may await `ready` without handling a failure; the page shows it.
  ready.catch(() => {});

  function fail(title, text) {
    showFailure(title, text);
    rejectReady(new Error(`${title}: ${text}`));
  }

  function browserSupport() {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
      return 'This browser cannot run WebAssembly. Use a current version of Chrome, Edge, Firefox or Safari.';
    }
    const probe = document.createElement('canvas');
    if (!probe.getContext('webgl2')) {
      return 'This browser has WebGL 2 turned off or unavailable, which Pipeboard needs to draw. ' +
        'Turn on hardware acceleration in the browser settings, or try another browser.';
    }
    return null;
  }

  // Text goes through the heap, not ccall's 'string' (which copies onto the small wasm
  // stack and cannot take a whole workspace).
  function heapText(text) {
    const bytes = new TextEncoder().encode(text);
    const at = module._malloc(bytes.length + 1);
    if (!at) throw new Error('Pipeboard does not have enough memory for this text');
    module.HEAPU8.set(bytes, at);
    module.HEAPU8[at + bytes.length] = 0;
    return at;
  }

  function callWithTexts(name, returns, args) {
    const pointers = [];
    try {
      for (const arg of args) pointers.push(heapText(arg));
      return module.ccall(name, returns, args.map(() => 'number'), pointers);
    } finally {
      for (const at of pointers) module._free(at);
    }
  }

  function callString(name, ...args) {
    return callWithTexts(name, 'string', args);
  }

  function requireModule() {
    if (!module) throw new Error('Pipeboard is not running yet: await window.pipeboard.ready first');
  }

  // [SECTION] The automation API
  window.pipeboard = Object.freeze({
    ready,
    // The whole workspace as the JSON document described in docs/data-format.md.
    getState() {
      requireModule();
      return JSON.parse(callString('pb_state_json'));
    },
    // Replaces the workspace and stores it; returns {ok, error, problems}. Nothing changes
    // when ok is false.
    loadState(state) {
      requireModule();
      const text = typeof state === 'string' ? state : JSON.stringify(state);
      return JSON.parse(callString('pb_load_state_json', text));
    },
    // One command through the app's command layer, saved like any edit; returns
    // {ok, error, id, seq} (seq: compare with storage().savedThrough).
    applyCommand(command) {
      requireModule();
      const reply = JSON.parse(callString('pb_apply_command_json', JSON.stringify(command)));
      return { ...reply, seq: storage.status().queuedThrough };
    },
    // What is stored: {state: 'saved'|'saving'|'failed'|'memory', reason, savedThrough,
    // queuedThrough, lastSavedAt, persistent, usage, quota, notices, kept}.
    storage() {
      return storage.status();
    },
    // Resolves with storage() once nothing is waiting to be written (or writing failed).
    async whenSaved() {
      await ready;
      for (;;) {
        const now = storage.status();
        if (now.state !== 'saving') return now;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    // The sample pipeline as a document (for demos and benchmarks): {deals, seed}.
    sampleState({ deals = 300, seed = 2026 } = {}) {
      requireModule();
      return module.ccall('pb_sample_state_json', 'string', ['number', 'number'], [deals, seed]);
    },
    // The last read-only snapshot link made with "Share a read-only link" (null before).
    snapshotLink() {
      return lastSnapshotLink;
    },
    // The workspaces in this browser: [{key, name, demo, current}].
    workspaces() {
      return workspaces.list();
    },
    // Resolves with {version, offlineReady, updateReady} from the service worker.
    offlineStatus() {
      return askServiceWorker({ type: 'status' });
    },
    // Screen rectangles (CSS pixels) of named elements drawn in the last frame.
    rects() {
      requireModule();
      const raw = JSON.parse(callString('pb_ui_rects_json'));
      const out = {};
      for (const [name, [x, y, w, h]] of Object.entries(raw)) out[name] = { x, y, w, h };
      return out;
    },
    rect(name) {
      return this.rects()[name] || null;
    },
    frameCount() {
      requireModule();
      return module.ccall('pb_frame_count', 'number', [], []);
    },
    // The app draws only when something changes; this asks for `frames` more frames.
    requestFrames(frames = 1) {
      requireModule();
      module.ccall('pb_request_frames', null, ['number'], [frames]);
    },
    // The CPU milliseconds of each frame drawn since the last call (for benchmarks).
    frameTimes() {
      requireModule();
      return JSON.parse(module.ccall('pb_frame_times_json', 'string', [], []));
    },
  });

  // [SECTION] Frames on demand: the app sleeps while nothing changes (src/ui/frame_pacer.hpp).
  // Input on the page wakes it, and so does every call into it that may change what it
  // shows: storage, other tabs, files, messages. Only the calls that merely read it do not.
  const WAKING_EVENTS = ['pointerdown', 'pointermove', 'pointerup', 'pointerout', 'wheel',
    'keydown', 'keyup', 'compositionupdate', 'compositionend', 'touchstart', 'touchmove',
    'touchend', 'resize', 'focus', 'blur', 'visibilitychange', 'fullscreenchange'];
  const READING_CALLS = new Set(['pb_frame_count', 'pb_frame_times_json', 'pb_request_frames',
    'pb_ui_rects_json', 'pb_state_json', 'pb_sample_state_json']);
  // Input keeps the app drawing until hover delays have passed; a change from the page needs
  // only the frames that show it (a new window takes ImGui two to size itself).
  const FRAMES_FOR_A_CHANGE = 3;
  function wakeOnChange(instance) {
    const wake = () => instance._pb_wake();
    for (const type of WAKING_EVENTS) window.addEventListener(type, wake, { capture: true, passive: true });
    const call = instance.ccall;
    instance.ccall = (name, ...rest) => {
      try {
        return call(name, ...rest);
      } finally {
        if (!READING_CALLS.has(name)) instance._pb_request_frames(FRAMES_FOR_A_CHANGE);
      }
    };
  }

  // [SECTION] Clipboard: SDL 2.26 has none on the web. Ctrl/Cmd+V is kept from SDL so the
  // browser fires its paste event, whose text is handed to the app with the key replayed.
  window.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'v') {
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener('paste', (event) => {
    if (!module) return;
    event.preventDefault();
    const text = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
    callWithTexts('pb_clipboard_pasted', null, [text]);
  });
  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).catch(() => {});
    }
  }

  // [SECTION] Graphics context loss: the GPU process restarted or the tab was reclaimed.
  canvas.addEventListener('webglcontextlost', (event) => {
    event.preventDefault();
    fail('The display was interrupted', 'The browser reset the graphics context. Reload the page to continue.');
  });

  // [SECTION] Files: downloads, the file chooser and drops. A file's bytes go to the app as
  // data; nothing from it is ever put into the page.
  function download(name, mime, bytes) {
    const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.rel = 'noopener';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // A snapshot link for the app's share dialog, or why there is none.
  function makeSnapshotLink(text) {
    window.PipeboardSnapshot.makeLink(text).then((reply) => {
      if (reply.ok) lastSnapshotLink = reply.link;
      if (module) callWithTexts('pb_snapshot_link', null, [JSON.stringify(reply)]);
    }, (error) => tellApp(`The link could not be made (${error && error.message ? error.message : error}).`));
  }

  function tellApp(text) {
    if (module) module.ccall('pb_show_message', null, ['string'], [text]);
  }

  async function importFile(file) {
    if (!module || !file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      tellApp(`'${file.name}' is too large to import (over 1 GB). Nothing was changed.`);
      return;
    }
    let bytes;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      tellApp(`'${file.name}' could not be read (${error && error.message ? error.message : error}). Nothing was changed.`);
      return;
    }
    const at = module._malloc(bytes.length + 1);
    if (!at) {
      tellApp(`There is not enough memory to read '${file.name}'. Nothing was changed.`);
      return;
    }
    module.HEAPU8.set(bytes, at);
    try {
      module.ccall('pb_import_file', null, ['string', 'number', 'number'], [file.name, at, bytes.length]);
    } finally {
      module._free(at);
    }
  }

  const fileInput = document.createElement('input');
  fileInput.type = 'file';
  fileInput.accept = '.json,.csv,application/json,text/csv';
  fileInput.hidden = true;
  fileInput.addEventListener('change', () => {
    const file = fileInput.files && fileInput.files[0];
    fileInput.value = '';
    importFile(file);
  });
  document.body.appendChild(fileInput);

  const dropHint = document.getElementById('drop-hint');
  let dragDepth = 0;
  const carriesFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types || []).includes('Files');
  window.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dragDepth++;
    dropHint.classList.remove('hidden');
  });
  window.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) dropHint.classList.add('hidden');
  });
  window.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dragDepth = 0;
    dropHint.classList.add('hidden');
    const file = event.dataTransfer.files && event.dataTransfer.files[0];
    importFile(file);
  });

  // [SECTION] Offline: the service worker keeps the app; a new version is offered, not forced.
  const updateToast = document.getElementById('update');
  document.getElementById('update-reload').addEventListener('click', () => {
    storage.flushNow();
    location.reload();
  });

  function askServiceWorker(message) {
    if (!('serviceWorker' in navigator)) return Promise.resolve(null);
    return navigator.serviceWorker.ready.then((registration) => new Promise((resolve) => {
      const worker = navigator.serviceWorker.controller || registration.active;
      if (!worker) {
        resolve(null);
        return;
      }
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      worker.postMessage(message, [channel.port2]);
    }));
  }

  function startServiceWorker() {
    if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.addEventListener('message', (event) => {
      if (event.data && event.data.type === 'update-ready') updateToast.classList.remove('hidden');
    });
    navigator.serviceWorker.register('sw.js').then(() => askServiceWorker({ type: 'check-for-update' }))
      .catch((error) => console.warn(`Pipeboard works without offline support here: ${error && error.message ? error.message : error}`));
  }

  // [SECTION] Pixel density: a browser zoom or a move to another screen changes
  // devicePixelRatio, often without a resize event; SDL re-reads the ratio only on resize.
  function watchPixelRatio() {
    const query = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    query.addEventListener('change', () => {
      window.dispatchEvent(new Event('resize'));
      watchPixelRatio();
    }, { once: true });
  }
  watchPixelRatio();

  // [SECTION] Start
  const problem = browserSupport();
  if (problem) {
    fail('Pipeboard cannot run in this browser', problem);
    return;
  }

  window.addEventListener('error', (event) => {
    if (!failed && module === null) {
      fail('Pipeboard could not start', event.message || 'A script failed to load.');
    }
  });

  // The stored workspace is read while the module downloads and compiles; main() starts
  // only when both are ready, so the first frame already shows the stored data.
  const stored = window.PipeboardSnapshot.inLocation()
    ? window.PipeboardSnapshot.read().then((text) => storage.startSnapshot(text), () => {
      // A damaged link: the page opens on this browser's own workspace and says so.
      window.PipeboardSnapshot.leave();
      ready.then(() => tellApp('The snapshot link is damaged or incomplete, so this browser\'s own workspace is shown.'));
      return storage.start();
    })
    : storage.start();
  const compiled = (async () => {
    const response = fetch('pipeboard.wasm', { credentials: 'same-origin' });
    try {
      return await WebAssembly.compileStreaming(response);
    } catch {
      const fallback = await response;
      if (!fallback.ok) throw new Error(`pipeboard.wasm could not be downloaded (HTTP ${fallback.status})`);
      return WebAssembly.compile(await fetch('pipeboard.wasm').then((again) => again.arrayBuffer()));
    }
  })();
  compiled.catch(() => {});
  loadingText.textContent = 'Opening your pipeline…';

  const script = document.createElement('script');
  script.src = 'pipeboard.js';
  script.onerror = () => fail('Pipeboard could not load', 'The app file pipeboard.js could not be downloaded. Check the connection and reload.');
  script.onload = () => {
    createPipeboardModule({
      canvas,
      pipeboardStorage: storage,
      pipeboardWorkspaces: workspaces,
      pipeboardMakeSnapshotLink: makeSnapshotLink,
      pipeboardDownload: download,
      pipeboardChooseFile: () => fileInput.click(),
      instantiateWasm(imports, receiveInstance) {
        Promise.all([compiled, stored]).then(([wasmModule]) => {
          loadingText.textContent = 'Starting…';
          return WebAssembly.instantiate(wasmModule, imports).then((instance) => receiveInstance(instance, wasmModule));
        })
          .catch((error) => fail('Pipeboard could not start', error && error.message ? error.message : String(error)));
        return {};
      },
      pipeboardFirstFrame() {
        loading.classList.add('hidden');
        resolveReady();
        startServiceWorker();
      },
      pipeboardCopyText: copyText,
      print: (text) => console.log(text),
      printErr: (text) => console.warn(text),
      onAbort: (what) => fail('Pipeboard stopped', String(what)),
    }).then((instance) => {
      wakeOnChange(instance);
      module = instance;
      canvas.focus();
    }, (error) => {
      fail('Pipeboard could not start', error && error.message ? error.message : String(error));
    });
  };
  document.head.appendChild(script);
})();
