//! Word lists and the bigram data made from them: the examples `xs`, `ys` and the
//! count matrix `N`, as in the lecture.

use crate::error::{Error, Result};
use crate::vocab::{Vocab, DOT};
use ndarray::Array2;

/// The default data set: US Social Security baby names for birth year 2018, lower-cased,
/// one per line, in the source's order (see the README for how it was made).
pub const DEFAULT_NAMES: &str = include_str!("names.txt");

/// Splits a word list into words: one per line, trimmed, blank lines skipped; a UTF-8
/// byte-order mark and CRLF line ends are accepted. Refuses non-UTF-8 bytes, a `.`
/// inside a word (it is the start/end token) and a list with no words.
pub fn parse_words(bytes: &[u8]) -> Result<Vec<&str>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let byte = e.valid_up_to();
        let line = 1 + bytes[..byte].iter().filter(|&&b| b == b'\n').count();
        Error::NotUtf8 { line, byte }
    })?;
    let mut words = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let word = line.trim();
        if word.is_empty() {
            continue;
        }
        if word.contains('.') {
            return Err(Error::ReservedDot { line: i + 1 });
        }
        words.push(word);
    }
    if words.is_empty() {
        return Err(Error::EmptyWordList);
    }
    Ok(words)
}

/// The bigram count matrix `N` of a batch of examples, with the row sums and total the
/// fast path needs.
#[derive(Debug, Clone, PartialEq)]
pub struct BigramCounts {
    n: Array2<u32>,
    row_sums: Vec<u64>,
    total: u64,
}

impl BigramCounts {
    /// Counts the pairs `(xs[k], ys[k])` into a V×V matrix. Indices must be below `v`
    /// (they are when they come from a [`Vocab`] of size `v`).
    pub fn from_examples(xs: &[u8], ys: &[u8], v: usize) -> Result<Self> {
        if xs.len() != ys.len() {
            return Err(Error::ShapeMismatch {
                expected: format!("{} labels", xs.len()),
                found: format!("{}", ys.len()),
            });
        }
        let mut n = Array2::<u32>::zeros((v, v));
        for (&x, &y) in xs.iter().zip(ys) {
            let cell = n.get_mut((usize::from(x), usize::from(y))).ok_or_else(|| {
                Error::ShapeMismatch {
                    expected: format!("indices below {v}"),
                    found: format!("({x}, {y})"),
                }
            })?;
            *cell += 1;
        }
        Ok(Self::from_matrix(n))
    }

    /// Wraps a count matrix already made (square, V×V).
    pub fn from_matrix(n: Array2<u32>) -> Self {
        let row_sums = n
            .rows()
            .into_iter()
            .map(|r| r.iter().map(|&c| u64::from(c)).sum())
            .collect::<Vec<u64>>();
        let total = row_sums.iter().sum();
        Self { n, row_sums, total }
    }

    /// `N`: `N[i, j]` is how often character `j` follows character `i`.
    pub fn n(&self) -> &Array2<u32> {
        &self.n
    }

    /// How many examples start with each character (the row sums of `N`).
    pub fn row_sums(&self) -> &[u64] {
        &self.row_sums
    }

    /// How many examples in all.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// V, the side of the matrix.
    pub fn vocab_size(&self) -> usize {
        self.n.nrows()
    }
}

/// A word list turned into the lecture's training data.
#[derive(Debug, Clone)]
pub struct Dataset {
    vocab: Vocab,
    xs: Vec<u8>,
    ys: Vec<u8>,
    counts: BigramCounts,
    words: usize,
}

impl Dataset {
    /// Parses a word list file (see [`parse_words`]) and builds the data set from it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        Self::from_words(&parse_words(bytes)?)
    }

    /// The default data set, [`DEFAULT_NAMES`].
    pub fn default_names() -> Self {
        // The embedded list is checked by the tests, so this cannot fail at run time;
        // an empty fallback would hide a broken build, hence the expect.
        Self::from_bytes(DEFAULT_NAMES.as_bytes()).expect("the embedded name list is valid")
    }

    /// Builds the vocabulary, the examples (each word wrapped as `.word.`) and `N`.
    pub fn from_words(words: &[&str]) -> Result<Self> {
        if words.is_empty() {
            return Err(Error::EmptyWordList);
        }
        let vocab = Vocab::from_words(words.iter().copied())?;
        let chars: usize = words.iter().map(|w| w.chars().count()).sum();
        let mut xs = Vec::with_capacity(chars + words.len());
        let mut ys = Vec::with_capacity(chars + words.len());
        for w in words {
            let mut prev = DOT;
            for c in w.chars() {
                // Every character of `words` is in `vocab`, which was built from them.
                let ix = vocab.stoi(c).unwrap_or(DOT);
                xs.push(prev as u8);
                ys.push(ix as u8);
                prev = ix;
            }
            xs.push(prev as u8);
            ys.push(DOT as u8);
        }
        let counts = BigramCounts::from_examples(&xs, &ys, vocab.len())?;
        Ok(Self {
            vocab,
            xs,
            ys,
            counts,
            words: words.len(),
        })
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

    /// The count matrix of the whole data set.
    pub fn counts(&self) -> &BigramCounts {
        &self.counts
    }

    /// Number of words.
    pub fn word_count(&self) -> usize {
        self.words
    }

    /// Number of bigrams (examples).
    pub fn bigram_count(&self) -> usize {
        self.xs.len()
    }

    /// The words again, read back from the examples: each word's bigrams run from one
    /// `.` input to the next, so the data set needs no copy of the text.
    pub fn words(&self) -> impl Iterator<Item = String> + '_ {
        self.ys
            .split_inclusive(|&y| usize::from(y) == DOT)
            .map(|run| {
                run[..run.len() - 1]
                    .iter()
                    .filter_map(|&y| self.vocab.itos(usize::from(y)))
                    .collect()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_bom_crlf_and_blank_lines() {
        let words = parse_words(b"\xEF\xBB\xBFemma\r\n\r\n  olivia \r\nava").unwrap();
        assert_eq!(words, ["emma", "olivia", "ava"]);
    }

    #[test]
    fn parse_refuses_bad_input_with_position() {
        assert_eq!(parse_words(b"\n \n\r\n"), Err(Error::EmptyWordList));
        assert_eq!(parse_words(b""), Err(Error::EmptyWordList));
        assert_eq!(
            parse_words(b"ann\nbr\xE9e\n"),
            Err(Error::NotUtf8 { line: 2, byte: 6 })
        );
        assert_eq!(
            parse_words(b"ann\nst.john"),
            Err(Error::ReservedDot { line: 2 })
        );
    }

    #[test]
    fn emma_examples_match_the_lecture() {
        let ds = Dataset::from_words(&["emma"]).unwrap();
        let s: String = ds.vocab().chars().iter().collect();
        assert_eq!(s, ".aem");
        // .e em mm ma a. with . = 0, a = 1, e = 2, m = 3
        assert_eq!(ds.xs(), [0, 2, 3, 3, 1]);
        assert_eq!(ds.ys(), [2, 3, 3, 1, 0]);
        assert_eq!(ds.counts().n()[(3, 3)], 1);
        assert_eq!(ds.counts().total(), 5);
        assert_eq!(ds.counts().row_sums(), [1, 1, 1, 2]);
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
