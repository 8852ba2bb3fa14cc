// Joins the two halves of the benchmark into one table: build/bench/native.json (from
// build/native/pipeboard_bench) and build/bench/browser.json (from performance.bench.mjs).
// Prints it, and writes results.json (both documents and the machine) and results.md (the
// table as markdown, with the machine it was measured on, ready for the README).
//   node web/bench/report.mjs [FOLDER]   (default build/bench)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FOLDER = path.resolve(process.argv[2] || path.join(import.meta.dirname, '../../build/bench'));

// One row per figure: its label, the key in each build's figures (null where a build does
// not measure it) and the issue's target on this machine.
const ROWS = [
  { label: 'board frame, median (ms CPU)', native: 'board_frame_median_ms', browser: 'board_frame_median_ms', target: '< 8' },
  { label: 'board frame, p99 (ms CPU)', native: 'board_frame_p99_ms', browser: 'board_frame_p99_ms', target: '< 16' },
  { label: 'dashboard frame, median (ms CPU)', native: 'dashboard_frame_median_ms', browser: 'dashboard_frame_median_ms', target: '< 8' },
  { label: 'dashboard frame, p99 (ms CPU)', native: 'dashboard_frame_p99_ms', browser: 'dashboard_frame_p99_ms', target: '< 16' },
  { label: 'text filter, whole board (ms)', native: 'filter_ms', browser: null, target: '< 10' },
  { label: 'all metrics, one period (ms)', native: 'all_metrics_ms', browser: null, target: '< 10' },
  { label: 'all metrics, with the workspace index (ms)', native: 'all_metrics_indexed_ms', browser: null, target: '< 10' },
  { label: 'every dashboard number (ms)', native: 'dashboard_numbers_ms', browser: null, target: '' },
  { label: 'one edit: apply command (ms)', native: 'edit_apply_ms', browser: null, target: '' },
  { label: 'one edit + dashboard numbers (ms)', native: 'edit_then_numbers_ms', browser: null, target: '' },
  { label: 'open app + first frames (ms)', native: 'open_app_ms', browser: null, target: '' },
  { label: 'start-up, cold (ms)', native: null, browser: 'startup_cold_ms', target: '< 1000 at 10k, < 2000 at 100k' },
  { label: 'start-up, service worker (ms)', native: null, browser: 'startup_warm_ms', target: '< 1000 at 10k, < 2000 at 100k' },
  { label: 'save one change, p50 (ms)', native: null, browser: 'save_p50_ms', target: '' },
  { label: 'save one change, p95 (ms)', native: null, browser: 'save_p95_ms', target: '< 5' },
  { label: 'save the whole JSON document (ms)', native: 'json_save_ms', browser: null, target: '' },
  { label: 'export JSON (ms)', native: 'json_export_ms', browser: 'export_json_ms', target: '< 1500' },
  { label: 'import JSON, to preview (ms)', native: 'json_load_ms', browser: 'import_json_preview_ms', target: '< 1500' },
  { label: 'import JSON, stored (ms)', native: null, browser: 'import_json_ms', target: '' },
  { label: 'JSON baseline, read + parse (ms)', native: 'json_parse_ms', browser: 'baseline_ms', target: '' },
  { label: 'JSON baseline, JSON.parse alone (ms)', native: null, browser: 'baseline_parse_ms', target: '' },
  { label: 'import / baseline', native: 'import_vs_baseline', browser: 'import_json_vs_baseline', target: '≤ 3' },
  { label: 'JSON export baseline, stringify + download (ms)', native: null, browser: 'baseline_export_ms', target: '' },
  { label: 'export / export baseline', native: null, browser: 'export_json_vs_baseline', target: '' },
  { label: 'export CSV (ms)', native: 'csv_export_ms', browser: 'export_csv_ms', target: '< 1500' },
  { label: 'import CSV, to preview (ms)', native: 'csv_import_ms', browser: 'import_csv_preview_ms', target: '< 1500' },
  { label: 'import CSV, stored (ms)', native: null, browser: 'import_csv_ms', target: '' },
  { label: 'JSON document', native: 'json_bytes', browser: 'json_bytes', target: '' },
  { label: 'CSV file', native: 'csv_bytes', browser: 'csv_bytes', target: '' },
  { label: 'wasm heap', native: null, browser: 'wasm_heap_bytes', target: '' },
  { label: 'generate the sample (ms)', native: 'generate_ms', browser: 'generate_ms', target: '' },
];

