//! The WebAssembly facade: one class, [`Lab`], that the page drives. It holds the data
//! set and the net and forwards to the library; it does no maths of its own. Every
//! error comes back to JavaScript as an exception carrying the library's message.

use crate::settings::{check_learning_rate, parse_seed, whole_number};
use crate::{
    sample_words, word_report, BigramCounts, BigramNet, CountModel, Dataset, DatasetBuilder,
    TorchGenerator,
};
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// What the page's data-set summary shows.
#[derive(Serialize)]
struct Summary {
    words: usize,
    bigrams: usize,
    vocab: String,
    /// Words held out for the dev loss (0 without a split).
    dev_words: usize,
}

/// A held-out split of the data set: training uses `train`, the chart also shows `dev`.
struct Split {
    percent: f64,
    /// The seed the words were shuffled with: it belongs to the experiment, like `W`.
    seed: u64,
    train: Dataset,
    dev: Dataset,
}

/// A split as the model file records it (the seed as text: all of 0…2^64 − 1 is exact).
#[derive(Serialize, Deserialize, PartialEq)]
struct SplitFile {
    percent: f64,
    seed: String,
}

/// The most names one press of Sample draws.
pub const MAX_SAMPLES: usize = 1000;
/// The largest minibatch: a step over a million examples already takes milliseconds.
pub const MAX_BATCH: usize = 1_000_000;
/// The most bigram rows a word report carries; the mean NLL still covers them all.
pub const MAX_REPORT_ROWS: usize = 200;

/// What an exported model says it is; an import must say the same.
const MODEL_FORMAT: &str = "bigram-lab-model";
/// The version of that format.
const MODEL_VERSION: u32 = 1;

/// A model as exported to JSON: the weights with the vocabulary they index, λ and the
/// step count. The page adds its settings beside these fields.
#[derive(Serialize, Deserialize)]
struct ModelFile {
    format: String,
    version: u32,
    vocab: String,
    /// `W`, row-major, V×V.
    w: Vec<f32>,
    l2: f32,
    steps: f64,
    /// The held-out split the model was trained with, if any.
    #[serde(default)]
    split: Option<SplitFile>,
}

/// The largest step count a model file may carry: steps travel as JavaScript numbers,
/// exact up to 2^53.
const MAX_STEPS: f64 = 9_007_199_254_740_992.0;

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

/// Converts to a plain JavaScript object the JSON way: `None` becomes `null`, maps
/// become objects, so the page can treat the result like parsed JSON.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

