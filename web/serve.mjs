// A small static file server for the built app (build/web/dist), with the headers the page
// relies on: the wasm MIME type, the Content-Security-Policy, and revalidation on every use
// (no-cache + ETag; the service worker decides what is kept). Usage:
//   node web/serve.mjs DIST_DIR [--port 8080] [--host 127.0.0.1]
// Exports startServer() for the browser tests.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.data': 'application/octet-stream',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  const candidate = path.normalize(path.join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return null;
  try {
    const stat = await fs.stat(candidate);
    if (stat.isDirectory()) return path.join(candidate, 'index.html');
    return candidate;
  } catch {
    return null;
  }
}

export function startServer({ root, port = 8080, host = '127.0.0.1' }) {
  const absoluteRoot = path.resolve(root);
  const server = http.createServer(async (request, response) => {
    const headers = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, headers).end();
      return;
    }
    const file = await resolveFile(absoluteRoot, request.url || '/');
    let body;
    let etag = '';
    try {
      const stat = file ? await fs.stat(file) : null;
      // Lets the service worker's update check revalidate a file without downloading it.
      etag = stat ? `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"` : '';
      if (etag && request.headers['if-none-match'] === etag) {
        response.writeHead(304, { ...headers, ETag: etag }).end();
        return;
      }
      body = file ? await fs.readFile(file) : null;
    } catch {
      body = null;
    }
    if (!body) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    headers['Content-Type'] = MIME_TYPES[path.extname(file)] || 'application/octet-stream';
    headers['Content-Length'] = body.length;
    headers.ETag = etag;
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({ server, url: `http://${host}:${address.port}/` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const root = args.find((arg, i) => !arg.startsWith('--') && !(args[i - 1] || '').startsWith('--'));
  const option = (name, fallback) => {
    const index = args.indexOf(name);
    return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
  };
  if (!root) {
    console.error('usage: node web/serve.mjs DIST_DIR [--port 8080] [--host 127.0.0.1]');
    process.exit(2);
  }
  const port = Number(option('--port', process.env.PORT || 8080));
  startServer({ root, port, host: option('--host', '127.0.0.1') }).then(({ url }) => {
    console.log(`Pipeboard is served at ${url}  (Ctrl+C to stop)`);
  }, (error) => {
    console.error(`Could not serve on port ${port}: ${error.message}`);
    process.exit(1);
  });
}
