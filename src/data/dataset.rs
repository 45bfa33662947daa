//! The data set: a word list as the lecture's examples `xs`, `ys`, their count matrix
//! `N`, and the two ways training may use part of it: a held-out split of the words and
//! a random minibatch of the examples.

use crate::data::context::Context;
use crate::data::n::N;
use crate::data::parse::{DatasetBuilder, DEFAULT_NAMES};
use crate::data::vocab::Vocab;
use crate::error::{Error, Result};
use crate::rng::PythonRandom;
use crate::rng::TorchGenerator;

/// A word list turned into the lecture's training data.
#[derive(Debug, Clone)]
pub struct Dataset {
    vocab: Vocab,
    xs: Vec<u8>,
    ys: Vec<u8>,
    n: N,
    /// Where each word's examples end (exclusive): word `w` is `word_ends[w − 1]..word_ends[w]`.
    word_ends: Vec<usize>,
}

impl Dataset {
    /// The data set of examples already made: indices into `vocab`, each word's
    /// examples ending at the matching entry of `word_ends` (increasing, the last one
    /// `xs.len()`).
    pub fn from_examples(
        vocab: Vocab,
        xs: Vec<u8>,
        ys: Vec<u8>,
        word_ends: Vec<usize>,
    ) -> Result<Self> {
        let ends_fit = word_ends.windows(2).all(|w| w[0] < w[1])
            && word_ends.last().copied().unwrap_or(0) == xs.len();
        if !ends_fit {
            return Err(Error::ShapeMismatch {
                expected: format!("word ends increasing up to {}", xs.len()),
                found: format!("{} ends, the last {:?}", word_ends.len(), word_ends.last()),
            });
        }
        let n = N::from_examples(&xs, &ys, vocab.len())?;
        Ok(Self {
            vocab,
            xs,
            ys,
            n,
            word_ends,
        })
    }

