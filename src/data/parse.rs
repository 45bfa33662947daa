//! The streaming parser: a word-list file, read in pieces, becomes the lecture's examples
//! `xs`, `ys` (one per bigram of `.word.`) and a [`Dataset`].

use crate::data::dataset::Dataset;
use crate::data::vocab::{CharIndex, Vocab, DOT, MAX_VOCAB};
use crate::error::{Error, Result};

/// The largest word-list file taken: 64 MiB, some eight million names. The examples
/// take two bytes per character in wasm memory, which a browser tab can spare.
pub const MAX_FILE_BYTES: usize = 64 << 20;

/// The default data set: US Social Security baby names for birth year 2018, lower-cased,
/// one per line, in the source's order (see the README for how it was made).
pub const DEFAULT_NAMES: &str = include_str!("../names.txt");

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
    /// Where each word's examples end in `xs`/`ys`, recorded once as the words are read.
    word_ends: Vec<usize>,
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
            word_ends: Vec::new(),
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
        if self.word_ends.is_empty() {
            return Err(Error::EmptyWordList);
        }
        // Provisional indices are in order of appearance; the lecture's are `.` then
        // code-point order, which the vocabulary decides. Remap once at the end.
        let vocab = Vocab::from_chars(self.seen.iter().copied())?;
        let remap: Vec<u8> = (self.seen.iter())
            .map(|&c| vocab.stoi(c).map_or(DOT as u8, |ix| ix as u8))
            .collect();
        for ix in self.xs.iter_mut().chain(self.ys.iter_mut()) {
            *ix = remap[usize::from(*ix)];
        }
        Dataset::from_examples(vocab, self.xs, self.ys, self.word_ends)
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
        self.word_ends.push(self.xs.len());
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
}
