//! The WebAssembly facade: what the page calls. It converts and nothing else: seeds
//! from decimal text, JavaScript numbers through the settings' rules, names of choices
//! through the library's parsers, objects through serde, tables as pointers into wasm
//! memory. Every decision is the session's, tested natively; errors reach JavaScript
//! as exceptions carrying the library's message.
//!
//! One file per exported class: [`Lab`] (in `lab`, `lab_views` and `lab_files`),
//! [`TrainingWorker`] and [`Loader`]; the conversions they share are here.

use crate::settings::STEPS_PER_FRAME;
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod lab;
mod lab_files;
mod lab_views;
mod loader;
mod worker;

pub use lab::Lab;
pub use loader::Loader;
pub use worker::TrainingWorker;

/// Converts to a plain JavaScript object the JSON way: `None` becomes `null`, maps
/// become objects, so the page can treat the result like parsed JSON.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

/// Up to `max_steps` steps of `train` (given the count and a `go_on` check), stopping
/// once `budget_ms` of the page's clock have passed; returns the steps taken.
fn timed(
    max_steps: f64,
    budget_ms: f64,
    train: impl FnOnce(usize, &mut dyn FnMut() -> bool) -> crate::Result<usize>,
) -> Result<f64, JsError> {
    // Checked against the rule by the session; a non-whole or negative double must not
    // wrap on the way there.
    let max_steps = STEPS_PER_FRAME.count(max_steps)?;
    let performance = page_clock()?;
    let deadline = performance.now() + budget_ms;
    let done = train(max_steps, &mut || performance.now() <= deadline)?;
    Ok(done as f64)
}

/// The page's clock (`performance`), through web-sys: the global scope's, so that the
/// module keeps time in a Web Worker as on the page.
fn page_clock() -> Result<web_sys::Performance, JsError> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .ok_or_else(|| JsError::new("this page has no performance clock"))
}

/// The largest word-list file the library takes, in bytes (the page checks a file's
/// size against it before reading).
#[wasm_bindgen(js_name = maxFileBytes)]
pub fn max_file_bytes() -> f64 {
    crate::MAX_FILE_BYTES as f64
}

/// The most optimizer steps a `W` counts, 2^53 − 1 (`Number.MAX_SAFE_INTEGER`): models
/// and reports past it are refused, and training stops at it.
#[wasm_bindgen(js_name = maxSteps)]
pub fn max_steps() -> f64 {
    crate::settings::MAX_STEPS as f64
}

/// Every numeric setting's rule (key, name, min, max, integer, exclusiveMin): the page
/// builds its checks and its inputs' ranges from these.
#[wasm_bindgen(js_name = settingRules)]
pub fn setting_rules() -> Result<JsValue, JsError> {
    to_js(&crate::settings::RULES)
}
