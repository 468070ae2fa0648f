//! The steps of the engine's wasm `report()` (src/wasm.rs), one call each, so JavaScript can time
//! them: `new Probe(files)` copies the bytes in (as `report()` does with `Uint8Array::to_vec`),
//! `compute()` runs the engine, `to_js()` builds the JavaScript object `report()` returns (the
//! same serializer), `to_json()` the JSON text instead. Bench-only; it never changes the engine.

use care_scorecard::options::Rows;
use care_scorecard::{Content, File, Options, Report};
use js_sys::{Array, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Probe {
    files: Vec<(String, Vec<u8>)>,
    report: Option<Report>,
}

#[wasm_bindgen]
impl Probe {
    /// Copies `[{ name, data: Uint8Array }]` into wasm memory.
    #[wasm_bindgen(constructor)]
    pub fn new(files: Array) -> Result<Probe, JsValue> {
        let mut owned = Vec::new();
        for file in files.iter() {
            let name = Reflect::get(&file, &JsValue::from_str("name"))?
                .as_string()
                .unwrap_or_default();
            let data = Uint8Array::new(&Reflect::get(&file, &JsValue::from_str("data"))?).to_vec();
            owned.push((name, data));
        }
        Ok(Probe {
            files: owned,
            report: None,
        })
    }

    /// Runs the engine with the default options; `rows` false = figures only, as the page asks
    /// (`rows: 'none'`), true = every figure with its child rows (the JSON download).
    pub fn compute(&mut self, rows: bool) {
        let inputs: Vec<File<'_>> = self
            .files
            .iter()
            .map(|(name, data)| File {
                name,
                content: Content::Bytes(data),
            })
            .collect();
        self.report = Some(care_scorecard::run_files(
            &inputs,
            &Options {
                rows: if rows { Rows::All } else { Rows::None },
                ..Options::default()
            },
            &mut |_| {},
        ));
    }

    /// The report as the JavaScript object `report()` returns.
    pub fn to_js(&self) -> Result<JsValue, JsValue> {
        self.report
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// The report as JSON text (what the page could parse with `JSON.parse` instead).
    pub fn to_json(&self) -> Result<String, JsValue> {
        serde_json::to_string(&self.report).map_err(|e| JsValue::from_str(&e.to_string()))
    }
}
