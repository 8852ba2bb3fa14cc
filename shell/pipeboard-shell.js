// The thin JS shell around the Pipeboard wasm module: checks what the browser can do, loads
// the module with a visible loading state and clear failures, bridges the clipboard, and
// exposes the small automation API `window.pipeboard` (documented in README.md).
'use strict';

(() => {
  const loading = document.getElementById('loading');
  const loadingText = document.getElementById('loading-text');
  const failure = document.getElementById('failure');
  const canvas = document.getElementById('canvas');
  let module = null;
  let failed = false;

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

  function callString(name, ...args) {
    const types = args.map(() => 'string');
    return module.ccall(name, 'string', types, args);
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
    // Replaces the workspace; returns {ok, error, problems}. Nothing changes when ok is false.
    loadState(state) {
      requireModule();
      const text = typeof state === 'string' ? state : JSON.stringify(state);
      return JSON.parse(callString('pb_load_state_json', text));
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
  });

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
    module.ccall('pb_clipboard_pasted', null, ['string'], [text]);
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

  const script = document.createElement('script');
  script.src = 'pipeboard.js';
  script.onerror = () => fail('Pipeboard could not load', 'The app file pipeboard.js could not be downloaded. Check the connection and reload.');
  script.onload = () => {
    loadingText.textContent = 'Starting…';
    createPipeboardModule({
      canvas,
      pipeboardFirstFrame() {
        loading.classList.add('hidden');
        resolveReady();
      },
      pipeboardCopyText: copyText,
      print: (text) => console.log(text),
      printErr: (text) => console.warn(text),
      onAbort: (what) => fail('Pipeboard stopped', String(what)),
    }).then((instance) => {
      module = instance;
      canvas.focus();
    }, (error) => {
      fail('Pipeboard could not start', error && error.message ? error.message : String(error));
    });
  };
  document.head.appendChild(script);
})();
