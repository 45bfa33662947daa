//! Word lists and the bigram data made from them: the examples `xs`, `ys` and the
//! count matrix `N`, as in the lecture.

use crate::error::{Error, Result};
use crate::rng::TorchGenerator;
use crate::vocab::{CharIndex, Vocab, DOT, MAX_VOCAB};
use ndarray::Array2;

/// The largest word-list file taken: 64 MiB, some eight million names. The examples
/// take two bytes per character in wasm memory, which a browser tab can spare.
pub const MAX_FILE_BYTES: usize = 64 << 20;

/// The default data set: US Social Security baby names for birth year 2018, lower-cased,
/// one per line, in the source's order (see the README for how it was made).
pub const DEFAULT_NAMES: &str = include_str!("names.txt");

/// Builds a [`Dataset`] from a word list that arrives in pieces (a large file read in
/// chunks, so that the page can show progress and stay responsive between them).
///
/// The list is one word per line, trimmed, blank lines skipped; a UTF-8 byte-order mark
/// and CRLF line ends are accepted. Refused, with the line where it went wrong: bytes
/// that are not UTF-8, a `.` inside a word (it is the start/end token), more than
/// [`MAX_VOCAB`] symbols; and, without a line, a list with no words or a file over
/// [`MAX_FILE_BYTES`]. Chunks may split lines and characters
/// anywhere: the result is the same as for the whole file at once.
#[derive(Debug, Clone)]
pub struct DatasetBuilder {
    /// Bytes of a line not yet complete (no newline seen yet).
    partial: Vec<u8>,
    /// Bytes consumed before `partial`, for error offsets.
    offset: usize,
    /// Lines completed so far.
    lines: usize,
    /// Characters in order of first appearance; `.` is provisional index 0.
    seen: Vec<char>,
    index: CharIndex,
    xs: Vec<u8>,
    ys: Vec<u8>,
    words: usize,
}

impl Default for DatasetBuilder {
    fn default() -> Self {
        let mut index = CharIndex::new();
        index.insert('.', DOT as u8);
        Self {
            partial: Vec::new(),
            offset: 0,
            lines: 0,
            seen: vec!['.'],
            index,
            xs: Vec::new(),
            ys: Vec::new(),
            words: 0,
        }
    }
}

