//! A training session: the rules of what the page drives, in one type that native tests
//! can hold to them. A session owns the data set and the net `W`, counts the optimizer
//! steps, and decides
//! - which examples a step trains on (the training words of a held-out split, or a
//!   minibatch of them drawn by a generator seeded like `W`),
//! - what happens when `W` diverges (it goes back to its last finite state),
//! - how reset, resample, load and import replace things (all or nothing),
//! - and what a model file holds and which ones it takes.
//!
//! After anything that changes `W`, [`Session::settle`] answers the one question the
//! page asks: the loss, the dev loss, the step count, and whether `W` was rewound.

use crate::count_model::CountModel;
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::model::{BigramNet, ExampleTrace};
use crate::n::N;
use crate::report::{word_report, WordReport};
use crate::rng::TorchGenerator;
use crate::sample::sample_words;
use crate::settings::{
    parse_seed, BATCH_SIZE, HELD_OUT_PERCENT, LEARNING_RATE, MAX_REPORT_ROWS, SAMPLE_COUNT,
};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// What an exported model says it is; an import must say the same.
pub const MODEL_FORMAT: &str = "bigram-lab-model";
/// The version of that format.
pub const MODEL_VERSION: u32 = 1;
/// The largest step count a model file may carry: steps travel as JavaScript numbers,
/// exact up to 2^53.
pub const MAX_STEPS: f64 = 9_007_199_254_740_992.0;

/// A held-out split of the data set: training uses `train`, the dev loss `dev`.
#[derive(Debug, Clone)]
struct Split {
    percent: u32,
    /// The seed the words were shuffled with: it belongs to the experiment, like `W`.
    seed: u64,
    train: Dataset,
    dev: Dataset,
}

impl Split {
    /// `percent` of `data`'s words held out, shuffled with `seed`; `None` for 0.
    fn of(data: &Dataset, percent: u32, seed: u64) -> Result<Option<Split>> {
        if percent == 0 {
            return Ok(None);
        }
        let (train, dev) = data.split(f64::from(percent) / 100.0, seed)?;
        Ok(Some(Split {
            percent,
            seed,
            train,
            dev,
        }))
    }
}

/// A split as the model file records it (the seed as text: all of 0…2^64 − 1 is exact).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SplitFile {
    /// Held-out share in percent.
    pub percent: f64,
    /// The shuffling seed, decimal.
    pub seed: String,
}

/// A model as exported: the weights with the vocabulary they index, λ, the step count
/// and the split they were trained with. The page adds its settings beside these fields.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ModelFile {
    /// Always [`MODEL_FORMAT`].
    pub format: String,
    /// Always [`MODEL_VERSION`].
    pub version: u32,
    /// The vocabulary in index order.
    pub vocab: String,
    /// `W`, row-major, V×V.
    pub w: Vec<f32>,
    /// λ.
    pub l2: f32,
    /// Optimizer steps (a whole number, kept as a double for JavaScript).
    pub steps: f64,
    /// The held-out split, if any.
    #[serde(default)]
    pub split: Option<SplitFile>,
}

/// `W` was rewound: its loss had become non-finite.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rewind {
    /// The step count at which the loss was found non-finite.
    pub at_step: u64,
    /// That loss (NaN or infinite).
    pub loss: f64,
    /// The step count of the finite state `W` went back to.
    pub to_step: u64,
}

/// The answer to "W changed": what the page shows and charts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// Loss of the current `W` on the whole training data (finite).
    pub loss: f64,
    /// Loss on the held-out words, when there is a split.
    pub dev_loss: Option<f64>,
    /// Optimizer steps taken by this `W`.
    pub steps: u64,
    /// Set when the loss had diverged and `W` went back.
    pub rewound: Option<Rewind>,
}

/// The data set's shape, for the page's summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Words in the whole list.
    pub words: usize,
    /// Examples (bigrams) in the whole list.
    pub bigrams: usize,
    /// The vocabulary in index order.
    pub vocab: String,
    /// Words held out for the dev loss (0 without a split).
    pub dev_words: usize,
}