    /// Parses a whole word-list file (see [`DatasetBuilder`] for the rules).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut builder = DatasetBuilder::new();
        builder.push(bytes)?;
        builder.finish()
    }

    /// The default data set, [`DEFAULT_NAMES`].
    pub fn default_names() -> Self {
        // The embedded list is checked by the tests, so this cannot fail at run time;
        // an empty fallback would hide a broken build, hence the expect.
        Self::from_bytes(DEFAULT_NAMES.as_bytes()).expect("the embedded name list is valid")
    }

    /// A data set from words already split (each is trimmed and checked as a line).
    pub fn from_words(words: &[&str]) -> Result<Self> {
        Self::from_bytes(words.join("\n").as_bytes())
    }

    /// The examples of one word under an existing vocabulary (the lecture's first run
    /// trains on `.emma.` alone). Refused for an empty word, a `.` in it, or a character
    /// outside `vocab`.
    pub fn of_word(vocab: &Vocab, word: &str) -> Result<Self> {
        if word.is_empty() {
            return Err(Error::InvalidSetting {
                name: "train on the word",
                reason: "type a word first: an empty word has no examples to train on".into(),
            });
        }
        let mut unknown: Vec<char> = Vec::new();
        for c in word.chars() {
            if (c == '.' || vocab.stoi(c).is_none()) && !unknown.contains(&c) {
                unknown.push(c);
            }
        }
        if !unknown.is_empty() {
            return Err(Error::WordOutsideVocab {
                word: word.into(),
                chars: unknown.into_iter().collect(),
            });
        }
        let ixs: Vec<u8> = std::iter::once(0)
            .chain(
                word.chars()
                    .filter_map(|c| vocab.stoi(c))
                    .map(|ix| ix as u8),
            )
            .chain(std::iter::once(0))
            .collect();
        let (xs, ys) = (ixs[..ixs.len() - 1].to_vec(), ixs[1..].to_vec());
        let ends = vec![xs.len()];
        Self::from_examples(vocab.clone(), xs, ys, ends)
    }

    /// The vocabulary (`stoi`, `itos`).
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// Input indices, one per bigram.
    pub fn xs(&self) -> &[u8] {
        &self.xs
    }

    /// Label indices, one per bigram.
    pub fn ys(&self) -> &[u8] {
        &self.ys
    }

    /// `N`, the count matrix of the whole data set.
    pub fn n(&self) -> &N {
        &self.n
    }

    /// Number of words.
    pub fn word_count(&self) -> usize {
        self.word_ends.len()
    }

    /// Number of bigrams (examples).
    pub fn bigram_count(&self) -> usize {
        self.xs.len()
    }

    /// `N` for a context: row = the context's characters (`a·V + b` for two), column =
    /// the next character, counted over every word wrapped with `len` leading `.`. For
    /// one character it is the bigram `N`. Refused when it would not fit.
    pub fn n_for(&self, context: Context) -> Result<N> {
        let v = self.vocab.len();
        context.check_fits(v)?;
        if context.len() == 1 {
            return Ok(self.n.clone());
        }
        let mut n = N::zeros(context.rows(v), v);
        n.count(
            self.word_ranges()
                .flat_map(|(a, b)| context.examples(&self.ys[a..b - 1], v)),
        )?;
        Ok(n)
    }

    /// Each word's examples as a range of `xs`/`ys`, in order.
    fn word_ranges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let starts = std::iter::once(0).chain(self.word_ends.iter().copied());
        starts.zip(self.word_ends.iter().copied())
    }

    /// A minibatch: `size` examples drawn uniformly with replacement by `g`, each index
    /// a 32-bit draw modulo n (the rule of `torch.randint` for ranges below 2^32, so a
    /// notebook drawing from the same generator gets the same examples), counted into
    /// `out` (`N` for `context`), whose storage is reused. The fast path then trains on
    /// those counts.
    pub fn sample_batch(
        &self,
        context: Context,
        g: &mut TorchGenerator,
        size: usize,
        out: &mut N,
    ) -> Result<()> {
        let n = self.xs.len();
        let v = self.vocab.len();
        if out.matrix().dim() != (context.rows(v), v) {
            *out = N::zeros(context.rows(v), v);
        }
        out.count((0..size).map(|_| {
            // n < 2^32 (indices are bytes, and 4 GiB of examples would not fit in wasm).
            let k = (g.next_u32() as usize) % n;
            (self.context_row(context, k), self.ys[k])
        }))
    }

    /// The context row of example `k`: the `len` labels before it within its word (the
    /// word's start is all `.`), read back from `ys`, so no table per context is kept.
    fn context_row(&self, context: Context, k: usize) -> usize {
        if context.len() == 1 {
            return usize::from(self.xs[k]);
        }
        let v = self.vocab.len();
        let mut chars = Vec::with_capacity(context.len());
        for j in (k.saturating_sub(context.len())..k).rev() {
            if usize::from(self.ys[j]) == crate::data::vocab::DOT {
                break; // the end of the word before: the rest of the context is `.`
            }
            chars.push(self.ys[j]);
        }
        chars.resize(context.len(), crate::data::vocab::DOT as u8);
        chars
            .iter()
            .rev()
            .fold(0, |row, &c| row * v + usize::from(c))
    }

    /// A held-out split: the words shuffled with a generator seeded with `seed`
    /// (Fisher–Yates, each swap a 32-bit draw modulo the remaining count), the first
    /// `dev_fraction` of them (rounded, at least one) held out. Returns (train, dev);
    /// both keep this data set's vocabulary, so one `W` serves both.
    pub fn split(&self, dev_fraction: f64, seed: u64) -> Result<(Dataset, Dataset)> {
        if !(dev_fraction > 0.0 && dev_fraction < 1.0) {
            return Err(Error::InvalidSetting {
                name: "held-out share",
                reason: "must be between 0 and 1".into(),
            });
        }
        let mut words: Vec<(usize, usize)> = self.word_ranges().collect();
        if words.len() < 2 {
            return Err(Error::InvalidSetting {
                name: "held-out share",
                reason: "a split needs at least two words".into(),
            });
        }
        let mut g = TorchGenerator::manual_seed(seed);
        for i in (1..words.len()).rev() {
            let j = (g.next_u32() as usize) % (i + 1);
            words.swap(i, j);
        }
        let n_dev =
            ((words.len() as f64 * dev_fraction).round() as usize).clamp(1, words.len() - 1);
        let (dev, train) = words.split_at(n_dev);
        Ok((self.subset(train)?, self.subset(dev)?))
    }

    /// The split makemore's next lecture makes, so that a notebook holds the same words:
    /// `random.seed(seed); random.shuffle(words)` (Python's generator, see
    /// [`PythonRandom`]), then train = the first `int(0.8·n)` words, dev up to
    /// `int(0.9·n)`, test the rest. Returns (train, dev, test), each with this vocabulary;
    /// refused when a part would have no word (fewer than 10 words).
    pub fn split_80_10_10(&self, seed: u64) -> Result<(Dataset, Dataset, Dataset)> {
        let mut words: Vec<(usize, usize)> = self.word_ranges().collect();
        let n = words.len();
        // Python's int(0.8 * n): the same float product, truncated.
        let (n1, n2) = ((0.8 * n as f64) as usize, (0.9 * n as f64) as usize);
        if n1 == 0 || n2 == n1 || n2 == n {
            return Err(Error::InvalidSetting {
                name: "80/10/10 split",
                reason: format!(
                    "needs a word in each part: this list has {} (use at least 10)",
                    crate::error::count(n as u64, "word")
                ),
            });
        }
        PythonRandom::seed(seed).shuffle(&mut words);
        Ok((
            self.subset(&words[..n1])?,
            self.subset(&words[n1..n2])?,
            self.subset(&words[n2..])?,
        ))
    }

    /// The data set of the given words (ranges of examples), with this vocabulary.
    fn subset(&self, words: &[(usize, usize)]) -> Result<Dataset> {
        let take = |v: &[u8]| {
            words
                .iter()
                .flat_map(|&(a, b)| v[a..b].iter().copied())
                .collect()
        };
        let ends = words
            .iter()
            .scan(0, |end, &(a, b)| {
                *end += b - a;
                Some(*end)
            })
            .collect();
        Self::from_examples(self.vocab.clone(), take(&self.xs), take(&self.ys), ends)
    }

    /// The words again, read back from the examples (each word's labels but the final
    /// `.`), so the data set needs no copy of the text.
    pub fn words(&self) -> impl Iterator<Item = String> + '_ {
        self.word_ranges().map(|(a, b)| {
            self.ys[a..b - 1]
                .iter()
                .filter_map(|&y| self.vocab.itos(usize::from(y)))
                .collect()
        })
    }

    /// The words as a word-list file: one per line, each line ended. This is the
    /// `names.txt` the Code panel's program reads, so that it trains on these words.
    pub fn words_text(&self) -> String {
        let mut text = self.words().collect::<Vec<_>>().join("\n");
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_as_a_word_list_file() {
        let ds = Dataset::from_bytes(b"emma\r\n\nava\n").unwrap();
        assert_eq!(ds.words_text(), "emma\nava\n");
        let again = Dataset::from_bytes(ds.words_text().as_bytes()).unwrap();
        assert_eq!(again.words_text(), ds.words_text());
    }

    #[test]
    fn the_80_10_10_split_counts_the_words_of_a_list_too_short() {
        let err = |words: &[&str]| {
            let ds = Dataset::from_words(words).unwrap();
            ds.split_80_10_10(42).unwrap_err().to_string()
        };
        assert_eq!(
            err(&["ab"]),
            "80/10/10 split: needs a word in each part: this list has 1 word (use at least 10)"
        );
        assert!(err(&["ab", "ba"]).contains("this list has 2 words"));
    }

    #[test]
    fn emma_examples_match_the_lecture() {
        let ds = Dataset::from_words(&["emma"]).unwrap();
        let s: String = ds.vocab().chars().iter().collect();
        assert_eq!(s, ".aem");
        // .e em mm ma a. with . = 0, a = 1, e = 2, m = 3
        assert_eq!(ds.xs(), [0, 2, 3, 3, 1]);
        assert_eq!(ds.ys(), [2, 3, 3, 1, 0]);
        assert_eq!(ds.n().matrix()[(3, 3)], 1);
        assert_eq!(ds.n().total(), 5);
        assert_eq!(ds.n().row_sums(), [1, 1, 1, 2]);
    }

    #[test]
    fn minibatches_count_real_examples_and_are_reproducible() {
        let ds = Dataset::from_words(&["emma", "olivia", "ava", "isabella"]).unwrap();
        let mut batch = N::empty(1);
        let mut g = TorchGenerator::manual_seed(3);
        ds.sample_batch(Context::BIGRAM, &mut g, 32, &mut batch)
            .unwrap();
        assert_eq!(batch.total(), 32);
        assert_eq!(batch.row_sums().iter().sum::<u64>(), 32);
        for (b, n) in batch.matrix().iter().zip(ds.n().matrix()) {
            assert!(*b == 0 || *n > 0, "a batch holds only bigrams of the data");
        }
        let mut again = batch.clone();
        ds.sample_batch(
            Context::BIGRAM,
            &mut TorchGenerator::manual_seed(3),
            32,
            &mut again,
        )
        .unwrap();
        assert_eq!(again, batch);
        ds.sample_batch(Context::BIGRAM, &mut g, 32, &mut again)
            .unwrap();
        assert_ne!(again, batch, "the next batch is another draw");
    }

    #[test]
    fn a_minibatch_of_contexts_counts_examples_of_n_for_that_context() {
        let ds = Dataset::from_words(&["emma", "ava", "mia"]).unwrap();
        let ctx = Context::new(2, crate::data::context::Encoding::Context).unwrap();
        let full = ds.n_for(ctx).unwrap();
        let mut batch = N::empty(1);
        ds.sample_batch(ctx, &mut TorchGenerator::manual_seed(5), 500, &mut batch)
            .unwrap();
        assert_eq!(batch.matrix().dim(), full.matrix().dim());
        assert_eq!(batch.total(), 500);
        for (b, n) in batch.matrix().iter().zip(full.matrix()) {
            assert!(*b == 0 || *n > 0, "a batch holds only examples of the data");
        }
        // With 500 draws from 13 examples every example comes up: the same cells.
        for (b, n) in batch.matrix().iter().zip(full.matrix()) {
            assert_eq!(*b > 0, *n > 0);
        }
    }

    #[test]
    fn split_partitions_the_words_reproducibly() {
        let words: Vec<String> = (0..100)
            .map(|i| format!("w{}", i % 7).repeat(1 + i % 3))
            .collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let ds = Dataset::from_words(&refs).unwrap();
        let (train, dev) = ds.split(0.1, 7).unwrap();
        assert_eq!((train.word_count(), dev.word_count()), (90, 10));
        assert_eq!(train.vocab(), ds.vocab());
        let mut all: Vec<String> = train.words().chain(dev.words()).collect();
        let mut want = words.clone();
        all.sort();
        want.sort();
        assert_eq!(all, want, "every word in exactly one part");
        let total = train.n().total() + dev.n().total();
        assert_eq!(total, ds.n().total());
        let (_, again) = ds.split(0.1, 7).unwrap();
        assert_eq!(again.xs(), dev.xs(), "same seed, same split");
        let (_, other) = ds.split(0.1, 8).unwrap();
        assert_ne!(other.xs(), dev.xs(), "another seed, another split");
        assert!(ds.split(0.0, 7).is_err());
        assert!(Dataset::from_words(&["one"])
            .unwrap()
            .split(0.5, 1)
            .is_err());
    }

    #[test]
    fn words_read_back_from_examples() {
        let words = ["zoë", "a", "ann"];
        let ds = Dataset::from_words(&words).unwrap();
        assert_eq!(ds.words().collect::<Vec<_>>(), words);
        assert_eq!(ds.word_count(), 3);
        assert_eq!(ds.bigram_count(), 4 + 2 + 4);
    }
}