/// A data set, a net trained on it, and the step count since the last reset.
#[wasm_bindgen]
pub struct Lab {
    data: Dataset,
    net: BigramNet,
    steps: u64,
    /// Examples per minibatch; 0 trains on the whole data set (full batch).
    batch_size: usize,
    /// Draws the minibatches; seeded with the weights' seed, so runs repeat.
    batch_rng: TorchGenerator,
    /// The current minibatch's counts, reused from step to step.
    batch: BigramCounts,
    /// True while `batch` was drawn by the last forward pass and not yet stepped on.
    batch_ready: bool,
    /// `W` and the step count when [`Lab::loss`] last came out finite: where
    /// [`Lab::rewind`] goes back to after a divergence.
    checkpoint: (Array2<f32>, u64),
    /// The counting model's table for the page, and the smoothing it was made with.
    count_probs: Option<(f32, CountModel)>,
    /// The held-out split, when one is set.
    split: Option<Split>,
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
        let seed = parse_seed(seed)?;
        let net = BigramNet::new(data.vocab().len(), seed, l2)?;
        Ok(Lab {
            checkpoint: (net.w().clone(), 0),
            data,
            net,
            steps: 0,
            batch_size: 0,
            batch_rng: TorchGenerator::manual_seed(seed),
            batch: BigramCounts::empty(1),
            batch_ready: false,
            count_probs: None,
            split: None,
        })
    }

    /// Forward pass over the examples of this step, the training data or, with a batch
    /// size set, a fresh minibatch of it; returns their loss (mean NLL + λ·mean(W²)).
    pub fn forward(&mut self) -> Result<f64, JsError> {
        let train = training_data(&self.data, &self.split);
        if self.batch_size == 0 {
            return Ok(self.net.forward(train.counts())?);
        }
        train.sample_batch(&mut self.batch_rng, self.batch_size, &mut self.batch);
        self.batch_ready = true;
        Ok(self.net.forward(&self.batch)?)
    }

    /// Backward pass over the same examples as the last forward pass: the gradient of
    /// their loss with respect to `W`.
    pub fn backward(&mut self) -> Result<(), JsError> {
        if self.batch_size > 0 && !self.batch_ready {
            // No batch drawn for this W yet: draw one, as forward would.
            self.forward()?;
        }
        let counts = if self.batch_size == 0 {
            self.split
                .as_ref()
                .map_or(&self.data, |s| &s.train)
                .counts()
        } else {
            &self.batch
        };
        Ok(self.net.backward(counts)?)
    }

    /// The loss of the current `W` on the whole training data (the whole data set when
    /// nothing is held out), whatever the batch size: what the page shows and charts.
    /// Refreshes the probability table. A finite loss marks this `W` as the one
    /// [`rewind`](Self::rewind) returns to.
    pub fn loss(&mut self) -> Result<f64, JsError> {
        let train = training_data(&self.data, &self.split);
        let loss = self.net.forward(train.counts())?;
        if loss.is_finite() {
            self.checkpoint.0.assign(self.net.w());
            self.checkpoint.1 = self.steps;
        }
        Ok(loss)
    }

    /// The loss of the current `W` on the held-out words, or `None` without a split.
    #[wasm_bindgen(js_name = devLoss)]
    pub fn dev_loss(&mut self) -> Result<Option<f64>, JsError> {
        match &self.split {
            Some(split) => Ok(Some(self.net.forward(split.dev.counts())?)),
            None => Ok(None),
        }
    }

    /// The share of words held out (0 without a split).
    #[wasm_bindgen(getter, js_name = splitPercent)]
    pub fn split_percent(&self) -> f64 {
        self.split.as_ref().map_or(0.0, |s| s.percent)
    }

    /// Holds out `percent` (0 to 50; 0 for none) of the words, shuffled with `seed`, for
    /// the dev loss; training then uses the rest. `W` and the step count stay.
    #[wasm_bindgen(js_name = setSplit)]
    pub fn set_split(&mut self, percent: f64, seed: &str) -> Result<(), JsError> {
        let whole = whole_number("held-out %", percent, 0, 50)?;
        self.split = if whole == 0 {
            None
        } else {
            Some(make_split(&self.data, percent, parse_seed(seed)?)?)
        };
        self.batch_ready = false;
        self.count_probs = None; // fitted to the training words, which just changed
        Ok(())
    }

    /// After a divergence (a loss that is NaN or infinite): `W` and the step count go
    /// back to the last state whose loss was finite. Returns that step count.
    pub fn rewind(&mut self) -> Result<f64, JsError> {
        self.net.set_w(self.checkpoint.0.clone())?;
        self.steps = self.checkpoint.1;
        self.batch_ready = false;
        Ok(self.steps as f64)
    }

    /// Guess and check: a new random `W` from `seed`, keeping the step count (a resample
    /// is not an optimizer step), so the page can show the loss jump in place.
    pub fn resample(&mut self, seed: &str) -> Result<(), JsError> {
        let seed = parse_seed(seed)?;
        self.net = BigramNet::new(self.vocab_size(), seed, self.net.l2())?;
        self.batch_rng = TorchGenerator::manual_seed(seed);
        self.batch_ready = false;
        self.checkpoint = (self.net.w().clone(), self.steps);
        Ok(())
    }

    /// Example `x → y` as the lecture walks it, from the last forward pass (`loss()` or
    /// `forward()` on the current `W`): the row of `W` the one-hot input selects (the
    /// logits), `exp` of it (the counts), the probabilities, `p[y]` and `−ln p[y]`.
    pub fn example(&self, x: usize, y: usize) -> Result<JsValue, JsError> {
        let trace = self.net.example(x, y).ok_or_else(|| {
            JsError::new("no trace: an index is outside the vocabulary, or W changed since the last forward pass")
        })?;
        to_js(&Trace {
            x,
            y,
            logits: trace.logits.to_vec(),
            counts: trace.counts(),
            probs: trace.probs.to_vec(),
            p: trace.p,
            nll: trace.nll,
        })
    }

    /// Address of the counting model's V×V table `P = (N + k) / row sums` in wasm memory
    /// (row-major float32), made for smoothing `k` (finite, ≥ 0) and kept until another
    /// `k` or data set is asked for.
    #[wasm_bindgen(js_name = countProbsPtr)]
    pub fn count_probs_ptr(&mut self, k: f32) -> Result<*const f32, JsError> {
        if !matches!(&self.count_probs, Some((made, _)) if *made == k) {
            let counts = training_data(&self.data, &self.split).counts();
            self.count_probs = Some((k, CountModel::new(counts, k)?));
        }
        let (_, model) = self.count_probs.as_ref().expect("set just above");
        Ok(model.p().as_ptr())
    }

    /// The model as a plain object for JSON: format, version, vocabulary, `W`, λ, steps.
    #[wasm_bindgen(js_name = exportModel)]
    pub fn export_model(&self) -> Result<JsValue, JsError> {
        to_js(&ModelFile {
            format: MODEL_FORMAT.into(),
            version: MODEL_VERSION,
            vocab: self.vocab(),
            w: self.net.w().iter().copied().collect(),
            l2: self.net.l2(),
            steps: self.steps as f64,
            split: self.split.as_ref().map(|s| SplitFile {
                percent: s.percent,
                seed: s.seed.to_string(),
            }),
        })
    }

    /// Takes a model exported by [`export_model`](Self::export_model) (parsed JSON).
    /// Refused, with nothing changed, unless it is one, for this data set's vocabulary,
    /// with V×V finite weights.
    #[wasm_bindgen(js_name = importModel)]
    pub fn import_model(&mut self, model: JsValue) -> Result<(), JsError> {
        let file: ModelFile = serde_wasm_bindgen::from_value(model)
            .map_err(|e| JsError::new(&format!("not a Bigram Lab model file ({e})")))?;
        if file.format != MODEL_FORMAT || file.version != MODEL_VERSION {
            let (format, version) = (&file.format, file.version);
            return Err(JsError::new(&format!(
                "not a Bigram Lab model file (format {format:?} version {version}; \
                 expected {MODEL_FORMAT:?} version {MODEL_VERSION})"
            )));
        }
        if file.vocab != self.vocab() {
            return Err(JsError::new(&format!(
                "the model's vocabulary is {:?} but the data set's is {:?}: \
                 load the word list it was trained on first",
                file.vocab,
                self.vocab()
            )));
        }
        if !(file.steps.fract() == 0.0 && (0.0..=MAX_STEPS).contains(&file.steps)) {
            return Err(JsError::new(
                "the model's step count is not a whole number ≥ 0",
            ));
        }
        let steps = file.steps as u64;
        let split = match &file.split {
            Some(s) => Some(make_split(&self.data, s.percent, parse_seed(&s.seed)?)?),
            None => None,
        };
        let v = self.vocab_size();
        let w = Array2::from_shape_vec((v, v), file.w)
            .map_err(|_| JsError::new(&format!("the model's weights are not {v}×{v} numbers")))?;
        if !w.iter().all(|x| x.is_finite()) {
            return Err(JsError::new(
                "the model's weights are not all finite numbers",
            ));
        }
        let mut net = self.net.clone();
        net.set_l2(file.l2)?;
        net.set_w(w)?;
        self.checkpoint = (net.w().clone(), steps);
        self.net = net;
        self.steps = steps;
        self.split = split;
        self.count_probs = None;
        self.batch_ready = false;
        Ok(())
    }

    /// Examples per minibatch; 0 means the whole data set (full-batch descent).
    #[wasm_bindgen(getter, js_name = batchSize)]
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// Sets the minibatch size: 0 for full batch, at most [`MAX_BATCH`].
    #[wasm_bindgen(setter, js_name = batchSize)]
    pub fn set_batch_size(&mut self, size: f64) -> Result<(), JsError> {
        self.batch_size = whole_number("batch size", size, 0, MAX_BATCH)?;
        self.batch_ready = false;
        Ok(())
    }

    /// `W -= lr * grad` with the gradient of the last `backward()`, and one more step
    /// counted. Refused (nothing changes) without a gradient for the current `W`.
    pub fn step(&mut self, lr: f32) -> Result<(), JsError> {
        self.net.step(check_learning_rate(lr)?)?;
        self.batch_ready = false;
        self.steps += 1;
        Ok(())
    }

    /// Optimizer steps taken by this `W` (0 after a reset; an import or a rewind brings
    /// back the count that goes with the weights).
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> f64 {
        self.steps as f64
    }

    /// V, the vocabulary size; the tables below are V×V, row-major.
    #[wasm_bindgen(getter, js_name = vocabSize)]
    pub fn vocab_size(&self) -> usize {
        self.data.vocab().len()
    }

    /// The vocabulary in index order (`itos`), `.` first.
    #[wasm_bindgen(getter)]
    pub fn vocab(&self) -> String {
        self.data.vocab().chars().iter().collect()
    }

    /// Address of the probability table from the last forward pass in wasm memory, for
    /// `new Float32Array(memory.buffer, ptr, V * V)`: read in place, no copy per frame.
    #[wasm_bindgen(js_name = probsPtr)]
    pub fn probs_ptr(&self) -> *const f32 {
        self.net.probs().as_ptr()
    }

    /// Address of `W` in wasm memory (V×V float32, row-major).
    #[wasm_bindgen(js_name = weightsPtr)]
    pub fn weights_ptr(&self) -> *const f32 {
        self.net.w().as_ptr()
    }

    /// The probe's report for `word` under the current `W`: rows for the first
    /// [`MAX_REPORT_ROWS`] bigrams of `.word.` (bigram, input, label, p, nll), their
    /// total, the mean NLL over all of them and the characters outside the vocabulary.
    #[wasm_bindgen(js_name = wordReport)]
    pub fn word_report(&self, word: &str) -> Result<JsValue, JsError> {
        let probs = self.net.current_probs();
        let report = word_report(self.data.vocab(), probs.view(), word, MAX_REPORT_ROWS);
        to_js(&report)
    }

    /// True when the vocabulary has no upper-case letters, so that the page may fold
    /// typed upper case to lower case without changing what the model can know.
    #[wasm_bindgen(getter, js_name = vocabIsLowercase)]
    pub fn vocab_is_lowercase(&self) -> bool {
        self.data.vocab().is_lowercase()
    }

    /// Words, bigrams and vocabulary of the data set.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        let summary = Summary {
            words: self.data.word_count(),
            bigrams: self.data.bigram_count(),
            vocab: self.vocab(),
            dev_words: self.split.as_ref().map_or(0, |s| s.dev.word_count()),
        };
        to_js(&summary)
    }

    /// Mean NLL of the counting model with smoothing `k`, fitted to and scored on the
    /// training words: the floor the net approaches.
    #[wasm_bindgen(js_name = countLoss)]
    pub fn count_loss(&self, k: f32) -> Result<f64, JsError> {
        let counts = training_data(&self.data, &self.split).counts();
        Ok(CountModel::new(counts, k)?.nll(counts))
    }

    /// `n` names (1 to [`MAX_SAMPLES`]) from the current `W`, drawn the lecture's way
    /// with a fresh generator seeded with `seed`; each keeps its final `.`.
    pub fn sample(&self, n: f64, seed: &str) -> Result<Vec<String>, JsError> {
        let n = whole_number("names", n, 1, MAX_SAMPLES)?;
        let probs = self.net.current_probs();
        Ok(sample_words(
            probs.view(),
            self.data.vocab(),
            n,
            parse_seed(seed)?,
        )?)
    }

    /// A new `W` from `seed`; the step count goes back to 0, and a held-out split is
    /// shuffled again with `seed`.
    pub fn reset(&mut self, seed: &str) -> Result<(), JsError> {
        self.start_over(None, parse_seed(seed)?)
    }

    /// λ, the L2 strength.
    #[wasm_bindgen(getter)]
    pub fn l2(&self) -> f32 {
        self.net.l2()
    }

    /// Sets λ (finite, ≥ 0).
    #[wasm_bindgen(setter)]
    pub fn set_l2(&mut self, l2: f32) -> Result<(), JsError> {
        Ok(self.net.set_l2(l2)?)
    }

    /// Replaces the data set with a word list file's bytes and starts a new `W` from
    /// `seed`. On any error nothing changes: data, weights and step count stay.
    #[wasm_bindgen(js_name = loadWords)]
    pub fn load_words(&mut self, bytes: &[u8], seed: &str) -> Result<(), JsError> {
        let mut loader = Loader::new();
        loader.push(bytes)?;
        self.load_from(loader, seed)
    }

    /// Replaces the data set with what `loader` read (see [`Loader`]); as
    /// [`load_words`](Self::load_words) otherwise. The loader is used up.
    #[wasm_bindgen(js_name = loadFrom)]
    pub fn load_from(&mut self, loader: Loader, seed: &str) -> Result<(), JsError> {
        let seed = parse_seed(seed)?;
        self.start_over(Some(loader.builder.finish()?), seed)
    }
}

