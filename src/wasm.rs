//! The WebAssembly facade: [`Lab`] wraps a [`Session`] for the page and converts types
//! (seeds as decimal text, JavaScript numbers checked against the settings' rules,
//! objects through serde, pointers into wasm memory). It holds no rule of its own: every
//! decision is the session's, tested natively. Errors reach JavaScript as exceptions
//! carrying the library's message.

use crate::context::{Context, Encoding};
use crate::session::{Adopted, Handoff, ModelFile, Remote, Session};
use crate::settings::parse_seed;
use crate::{Dataset, DatasetBuilder};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Converts to a plain JavaScript object the JSON way: `None` becomes `null`, maps
/// become objects, so the page can treat the result like parsed JSON.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

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
    phase: crate::session::Phase,
    loss: Option<f64>,
}

/// A training session for the page.
#[wasm_bindgen]
pub struct Lab {
    session: Session,
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

    /// What a [`TrainingWorker`] in another instance of the module needs to train on
    /// from this state (see [`Session::handoff`]); without the words when `known_data`
    /// is this data set's number (the worker has them).
    pub fn handoff(&self, known_data: Option<f64>) -> Result<JsValue, JsError> {
        // A number that is not a whole u64 is no data set's: the words go.
        let known = known_data
            .filter(|n| n.fract() == 0.0 && *n >= 0.0)
            .map(|n| n as u64);
        // `W` as a `Uint8Array`, not an array of numbers (see `Handoff::w`).
        let serializer =
            serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false);
        Ok(self.session.handoff(known).serialize(&serializer)?)
    }

    /// Takes a worker's report (see [`Session::adopt_report`]): true when its steps are
    /// this session's now, false when the session changed since its run began (nothing
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

    /// Example `x → y`'s backward pass at the current `W`: `{dlogits, grad_data,
    /// grad_l2, grad, examples}` (call `settle` first).
    #[wasm_bindgen(js_name = backwardView)]
    pub fn backward_view(&self, x: usize, y: usize) -> Result<JsValue, JsError> {
        let view = self.session.backward_view(x, y).ok_or_else(|| {
            JsError::new("no backward pass: an index is outside the vocabulary, or W changed since the last forward pass")
        })?;
        to_js(&view)
    }

    /// Address of `W.grad` (V×V float32) for the heatmap: the walk's buffer while walking
    /// the loop, else the whole training data's gradient at the current `W`.
    #[wasm_bindgen(js_name = gradPtr)]
    pub fn grad_ptr(&mut self) -> Result<*const f32, JsError> {
        Ok(self.session.grad_table()?.as_ptr())
    }

    /// Address of `W` (V×V float32).
    #[wasm_bindgen(js_name = weightsPtr)]
    pub fn weights_ptr(&self) -> *const f32 {
        self.session.net().w().as_ptr()
    }

    /// Address of the last step's update `ΔW = −lr · grad` (V×V float32).
    #[wasm_bindgen(js_name = updatePtr)]
    pub fn update_ptr(&self) -> *const f32 {
        self.session.last_update().as_ptr()
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
        let more = crate::settings::GRAD_CHECK_CELLS.count(more)?;
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

    /// Starts over with a new `W` from `seed` for a context of `len` characters (1 to 3)
    /// fed as `encoding` (`context` or `concat`); refused, changing nothing, past the
    /// size limit.
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&mut self, len: f64, encoding: &str, seed: &str) -> Result<(), JsError> {
        // A double that is not a small whole number is refused by Context::new.
        let len = if len.fract() == 0.0 && (0.0..=8.0).contains(&len) {
            len as usize
        } else {
            0
        };
        let context = Context::new(len, Encoding::parse(encoding)?)?;
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

    /// The loss on the test words of makemore's split, or `undefined` without one.
    #[wasm_bindgen(js_name = testLoss)]
    pub fn test_loss(&mut self) -> Result<Option<f64>, JsError> {
        Ok(self.session.test_loss()?)
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

    /// The PyTorch program that reproduces this run from a Reset with `W` from `seed`,
    /// the learning rate `lr` (the steps' own once steps were taken) and `sample_count`
    /// names, its forward pass in `form`: `onehot`, `index` or `cross_entropy`. Plain text.
    pub fn code(
        &self,
        form: &str,
        seed: &str,
        lr: f32,
        sample_count: f64,
    ) -> Result<String, JsError> {
        let form = match form {
            "onehot" => crate::code::Form::OneHot,
            "index" => crate::code::Form::Index,
            "cross_entropy" => crate::code::Form::CrossEntropy,
            _ => {
                return Err(JsError::new(
                    "code form: must be onehot, index or cross_entropy",
                ))
            }
        };
        let sample_count = crate::settings::SAMPLE_COUNT.count(sample_count)?;
        let spec = self.session.run_spec(parse_seed(seed)?, lr, sample_count);
        Ok(crate::code::pytorch_program(&spec, form))
    }

    /// The data set's words, one per line: the `names.txt` the Code panel's program reads.
    #[wasm_bindgen(js_name = wordsText)]
    pub fn words_text(&self) -> String {
        let mut text = self.session.data().words().collect::<Vec<_>>().join("\n");
        text.push('\n');
        text
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

    /// Address of the counting model's V×V `P` for smoothing `k` in wasm memory
    /// (row-major float32).
    #[wasm_bindgen(js_name = countProbsPtr)]
    pub fn count_probs_ptr(&mut self, k: f64) -> Result<*const f32, JsError> {
        // NaN, ±∞ and values past f32 stay refusable after the cast: the rule checks them.
        Ok(self.session.count_model(k as f32)?.p().as_ptr())
    }

    /// The model as a plain object for JSON.
    #[wasm_bindgen(js_name = exportModel)]
    pub fn export_model(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.export())
    }

    /// Takes an exported model (parsed JSON); refused with nothing changed unless valid.
    #[wasm_bindgen(js_name = importModel)]
    pub fn import_model(&mut self, model: JsValue) -> Result<(), JsError> {
        let file: ModelFile =
            serde_wasm_bindgen::from_value(model).map_err(|e| crate::Error::NotAModelFile {
                reason: e.to_string(),
            })?;
        Ok(self.session.import(file)?)
    }

    /// `W` as the bytes of a `.npy` file (float32, the context's shape).
    #[wasm_bindgen(js_name = exportWNpy)]
    pub fn export_w_npy(&self) -> Result<Vec<u8>, JsError> {
        Ok(self.session.w_npy()?)
    }

    /// The training data's counts `N` as the bytes of a `.npy` file (int32).
    #[wasm_bindgen(js_name = exportNNpy)]
    pub fn export_n_npy(&self) -> Result<Vec<u8>, JsError> {
        Ok(self.session.n_npy()?)
    }

    /// The most bytes of a `.npy` file worth reading for [`import_w_npy`](Self::import_w_npy).
    #[wasm_bindgen(getter, js_name = maxWNpyBytes)]
    pub fn max_w_npy_bytes(&self) -> f64 {
        self.session.max_w_npy_bytes() as f64
    }

    /// Takes `W` from the bytes of a `.npy` file; refused with nothing changed unless it
    /// fits the current data set and context.
    #[wasm_bindgen(js_name = importWNpy)]
    pub fn import_w_npy(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        Ok(self.session.import_w_npy(bytes)?)
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

    /// Address of the probability table from the last forward pass in wasm memory, for
    /// `new Float32Array(memory.buffer, ptr, V * V)`: read in place, no copy per frame.
    #[wasm_bindgen(js_name = probsPtr)]
    pub fn probs_ptr(&self) -> *const f32 {
        self.session.net().probs().as_ptr()
    }

    /// The probe's report for `word` under the current `W`.
    #[wasm_bindgen(js_name = wordReport)]
    pub fn word_report(&self, word: &str) -> Result<JsValue, JsError> {
        to_js(&self.session.word_report(word))
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

    /// The counting model's mean NLL for smoothing `k`: the floor the net approaches.
    #[wasm_bindgen(js_name = countLoss)]
    pub fn count_loss(&mut self, k: f64) -> Result<f64, JsError> {
        Ok(self.session.count_loss(k as f32)?)
    }

    /// `n` names from the current `W`, drawn with a fresh generator seeded with `seed`.
    pub fn sample(&self, n: f64, seed: &str) -> Result<Vec<String>, JsError> {
        Ok(self.session.sample(n, parse_seed(seed)?)?)
    }

    /// A copy of the whole session (data, `W`, steps, split, the minibatch generator):
    /// the guided tour works on one, so the person's own session comes back unchanged.
    pub fn copy(&self) -> Lab {
        Lab {
            session: self.session.clone(),
        }
    }

    /// A new `W` from `seed`; the step count goes back to 0.
    pub fn reset(&mut self, seed: &str) -> Result<(), JsError> {
        Ok(self.session.reset(parse_seed(seed)?)?)
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

    /// Replaces the data set with a word list file's bytes and starts a new `W` from
    /// `seed`. On any error nothing changes.
    #[wasm_bindgen(js_name = loadWords)]
    pub fn load_words(&mut self, bytes: &[u8], seed: &str) -> Result<(), JsError> {
        let seed = parse_seed(seed)?;
        Ok(self.session.load(Dataset::from_bytes(bytes)?, seed)?)
    }

    /// Replaces the data set with what `loader` read; as [`load_words`](Self::load_words)
    /// otherwise. The loader is used up.
    #[wasm_bindgen(js_name = loadFrom)]
    pub fn load_from(&mut self, loader: Loader, seed: &str) -> Result<(), JsError> {
        let seed = parse_seed(seed)?;
        Ok(self.session.load(loader.builder.finish()?, seed)?)
    }
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
    let max_steps = crate::settings::STEPS_PER_FRAME.count(max_steps)?;
    let performance = page_clock()?;
    let deadline = performance.now() + budget_ms;
    let done = train(max_steps, &mut || performance.now() <= deadline)?;
    Ok(done as f64)
}

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

/// Every numeric setting's rule (key, name, min, max, integer, exclusiveMin): the page
/// builds its checks and its inputs' ranges from these.
#[wasm_bindgen(js_name = settingRules)]
pub fn setting_rules() -> Result<JsValue, JsError> {
    to_js(&crate::settings::RULES)
}

/// Reads a word list in pieces, so that the page can load a large file a chunk at a
/// time, showing progress and staying responsive in between; then
/// [`Lab::load_from`] takes it.
#[wasm_bindgen]
pub struct Loader {
    builder: DatasetBuilder,
}

#[wasm_bindgen]
impl Loader {
    /// An empty loader.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Loader {
        Loader {
            builder: DatasetBuilder::new(),
        }
    }

    /// The next piece of the file; fails at once on bytes that cannot be a word list.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        Ok(self.builder.push(chunk)?)
    }
}

impl Default for Loader {
    fn default() -> Self {
        Self::new()
    }
}
