//! The character vocabulary, built the lecture's way: `.` is index 0 and the other
//! distinct characters follow in code-point order (`stoi` and `itos` in makemore).

use crate::error::{Error, Result};
use std::collections::{BTreeSet, HashMap};

/// Index of the start/end token `.` in every vocabulary.
pub const DOT: usize = 0;

/// The largest vocabulary (`.` included) a word list may have. The page draws a V×V
/// heatmap, and indices are stored as `u8`; 128 covers any alphabet of names
/// (Latin with accents, Greek, Cyrillic, kana) while keeping the heatmap legible.
pub const MAX_VOCAB: usize = 128;

/// `stoi` and `itos`: the map between characters and row/column indices of `W` and `N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocab {
    itos: Vec<char>,
    index: CharIndex,
}

/// Character → index lookup: a table for ASCII, which is nearly every character of
/// most lists, and a map for the rest. Shared by [`Vocab`] and the data-set builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CharIndex {
    ascii: [u8; 128],
    other: HashMap<char, u8>,
}

/// Marks an ASCII slot with no index: valid indices are below [`MAX_VOCAB`].
const NONE: u8 = u8::MAX;

impl CharIndex {
    pub(crate) fn new() -> Self {
        Self {
            ascii: [NONE; 128],
            other: HashMap::new(),
        }
    }

    #[inline]
    pub(crate) fn get(&self, c: char) -> Option<u8> {
        match self.ascii.get(c as usize) {
            Some(&ix) => (ix != NONE).then_some(ix),
            None => self.other.get(&c).copied(),
        }
    }

    /// Records `c → ix`; false if `c` already had an index.
    pub(crate) fn insert(&mut self, c: char, ix: u8) -> bool {
        match self.ascii.get_mut(c as usize) {
            Some(slot) => std::mem::replace(slot, ix) == NONE,
            None => self.other.insert(c, ix).is_none(),
        }
    }
}

impl Vocab {
    /// Builds the vocabulary of `words`: `.` first, then every other character once,
    /// sorted by code point. Fails if that is more than [`MAX_VOCAB`] symbols.
    pub fn from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Result<Self> {
        Self::from_chars(words.into_iter().flat_map(str::chars))
    }

    /// The vocabulary of the characters `chars` (repeats allowed, `.` optional): `.`
    /// first, then the others once each in code-point order, the lecture's
    /// `sorted(set(...))`. The one place that order is decided.
    pub fn from_chars(chars: impl IntoIterator<Item = char>) -> Result<Self> {
        // A flag array for ASCII keeps a million-word list fast; the set sorts the rest.
        let mut ascii = [false; 128];
        let mut other = BTreeSet::new();
        for c in chars {
            match ascii.get_mut(c as usize) {
                Some(seen) => *seen = true,
                None => {
                    other.insert(c);
                }
            }
        }
        ascii[usize::from(b'.')] = false;
        let ascii = (0u8..128)
            .filter(|&b| ascii[usize::from(b)])
            .map(char::from);
        let itos: Vec<char> = std::iter::once('.').chain(ascii).chain(other).collect();
        Self::from_itos(itos)
    }

    /// Builds a vocabulary from its symbols in index order; `itos[0]` must be `.`
    /// and no symbol may repeat (as in an exported model).
    pub fn from_itos(itos: Vec<char>) -> Result<Self> {
        if itos.len() > MAX_VOCAB {
            return Err(Error::VocabTooLarge {
                max: MAX_VOCAB,
                line: None,
            });
        }
        if itos.first() != Some(&'.') {
            return Err(Error::ShapeMismatch {
                expected: "a vocabulary starting with '.'".into(),
                found: itos.iter().take(1).collect(),
            });
        }
        let mut index = CharIndex::new();
        for (i, &c) in itos.iter().enumerate() {
            // `i < MAX_VOCAB <= 255`, so the cast is lossless.
            if !index.insert(c, i as u8) {
                return Err(Error::ShapeMismatch {
                    expected: "each character once in the vocabulary".into(),
                    found: format!("{c:?} twice"),
                });
            }
        }
        Ok(Self { itos, index })
    }

    /// Number of symbols, `.` included (V).
    pub fn len(&self) -> usize {
        self.itos.len()
    }

    /// Always false: every vocabulary holds at least `.`.
    pub fn is_empty(&self) -> bool {
        self.itos.is_empty()
    }

    /// `stoi[c]`, or `None` for a character outside the vocabulary.
    #[inline]
    pub fn stoi(&self, c: char) -> Option<usize> {
        self.index.get(c).map(usize::from)
    }

    /// `itos[i]`, or `None` past the end.
    pub fn itos(&self, i: usize) -> Option<char> {
        self.itos.get(i).copied()
    }

    /// All symbols in index order.
    pub fn chars(&self) -> &[char] {
        &self.itos
    }

    /// True when no symbol has an upper-case form different from itself, so folding a
    /// typed word to lower case cannot change what it means to the model.
    pub fn is_lowercase(&self) -> bool {
        self.itos.iter().all(|c| !c.is_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_first_then_code_point_order() {
        let v = Vocab::from_words(["émile", "zoe", "ana"]).unwrap();
        let s: String = v.chars().iter().collect();
        assert_eq!(s, ".aeilmnoz\u{e9}");
        assert_eq!(v.stoi('.'), Some(0));
        assert_eq!(v.stoi('é'), Some(9));
        assert_eq!(v.stoi('x'), None);
        assert_eq!(v.stoi('ß'), None);
    }

    #[test]
    fn too_many_symbols_is_an_error() {
        let word: String = (0..200u32)
            .filter_map(|i| char::from_u32(0x400 + i))
            .collect();
        let err = Vocab::from_words([word.as_str()]).unwrap_err();
        assert_eq!(
            err,
            Error::VocabTooLarge {
                max: MAX_VOCAB,
                line: None
            }
        );
    }

    #[test]
    fn from_itos_refuses_repeats_and_missing_dot() {
        assert!(Vocab::from_itos(vec!['.', 'a', 'a']).is_err());
        assert!(Vocab::from_itos(vec!['a', '.']).is_err());
        assert!(Vocab::from_itos(vec!['.', 'é', 'é']).is_err());
    }
}
