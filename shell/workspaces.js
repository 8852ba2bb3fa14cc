// Several workspaces in one browser ("My pipeline", "Demo"), each in its own IndexedDB
// database. A small registry in localStorage names them; the first workspace keeps the
// original database "pipeboard", so data stored before there were several opens unchanged.
// A tab shows one workspace for its whole life: switching stores what is pending and reloads
// the page on the other one, so two workspaces never share a running app.
'use strict';

window.PipeboardWorkspaces = (() => {
  const REGISTRY_KEY = 'pipeboard.workspaces'; // {last, list: [{key, name, database, demo}]}
  const TAB_KEY = 'pipeboard.workspace'; // sessionStorage: the workspace this tab shows
  const FIRST = Object.freeze({ key: 'main', name: 'My pipeline', database: 'pipeboard', demo: false });
  const SETTLE_LIMIT_MS = 3000;

  function valid(entry) {
    return entry && typeof entry.key === 'string' && typeof entry.database === 'string' &&
      typeof entry.name === 'string';
  }

  function readRegistry() {
    try {
      const parsed = JSON.parse(localStorage.getItem(REGISTRY_KEY) || 'null');
      if (parsed && Array.isArray(parsed.list)) {
        const list = parsed.list.filter(valid);
        if (list.length) return { last: parsed.last, list };
      }
    } catch {
      // A damaged registry falls back to the first workspace, whose data is still there.
    }
    return { last: FIRST.key, list: [{ ...FIRST }] };
  }

  function writeRegistry(registry) {
    try {
      localStorage.setItem(REGISTRY_KEY, JSON.stringify(registry));
    } catch {
      // Without localStorage only the first workspace can be opened; its data is unaffected.
    }
  }

  function remember(key) {
    const registry = readRegistry();
    registry.last = key;
    writeRegistry(registry);
    try {
      sessionStorage.setItem(TAB_KEY, key);
    } catch {
      // The registry's "last" still opens it.
    }
  }

  function randomKey() {
    const words = new Uint32Array(2);
    crypto.getRandomValues(words);
    return Array.from(words, (word) => word.toString(16).padStart(8, '0')).join('');
  }

  // The workspace this tab opens: the one it showed before a reload, else the last opened.
  function chosen() {
    const registry = readRegistry();
    let key = null;
    try {
      key = sessionStorage.getItem(TAB_KEY);
    } catch {
      key = null;
    }
    return registry.list.find((entry) => entry.key === key) ||
      registry.list.find((entry) => entry.key === registry.last) || registry.list[0];
  }

  // What the app and the automation API do with workspaces, for the tab showing `current`.
  function controller(current, storage, tell) {
    // Pending changes are written before the page goes, so nothing is left behind.
    async function settle() {
      const until = Date.now() + SETTLE_LIMIT_MS;
      storage.flushNow();
      while (storage.status().state === 'saving' && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    // Reloads the page on `key`, leaving a snapshot the page may show.
    function reloadOn(key) {
      remember(key);
      window.PipeboardSnapshot.leave();
      location.reload();
    }

    async function open(key) {
      await settle();
      reloadOn(key);
    }

    function list() {
      return readRegistry().list.map(({ key, name, demo }) => ({
        key, name, demo: Boolean(demo), current: key === current.key,
      }));
    }

    // A number that changes whenever the registry does, in this tab or another: the app
    // draws the workspace button every frame and asks for the list only when it changed.
    let registryText = null;
    let revision = 0;
    function listRevision() {
      let text = null;
      try {
        text = localStorage.getItem(REGISTRY_KEY);
      } catch {
        text = null;
      }
      if (text !== registryText) {
        registryText = text;
        revision++;
      }
      return revision;
    }

    async function create(text, demo) {
      const key = randomKey();
      let name = 'Workspace';
      try {
        name = String(JSON.parse(text).name || name);
      } catch {
        // The store below reports the problem.
      }
      const entry = { key, name, database: `pipeboard-${key}`, demo: Boolean(demo) };
      try {
        await window.PipeboardStorage.writeDocument(entry.database, text);
      } catch (error) {
        tell(`'${name}' could not be stored (${error && error.message ? error.message : error}); nothing changed.`);
        return;
      }
      const registry = readRegistry();
      registry.list.push(entry);
      writeRegistry(registry);
      await open(key);
    }

    async function deleteCurrent() {
      storage.close();
      try {
        await window.PipeboardStorage.deleteDocument(current.database);
      } catch (error) {
        tell(`The workspace could not be deleted (${error && error.message ? error.message : error}). Reload to keep using it.`);
        return;
      }
      const registry = readRegistry();
      registry.list = registry.list.filter((entry) => entry.key !== current.key);
      // The last one gone: a first visit again, in the original database.
      if (!registry.list.length) registry.list.push({ ...FIRST });
      writeRegistry(registry);
      reloadOn(registry.list[0].key);
    }

    // Keeps the registry's name in step with the workspace's own (a rename is a command).
    function named(header) {
      if (!header || typeof header.name !== 'string') return;
      const registry = readRegistry();
      const entry = registry.list.find((candidate) => candidate.key === current.key);
      if (!entry) {
        registry.list.push({ ...current, name: header.name });
        writeRegistry(registry);
      } else if (entry.name !== header.name) {
        entry.name = header.name;
        writeRegistry(registry);
      }
    }

    return Object.freeze({ current, list, listRevision, open, create, deleteCurrent, named });
  }

  return Object.freeze({ chosen, controller, FIRST });
})();