impl DatasetBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next piece of the file. Complete lines are parsed now; the rest waits
    /// for the next piece or [`finish`](Self::finish).
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        if self.bytes_read() + chunk.len() > MAX_FILE_BYTES {
            return Err(Error::FileTooLarge {
                max: MAX_FILE_BYTES,
            });
        }
        match chunk.iter().rposition(|&b| b == b'\n') {
            None => self.partial.extend_from_slice(chunk),
            Some(end) => {
                // A newline byte never occurs inside a UTF-8 sequence, so the block up
                // to the last newline is whole text.
                let mut block = std::mem::take(&mut self.partial);
                block.extend_from_slice(&chunk[..=end]);
                self.parse_block(&block)?;
                self.offset += block.len();
                self.partial = chunk[end + 1..].to_vec();
            }
        }
        Ok(())
    }

    /// Bytes taken so far, byte-order mark included (for a progress bar).
    pub fn bytes_read(&self) -> usize {
        self.offset + self.partial.len()
    }

    /// Parses the last line and builds the data set: the vocabulary sorted the lecture's
    /// way, the examples and `N`.
    pub fn finish(mut self) -> Result<Dataset> {
        let last = std::mem::take(&mut self.partial);
        self.parse_block(&last)?;
        if self.words == 0 {
            return Err(Error::EmptyWordList);
        }
        // Provisional indices are in order of appearance; the lecture's are `.` then
        // code-point order. Remap once at the end instead of sorting as we go.
        let mut order: Vec<usize> = (1..self.seen.len()).collect();
        order.sort_by_key(|&i| self.seen[i]);
        let mut remap = vec![DOT as u8; self.seen.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = (new + 1) as u8;
        }
        let itos = std::iter::once('.')
            .chain(order.iter().map(|&i| self.seen[i]))
            .collect();
        let vocab = Vocab::from_itos(itos)?;
        for ix in self.xs.iter_mut().chain(self.ys.iter_mut()) {
            *ix = remap[usize::from(*ix)];
        }
        let counts = BigramCounts::from_examples(&self.xs, &self.ys, vocab.len())?;
        Ok(Dataset {
            vocab,
            xs: self.xs,
            ys: self.ys,
            counts,
            words: self.words,
        })
    }

    fn parse_block(&mut self, block: &[u8]) -> Result<()> {
        let text = match std::str::from_utf8(block) {
            Ok(text) => text,
            Err(e) => {
                // Report the first error in the file: the whole lines before the bad
                // byte may hold one, however the file was cut into chunks.
                let valid = &block[..e.valid_up_to()];
                let whole_lines = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                let before = std::str::from_utf8(&valid[..whole_lines]).unwrap_or_default();
                self.parse_text(before)?;
                return Err(Error::NotUtf8 {
                    line: self.lines + 1,
                    byte: self.offset + e.valid_up_to(),
                });
            }
        };
        self.parse_text(text)
    }

    fn parse_text(&mut self, text: &str) -> Result<()> {
        // The byte-order mark may have come in pieces; it is whole by the first line.
        let text = if self.lines == 0 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        for line in text.lines() {
            self.lines += 1;
            let word = line.trim();
            if word.is_empty() {
                continue;
            }
            if word.contains('.') {
                return Err(Error::ReservedDot { line: self.lines });
            }
            self.push_word(word)?;
        }
        Ok(())
    }

    fn push_word(&mut self, word: &str) -> Result<()> {
        let mut prev = DOT as u8;
        for c in word.chars() {
            let ix = self.index(c)?;
            self.xs.push(prev);
            self.ys.push(ix);
            prev = ix;
        }
        self.xs.push(prev);
        self.ys.push(DOT as u8);
        self.words += 1;
        Ok(())
    }

    /// The provisional index of `c`, adding it on first sight.
    #[inline]
    fn index(&mut self, c: char) -> Result<u8> {
        if let Some(ix) = self.index.get(c) {
            return Ok(ix);
        }
        if self.seen.len() >= MAX_VOCAB {
            return Err(Error::VocabTooLarge {
                max: MAX_VOCAB,
                line: Some(self.lines),
            });
        }
        let ix = self.seen.len() as u8; // < MAX_VOCAB ≤ 255
        self.seen.push(c);
        self.index.insert(c, ix);
        Ok(ix)
    }
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
        Self::from_matrix(n)
    }

    /// Wraps a count matrix already made; it must be square (V×V).
    pub fn from_matrix(n: Array2<u32>) -> Result<Self> {
        if !n.is_square() {
            return Err(Error::ShapeMismatch {
                expected: "a square count matrix".into(),
                found: format!("{:?}", n.shape()),
            });
        }
        // Row-major storage lets the fast path read N as one slice.
        let n = if n.is_standard_layout() {
            n
        } else {
            n.as_standard_layout().into_owned()
        };
        let mut counts = Self {
            n,
            row_sums: Vec::new(),
            total: 0,
        };
        counts.update_sums();
        Ok(counts)
    }

    /// V×V zeros: a count matrix of no examples.
    pub fn empty(v: usize) -> Self {
        let n = Array2::zeros((v, v));
        Self {
            row_sums: vec![0; v],
            n,
            total: 0,
        }
    }

    /// Counts `pairs` again into the same storage (no allocation per minibatch).
    /// Indices must be below V.
    fn recount(&mut self, pairs: impl Iterator<Item = (u8, u8)>) {
        self.n.fill(0);
        for (x, y) in pairs {
            if let Some(cell) = self.n.get_mut((usize::from(x), usize::from(y))) {
                *cell += 1;
            }
        }
        self.update_sums();
    }

    fn update_sums(&mut self) {
        self.row_sums.clear();
        let rows = self.n.rows().into_iter();
        self.row_sums
            .extend(rows.map(|r| r.iter().map(|&c| u64::from(c)).sum::<u64>()));
        self.total = self.row_sums.iter().sum();
    }

    /// `N`: `N[i, j]` is how often character `j` follows character `i`.
    pub fn n(&self) -> &Array2<u32> {
        &self.n
    }

    /// `N` in row-major order.
    pub(crate) fn n_slice(&self) -> &[u32] {
        self.n
            .as_slice()
            .expect("from_matrix keeps N in standard layout")
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

    /// A minibatch: `size` examples drawn uniformly with replacement by `g`, each index
    /// a 32-bit draw modulo n (the rule of `torch.randint` for ranges below 2^32; no
    /// PyTorch reference checks it), counted into `out`, whose storage is reused. The
    /// fast path then trains on those counts.
    pub fn sample_batch(&self, g: &mut TorchGenerator, size: usize, out: &mut BigramCounts) {
        let n = self.xs.len();
        if out.vocab_size() != self.vocab.len() {
            *out = BigramCounts::empty(self.vocab.len());
        }
        out.recount((0..size).map(|_| {
            // n < 2^32 (indices are bytes, and 4 GiB of examples would not fit in wasm).
            let k = (g.next_u32() as usize) % n;
            (self.xs[k], self.ys[k])
        }));
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
        // Each word's examples run from one `.` input to the next.
        let mut words: Vec<(usize, usize)> = Vec::with_capacity(self.words);
        let mut start = 0;
        for (i, &y) in self.ys.iter().enumerate() {
            if usize::from(y) == DOT {
                words.push((start, i + 1));
                start = i + 1;
            }
        }
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

    /// The data set of the given words (ranges of examples), with this vocabulary.
    fn subset(&self, words: &[(usize, usize)]) -> Result<Dataset> {
        let take = |v: &[u8]| {
            words
                .iter()
                .flat_map(|&(a, b)| v[a..b].iter().copied())
                .collect()
        };
        let (xs, ys): (Vec<u8>, Vec<u8>) = (take(&self.xs), take(&self.ys));
        let counts = BigramCounts::from_examples(&xs, &ys, self.vocab.len())?;
        Ok(Dataset {
            vocab: self.vocab.clone(),
            xs,
            ys,
            counts,
            words: words.len(),
        })
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
        let ds = Dataset::from_bytes(b"\xEF\xBB\xBFemma\r\n\r\n  olivia \r\nava").unwrap();
        assert_eq!(ds.words().collect::<Vec<_>>(), ["emma", "olivia", "ava"]);
    }

    #[test]
    fn parse_refuses_bad_input_with_position() {
        let err = |bytes: &[u8]| Dataset::from_bytes(bytes).unwrap_err();
        assert_eq!(err(b"\n \n\r\n"), Error::EmptyWordList);
        assert_eq!(err(b""), Error::EmptyWordList);
        assert_eq!(err(b"ann\nbr\xE9e\n"), Error::NotUtf8 { line: 2, byte: 6 });
        assert_eq!(err(b"ann\nst.john"), Error::ReservedDot { line: 2 });
        let many: String = (0..200u32)
            .filter_map(|i| char::from_u32(0x400 + i))
            .collect();
        let many = format!("ab\n{many}");
        let want = Error::VocabTooLarge {
            max: MAX_VOCAB,
            line: Some(2),
        };
        assert_eq!(err(many.as_bytes()), want);
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
    fn chunks_split_anywhere_give_the_same_data_set() {
        let text = "\u{feff}zoë\r\nanna\n\nélodie\nbob".as_bytes();
        let whole = Dataset::from_bytes(text).unwrap();
        for size in 1..text.len() {
            let mut b = DatasetBuilder::new();
            for chunk in text.chunks(size) {
                b.push(chunk).unwrap();
            }
            assert_eq!(b.bytes_read(), text.len());
            let ds = b.finish().unwrap();
            assert_eq!(ds.xs(), whole.xs(), "chunk size {size}");
            assert_eq!(ds.vocab(), whole.vocab());
        }
        // Errors name the same line and byte however the file is cut.
        let bad = b"ann\nbob\nbr\xE9e\n";
        for size in 1..bad.len() {
            let mut b = DatasetBuilder::new();
            let err = bad
                .chunks(size)
                .try_for_each(|c| b.push(c))
                .and_then(|()| b.finish().map(|_| ()))
                .unwrap_err();
            assert_eq!(
                err,
                Error::NotUtf8 { line: 3, byte: 10 },
                "chunk size {size}"
            );
        }
    }

    #[test]
    fn minibatches_count_real_examples_and_are_reproducible() {
        let ds = Dataset::from_words(&["emma", "olivia", "ava", "isabella"]).unwrap();
        let mut batch = BigramCounts::empty(1);
        let mut g = TorchGenerator::manual_seed(3);
        ds.sample_batch(&mut g, 32, &mut batch);
        assert_eq!(batch.total(), 32);
        assert_eq!(batch.row_sums().iter().sum::<u64>(), 32);
        for (b, n) in batch.n().iter().zip(ds.counts().n()) {
            assert!(*b == 0 || *n > 0, "a batch holds only bigrams of the data");
        }
        let mut again = batch.clone();
        ds.sample_batch(&mut TorchGenerator::manual_seed(3), 32, &mut again);
        assert_eq!(again, batch);
        ds.sample_batch(&mut g, 32, &mut again);
        assert_ne!(again, batch, "the next batch is another draw");
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
        let total = train.counts().total() + dev.counts().total();
        assert_eq!(total, ds.counts().total());
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
