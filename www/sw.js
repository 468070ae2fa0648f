// The page's service worker: it keeps this site's own files (the page, its scripts and styles,
// GOV.UK Frontend and both WebAssembly modules) so that after the first visit the page opens
// and works without a connection. It never sees a user's files: the page reads them itself, and
// they never become requests. It handles only the files named in sw-manifest.js and lets every
// other request pass by untouched, so nothing else can ever be stored.
//
// sw-manifest.js is written by scripts/build.sh: self.BUILD = { version, files }. The version is
// a hash of every built file, so a new build is a new service worker (the browser compares the
// imported script as well as this one) with a new cache, and the old cache is deleted when the
// new worker takes over.
//
// Network first: online, each file comes from the site as it would without this worker (a new
// build is never hidden behind an old copy) and the kept copy is refreshed; offline, or when the
// site does not answer, the kept copy.

importScripts('./sw-manifest.js');

const BUILD = self.BUILD ?? { version: 'unbuilt', files: [] };
const PREFIX = 'care-scorecard-';
const CACHE = `${PREFIX}${BUILD.version}`;
const SCOPE = new URL(self.registration.scope);
const INDEX = new URL('index.html', SCOPE).href;
const OWN = new Set(BUILD.files.map((file) => new URL(file, SCOPE).href));

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // All or nothing: a half-kept page would fail offline in ways hard to see.
      await cache.addAll([...OWN].map((url) => new Request(url, { cache: 'no-cache' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      // Look after the page that registered this worker now, not from its next visit.
      await self.clients.claim();
    })(),
  );
});

/** The kept copy a request maps to, or null for a request this worker leaves alone. */
function keyOf(request) {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  // The page itself, however it is asked for: "/", "/index.html", "/?anything".
  if (request.mode === 'navigate' && (url.href === SCOPE.href || url.href === INDEX)) return INDEX;
  return OWN.has(url.href) ? url.href : null;
}

self.addEventListener('fetch', (event) => {
  const key = keyOf(event.request);
  if (key) event.respondWith(networkFirst(event.request, key));
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}
