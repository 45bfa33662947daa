//! The session layer: the rules of what the page drives, in one type that native tests
//! can hold to them. A session owns the data set and the net `W`, counts the optimizer
//! steps, and decides
//! - which examples a step trains on (the training words of a held-out split, or a
//!   minibatch of them drawn by a generator seeded like `W`),
//! - what happens when `W` diverges (it goes back to its last state whose loss was
//!   finite and not absurd, see [`absurd_loss_bound`]),
//! - how reset, resample, load and import replace things (all or nothing),
//! - where *Walk the loop* stands, and what a worker's training hands back.
//!
//! The maths it applies is the model layer's, the file formats it reads and writes the
//! files layer's: a session only says which data, which `W` and which state they meet.
//!
//! After anything that changes `W`, [`Session::settle`] answers the one question the
//! page asks: the loss, the dev loss, the step count, and whether `W` was rewound.

use crate::data::context::Context;
use crate::data::dataset::Dataset;
use crate::data::n::N;
use crate::error::{Error, Result};
use crate::model::backward_view::{self, BackwardView};
use crate::model::count_model::CountModel;
use crate::model::grad_check::{self, GradPoint};
use crate::model::graph::{self, Graph};
use crate::model::report::{word_report, WordReport};
use crate::model::sample::sample_words_in;
use crate::model::{loss_and_grad, ExampleTrace, Net};
use crate::rng::TorchGenerator;
use crate::settings::{
    BATCH_SIZE, HELD_OUT_PERCENT, LEARNING_RATE, MAX_REPORT_ROWS, MAX_STEPS, SAMPLE_COUNT,
    STEPS_PER_FRAME,
};
use crate::train::sweep::{self, L2Sweep, SweepPoint, SweepProgress};
use crate::train::trainer::Trainer;
use ndarray::Array2;
use serde::Serialize;
use split::{training_data, Parts, Split};

mod files;
mod handoff;
mod rewind;
mod split;
mod walk;
pub use handoff::{known_data, Adopted, Handoff, Remote};
pub use rewind::{absurd_loss_bound, ABSURD_LOSS_MARGIN};
pub use walk::Phase;

/// `W` was rewound: its loss had become non-finite.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rewind {
    /// The step count at which the loss was found non-finite.
    pub at_step: u64,
    /// That loss (NaN or infinite).
    pub loss: f64,
    /// The step count of the state `W` went back to: the last whose loss was finite and
    /// not absurd ([`absurd_loss_bound`]), or the run's start.
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
    /// Words kept for the test loss (0 unless makemore's split).
    pub test_words: usize,
    /// Examples training uses under the current context (one per character and end).
    pub examples: u64,
    /// Contexts (rows of `N`) that occur in those examples, of `contexts` in all: a
    /// training step's cost follows the first.
    pub occurring_contexts: usize,
    /// Contexts in all: V^len.
    pub contexts: usize,
}

/// A data set, a net trained on it, and everything that decides what a step does.
#[derive(Debug, Clone)]
pub struct Session {
    data: Dataset,
    /// The data set's number ([`Session::data_id`]).
    data_id: u64,
    net: Net,
    steps: u64,
    /// Examples per minibatch; 0 trains on the whole training data (full batch).
    batch_size: usize,
    /// Draws the minibatches; seeded with the weights' seed, so runs repeat.
    batch_rng: TorchGenerator,
    /// The current minibatch's `N`, reused from step to step.
    batch: N,
    /// True while `batch` was drawn by the last forward pass and not yet stepped on.
    batch_ready: bool,
    /// `W` and the step count when [`Session::settle`] last found the loss finite and
    /// not absurd (the run's start until then).
    checkpoint: (Array2<f32>, u64),
    /// The loss of the `W` this run started from, once a settle has measured it.
    start_loss: Option<f64>,
    /// The counting model for the page's heatmap, and the smoothing it was made with.
    count_model: Option<(f32, CountModel)>,
    split: Option<Split>,
    /// Train on this word's examples alone (the lecture's first run), when set.
    word: Option<(String, Dataset)>,
    /// `N` of training, dev and test words under the net's context.
    parts: Parts,
    /// `−lr · grad` of the last step: how every weight moved.
    last_update: Array2<f32>,
    /// Where *Walk the loop* stands: the phase done last, `None` when not walking.
    walk: Option<Phase>,
    /// Probabilities and gradient for [`Session::grad_table`], apart from the net's.
    grad_view: (Array2<f32>, Array2<f32>),
    /// A λ sweep under way, if any.
    sweep: Option<L2Sweep>,
    /// Why the run since the last reset is not one training loop with today's settings
    /// (a resample, an import, a setting changed after the first step), if it is not.
    not_one_loop: Option<String>,
    /// The learning rate of the last step, to notice a change mid-run.
    last_lr: Option<f32>,
}