function readJson(name) {
  const file = path.join(FOLDER, name);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function format(key, value) {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  if (typeof value !== 'number') return String(value);
  if (key.endsWith('bytes')) return value >= 1e6 ? `${(value / 1e6).toFixed(2)} MB` : `${(value / 1e3).toFixed(0)} kB`;
  if (key.includes('vs_baseline')) return `${value.toFixed(1)}x`;
  if (key.endsWith('frames')) return value.toFixed(0);
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

function machine(browser) {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown';
  return {
    cores: os.availableParallelism(),
    cpu: model.trim(),
    ram_gb: Math.round(os.totalmem() / 1073741824 * 10) / 10,
    chromium: browser?.chromium || 'not measured',
    date: new Date().toISOString().slice(0, 10),
  };
}

const native = readJson('native.json');
const browser = readJson('browser.json');
if (!native && !browser) {
  console.error(`no benchmark figures in ${FOLDER} (native.json, browser.json): run scripts/bench.sh`);
  process.exit(1);
}
// The native import compared with its own parser, as the browser's is with JSON.parse.
for (const entry of native?.sizes || []) {
  if (entry.json_load_ms && entry.json_parse_ms) entry.import_vs_baseline = entry.json_load_ms / entry.json_parse_ms;
}

const bySize = new Map();
for (const [build, doc] of [['native', native], ['browser', browser]]) {
  for (const entry of doc?.sizes || []) {
    if (!bySize.has(entry.deals)) bySize.set(entry.deals, {});
    bySize.get(entry.deals)[build] = entry;
  }
}
const sizes = [...bySize.keys()].sort((a, b) => a - b);

// Figures the native benchmark has that no row names still show, under their keys.
const named = new Set(ROWS.map((row) => row.native));
const extra = new Set();
for (const entry of native?.sizes || []) {
  for (const key of Object.keys(entry)) if (key !== 'deals' && !named.has(key) && !key.endsWith('frames')) extra.add(key);
}
const rows = [...ROWS, ...[...extra].map((key) => ({ label: key.replace(/_/g, ' '), native: key, browser: null, target: '' }))];

// A column per size and build, leaving out a build that did not run.
const builds = [['native', native], ['browser', browser]].filter(([, doc]) => doc).map(([build]) => build);
const header = ['figure'];
for (const size of sizes) for (const build of builds) header.push(`${size.toLocaleString('en')} ${build}`);
header.push('target (at 100k)');
const cell = (figures, key) => (key === null || !figures ? '' : format(key, figures[key]));
const table = rows
  .map((row) => [row.label, ...sizes.flatMap((size) => builds.map((build) => cell(bySize.get(size)[build], row[build]))), row.target])
  .filter((cells) => cells.slice(1, -1).some((text) => text !== ''));

const widths = header.map((_, i) => Math.max(...[header, ...table].map((cells) => cells[i].length)));
const line = (cells) => `| ${cells.map((text, i) => (i === 0 || i === cells.length - 1 ? text.padEnd(widths[i]) : text.padStart(widths[i]))).join(' | ')} |`;
const rule = `|${widths.map((width, i) => (i === 0 || i === widths.length - 1 ? `${'-'.repeat(width + 1)}-` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;

const host = machine(browser);
const notes = [];
if (browser?.download) {
  const d = browser.download;
  const files = d.files.slice(0, 3).map((f) => `${f.path.replace(/^\//, '') || 'index.html'} ${format('bytes', f.gzip)}`).join(', ');
  notes.push(`First visit download: ${format('bytes', d.raw_bytes)} raw, ${format('bytes', d.gzip_bytes)} gzip ` +
    `(target < 1 MB gzip; ${d.files.length} files, largest gzip: ${files}).`);
}
const clock = browser?.sizes?.[0]?.frame_clock;
if (clock) notes.push(`Browser frame CPU time from ${clock === 'frameTimes' ? 'the app\'s frame timer (window.pipeboard.frameTimes())' : 'the main loop\'s requestAnimationFrame callbacks'}; native from thread CPU time.`);
notes.push('Baseline: natively nlohmann::json::parse of the same document (already in memory); in the browser File.text() and JSON.parse of the exported ' +
  'file in the same page. Import / baseline divides the import up to its preview (which also reads the file) by it. ' +
  'Export baseline: JSON.stringify of the objects that baseline read, a Blob and a download, to the download event as for the app\'s export.');
if (!native) notes.push('No native figures (build/bench/native.json is missing).');
if (!browser) notes.push('No browser figures (build/bench/browser.json is missing).');
const machineLine = `Measured ${host.date} on ${host.cores} cores (${host.cpu}), ${host.ram_gb} GB RAM, ${host.chromium} headless with SwiftShader WebGL.`;

const markdown = [machineLine, '', line(header), rule, ...table.map(line), '', ...notes.map((note) => `${note}`)].join('\n');
console.log(markdown);
fs.mkdirSync(FOLDER, { recursive: true });
fs.writeFileSync(path.join(FOLDER, 'results.md'), `${markdown}\n`);
fs.writeFileSync(path.join(FOLDER, 'results.json'), `${JSON.stringify({ machine: host, native, browser }, null, 2)}\n`);
console.log(`\nwritten to ${path.join(FOLDER, 'results.md')} and results.json`);
