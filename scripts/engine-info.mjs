// Writes www/engine-info.json: the engine's version and compiled-in thresholds, read from the
// engine module just built (www/pkg). The page shows them from the first view, and the engine
// itself (www/pkg/care_scorecard_bg.wasm) is fetched only when the user gives it data.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = join(dirname(fileURLToPath(import.meta.url)), '..', 'www');
const engine = await import(join(www, 'pkg', 'care_scorecard.js'));
await engine.default({ module_or_path: readFileSync(join(www, 'pkg', 'care_scorecard_bg.wasm')) });
const info = { version: engine.version(), targets: engine.targets() };
writeFileSync(join(www, 'engine-info.json'), `${JSON.stringify(info)}\n`);