/// A data set, a net trained on it, and everything that decides what a step does.
#[derive(Debug, Clone)]
pub struct Session {
    data: Dataset,
    net: BigramNet,
    steps: u64,
    /// Examples per minibatch; 0 trains on the whole training data (full batch).
    batch_size: usize,
    /// Draws the minibatches; seeded with the weights' seed, so runs repeat.
    batch_rng: TorchGenerator,
    /// The current minibatch's `N`, reused from step to step.
    batch: N,
    /// True while `batch` was drawn by the last forward pass and not yet stepped on.
    batch_ready: bool,
    /// `W` and the step count when [`Session::settle`] last found the loss finite.
    checkpoint: (Array2<f32>, u64),
    /// The counting model for the page's heatmap, and the smoothing it was made with.
    count_model: Option<(f32, CountModel)>,
    split: Option<Split>,
}

/// The data training uses: the training part of a split, or all of it. (A function of
/// the two fields, not of the session, so that the net can be borrowed beside it.)
fn training_data<'a>(data: &'a Dataset, split: &'a Option<Split>) -> &'a Dataset {
    split.as_ref().map_or(data, |s| &s.train)
}

impl Session {
    /// A session on `data` with `W` drawn from `seed` and L2 strength `l2`.
    pub fn new(data: Dataset, seed: u64, l2: f32) -> Result<Self> {
        let net = BigramNet::new(data.vocab().len(), seed, l2)?;
        Ok(Self {
            checkpoint: (net.w().clone(), 0),
            batch: N::empty(data.vocab().len()),
            data,
            net,
            steps: 0,
            batch_size: 0,
            batch_rng: TorchGenerator::manual_seed(seed),
            batch_ready: false,
            count_model: None,
            split: None,
        })
    }

    /// The whole data set.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// The words training uses: the training part of a split, or all of them.
    pub fn training_data(&self) -> &Dataset {
        training_data(&self.data, &self.split)
    }

    /// The net.
    pub fn net(&self) -> &BigramNet {
        &self.net
    }

    /// Optimizer steps taken by this `W` (0 after a reset; an import or a rewind brings
    /// back the count that goes with the weights).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Forward pass over this step's examples (the training data or, with a batch size,
    /// a fresh minibatch of it); returns their loss (mean NLL + λ·mean(W²)).
    pub fn forward(&mut self) -> Result<f64> {
        let train = training_data(&self.data, &self.split);
        if self.batch_size == 0 {
            return self.net.forward(train.n());
        }
        train.sample_batch(&mut self.batch_rng, self.batch_size, &mut self.batch)?;
        self.batch_ready = true;
        self.net.forward(&self.batch)
    }

    /// Backward pass over the examples of the last forward pass (a minibatch is drawn
    /// first if none is pending for this `W`).
    pub fn backward(&mut self) -> Result<()> {
        if self.batch_size > 0 && !self.batch_ready {
            self.forward()?;
        }
        let n = if self.batch_size == 0 {
            training_data(&self.data, &self.split).n()
        } else {
            &self.batch
        };
        self.net.backward(n)
    }

    /// `W -= lr * grad` with the gradient of the last backward pass, one more step
    /// counted. Refused (nothing changes) for a bad `lr` or without a gradient.
    pub fn step(&mut self, lr: f32) -> Result<()> {
        LEARNING_RATE.check(f64::from(lr))?;
        self.net.step(lr)?;
        self.batch_ready = false;
        self.steps += 1;
        Ok(())
    }

    /// The lecture's loop, at most `max_steps` times: forward, backward, step, asking
    /// `go_on` after each step whether to do another (the page's frame budget). Returns
    /// the steps taken. A divergence is not caught here: [`settle`](Self::settle) after.
    pub fn train(
        &mut self,
        lr: f32,
        max_steps: usize,
        mut go_on: impl FnMut() -> bool,
    ) -> Result<usize> {
        LEARNING_RATE.check(f64::from(lr))?;
        for done in 1..=max_steps {
            self.forward()?;
            self.backward()?;
            self.step(lr)?;
            if !go_on() {
                return Ok(done);
            }
        }
        Ok(max_steps)
    }

