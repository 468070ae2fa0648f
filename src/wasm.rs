//! The WebAssembly facade: converts between JavaScript values and the engine. It never computes.

use crate::{targets, Input, Options};
use js_sys::{Array, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Runs once when the module loads: a panic (which the engine is built never to reach) is written
/// to the console instead of surfacing as a bare "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| console_error(&info.to_string())));
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// `report(files, options)`: `files` is an array of `{ name, data: Uint8Array }`; `options` as
/// `Options` (any field may be left out). Returns the report object (`docs/report-format.md`).
#[wasm_bindgen]
pub fn report(files: Array, options: JsValue) -> Result<JsValue, JsValue> {
    let options: Options = if options.is_undefined() || options.is_null() {
        Options::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsValue::from_str(&format!("options: {e}")))?
    };
    let mut owned: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.length() as usize);
    for file in files.iter() {
        let name = Reflect::get(&file, &JsValue::from_str("name"))?
            .as_string()
            .unwrap_or_default();
        let data = Reflect::get(&file, &JsValue::from_str("data"))?;
        owned.push((name, Uint8Array::new(&data).to_vec()));
    }
    let inputs: Vec<Input<'_>> = owned
        .iter()
        .map(|(name, bytes)| Input { name, bytes })
        .collect();
    to_js(&crate::run(&inputs, &options))
}

#[derive(Serialize)]
struct ThresholdOut {
    window: &'static str,
    a1_days: u32,
    a2_days: u32,
    a1_months: u32,
    a2_months: u32,
    a3_months: u32,
    source: &'static str,
}

/// The compiled-in thresholds, for the page's override form and help.
#[wasm_bindgen]
pub fn targets() -> Result<JsValue, JsValue> {
    let rows: Vec<ThresholdOut> = targets::THRESHOLDS
        .iter()
        .map(|t| ThresholdOut {
            window: t.window,
            a1_days: t.a1_days,
            a2_days: t.a2_days,
            a1_months: t.a1_months,
            a2_months: t.a2_months,
            a3_months: t.a3_months,
            source: t.source,
        })
        .collect();
    to_js(&rows)
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
