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
/// The list is one word per line, trimmed, blank lines skipped, read as Python's
/// `str.splitlines()` reads lines (the lecture's `open('names.txt').read().splitlines()`):
/// a line ends at `\n`, `\r\n`, `\r`, `\x0b`, `\x0c`, `\x1c`, `\x1d`, `\x1e`, U+0085,
/// U+2028 or U+2029. A UTF-8 byte-order mark at the file's start is accepted. Refused,
/// with the line where it went wrong: bytes that are not UTF-8, a `.` inside a word (it
/// is the start/end token), a character that is invisible or changes the text's
/// direction ([`is_invisible`]), more than [`MAX_VOCAB`] symbols; and, without a line, a
/// list with no words or a file over [`MAX_FILE_BYTES`]. Chunks may split lines,
/// separators and characters anywhere: the result is the same as for the whole file at
/// once.
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
        match last_line_end(chunk) {
            None => self.partial.extend_from_slice(chunk),
            Some(end) => {
                // A line ends at a whole separator, never inside a UTF-8 sequence, so
                // the block up to it is whole text.
                let mut block = std::mem::take(&mut self.partial);
                block.extend_from_slice(&chunk[..end]);
                self.parse_block(&block)?;
                self.offset += block.len();
                self.partial = chunk[end..].to_vec();
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
                let whole_lines = line_end(valid, false).unwrap_or(0);
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
        for line in Lines(text) {
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
        // Checked once per character, on first sight: every later one was this one.
        if is_invisible(c) {
            return Err(Error::InvisibleChar {
                line: self.lines,
                c,
            });
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

/// Whether `c` is invisible or changes the direction of the text around it, so that a
/// word holding it would look like another (or like nothing) on the page and in the
/// program: a control (C0 or C1; the line separators never reach a word, and a tab is
/// only taken at a word's ends, which are trimmed), the byte-order mark (taken only at
/// the file's very start), the zero-width space, non-joiner and joiner, the word joiner,
/// the soft hyphen, and the bidirectional marks, embeddings, overrides and isolates.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// The length of the line separator at the start of `b`, as Python's `str.splitlines()`
/// has them: `\n`, `\r\n`, `\r`, `\x0b`, `\x0c`, `\x1c`, `\x1d`, `\x1e`, U+0085, U+2028 and
/// U+2029 (a `\r` at the very end counts alone).
fn separator_len(b: &[u8]) -> Option<usize> {
    match b {
        [b'\r', b'\n', ..] => Some(2),
        [b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1e, ..] => Some(1),
        [0xc2, 0x85, ..] => Some(2),
        [0xe2, 0x80, 0xa8 | 0xa9, ..] => Some(3),
        _ => None,
    }
}

/// Where the last whole line of `bytes` ends (just after its separator), if one does.
/// With `more` to come, a `\r` at the very end does not end a line yet: a `\n` may
/// follow in the next piece, and `\r\n` is one separator. A separator whose bytes are
/// not all in `bytes` is not seen; the piece after brings it whole.
fn line_end(bytes: &[u8], more: bool) -> Option<usize> {
    (0..bytes.len()).rev().find_map(|i| match bytes[i] {
        b'\r' if more && i + 1 == bytes.len() => None,
        b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1e => Some(i + 1),
        0x85 if i >= 1 && bytes[i - 1] == 0xc2 => Some(i + 1),
        0xa8 | 0xa9 if i >= 2 && bytes[i - 2..i] == [0xe2, 0x80] => Some(i + 1),
        _ => None,
    })
}

/// [`line_end`] of a piece with more to come.
fn last_line_end(chunk: &[u8]) -> Option<usize> {
    line_end(chunk, true)
}

/// The lines of a text as Python's `str.splitlines()` makes them: split at every
/// separator of [`separator_len`], no empty line after a final separator.
struct Lines<'a>(&'a str);

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.0.is_empty() {
            return None;
        }
        let bytes = self.0.as_bytes();
        let (line, rest) = (0..bytes.len())
            .find_map(|i| separator_len(&bytes[i..]).map(|n| (&self.0[..i], &self.0[i + n..])))
            .unwrap_or((self.0, ""));
        self.0 = rest;
        Some(line)
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

    /// The words of `pieces` pushed one after another, or the error.
    fn pushed(pieces: &[&[u8]]) -> Result<Vec<String>> {
        let mut b = DatasetBuilder::new();
        for piece in pieces {
            b.push(piece)?;
        }
        Ok(b.finish()?.words().collect())
    }

    const SEPARATORS: [&str; 11] = [
        "\n", "\r\n", "\r", "\u{b}", "\u{c}", "\u{1c}", "\u{1d}", "\u{1e}", "\u{85}", "\u{2028}",
        "\u{2029}",
    ];

    #[test]
    fn each_line_separator_of_splitlines_ends_a_line() {
        for sep in SEPARATORS {
            let text = format!("ab{sep}cd{sep}");
            assert_eq!(pushed(&[text.as_bytes()]).unwrap(), ["ab", "cd"], "{sep:?}");
            // One separator is one line: the third line is the third.
            let dot = format!("ab{sep}{sep}c.d");
            let err = pushed(&[dot.as_bytes()]).unwrap_err();
            assert_eq!(err, Error::ReservedDot { line: 3 }, "{sep:?}");
        }
    }

    #[test]
    fn crlf_split_across_two_pushes_is_one_line_end() {
        assert_eq!(pushed(&[b"ab\r", b"\ncd"]).unwrap(), ["ab", "cd"]);
        let err = pushed(&[b"ab\r", b"\nc.d"]).unwrap_err();
        assert_eq!(err, Error::ReservedDot { line: 2 });
        // A lone `\r` at a piece's end still ends its line once the next piece shows.
        let err = pushed(&[b"ab\r", b"c.d"]).unwrap_err();
        assert_eq!(err, Error::ReservedDot { line: 2 });
        assert_eq!(pushed(&[b"ab\r"]).unwrap(), ["ab"]);
    }

    #[test]
    fn a_separator_split_inside_its_utf8_bytes_is_still_one() {
        for sep in ["\u{85}", "\u{2028}", "\u{2029}"] {
            let text = format!("ab{sep}cd{sep}e.f");
            let bytes = text.as_bytes();
            for cut in 1..bytes.len() {
                let (a, b) = bytes.split_at(cut);
                let err = pushed(&[a, b]).unwrap_err();
                assert_eq!(err, Error::ReservedDot { line: 3 }, "{sep:?} cut at {cut}");
            }
            let good = format!("ab{sep}cd");
            let bytes = good.as_bytes();
            for cut in 1..bytes.len() {
                let (a, b) = bytes.split_at(cut);
                assert_eq!(
                    pushed(&[a, b]).unwrap(),
                    ["ab", "cd"],
                    "{sep:?} cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn the_words_are_python_s_splitlines_stripped_and_blank_skipped() {
        let text = "\u{feff}emma\r\nolivia\rava\u{b}isabella\u{c}sophia\u{1c}mia\u{1d}charlotte\
                    \u{1e}amelia\u{85}harper\u{2028}evelyn\u{2029}\r\n  abigail \t\n\n\r\u{3000}zoë\u{a0}\nlast";
        // Python, by hand, for the text after the byte-order mark:
        // [w for w in (l.strip() for l in text.splitlines()) if w]
        let python = [
            "emma",
            "olivia",
            "ava",
            "isabella",
            "sophia",
            "mia",
            "charlotte",
            "amelia",
            "harper",
            "evelyn",
            "abigail",
            "zoë",
            "last",
        ];
        let bytes = text.as_bytes();
        for size in 1..=bytes.len() {
            let pieces: Vec<&[u8]> = bytes.chunks(size).collect();
            assert_eq!(pushed(&pieces).unwrap(), python, "chunk size {size}");
        }
    }

    #[test]
    fn invisible_and_direction_changing_characters_are_refused_with_their_line() {
        let err = Dataset::from_bytes("ann\nbob\nev\u{202e}a\n".as_bytes()).unwrap_err();
        assert_eq!(
            err,
            Error::InvisibleChar {
                line: 3,
                c: '\u{202e}'
            }
        );
        assert_eq!(
            err.to_string(),
            "line 3 has an invisible or direction-changing character, U+202E \
             (right-to-left override): remove it from the file"
        );
        let err = Dataset::from_bytes(b"a\x1fb").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1 has an invisible or direction-changing character, U+001F: \
             remove it from the file"
        );
        let named = [
            ('\0', "null"),
            ('\t', "tab"),
            ('\u{7f}', "delete"),
            ('\u{ad}', "soft hyphen"),
            ('\u{61c}', "Arabic letter mark"),
            ('\u{200b}', "zero-width space"),
            ('\u{200c}', "zero-width non-joiner"),
            ('\u{200d}', "zero-width joiner"),
            ('\u{200e}', "left-to-right mark"),
            ('\u{200f}', "right-to-left mark"),
            ('\u{202a}', "left-to-right embedding"),
            ('\u{202b}', "right-to-left embedding"),
            ('\u{202c}', "pop directional formatting"),
            ('\u{202d}', "left-to-right override"),
            ('\u{2060}', "word joiner"),
            ('\u{2066}', "left-to-right isolate"),
            ('\u{2067}', "right-to-left isolate"),
            ('\u{2068}', "first strong isolate"),
            ('\u{2069}', "pop directional isolate"),
            (
                '\u{feff}',
                "zero-width no-break space, a byte-order mark inside the file",
            ),
        ];
        for (c, name) in named {
            let err = Dataset::from_bytes(format!("ann\nb{c}b").as_bytes()).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "line 2 has an invisible or direction-changing character, U+{:04X} \
                     ({name}): remove it from the file",
                    u32::from(c)
                )
            );
        }
        // Every C0 and C1 control that is not a line separator, at a word's start too.
        for c in ('\0'..='\u{9f}').filter(|c| c.is_control()) {
            if SEPARATORS.iter().any(|s| s.starts_with(c)) || c == '\t' {
                continue;
            }
            let err = Dataset::from_bytes(format!("{c}ann").as_bytes()).unwrap_err();
            assert_eq!(err, Error::InvisibleChar { line: 1, c }, "{c:?}");
        }
        // A tab at a word's ends is trimmed; a byte-order mark at the file's start goes.
        let ds = Dataset::from_bytes("\u{feff}\tann\t\n".as_bytes()).unwrap();
        assert_eq!(ds.words().collect::<Vec<_>>(), ["ann"]);
        let err = Dataset::from_bytes("ann\n\u{feff}bob".as_bytes()).unwrap_err();
        assert_eq!(
            err,
            Error::InvisibleChar {
                line: 2,
                c: '\u{feff}'
            }
        );
        assert!(is_invisible('\u{2066}') && !is_invisible('é') && !is_invisible(' '));
    }

    #[test]
    fn chunks_split_anywhere_give_the_same_data_set() {
        let text = "\u{feff}zoë\r\nanna\n\nélodie\rbob\u{2028}eve\r\r\nmia".as_bytes();
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
