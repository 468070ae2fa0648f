// Starts the engine's worker, and reads the engine's version and thresholds (engine-info.json,
// written by scripts/build.sh; index.html preloads it), the moment this small module arrives,
// before the page's own modules (app.js and everything it imports) have loaded (issue 6:
// interactive within 300 ms). The page is ready once it has both the facts and its modules; the
// worker loads the engine itself later (worker.js). A failure of the worker before the page
// listens is kept and handed over by takeEarly().

/** The engine, in its own thread. */
export const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

/** The engine's { version, targets }, or { error } when they could not be read. */
export const engineInfo = fetch(new URL('./engine-info.json', import.meta.url))
  .then((response) => {
    if (!response.ok) throw new Error(`engine-info.json: ${response.status} ${response.statusText}`);
    return response.json();
  })
  .catch((err) => ({ error: String(err?.message ?? err) }));

let early = [];
const keep = (event) => early?.push(event);
worker.addEventListener('message', keep);
worker.addEventListener('error', keep);

/** The events that came before the page listened, in order; from now on none are kept. */
export function takeEarly() {
  const events = early ?? [];
  early = null;
  worker.removeEventListener('message', keep);
  worker.removeEventListener('error', keep);
  return events;
}
