// The engine, as the product's worker runs it: the same module (www/pkg/care_scorecard.js) and
// the same call, report(files, options). With { probe: true } it loads the bench-only probe
// module instead (bench/probe) and times report()'s steps one by one.

import init, { report } from '/pkg/care_scorecard.js';
// An upload is read a piece at a time as the product's worker reads it (www/pieces.js).
import { inPieces, inPiecesOfChunks } from '/pieces.js';

const now = () => performance.timeOrigin + performance.now();
let wasm = null;
let probe = null;

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === 'load') {
      if (message.probe) {
        const module = await import('/bench/probe/care_scorecard_probe.js');
        wasm = await module.default();
        probe = module;
      } else {
        wasm = await init();
      }
      self.postMessage({ type: 'ready' });
    } else if (message.type === 'warm') {
      // The page's warm-up (www/worker.js, warmUp): the same made-up council, runs and call, the
      // files given as the page gives read-ahead uploads.
      const { warmUpFiles, WARM_UP_RUNS, WARM_UP_OPTIONS } = await import('/warm-up.js');
      for (let run = 0; run < WARM_UP_RUNS; run++) {
        const files = warmUpFiles(run).map(({ name, data }) => inPiecesOfChunks(name, [data], () => new Uint8Array(0)));
        report(files, WARM_UP_OPTIONS, undefined, true);
      }
      self.postMessage({ type: 'warmed' });
    } else if (message.type === 'run') {
      const startedAt = now();
      const files = message.files.map((f) => (f.blob ? inPieces(f.name, f.blob) : { name: f.name, data: new Uint8Array(f.data) }));
      // The page's call keeps the what-if's rows in the engine (not with every row asked for).
      const result = report(files, message.options, undefined, message.options.rows === 'none');
      const sentAt = now();
      // As the page's worker: each figure's days (Int32Arrays) are handed over, not copied.
      const days = (result?.indicators ?? []).map((i) => i.days?.buffer).filter(Boolean);
      self.postMessage(
        {
          type: 'report',
          report: result,
          workerMs: sentAt - startedAt,
          wasmMemory: wasm.memory.buffer.byteLength,
          startedAt,
          sentAt,
        },
        days,
      );
    } else if (message.type === 'probe') {
      const startedAt = now();
      const files = message.files.map((f) => ({ name: f.name, data: new Uint8Array(f.data) }));
      const steps = {};
      let t = performance.now();
      const step = (name) => {
        const t2 = performance.now();
        steps[name] = t2 - t;
        t = t2;
      };
      // Each step may fail on its own at the largest sizes (a JSON text longer than V8's
      // longest string, memory): the rest are still timed.
      const attempt = (name, fn) => {
        try {
          const value = fn();
          step(name);
          return value;
        } catch (err) {
          steps[name + 'Error'] = String(err?.message ?? err).slice(0, 200);
          step(name);
          return undefined;
        }
      };
      const held = new probe.Probe(files);
      step('copyInMs');
      // As the page asks: figures only (rows: 'none').
      held.compute(false);
      step('computeMs');
      attempt('toJsMs', () => held.to_js());
      // Every figure with its child rows (the JSON download; before 2026-12 the page's only call).
      held.compute(true);
      step('computeRowsMs');
      let object = attempt('toJsRowsMs', () => held.to_js());
      let json = attempt('toJsonMs', () => held.to_json());
      if (json !== undefined) {
        steps.jsonBytes = json.length;
        attempt('jsonParseMs', () => JSON.parse(json));
      }
      json = undefined;
      // What posting the report object to the page costs this thread (it is cloned here).
      if (object !== undefined) attempt('structuredCloneMs', () => structuredClone(object));
      object = undefined;
      held.free();
      const sentAt = now();
      self.postMessage({
        type: 'probe',
        steps,
        workerMs: sentAt - startedAt,
        wasmMemory: wasm.memory.buffer.byteLength,
        startedAt,
        sentAt,
      });
    }
  } catch (err) {
    self.postMessage({ type: 'error', message: String(err?.stack ?? err) });
  }
};
