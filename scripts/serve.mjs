// Serves www/ on 127.0.0.1 only: a static file server with the MIME types the page needs
// (application/wasm, so the browser can compile the engine while it downloads).
//
//   node scripts/serve.mjs             http://127.0.0.1:8080/
//   PORT=9000 node scripts/serve.mjs
//
// The tests import startServer() and listen on port 0 (a free port).

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HOST = '127.0.0.1';
const DEFAULT_ROOT = fileURLToPath(new URL('../www/', import.meta.url));

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/** As in www/index.html's meta tag. */
export const CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; " +
  "style-src 'self'; img-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'";

/** Maps a request path to a file under root, or null when it would leave root. */
function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  // root is absolute with no trailing separator (see startServer).
  const file = resolve(root, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
  return file === root || file.startsWith(root + sep) ? file : null;
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

/**
 * Starts the server and resolves to the listening http.Server.
 * @param {{ port?: number, root?: string, quiet?: boolean }} [options]
 */
export function startServer({ port = 8080, root = DEFAULT_ROOT, quiet = false } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'Method not allowed\n');
    }
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    let file = resolveInside(base, urlPath);
    if (file === null) return send(res, 404, 'Not found\n');
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile()) return send(res, 404, 'Not found\n');
      res.writeHead(200, {
        'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': info.size,
        // A rebuilt engine must never meet a cached page, or the other way round.
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        // The page's own policy (index.html) does not reach its worker: a worker takes the policy
        // its script is served with. Same words, so the engine's thread may fetch only this site.
        'Content-Security-Policy': CSP,
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      send(res, 404, 'Not found\n');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      if (!quiet) {
        const { port: actual } = server.address();
        console.log(`Serving ${base} at http://${HOST}:${actual}/ (Ctrl+C to stop)`);
      }
      resolvePromise(server);
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const port = Number.parseInt(process.env.PORT ?? '8080', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve.mjs: PORT must be a number from 0 to 65535, not "${process.env.PORT}"`);
    process.exit(2);
  }
  startServer({ port }).catch((err) => {
    console.error(`serve.mjs: cannot listen on ${HOST}:${port}: ${err.message}`);
    process.exit(1);
  });
}