    /// After `W` changed: its loss on the whole training data and on the dev words, and
    /// the step count. A finite loss marks this `W` as the one to go back to; a NaN or
    /// infinite one (a learning rate too large) sends `W` and the step count back to the
    /// last such state, and says so. The probabilities are then those of the `W` shown.
    pub fn settle(&mut self) -> Result<Status> {
        let mut loss = self
            .net
            .forward(training_data(&self.data, &self.split).n())?;
        let mut rewound = None;
        if loss.is_finite() {
            self.checkpoint.0.assign(self.net.w());
            self.checkpoint.1 = self.steps;
        } else {
            let at_step = self.steps;
            self.net.set_w(self.checkpoint.0.clone())?;
            self.steps = self.checkpoint.1;
            self.batch_ready = false;
            rewound = Some(Rewind {
                at_step,
                loss,
                to_step: self.steps,
            });
            loss = self
                .net
                .forward(training_data(&self.data, &self.split).n())?;
        }
        let dev_loss = self.dev_loss()?;
        Ok(Status {
            loss,
            dev_loss,
            steps: self.steps,
            rewound,
        })
    }

    /// The loss of the current `W` on the held-out words, `None` without a split.
    fn dev_loss(&mut self) -> Result<Option<f64>> {
        let Some(split) = &self.split else {
            return Ok(None);
        };
        // The dev words' forward pass leaves the same probabilities (they depend on W
        // alone), so the probe and the heatmap still read the W shown.
        self.net.forward(split.dev.n()).map(Some)
    }

    /// A new `W` from `seed`; the step count goes back to 0 and a split is shuffled
    /// again with `seed`.
    pub fn reset(&mut self, seed: u64) -> Result<()> {
        self.start_over(None, seed)
    }

    /// Replaces the data set with `data` and starts a new `W` from `seed`. On any error
    /// nothing changes.
    pub fn load(&mut self, data: Dataset, seed: u64) -> Result<()> {
        self.start_over(Some(data), seed)
    }

    /// What reset and load share. Everything is made before anything changes, so an
    /// error (a split of a one-word list, say) leaves the session as it was.
    fn start_over(&mut self, data: Option<Dataset>, seed: u64) -> Result<()> {
        let new_data = data.as_ref().unwrap_or(&self.data);
        let percent = self.split_percent();
        let split = Split::of(new_data, percent, seed)?;
        let net = BigramNet::new(new_data.vocab().len(), seed, self.net.l2())?;
        if let Some(data) = data {
            self.data = data;
        }
        self.count_model = None;
        self.split = split;
        self.adopt(net, 0, seed);
        Ok(())
    }

    /// Guess and check: a new random `W` from the seed after `seed` (wrapping at 2^64),
    /// keeping the step count (a resample is not an optimizer step), so the page can
    /// show the loss jump in place. Returns the seed used.
    pub fn resample_next(&mut self, seed: u64) -> Result<u64> {
        let next = seed.wrapping_add(1);
        let net = BigramNet::new(self.data.vocab().len(), next, self.net.l2())?;
        self.adopt(net, self.steps, next);
        Ok(next)
    }

    /// Takes `net` as the current one, with its step count; the generator of minibatches
    /// starts again from `seed`.
    fn adopt(&mut self, net: BigramNet, steps: u64, seed: u64) {
        self.checkpoint = (net.w().clone(), steps);
        self.net = net;
        self.steps = steps;
        self.batch_rng = TorchGenerator::manual_seed(seed);
        self.batch_ready = false;
    }

    /// Holds out `percent` of the words (0 for none), shuffled with `seed`, for the dev
    /// loss; training then uses the rest. `W` and the step count stay.
    pub fn set_split(&mut self, percent: f64, seed: u64) -> Result<()> {
        let percent = HELD_OUT_PERCENT.count(percent)? as u32;
        self.split = Split::of(&self.data, percent, seed)?;
        self.batch_ready = false;
        self.count_model = None; // fitted to the training words, which just changed
        Ok(())
    }

    /// The share of words held out, in percent (0 without a split).
    pub fn split_percent(&self) -> u32 {
        self.split.as_ref().map_or(0, |s| s.percent)
    }

    /// Examples per minibatch; 0 means the whole training data.
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// Sets the minibatch size (see [`BATCH_SIZE`]).
    pub fn set_batch_size(&mut self, size: f64) -> Result<()> {
        self.batch_size = BATCH_SIZE.count(size)?;
        self.batch_ready = false;
        Ok(())
    }

    /// λ, the L2 strength.
    pub fn l2(&self) -> f32 {
        self.net.l2()
    }

    /// Sets λ (see [`crate::settings::L2`]).
    pub fn set_l2(&mut self, l2: f32) -> Result<()> {
        self.net.set_l2(l2)
    }

