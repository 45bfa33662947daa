//! [`Lab`], the page's session: its constructor, training, settings and the state the
//! page reads back. The views are in `lab_views`, the files in `lab_files`.

use super::{timed, to_js};
use crate::data::context::Context;
use crate::session::{known_data as known_data_id, Adopted, Session};
use crate::settings::parse_seed;
use crate::Dataset;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A training session for the page.
#[wasm_bindgen]
pub struct Lab {
    pub(super) session: Session,
}

#[wasm_bindgen]
impl Lab {
    /// A lab on `words` (a word-list file's bytes) or, when `None`, the embedded default
    /// names, with `W` drawn from `seed` (decimal text, up to 2^64 − 1) and L2 strength `l2`.
    #[wasm_bindgen(constructor)]
    pub fn new(words: Option<Vec<u8>>, seed: &str, l2: f32) -> Result<Lab, JsError> {
        // In release builds too: a panic should never happen, but if one does, the
        // console must say where (it costs a few KiB).
        console_error_panic_hook::set_once();
        let data = match words {
            Some(bytes) => Dataset::from_bytes(&bytes)?,
            None => Dataset::default_names(),
        };
        Ok(Lab {
            session: Session::new(data, parse_seed(seed)?, l2)?,
        })
    }

    /// Forward pass over this step's examples; returns their loss.
    pub fn forward(&mut self) -> Result<f64, JsError> {
        Ok(self.session.forward()?)
    }

    /// Backward pass over the examples of the last forward pass.
    pub fn backward(&mut self) -> Result<(), JsError> {
        Ok(self.session.backward()?)
    }

    /// `W -= lr * grad`, one more step counted.
    pub fn step(&mut self, lr: f32) -> Result<(), JsError> {
        Ok(self.session.step(lr)?)
    }

    /// Up to `max_steps` training steps at `lr`, stopping once `budget_ms` of the page's
    /// clock have passed (checked after each step); returns the steps taken. One call a
    /// frame instead of three a step, and the clock read here through web-sys.
    #[wasm_bindgen(js_name = trainFor)]
    pub fn train_for(&mut self, lr: f32, max_steps: f64, budget_ms: f64) -> Result<f64, JsError> {
        timed(max_steps, budget_ms, |max, go_on| {
            self.session.train(lr, max, go_on)
        })
    }