/// `percent` of `data`'s words held out, shuffled with `seed`.
fn make_split(data: &Dataset, percent: f64, seed: u64) -> Result<Split, JsError> {
    let (train, dev) = data.split(percent / 100.0, seed)?;
    Ok(Split {
        percent,
        seed,
        train,
        dev,
    })
}

/// The data training uses: the training part of a split, or all of it. (A function of
/// the two fields, not of `Lab`, so that the net can be borrowed beside it.)
fn training_data<'a>(data: &'a Dataset, split: &'a Option<Split>) -> &'a Dataset {
    split.as_ref().map_or(data, |s| &s.train)
}

impl Lab {
    /// Starts over on `data` (or the current data) with a new `W` from `seed`: what
    /// reset and loading share. Everything is made before anything changes, so an
    /// error (a split of a one-word list, say) leaves the lab as it was.
    fn start_over(&mut self, data: Option<Dataset>, seed: u64) -> Result<(), JsError> {
        let new_data = data.as_ref().unwrap_or(&self.data);
        let split = match self.split.as_ref().map(|s| s.percent) {
            Some(percent) => Some(make_split(new_data, percent, seed)?),
            None => None,
        };
        let net = BigramNet::new(new_data.vocab().len(), seed, self.net.l2())?;
        if let Some(data) = data {
            self.data = data;
        }
        self.count_probs = None;
        self.split = split;
        self.checkpoint = (net.w().clone(), 0);
        self.net = net;
        self.batch_rng = TorchGenerator::manual_seed(seed);
        self.batch_ready = false;
        self.steps = 0;
        Ok(())
    }
}

/// The largest word-list file the library takes, in bytes (the page checks a file's
/// size against it before reading).
#[wasm_bindgen(js_name = maxFileBytes)]
pub fn max_file_bytes() -> f64 {
    crate::data::MAX_FILE_BYTES as f64
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

    /// Bytes read so far.
    #[wasm_bindgen(getter, js_name = bytesRead)]
    pub fn bytes_read(&self) -> f64 {
        self.builder.bytes_read() as f64
    }
}

impl Default for Loader {
    fn default() -> Self {
        Self::new()
    }
}
