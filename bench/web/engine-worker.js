// The engine, as the product's worker runs it: the same module (www/pkg/care_scorecard.js) and
// the same call, report(files, options). With { probe: true } it loads the bench-only probe
// module instead (bench/probe) and times report()'s steps one by one.

import init, { report } from '/pkg/care_scorecard.js';

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
    } else if (message.type === 'run') {
      const startedAt = now();
      const files = message.files.map((f) => ({ name: f.name, data: new Uint8Array(f.data) }));
      const result = report(files, {});
      const sentAt = now();
      self.postMessage({
        type: 'report',
        report: result,
        workerMs: sentAt - startedAt,
        wasmMemory: wasm.memory.buffer.byteLength,
        startedAt,
        sentAt,
      });
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
      const held = new probe.Probe(files);
      step('copyInMs');
      held.compute();
      step('computeMs');
      const object = held.to_js();
      step('toJsMs');
      const json = held.to_json();
      step('toJsonMs');
      JSON.parse(json);
      step('jsonParseMs');
      steps.jsonBytes = json.length;
      // What posting the report object to the page costs this thread (it is cloned here).
      const copy = structuredClone(object);
      step('structuredCloneMs');
      void copy;
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
