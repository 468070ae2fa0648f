// Reads the engine's version and thresholds (engine-info.json, written by scripts/build.sh;
// index.html preloads it) the moment this small module arrives, while the page's own modules are
// still loading: the page is ready (issue 6: interactive within 300 ms) once it has both, and
// its reply is then already parsed. The engine itself is loaded later, by the worker app.js
// starts after the first view (worker.js).

/** The engine's { version, targets }, or { error } when they could not be read. */
export const engineInfo = fetch(new URL('./engine-info.json', import.meta.url))
  .then((response) => {
    if (!response.ok) throw new Error(`engine-info.json: ${response.status} ${response.statusText}`);
    return response.json();
  })
  .catch((err) => ({ error: String(err?.message ?? err) }));
