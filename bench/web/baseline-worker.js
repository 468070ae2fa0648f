// The baseline in a worker: papaparse and bench/baseline/scorecard.js (classic scripts, hence a
// classic worker), started from the same ArrayBuffers as the engine.
/* global importScripts, Papa, BaselineScorecard */
importScripts('/bench/vendor/papaparse.min.js', '/bench/baseline/scorecard.js');

const now = () => performance.timeOrigin + performance.now();

self.onmessage = (event) => {
  const message = event.data;
  try {
    if (message.type === 'load') {
      self.postMessage({ type: 'ready' });
    } else if (message.type === 'run') {
      const startedAt = now();
      const result = BaselineScorecard.report(message.files, Papa);
      const sentAt = now();
      self.postMessage({ type: 'baseline', indicators: result.indicators, workerMs: sentAt - startedAt, startedAt, sentAt });
    }
  } catch (err) {
    self.postMessage({ type: 'error', message: String(err?.stack ?? err) });
  }
};
