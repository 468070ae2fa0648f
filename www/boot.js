// Starts the engine's worker the moment this small module arrives, before the page's own
// modules (app.js and everything it imports) have loaded: the engine then loads in parallel
// with the page (issue 6: interactive within 300 ms). What the worker says before the page
// listens ('ready', or a failure to load) is kept and handed over by takeEarly().

/** The engine, in its own thread. */
export const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

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