/// `W` from `seed` for `context`, and the generator after it: minibatches continue the
/// stream that made `W`, as `torch.randint(…, generator=g)` after `torch.randn(…,
/// generator=g)` does in a notebook.
fn new_net(v: usize, context: Context, seed: u64, l2: f32) -> Result<(Net, TorchGenerator)> {
    let mut g = TorchGenerator::manual_seed(seed);
    let net = Net::with_generator(v, context, &mut g, l2)?;
    Ok((net, g))
}

impl Session {
    /// A session on `data` with `W` drawn from `seed` and L2 strength `l2`.
    pub fn new(data: Dataset, seed: u64, l2: f32) -> Result<Self> {
        let data_v = data.vocab().len();
        let (net, batch_rng) = new_net(data_v, Context::BIGRAM, seed, l2)?;
        Ok(Self {
            checkpoint: (net.w().clone(), 0),
            start_loss: None,
            batch: N::empty(data.vocab().len()),
            parts: Parts::of(&data, &None, &None, Context::BIGRAM)?,
            data,
            data_id: handoff::new_data_id(),
            net,
            steps: 0,
            batch_size: 0,
            batch_rng,
            batch_ready: false,
            count_model: None,
            split: None,
            word: None,
            last_update: Array2::zeros((data_v, data_v)),
            walk: None,
            grad_view: (Array2::zeros((0, 0)), Array2::zeros((0, 0))),
            sweep: None,
            not_one_loop: None,
            last_lr: None,
        })
    }

    /// The whole data set.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// The words training uses: the one word trained on, the training part of a split,
    /// or all of them.
    pub fn training_data(&self) -> &Dataset {
        training_data(&self.data, &self.split, &self.word)
    }

