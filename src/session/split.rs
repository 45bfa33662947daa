//! Which words a session trains on and which it holds out: the split of the data set,
//! and `N` of each part under the current context.

use crate::data::context::Context;
use crate::data::dataset::Dataset;
use crate::data::n::N;
use crate::error::Result;

/// A split of the words: training uses `train`, the dev loss `dev`, and makemore's
/// 80/10/10 split also keeps `test` words, looked at only when asked.
#[derive(Debug, Clone)]
pub(super) struct Split {
    /// The held-out share in percent, or `None` for makemore's 80/10/10.
    pub(super) percent: Option<u32>,
    /// The seed the words were shuffled with: it belongs to the experiment, like `W`.
    pub(super) seed: u64,
    pub(super) train: Dataset,
    pub(super) dev: Dataset,
    pub(super) test: Option<Dataset>,
}

impl Split {
    /// `percent` of `data`'s words held out, shuffled with `seed`; `None` for 0.
    pub(super) fn of(data: &Dataset, percent: u32, seed: u64) -> Result<Option<Split>> {
        if percent == 0 {
            return Ok(None);
        }
        let (train, dev) = data.split(f64::from(percent) / 100.0, seed)?;
        Ok(Some(Split {
            percent: Some(percent),
            seed,
            train,
            dev,
            test: None,
        }))
    }

    /// makemore's split: `random.seed(seed); random.shuffle(words)`, 80/10/10.
    pub(super) fn makemore(data: &Dataset, seed: u64) -> Result<Split> {
        let (train, dev, test) = data.split_80_10_10(seed)?;
        Ok(Split {
            percent: None,
            seed,
            train,
            dev,
            test: Some(test),
        })
    }

    /// The same kind of split of other words (after a reset or a load), with `seed`.
    pub(super) fn again(&self, data: &Dataset, seed: u64) -> Result<Option<Split>> {
        match self.percent {
            Some(percent) => Split::of(data, percent, seed),
            None => Split::makemore(data, seed).map(Some),
        }
    }
}

/// `N` of each part of the data under the current context: what training and the
/// losses read. Made again whenever the data, split, word trained on or context change.
#[derive(Debug, Clone)]
pub(super) struct Parts {
    pub(super) train: N,
    pub(super) dev: Option<N>,
    pub(super) test: Option<N>,
}

impl Parts {
    /// The parts of `data` under `context`: the word trained on, else the split's.
    pub(super) fn of(
        data: &Dataset,
        split: &Option<Split>,
        word: &Option<(String, Dataset)>,
        context: Context,
    ) -> Result<Parts> {
        let train = training_data(data, split, word).n_for(context)?;
        let (dev, test) = match (split, word) {
            (Some(s), None) => (
                Some(s.dev.n_for(context)?),
                s.test.as_ref().map(|t| t.n_for(context)).transpose()?,
            ),
            _ => (None, None), // no split, or training on one word: no held-out words
        };
        Ok(Parts { train, dev, test })
    }
}

/// The data training uses: the one word trained on, the training part of a split, or
/// all of it. (A function of the fields, not of the session, so that the net can be
/// borrowed beside it.)
pub(super) fn training_data<'a>(
    data: &'a Dataset,
    split: &'a Option<Split>,
    word: &'a Option<(String, Dataset)>,
) -> &'a Dataset {
    match word {
        Some((_, examples)) => examples,
        None => split.as_ref().map_or(data, |s| &s.train),
    }
}
