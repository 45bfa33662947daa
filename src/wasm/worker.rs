//! [`TrainingWorker`], the page's Web Worker side of training: a copy of the session
//! rebuilt from a [`Lab::handoff`], which trains and reports its steps back.

use super::timed;
#[cfg(doc)]
use super::Lab;
use crate::session::{Handoff, Remote};
use wasm_bindgen::prelude::*;

/// A training run handed off by [`Lab::handoff`], in the page's Web Worker: it trains,
/// and reports its steps for [`Lab::adopt_report`].
#[wasm_bindgen]
pub struct TrainingWorker {
    remote: Remote,
}

#[wasm_bindgen]
impl TrainingWorker {
    /// The run `handoff` describes (what [`Lab::handoff`] gave); the words come from
    /// `previous` (the worker's last run, used up) when the handoff leaves them out.
    #[wasm_bindgen(constructor)]
    pub fn new(
        handoff: JsValue,
        previous: Option<TrainingWorker>,
    ) -> Result<TrainingWorker, JsError> {
        console_error_panic_hook::set_once();
        let handoff: Handoff = serde_wasm_bindgen::from_value(handoff)?;
        Ok(TrainingWorker {
            remote: Remote::new(handoff, previous.map(|p| p.remote))?,
        })
    }

    /// As [`Lab::train_for`], on the worker's copy.
    #[wasm_bindgen(js_name = trainFor)]
    pub fn train_for(&mut self, lr: f32, max_steps: f64, budget_ms: f64) -> Result<f64, JsError> {
        timed(max_steps, budget_ms, |max, go_on| {
            self.remote.train(lr, max, go_on)
        })
    }

    /// Steps taken since the last report.
    #[wasm_bindgen(getter)]
    pub fn unreported(&self) -> f64 {
        self.remote.unreported() as f64
    }

    /// The steps since the last report, as bytes for [`Lab::adopt_report`]; `undefined`
    /// when there are none.
    pub fn report(&mut self) -> Option<Vec<u8>> {
        self.remote.report()
    }
}