    /// The net.
    pub fn net(&self) -> &Net {
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
        if self.batch_size == 0 {
            return self.net.forward(&self.parts.train);
        }
        let train = training_data(&self.data, &self.split, &self.word);
        let context = self.net.context();
        train.sample_batch(
            context,
            &mut self.batch_rng,
            self.batch_size,
            &mut self.batch,
        )?;
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
            &self.parts.train
        } else {
            &self.batch
        };
        self.net.backward(n)
    }

    /// `W -= lr * grad` with the gradient of the last backward pass, one more step
    /// counted. Refused (nothing changes) for a bad `lr`, without a gradient, or at
    /// [`MAX_STEPS`].
    pub fn step(&mut self, lr: f32) -> Result<()> {
        LEARNING_RATE.check(f64::from(lr))?;
        self.steps_left()?;
        self.net.step(lr)?;
        self.stepped(lr, 1);
        Ok(())
    }

    /// The steps this `W` may still take before [`MAX_STEPS`]; refused when none.
    fn steps_left(&self) -> Result<u64> {
        match MAX_STEPS.saturating_sub(self.steps) {
            0 => Err(Error::StepLimit { max: MAX_STEPS }),
            left => Ok(left),
        }
    }

    /// What the session keeps after `steps` steps at `lr`: the count, the learning
    /// rate, the last step's ΔW (the gradient buffer still holds what it used).
    fn stepped(&mut self, lr: f32, steps: u64) {
        if self.last_lr.is_some_and(|last| last != lr) {
            self.note_not_one_loop("the learning rate changed");
        }
        self.last_lr = Some(lr);
        let grad = self.net.grad();
        self.last_update.zip_mut_with(grad, |u, &g| *u = -lr * g);
        self.batch_ready = false;
        self.steps += steps;
        if self.walk.is_some() {
            self.walk = Some(Phase::Update);
        }
    }

    /// The lecture's loop, at most `max_steps` times: forward, backward, step (fused,
    /// see [`Trainer`]), asking `go_on` after each step whether to do another (the
    /// page's frame budget). Returns the steps taken: none and an error at
    /// [`MAX_STEPS`], and no more than the steps left before it. A divergence is not
    /// caught here: [`settle`](Self::settle) after.
    pub fn train(
        &mut self,
        lr: f32,
        max_steps: usize,
        mut go_on: impl FnMut() -> bool,
    ) -> Result<usize> {
        LEARNING_RATE.check(f64::from(lr))?;
        STEPS_PER_FRAME.check(max_steps as f64)?;
        let max_steps = max_steps.min(usize::try_from(self.steps_left()?).unwrap_or(usize::MAX));
        let context = self.net.context();
        let mut trainer = Trainer::new(&mut self.net, lr);
        let mut result = Ok(());
        while (trainer.steps() as usize) < max_steps {
            let n = if self.batch_size == 0 {
                &self.parts.train
            } else {
                let train = training_data(&self.data, &self.split, &self.word);
                let drawn = train.sample_batch(
                    context,
                    &mut self.batch_rng,
                    self.batch_size,
                    &mut self.batch,
                );
                if let Err(e) = drawn {
                    result = Err(e);
                    break;
                }
                &self.batch
            };
            if let Err(e) = trainer.update(n) {
                result = Err(e);
                break;
            }
            if !go_on() {
                break;
            }
        }
        let done = trainer.steps();
        // Dropping the trainer brings every row of W up to date.
        drop(trainer);
        if done > 0 {
            self.stepped(lr, done);
        }
        result.map(|()| done as usize)
    }

    /// After `W` changed: its loss on the whole training data and on the dev words, and
    /// the step count. A finite loss that is not absurd ([`absurd_loss_bound`]) marks
    /// this `W` as the one to go back to; a NaN or infinite one (a learning rate too
    /// large) sends `W` and the step count back to the last such state, or the run's
    /// start, and says so. The probabilities are then those of the `W` shown.
    /// The gradient is left as it was (a walk of the loop may still step with it).
    pub fn settle(&mut self) -> Result<Status> {
        let mut loss = self.net.evaluate(&self.parts.train)?;
        let mut rewound = None;
        if loss.is_finite() {
            if loss <= self.rewind_bound()? {
                self.checkpoint.0.assign(self.net.w());
                self.checkpoint.1 = self.steps;
            }
        } else {
            let at_step = self.steps;
            self.net.set_w(self.checkpoint.0.clone())?;
            self.steps = self.checkpoint.1;
            self.batch_ready = false;
            // The diverged step's ΔW does not belong to the W now shown.
            self.last_update.fill(0.0);
            self.note_not_one_loop("W diverged and was rewound");
            self.restart_walk();
            rewound = Some(Rewind {
                at_step,
                loss,
                to_step: self.steps,
            });
            loss = self.net.evaluate(&self.parts.train)?;
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
        // The dev words' forward pass leaves the same probabilities (they depend on W
        // alone), so the probe and the heatmap still read the W shown.
        match &self.parts.dev {
            Some(dev) => self.net.evaluate(dev).map(Some),
            None => Ok(None),
        }
    }

    /// The loss of the current `W` on the test words of makemore's split (`None`
    /// without one). The lecture's rule: look at it once, at the end.
    pub fn test_loss(&mut self) -> Result<Option<f64>> {
        match &self.parts.test {
            Some(test) => self.net.evaluate(test).map(Some),
            None => Ok(None),
        }
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
        self.start_over_with(data, seed, self.net.context())
    }

    /// Starts over as [`reset`](Self::reset) does, with the net seeing `context`
    /// characters (exercise E01): a new `W` of the context's shape. On any error (a
    /// context that would not fit) nothing changes.
    pub fn set_context(&mut self, context: Context, seed: u64) -> Result<()> {
        self.start_over_with(None, seed, context)
    }

    /// The context the net sees.
    pub fn context(&self) -> Context {
        self.net.context()
    }

    fn start_over_with(
        &mut self,
        data: Option<Dataset>,
        seed: u64,
        context: Context,
    ) -> Result<()> {
        let new_data = data.as_ref().unwrap_or(&self.data);
        let split = match &self.split {
            Some(s) => s.again(new_data, seed)?,
            None => None,
        };
        let (net, g) = new_net(new_data.vocab().len(), context, seed, self.net.l2())?;
        // The word trained on, in the new vocabulary; a list without its characters
        // goes back to training on all words.
        let word = (self.word.as_ref()).and_then(|(w, _)| {
            Dataset::of_word(new_data.vocab(), w)
                .ok()
                .map(|d| (w.clone(), d))
        });
        let parts = Parts::of(new_data, &split, &word, context)?;
        if let Some(data) = data {
            self.data = data;
            self.data_id = handoff::new_data_id();
        }
        self.count_model = None;
        self.split = split;
        self.word = word;
        self.parts = parts;
        self.sweep = None; // its scores were for other words
        self.adopt(net, 0, g);
        self.not_one_loop = None; // a new run starts here
        self.last_lr = None;
        Ok(())
    }

    /// Guess and check: a new random `W` from the seed after `seed` (wrapping at 2^64),
    /// keeping the step count (a resample is not an optimizer step), so the page can
    /// show the loss jump in place. Returns the seed used.
    pub fn resample_next(&mut self, seed: u64) -> Result<u64> {
        let next = seed.wrapping_add(1);
        let (net, g) = new_net(
            self.data.vocab().len(),
            self.net.context(),
            next,
            self.net.l2(),
        )?;
        self.adopt(net, self.steps, g);
        self.note_not_one_loop(&format!("W was resampled from seed {next}"));
        Ok(next)
    }

    /// Takes `net` as the current one, with its step count and the generator of
    /// minibatches that goes with it.
    fn adopt(&mut self, net: Net, steps: u64, batch_rng: TorchGenerator) {
        self.checkpoint = (net.w().clone(), steps);
        self.start_loss = None;
        self.last_update = Array2::zeros(net.w().raw_dim());
        self.restart_walk();
        self.net = net;
        self.steps = steps;
        self.batch_rng = batch_rng;
        self.batch_ready = false;
    }

    /// Holds out `percent` of the words (0 for none), shuffled with `seed`, for the dev
    /// loss; training then uses the rest. `W` and the step count stay.
    pub fn set_split(&mut self, percent: f64, seed: u64) -> Result<()> {
        let percent = HELD_OUT_PERCENT.count(percent)? as u32;
        let split = Split::of(&self.data, percent, seed)?;
        self.take_split(split)
    }

    /// makemore's 80/10/10 split with `seed` (`random.seed(seed)`; 42 in the lecture
    /// after this one), or none. `W` and the step count stay.
    pub fn set_makemore_split(&mut self, seed: Option<u64>) -> Result<()> {
        let split = seed.map(|s| Split::makemore(&self.data, s)).transpose()?;
        self.take_split(split)
    }

    /// The seed of makemore's split, when that is the split.
    pub fn makemore_split_seed(&self) -> Option<u64> {
        self.split
            .as_ref()
            .filter(|s| s.percent.is_none())
            .map(|s| s.seed)
    }

    fn take_split(&mut self, split: Option<Split>) -> Result<()> {
        self.note_not_one_loop("the split changed");
        self.parts = Parts::of(&self.data, &split, &self.word, self.net.context())?;
        self.sweep = None; // its scores were for other words
        self.split = split;
        self.batch_ready = false;
        self.count_model = None; // fitted to the training words, which just changed
        Ok(())
    }

    /// The share of words held out, in percent (0 without a split).
    pub fn split_percent(&self) -> u32 {
        self.split.as_ref().and_then(|s| s.percent).unwrap_or(0)
    }

    /// Examples per minibatch; 0 means the whole training data.
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// Sets the minibatch size (see [`BATCH_SIZE`]).
    pub fn set_batch_size(&mut self, size: f64) -> Result<()> {
        let size = BATCH_SIZE.count(size)?;
        if size != self.batch_size {
            self.note_not_one_loop("the batch size changed");
        }
        self.batch_size = size;
        self.batch_ready = false;
        Ok(())
    }

    /// λ, the L2 strength.
    pub fn l2(&self) -> f32 {
        self.net.l2()
    }

    /// Sets λ (see [`crate::settings::L2`]).
    /// A walk of the loop starts again from forward: the gradient it held was for the
    /// old λ.
    pub fn set_l2(&mut self, l2: f32) -> Result<()> {
        if l2 != self.net.l2() {
            self.note_not_one_loop("λ changed");
        }
        self.net.set_l2(l2)?;
        self.restart_walk();
        Ok(())
    }

    /// Records why the run is no longer one loop, if it had taken a step (before the
    /// first step a setting may change freely: the loop starts with it). The first
    /// reason is kept.
    fn note_not_one_loop(&mut self, what: &str) {
        if self.steps > 0 && self.not_one_loop.is_none() {
            self.not_one_loop = Some(format!("{what} at step {}", self.steps));
        }
    }

    /// Why the run since the last reset cannot be written as one training loop with
    /// the current settings, if it cannot (for the Code panel, which then says so).
    pub fn not_one_loop(&self) -> Option<&str> {
        self.not_one_loop.as_deref()
    }

    /// The learning rate of the steps taken since the last reset (the last one's).
    pub fn last_learning_rate(&self) -> Option<f32> {
        self.last_lr
    }

    /// The counting model `P = (N + k) / row sums` of the training words, kept until
    /// another `k` or other training words are asked for.
    pub fn count_model(&mut self, k: f32) -> Result<&CountModel> {
        if !matches!(&self.count_model, Some((made, _)) if *made == k) {
            let model = CountModel::new(&self.parts.train, k)?;
            self.count_model = Some((k, model));
        }
        Ok(&self.count_model.as_ref().expect("set just above").1)
    }

    /// Mean NLL of the counting model with smoothing `k`, fitted to and scored on the
    /// training words: the floor the net approaches.
    pub fn count_loss(&mut self, k: f32) -> Result<f64> {
        self.count_model(k)?;
        let model = &self.count_model.as_ref().expect("made just above").1;
        Ok(model.nll(&self.parts.train))
    }

    /// The data set's summary.
    pub fn summary(&self) -> Summary {
        Summary {
            words: self.data.word_count(),
            bigrams: self.data.bigram_count(),
            vocab: self.vocab_string(),
            dev_words: self.split.as_ref().map_or(0, |s| s.dev.word_count()),
            test_words: (self.split.as_ref())
                .and_then(|s| s.test.as_ref())
                .map_or(0, Dataset::word_count),
            examples: self.parts.train.total(),
            occurring_contexts: self.parts.train.occurring().len(),
            contexts: self.parts.train.contexts(),
        }
    }

    /// The vocabulary in index order, `.` first.
    pub fn vocab_string(&self) -> String {
        self.data.vocab().chars().iter().collect()
    }

    /// The probe's report for `word` under the current `W`.
    pub fn word_report(&self, word: &str) -> WordReport {
        let probs = self.net.current_probs();
        word_report(
            self.data.vocab(),
            probs.view(),
            word,
            MAX_REPORT_ROWS,
            self.net.context(),
        )
    }

    /// `n` names (see [`SAMPLE_COUNT`]) from the current `W`, drawn the lecture's way
    /// with a fresh generator seeded with `seed`; each keeps its final `.`.
    pub fn sample(&self, n: f64, seed: u64) -> Result<Vec<String>> {
        let n = SAMPLE_COUNT.count(n)?;
        let probs = self.net.current_probs();
        sample_words_in(probs.view(), self.data.vocab(), n, seed, self.net.context())
    }

    /// Example `x → y` as the lecture walks it, from the last forward pass.
    pub fn example(&self, x: usize, y: usize) -> Option<ExampleTrace<'_>> {
        self.net.example(x, y)
    }

    /// Trains on `word`'s examples alone (the lecture's first run), or on all the
    /// training words with `None`. Refused, with nothing changed, for an empty word or
    /// one with characters outside the vocabulary.
    pub fn set_train_on(&mut self, word: Option<&str>) -> Result<()> {
        let word = match word {
            Some(w) => Some((w.to_string(), Dataset::of_word(self.data.vocab(), w)?)),
            None => None,
        };
        self.parts = Parts::of(&self.data, &self.split, &word, self.net.context())?;
        self.sweep = None; // its scores were for other words
        if word.as_ref().map(|w| &w.0) != self.word.as_ref().map(|w| &w.0) {
            self.note_not_one_loop("Train on changed");
        }
        self.word = word;
        self.batch_ready = false;
        self.count_model = None; // fitted to the training words, which just changed
        Ok(())
    }

    /// The word trained on alone, if any.
    pub fn train_on_word(&self) -> Option<&str> {
        self.word.as_ref().map(|(w, _)| w.as_str())
    }

    /// `W.grad` for the heatmap: while walking the loop, the buffer as the walk left it
    /// (zeros after `zero_grad`); otherwise the gradient at the current `W` of the whole
    /// training data's loss, computed afresh (the next step's, or its expectation).
    ///
    /// Computed in buffers of its own: the net's gradient, a drawn minibatch and a
    /// pending step are left as they were.
    pub fn grad_table(&mut self) -> Result<&Array2<f32>> {
        if self.walk.is_some() {
            return Ok(self.net.grad());
        }
        let n = &self.parts.train;
        let (w, l2, context) = (self.net.w(), self.net.l2(), self.net.context());
        let (probs, grad) = &mut self.grad_view;
        if probs.dim() != n.matrix().dim() || grad.dim() != w.dim() {
            *probs = Array2::zeros(n.matrix().raw_dim());
            *grad = Array2::zeros(w.raw_dim());
        }
        loss_and_grad(w.view(), n, context, l2, probs, grad);
        Ok(grad)
    }

    /// `ΔW = −lr · grad` of the last step (zeros before the first).
    pub fn last_update(&self) -> &Array2<f32> {
        &self.last_update
    }

    /// Example `x → y`'s backward pass at the current `W`, for the loss the next step
    /// minimises (with minibatches: the whole training data's, whose gradient the
    /// minibatch's estimates). `None` for an index out of range or when the last forward
    /// pass was not on this `W` (call [`settle`](Self::settle) first); the maths is
    /// [`backward_view::backward_view`]'s.
    pub fn backward_view(&self, x: usize, y: usize) -> Option<BackwardView> {
        backward_view::backward_view(&self.net, &self.parts.train, x, y)
    }

    /// Every node of the forward pass with its gradient for example `x → y` of the
    /// training data (`x` the context's row), at the current `W`, for the loss the next
    /// step minimises (with minibatches: the whole training data's). An example no
    /// training word has is drawn as one more row ([`Graph::occurrences`] is 0); an index
    /// outside the vocabulary is refused. The maths is [`graph::graph`]'s.
    pub fn graph(&self, x: usize, y: usize) -> Result<Graph> {
        let net = &self.net;
        graph::graph(
            net.w().view(),
            &self.parts.train,
            net.context(),
            net.l2(),
            x,
            y,
        )
    }

    /// The gradient check at `cells`: the analytic gradient of the training loss (its
    /// full-batch form) against centred finite differences, both in f64, with the
    /// float32 gradient training uses beside them (see [`grad_check::grad_check`]).
    pub fn grad_check(&self, cells: &[(usize, usize)]) -> Result<Vec<GradPoint>> {
        grad_check::grad_check(&self.net, &self.parts.train, cells)
    }

    /// The cells a gradient check looks at: `first` and `more` others drawn with `seed`.
    pub fn grad_check_cells(
        &self,
        first: (usize, usize),
        more: usize,
        seed: u64,
    ) -> Result<Vec<(usize, usize)>> {
        grad_check::grad_check_cells(self.net.w().dim(), first, more, seed)
    }

    /// The dev words' `N`, which tuning needs.
    fn dev_n(&self) -> Result<&N> {
        self.parts
            .dev
            .as_ref()
            .ok_or_else(|| Error::InvalidSetting {
                name: "sweep",
                reason: "tuning needs dev words: choose a split first (80/10/10, or a held-out %)"
                    .into(),
            })
    }

    /// Exercise E03 for the counting model: smoothing k over [`sweep::smoothing_grid`],
    /// fitted on the training words, scored on train and dev. Instant.
    pub fn smoothing_sweep(&self) -> Result<Vec<SweepPoint>> {
        sweep::smoothing_sweep(&self.parts.train, self.dev_n()?, &sweep::smoothing_grid())
    }

    /// Exercise E03 for the net: starts a λ sweep over [`sweep::l2_grid`], each net
    /// trained from `seed` for `steps` steps at `lr` with the current context; the
    /// current `W` is left as it is. [`advance_sweep`](Self::advance_sweep) runs it.
    pub fn start_l2_sweep(&mut self, steps: f64, lr: f32, seed: u64) -> Result<()> {
        self.dev_n()?;
        let v = self.data.vocab().len();
        let context = self.net.context();
        self.sweep = Some(L2Sweep::new(sweep::l2_grid(), steps, lr, seed, context, v)?);
        Ok(())
    }

    /// Runs the λ sweep on while `go_on` says so; its progress, or `None` when no sweep
    /// is under way. A finished sweep stays readable until another starts.
    pub fn advance_sweep(&mut self, go_on: impl FnMut() -> bool) -> Result<Option<SweepProgress>> {
        let Some(sweep) = self.sweep.as_mut() else {
            return Ok(None);
        };
        let dev = self
            .parts
            .dev
            .as_ref()
            .expect("a sweep starts only with dev words");
        sweep.advance(&self.parts.train, dev, go_on)?;
        Ok(Some(sweep.progress()))
    }

    /// Stops the λ sweep.
    pub fn cancel_sweep(&mut self) {
        self.sweep = None;
    }
}

#[cfg(test)]
mod tests;