    /// The counting model `P = (N + k) / row sums` of the training words, kept until
    /// another `k` or other training words are asked for.
    pub fn count_model(&mut self, k: f32) -> Result<&CountModel> {
        if !matches!(&self.count_model, Some((made, _)) if *made == k) {
            let model = CountModel::new(self.training_data().n(), k)?;
            self.count_model = Some((k, model));
        }
        Ok(&self.count_model.as_ref().expect("set just above").1)
    }

    /// Mean NLL of the counting model with smoothing `k`, fitted to and scored on the
    /// training words: the floor the net approaches.
    pub fn count_loss(&mut self, k: f32) -> Result<f64> {
        let n = self.training_data().n().clone();
        Ok(self.count_model(k)?.nll(&n))
    }

    /// The data set's summary.
    pub fn summary(&self) -> Summary {
        Summary {
            words: self.data.word_count(),
            bigrams: self.data.bigram_count(),
            vocab: self.vocab_string(),
            dev_words: self.split.as_ref().map_or(0, |s| s.dev.word_count()),
        }
    }

    /// The vocabulary in index order, `.` first.
    pub fn vocab_string(&self) -> String {
        self.data.vocab().chars().iter().collect()
    }

    /// The probe's report for `word` under the current `W`.
    pub fn word_report(&self, word: &str) -> WordReport {
        let probs = self.net.current_probs();
        word_report(self.data.vocab(), probs.view(), word, MAX_REPORT_ROWS)
    }

    /// `n` names (see [`SAMPLE_COUNT`]) from the current `W`, drawn the lecture's way
    /// with a fresh generator seeded with `seed`; each keeps its final `.`.
    pub fn sample(&self, n: f64, seed: u64) -> Result<Vec<String>> {
        let n = SAMPLE_COUNT.count(n)?;
        let probs = self.net.current_probs();
        sample_words(probs.view(), self.data.vocab(), n, seed)
    }

    /// Example `x → y` as the lecture walks it, from the last forward pass.
    pub fn example(&self, x: usize, y: usize) -> Option<ExampleTrace<'_>> {
        self.net.example(x, y)
    }

    /// The model file of the current state.
    pub fn export(&self) -> ModelFile {
        ModelFile {
            format: MODEL_FORMAT.into(),
            version: MODEL_VERSION,
            vocab: self.vocab_string(),
            w: self.net.w().iter().copied().collect(),
            l2: self.net.l2(),
            steps: self.steps as f64,
            split: self.split.as_ref().map(|s| SplitFile {
                percent: f64::from(s.percent),
                seed: s.seed.to_string(),
            }),
        }
    }

    /// Takes a model file: `W`, λ, the step count and the split. Refused, with nothing
    /// changed, unless it is one of ours, for this data set's vocabulary, with V×V
    /// finite weights, a whole step count and a split that can be made.
    pub fn import(&mut self, file: ModelFile) -> Result<()> {
        let not_ours = |reason: String| Error::NotAModelFile { reason };
        if file.format != MODEL_FORMAT || file.version != MODEL_VERSION {
            return Err(not_ours(format!(
                "format {:?} version {}; expected {MODEL_FORMAT:?} version {MODEL_VERSION}",
                file.format, file.version
            )));
        }
        if file.vocab != self.vocab_string() {
            return Err(Error::VocabMismatch {
                model: file.vocab,
                data: self.vocab_string(),
            });
        }
        if !(file.steps.fract() == 0.0 && (0.0..=MAX_STEPS).contains(&file.steps)) {
            return Err(not_ours("its step count is not a whole number ≥ 0".into()));
        }
        let split = match &file.split {
            Some(s) => Split::of(
                &self.data,
                HELD_OUT_PERCENT.count(s.percent)? as u32,
                parse_seed(&s.seed)?,
            )?,
            None => None,
        };
        let v = self.data.vocab().len();
        let w = Array2::from_shape_vec((v, v), file.w)
            .map_err(|_| not_ours(format!("its weights are not {v}×{v} numbers")))?;
        if !w.iter().all(|x| x.is_finite()) {
            return Err(not_ours("its weights are not all finite numbers".into()));
        }
        let mut net = self.net.clone();
        net.set_l2(file.l2)?;
        net.set_w(w)?;
        let steps = file.steps as u64;
        self.checkpoint = (net.w().clone(), steps);
        self.net = net;
        self.steps = steps;
        self.split = split;
        self.count_model = None;
        self.batch_ready = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
