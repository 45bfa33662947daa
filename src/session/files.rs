//! What a session gives to files and takes from them: the model file of its state, `W`
//! and `N` as `.npy`, the run as the Code panel's program writes it, and the imports
//! that replace its `W` (all or nothing). The formats
//! and their checks are the files layer's; which state a file replaces is decided here.

use super::{Parts, Session, Split};
use crate::data::context::{Context, Encoding};
use crate::data::dataset::Dataset;
use crate::error::Result;
use crate::files::code;
use crate::files::model_file::{self, ModelFile, SplitFile, MODEL_FORMAT, MODEL_VERSION};
use crate::files::npy;
use crate::model::Net;
use ndarray::Array2;

/// The most characters a weight takes in the JSON text the page keeps, with the comma
/// after it. The page writes the double of a float32 (JavaScript's `JSON.stringify`):
/// up to 17 significant digits, the longest form being a negative number from 10^-6 to
/// 10^-5, `-0.0000012345678896963364` (25 characters).
pub const MAX_WEIGHT_JSON_CHARS: usize = 26;

/// The most characters of a model file's JSON text besides its weights and its text
/// (the vocabulary, the word trained on): the keys, the punctuation, the format's name
/// and the numbers λ, steps, version, context and the split's share and seed at their
/// longest (about 270).
const FIXED_JSON_CHARS: usize = 320;

/// The most characters one character of text takes in JSON: a `\uXXXX` escape of each
/// half of a surrogate pair.
const MAX_CHAR_JSON_CHARS: usize = 12;

impl Session {
    /// An upper bound on the length of the JSON text of [`export`](Self::export) as the
    /// page writes it (in UTF-8 bytes, and so in UTF-16 units too), from the sizes
    /// alone: the page can refuse to keep a model too large without writing it. The
    /// page's own settings beside the model are the page's to add.
    pub fn export_chars_bound(&self) -> usize {
        let text = self.data.vocab().len() + self.train_on_word().map_or(0, |w| w.chars().count());
        FIXED_JSON_CHARS + MAX_CHAR_JSON_CHARS * text + MAX_WEIGHT_JSON_CHARS * self.net.w().len()
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
                percent: f64::from(s.percent.unwrap_or(0)),
                makemore: s.percent.is_none(),
                seed: s.seed.to_string(),
            }),
            train_on: self.train_on_word().map(str::to_string),
            context: self.net.context().len(),
            encoding: self.net.context().encoding(),
        }
    }

    /// `W` as a `.npy` file: float32, C order, the context's shape (V×V for the
    /// bigram, V^L×V for one one-hot over contexts, L·V×V side by side).
    pub fn w_npy(&self) -> Result<Vec<u8>> {
        npy::write_weights(self.net.w().view())
    }

    /// `N` of the training data under the current context as a `.npy` file: int32,
    /// contexts × V (V^L×V for either encoding: the counts are of contexts).
    pub fn n_npy(&self) -> Result<Vec<u8>> {
        npy::write_counts(&self.parts.train)
    }

    /// The largest `.npy` file [`import_w_npy`](Self::import_w_npy) can take (see
    /// [`npy::max_file_bytes`]): the page reads no more than this and one byte.
    pub fn max_w_npy_bytes(&self) -> usize {
        let v = self.data.vocab().len();
        npy::max_file_bytes(self.net.context().weight_rows(v), v)
    }

    /// Takes `W` from the bytes of a `.npy` file (see [`npy::read_weights`] for the
    /// files taken; anything else is refused and nothing changes).
    ///
    /// The file carries only `W`, so everything else stays: data, context, λ, split,
    /// the word trained on, batch size. The step count goes back to 0 (the file says
    /// nothing of the steps behind its numbers: the count is of the steps taken here
    /// from it), the divergence rewind returns to it, and the run since Reset is no
    /// longer one loop, which the Code panel says.
    pub fn import_w_npy(&mut self, bytes: &[u8]) -> Result<()> {
        let v = self.data.vocab().len();
        let context = self.net.context();
        let w = npy::read_weights(bytes, context.weight_rows(v), v)?;
        let net = Net::from_weights_in(w, context, self.net.l2())?;
        // The minibatches go on drawing from where they were.
        let batch_rng = self.batch_rng.clone();
        self.adopt(net, 0, batch_rng);
        self.not_one_loop = Some("W was imported from a .npy file".into());
        self.last_lr = None;
        Ok(())
    }

    /// Takes a model file: `W`, λ, the step count and the split. Refused, with nothing
    /// changed, unless it is one of ours, for this data set's vocabulary, with V×V
    /// finite weights, a whole step count and a split that can be made.
    pub fn import(&mut self, file: ModelFile) -> Result<()> {
        let steps = file.check(&self.vocab_string())?;
        let split = match &file.split {
            Some(s) if s.makemore => Some(Split::makemore(&self.data, s.shuffle_seed()?)?),
            Some(s) => Split::of(&self.data, s.held_out_percent()?, s.shuffle_seed()?)?,
            None => None,
        };
        let context = Context::new(file.context, file.encoding)?;
        let word = match file.train_on {
            Some(w) => Some((w.clone(), Dataset::of_word(self.data.vocab(), &w)?)),
            None => None,
        };
        let v = self.data.vocab().len();
        let w = model_file::weights(file.w, context, v)?;
        let net = Net::from_weights_in(w, context, file.l2)?;
        let parts = Parts::of(&self.data, &split, &word, context)?;
        self.checkpoint = (net.w().clone(), steps);
        self.start_loss = None;
        self.net = net;
        self.steps = steps;
        self.split = split;
        self.word = word;
        self.parts = parts;
        self.sweep = None; // its scores were for other words
        self.count_model = None;
        self.batch_ready = false;
        self.last_update = Array2::zeros(self.net.w().raw_dim());
        self.not_one_loop = Some(format!("this model was imported at step {steps}"));
        self.last_lr = None;
        self.restart_walk();
        Ok(())
    }

    /// The run since the last reset as the Code panel writes it: the session's context,
    /// split, word, λ, batch size and steps, with `W` from `seed`, the learning rate of
    /// the steps taken (`lr` before the first) and `sample_count` names.
    pub fn run_spec(&self, seed: u64, lr: f32, sample_count: usize) -> code::RunSpec {
        let context = self.net.context();
        code::RunSpec {
            context_len: context.len(),
            encoding: match context.encoding() {
                Encoding::Context => code::Encoding::Context,
                Encoding::Concat => code::Encoding::Concat,
            },
            split: match &self.split {
                None => code::SplitSpec::None,
                Some(s) => match s.percent {
                    Some(percent) => code::SplitSpec::HeldOut {
                        percent,
                        seed: s.seed,
                    },
                    None => code::SplitSpec::Makemore { seed: s.seed },
                },
            },
            train_on_word: self.train_on_word().map(str::to_string),
            seed,
            lr: self.last_lr.unwrap_or(lr),
            l2: self.net.l2(),
            batch_size: self.batch_size,
            steps: self.steps,
            sample_count,
            not_one_loop: self.not_one_loop.clone(),
        }
    }
}
