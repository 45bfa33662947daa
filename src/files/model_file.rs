//! The model file: `W` with the vocabulary it indexes, λ, the step count, the split,
//! the word trained on and the context, as the page exports it to JSON and imports it
//! back. This module says what such a file holds and which ones are taken; the session
//! decides what an accepted file replaces.

use crate::data::context::{Context, Encoding};
use crate::error::{Error, Result};
use crate::settings::{parse_seed, HELD_OUT_PERCENT};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// What an exported model says it is; an import must say the same.
pub const MODEL_FORMAT: &str = "bigram-lab-model";
/// The version of that format.
pub const MODEL_VERSION: u32 = 1;
/// The largest step count a model file may carry: steps travel as JavaScript numbers,
/// exact up to 2^53.
pub const MAX_STEPS: f64 = 9_007_199_254_740_992.0;

/// A split as the model file records it (the seed as text: all of 0…2^64 − 1 is exact).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SplitFile {
    /// Held-out share in percent (ignored for makemore's split).
    pub percent: f64,
    /// makemore's 80/10/10 split instead of a held-out share.
    #[serde(default)]
    pub makemore: bool,
    /// The shuffling seed, decimal.
    pub seed: String,
}

impl SplitFile {
    /// The shuffling seed, checked as a typed seed is.
    pub fn shuffle_seed(&self) -> Result<u64> {
        parse_seed(&self.seed)
    }

    /// The held-out share, checked against [`HELD_OUT_PERCENT`].
    pub fn held_out_percent(&self) -> Result<u32> {
        Ok(HELD_OUT_PERCENT.count(self.percent)? as u32)
    }
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
    /// The word trained on alone, if training used one word (`None`: all words).
    #[serde(default)]
    pub train_on: Option<String>,
    /// Characters of context (1, the bigram, when absent).
    #[serde(default = "one")]
    pub context: usize,
    /// How the context is fed to the net (one one-hot over contexts when absent).
    #[serde(default = "one_hot_over_contexts")]
    pub encoding: Encoding,
}

fn one() -> usize {
    1
}

fn one_hot_over_contexts() -> Encoding {
    Encoding::Context
}

/// Why a file is not a model file, in the words of [`Error::NotAModelFile`].
fn not_ours(reason: String) -> Error {
    Error::NotAModelFile { reason }
}

impl ModelFile {
    /// What the file says of itself, checked for a data set whose vocabulary is
    /// `vocab`: one of ours (format and version), for that vocabulary, with a whole step
    /// count from 0 to [`MAX_STEPS`]. Returns the step count.
    pub fn check(&self, vocab: &str) -> Result<u64> {
        if self.format != MODEL_FORMAT || self.version != MODEL_VERSION {
            return Err(not_ours(format!(
                "format {:?} version {}; expected {MODEL_FORMAT:?} version {MODEL_VERSION}",
                self.format, self.version
            )));
        }
        if self.vocab != vocab {
            return Err(Error::VocabMismatch {
                model: self.vocab.clone(),
                data: vocab.to_string(),
            });
        }
        if !(self.steps.fract() == 0.0 && (0.0..=MAX_STEPS).contains(&self.steps)) {
            return Err(not_ours("its step count is not a whole number ≥ 0".into()));
        }
        Ok(self.steps as u64)
    }
}

/// A model file's weights `w` as the `W` of a net seeing `context` on a vocabulary of
/// `v` characters: refused unless the net fits, `w` holds exactly its rows × V numbers
/// and every one is finite.
pub fn weights(w: Vec<f32>, context: Context, v: usize) -> Result<Array2<f32>> {
    context.check_fits(v)?;
    let rows = context.weight_rows(v);
    let w = Array2::from_shape_vec((rows, v), w)
        .map_err(|_| not_ours(format!("its weights are not {rows}×{v} numbers")))?;
    if !w.iter().all(|x| x.is_finite()) {
        return Err(not_ours("its weights are not all finite numbers".into()));
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(vocab: &str, steps: f64) -> ModelFile {
        ModelFile {
            format: MODEL_FORMAT.into(),
            version: MODEL_VERSION,
            vocab: vocab.into(),
            w: vec![0.0; 4],
            l2: 0.0,
            steps,
            split: None,
            train_on: None,
            context: 1,
            encoding: Encoding::Context,
        }
    }

    #[test]
    fn a_file_says_what_it_is_for() {
        assert_eq!(file(".a", 3.0).check(".a"), Ok(3));
        assert!(matches!(
            file(".a", 3.0).check(".b"),
            Err(Error::VocabMismatch { .. })
        ));
        for steps in [-1.0, 1.5, f64::NAN, MAX_STEPS * 2.0] {
            let err = file(".a", steps).check(".a").unwrap_err().to_string();
            assert!(err.contains("step count"), "{steps}: {err}");
        }
        let mut other = file(".a", 0.0);
        other.version = MODEL_VERSION + 1;
        assert!(other
            .check(".a")
            .unwrap_err()
            .to_string()
            .contains("version"));
    }

    #[test]
    fn weights_must_fill_the_net_with_finite_numbers() {
        let bigram = Context::BIGRAM;
        assert_eq!(weights(vec![1.0; 4], bigram, 2).unwrap().dim(), (2, 2));
        let short = weights(vec![1.0; 3], bigram, 2).unwrap_err().to_string();
        assert!(short.contains("not 2×2 numbers"), "{short}");
        let nan = weights(vec![f32::NAN; 4], bigram, 2)
            .unwrap_err()
            .to_string();
        assert!(nan.contains("not all finite"), "{nan}");
    }

    #[test]
    fn a_split_s_seed_and_share_are_checked_as_typed() {
        let split = SplitFile {
            percent: 10.0,
            makemore: false,
            seed: "42".into(),
        };
        assert_eq!(
            (split.held_out_percent(), split.shuffle_seed()),
            (Ok(10), Ok(42))
        );
        let bad = SplitFile {
            percent: 51.0,
            makemore: false,
            seed: "-1".into(),
        };
        assert!(bad.held_out_percent().is_err() && bad.shuffle_seed().is_err());
    }
}