    /// What a [`TrainingWorker`](super::TrainingWorker) in another instance of the module needs to train on
    /// from this state (see [`Session::handoff`]); without the words when `known_data`
    /// is this data set's number (the worker has them).
    pub fn handoff(&self, known_data: Option<f64>) -> Result<JsValue, JsError> {
        let known = known_data_id(known_data);
        // `W` as a `Uint8Array`, not an array of numbers (see `Handoff::w`).
        let serializer =
            serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false);
        Ok(self.session.handoff(known).serialize(&serializer)?)
    }

    /// Takes a worker's report (see [`Session::adopt_report`]): true when its steps are
    /// the session's now, false when the session changed since its run began (nothing
    /// taken: hand the run off again).
    #[wasm_bindgen(js_name = adoptReport)]
    pub fn adopt_report(&mut self, report: &[u8]) -> Result<bool, JsError> {
        Ok(matches!(
            self.session.adopt_report(report)?,
            Adopted::Steps(_)
        ))
    }

    /// After `W` changed: `{loss, devLoss, steps, rewound}` (see [`Session::settle`]).
    pub fn settle(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.session.settle()?)
    }

    /// Sets the held-out share (percent, 0 for none), shuffled with `seed`.
    #[wasm_bindgen(js_name = setSplit)]
    pub fn set_split(&mut self, percent: f64, seed: &str) -> Result<(), JsError> {
        Ok(self.session.set_split(percent, parse_seed(seed)?)?)
    }

    /// The share of words held out, in percent.
    #[wasm_bindgen(getter, js_name = splitPercent)]
    pub fn split_percent(&self) -> u32 {
        self.session.split_percent()
    }

    /// A new `W` from the seed after `seed`; returns that seed as text.
    #[wasm_bindgen(js_name = resampleNext)]
    pub fn resample_next(&mut self, seed: &str) -> Result<String, JsError> {
        Ok(self.session.resample_next(parse_seed(seed)?)?.to_string())
    }

    /// The word trained on alone, or `undefined` when training uses all the words.
    #[wasm_bindgen(getter, js_name = trainOn)]
    pub fn train_on(&self) -> Option<String> {
        self.session.train_on_word().map(str::to_string)
    }

    /// Trains on `word`'s examples alone, or on all the words with `undefined`.
    #[wasm_bindgen(js_name = setTrainOn)]
    pub fn set_train_on(&mut self, word: Option<String>) -> Result<(), JsError> {
        Ok(self.session.set_train_on(word.as_deref())?)
    }

    /// Starts over with a new `W` from `seed` for a context of `len` characters (1 to 3)
    /// fed as `encoding` (`context` or `concat`); refused, changing nothing, past the
    /// size limit.
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&mut self, len: f64, encoding: &str, seed: &str) -> Result<(), JsError> {
        let context = Context::from_setting(len, encoding)?;
        Ok(self.session.set_context(context, parse_seed(seed)?)?)
    }

    /// Characters of context.
    #[wasm_bindgen(getter, js_name = contextLength)]
    pub fn context_length(&self) -> usize {
        self.session.context().len()
    }

    /// The encoding's name: `context` or `concat`.
    #[wasm_bindgen(getter)]
    pub fn encoding(&self) -> String {
        self.session.context().encoding().name().into()
    }

    /// makemore's 80/10/10 split with `seed` (decimal text), or none with `undefined`.
    #[wasm_bindgen(js_name = setMakemoreSplit)]
    pub fn set_makemore_split(&mut self, seed: Option<String>) -> Result<(), JsError> {
        let seed = seed.as_deref().map(parse_seed).transpose()?;
        Ok(self.session.set_makemore_split(seed)?)
    }

    /// The seed of makemore's split, when that is the split.
    #[wasm_bindgen(getter, js_name = makemoreSplitSeed)]
    pub fn makemore_split_seed(&self) -> Option<String> {
        self.session.makemore_split_seed().map(|s| s.to_string())
    }

    /// Examples per minibatch; 0 means the whole training data.
    #[wasm_bindgen(getter, js_name = batchSize)]
    pub fn batch_size(&self) -> usize {
        self.session.batch_size()
    }

    /// Sets the minibatch size.
    #[wasm_bindgen(setter, js_name = batchSize)]
    pub fn set_batch_size(&mut self, size: f64) -> Result<(), JsError> {
        Ok(self.session.set_batch_size(size)?)
    }

    /// Optimizer steps taken by this `W`.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> f64 {
        self.session.steps() as f64
    }

    /// λ, the L2 strength.
    #[wasm_bindgen(getter)]
    pub fn l2(&self) -> f32 {
        self.session.l2()
    }

    /// Sets λ.
    #[wasm_bindgen(setter)]
    pub fn set_l2(&mut self, l2: f32) -> Result<(), JsError> {
        Ok(self.session.set_l2(l2)?)
    }

    /// A new `W` from `seed`; the step count goes back to 0.
    pub fn reset(&mut self, seed: &str) -> Result<(), JsError> {
        Ok(self.session.reset(parse_seed(seed)?)?)
    }

    /// A copy of the whole session (data, `W`, steps, split, the minibatch generator):
    /// the guided tour works on one, so the person's own session comes back unchanged.
    pub fn copy(&self) -> Lab {
        Lab {
            session: self.session.clone(),
        }
    }

    /// V, the vocabulary size; the tables are V×V, row-major.
    #[wasm_bindgen(getter, js_name = vocabSize)]
    pub fn vocab_size(&self) -> usize {
        self.session.data().vocab().len()
    }

    /// The vocabulary in index order (`itos`), `.` first.
    #[wasm_bindgen(getter)]
    pub fn vocab(&self) -> String {
        self.session.vocab_string()
    }

    /// True when the vocabulary has no upper-case letters.
    #[wasm_bindgen(getter, js_name = vocabIsLowercase)]
    pub fn vocab_is_lowercase(&self) -> bool {
        self.session.data().vocab().is_lowercase()
    }

    /// Words, bigrams, vocabulary and held-out words of the data set.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.summary())
    }
}
