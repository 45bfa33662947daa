//! What the page shows of a [`Lab`]: the tables it reads in place in wasm memory, one
//! example's trace, backward pass and graph, the gradient check, *Walk the loop*, the word
//! probe, samples and the tuning sweeps.

use super::{page_clock, to_js, Lab};
use crate::session::Phase;
use crate::settings::{parse_seed, GRAD_CHECK_CELLS};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// One example's path through the net, for the page's explorer.
#[derive(Serialize)]
struct Trace {
    x: usize,
    y: usize,
    logits: Vec<f32>,
    counts: Vec<f32>,
    probs: Vec<f32>,
    p: f32,
    nll: f64,
}

/// What one press of *Walk the loop* did.
#[derive(Serialize)]
struct Walked {
    phase: Phase,
    loss: Option<f64>,
}

#[wasm_bindgen]
impl Lab {
    /// Address of the probability table from the last forward pass in wasm memory, for
    /// `new Float32Array(memory.buffer, ptr, V * V)`: read in place, no copy per frame.
    #[wasm_bindgen(js_name = probsPtr)]
    pub fn probs_ptr(&self) -> *const f32 {
        self.session.net().probs().as_ptr()
    }

    /// Address of `W` (V×V float32).
    #[wasm_bindgen(js_name = weightsPtr)]
    pub fn weights_ptr(&self) -> *const f32 {
        self.session.net().w().as_ptr()
    }

    /// Address of `W.grad` (V×V float32) for the heatmap: the walk's buffer while walking
    /// the loop, else the whole training data's gradient at the current `W`.
    #[wasm_bindgen(js_name = gradPtr)]
    pub fn grad_ptr(&mut self) -> Result<*const f32, JsError> {
        Ok(self.session.grad_table()?.as_ptr())
    }

    /// Address of the last step's update `ΔW = −lr · grad` (V×V float32).
    #[wasm_bindgen(js_name = updatePtr)]
    pub fn update_ptr(&self) -> *const f32 {
        self.session.last_update().as_ptr()
    }

    /// Address of the counting model's V×V `P` for smoothing `k` in wasm memory
    /// (row-major float32).
    #[wasm_bindgen(js_name = countProbsPtr)]
    pub fn count_probs_ptr(&mut self, k: f64) -> Result<*const f32, JsError> {
        // NaN, ±∞ and values past f32 stay refusable after the cast: the rule checks them.
        Ok(self.session.count_model(k as f32)?.p().as_ptr())
    }

    /// The counting model's mean NLL for smoothing `k`: the floor the net approaches.
    #[wasm_bindgen(js_name = countLoss)]
    pub fn count_loss(&mut self, k: f64) -> Result<f64, JsError> {
        Ok(self.session.count_loss(k as f32)?)
    }

    /// The loss on the test words of makemore's split, or `undefined` without one.
    #[wasm_bindgen(js_name = testLoss)]
    pub fn test_loss(&mut self) -> Result<Option<f64>, JsError> {
        Ok(self.session.test_loss()?)
    }

    /// Example `x → y` from the last forward pass: logits, counts, probs, p, −ln p.
    pub fn example(&self, x: usize, y: usize) -> Result<JsValue, JsError> {
        let trace = self.session.example(x, y).ok_or_else(|| {
            JsError::new("no trace: an index is outside the vocabulary, or W changed since the last forward pass")
        })?;
        to_js(&Trace {
            x,
            y,
            logits: trace.logits.clone(),
            counts: trace.counts(),
            probs: trace.probs.to_vec(),
            p: trace.p,
            nll: trace.nll,
        })
    }

    /// Example `x → y` of the training data (`x` the context's row) as a graph at the
    /// current `W`: every node's value and `.grad` in its row, `W`'s rows with their
    /// `W.grad` rows apart in data and L2 parts, and the loss (see
    /// `bigram_lab::model::graph::Graph`; `inTraining` false for an example no training
    /// word has). Throws for an index outside the vocabulary.
    pub fn graph(&self, x: usize, y: usize) -> Result<JsValue, JsError> {
        to_js(&self.session.graph(x, y)?)
    }

    /// The gradient check at cell `(x, y)` and `more` cells drawn with `seed`:
    /// `[{row, col, analytic, numeric, relError, analyticF32}]`.
    #[wasm_bindgen(js_name = gradCheck)]
    pub fn grad_check(
        &self,
        x: usize,
        y: usize,
        more: f64,
        seed: &str,
    ) -> Result<JsValue, JsError> {
        let more = GRAD_CHECK_CELLS.count(more)?;
        let cells = self
            .session
            .grad_check_cells((x, y), more, parse_seed(seed)?)?;
        to_js(&self.session.grad_check(&cells)?)
    }

    /// Starts or stops *Walk the loop*.
    #[wasm_bindgen(js_name = setWalk)]
    pub fn set_walk(&mut self, on: bool) {
        self.session.set_walk(on);
    }

    /// The walk's next phase: `{phase, loss}` (`loss` after `forward`, else null).
    #[wasm_bindgen(js_name = walkNext)]
    pub fn walk_next(&mut self, lr: f32) -> Result<JsValue, JsError> {
        let (phase, loss) = self.session.walk_next(lr)?;
        to_js(&Walked { phase, loss })
    }

    /// The probe's report for `word` under the current `W`.
    #[wasm_bindgen(js_name = wordReport)]
    pub fn word_report(&self, word: &str) -> Result<JsValue, JsError> {
        to_js(&self.session.word_report(word))
    }

    /// `n` names from the current `W`, drawn with a fresh generator seeded with `seed`.
    pub fn sample(&self, n: f64, seed: &str) -> Result<Vec<String>, JsError> {
        Ok(self.session.sample(n, parse_seed(seed)?)?)
    }

    /// The smoothing sweep: `[{value, train, dev}]`.
    #[wasm_bindgen(js_name = smoothingSweep)]
    pub fn smoothing_sweep(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.smoothing_sweep()?)
    }

    /// Starts a λ sweep (`steps` steps per strength at `lr`, `W` from `seed`).
    #[wasm_bindgen(js_name = startL2Sweep)]
    pub fn start_l2_sweep(&mut self, steps: f64, lr: f32, seed: &str) -> Result<(), JsError> {
        Ok(self.session.start_l2_sweep(steps, lr, parse_seed(seed)?)?)
    }

    /// Runs the λ sweep on for about `budget_ms` of the page's clock: `{done, total,
    /// points}`, or `null` when none is under way.
    #[wasm_bindgen(js_name = advanceSweep)]
    pub fn advance_sweep(&mut self, budget_ms: f64) -> Result<JsValue, JsError> {
        let clock = page_clock()?;
        let deadline = clock.now() + budget_ms;
        to_js(&self.session.advance_sweep(|| clock.now() <= deadline)?)
    }

    /// Stops the λ sweep.
    #[wasm_bindgen(js_name = cancelSweep)]
    pub fn cancel_sweep(&mut self) {
        self.session.cancel_sweep();
    }
}
