//! The one error type of the library: every way bad input can fail, each with a message
//! a person can act on. Nothing in the library panics on user input; it returns these.

use std::fmt;

/// Why a word list, a setting or a probability vector was refused. Every message that
/// counts things says them with [`count`]: "1 word", "2 words".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The word list had no words once blank lines were skipped.
    EmptyWordList,
    /// The bytes are not UTF-8; `line` is 1-based, `byte` is the offset in the file.
    NotUtf8 {
        /// Line of the first invalid byte (1-based).
        line: usize,
        /// Byte offset of the first invalid byte (0-based).
        byte: usize,
    },
    /// A word contains `.`, which the model reserves for "start/end of word".
    ReservedDot {
        /// Line of the offending word (1-based).
        line: usize,
    },
    /// A word holds a character that is invisible or changes the text's direction (see
    /// [`crate::data::parse::is_invisible`]).
    InvisibleChar {
        /// Line of the word (1-based).
        line: usize,
        /// The character.
        c: char,
    },
    /// More distinct characters than the page can draw.
    VocabTooLarge {
        /// The limit, [`crate::MAX_VOCAB`] (`.` included).
        max: usize,
        /// Line where the first character past the limit appears, when read from a file.
        line: Option<usize>,
    },
    /// A word-list file larger than [`crate::MAX_FILE_BYTES`].
    FileTooLarge {
        /// The limit in bytes.
        max: usize,
    },
    /// `step` without a gradient for the current weights.
    NoGradient,
    /// A numeric setting outside its allowed range (name of the setting, and why).
    InvalidSetting {
        /// The setting's name as the page shows it.
        name: &'static str,
        /// What is allowed.
        reason: String,
    },
    /// A probability row that cannot be sampled (negative, NaN, infinite or all zero).
    InvalidProbabilities,
    /// A model file that is not one this library wrote, or is damaged.
    NotAModelFile {
        /// What is wrong with it.
        reason: String,
    },
    /// A model file (parsed JSON) that is `null` or not an object.
    NoModel,
    /// A model file's field that is missing (`wanted` is `None`) or not of its kind.
    ModelField {
        /// The field's name in the file (`split.seed` inside the split).
        field: String,
        /// What it must be ("a number"), when it is there but is not that.
        wanted: Option<String>,
    },
    /// A step that would take the count past [`crate::settings::MAX_STEPS`].
    StepLimit {
        /// The limit.
        max: u64,
    },
    /// A model trained on another vocabulary than the data set's.
    VocabMismatch {
        /// The model's vocabulary, in index order.
        model: String,
        /// The data set's vocabulary, in index order.
        data: String,
    },
    /// A word to train on with characters the vocabulary does not have (or a `.`).
    WordOutsideVocab {
        /// The word.
        word: String,
        /// Its characters outside the vocabulary, in order.
        chars: String,
    },
    /// A shape that does not match the vocabulary (weights of the wrong size, say).
    ShapeMismatch {
        /// What was expected.
        expected: String,
        /// What was given.
        found: String,
    },
    /// A `.npy` file that cannot be the current `W` (see [`crate::files::npy::read_weights`]).
    NpyRefused {
        /// The array wanted: dtype, shape and order.
        expected: String,
        /// What the file holds instead.
        found: String,
    },
    /// A `.npy` file that ends before its header does (right after its magic, say).
    NpyNoHeader,
    /// A `.npy` file whose shape holds more numbers than any file the page reads.
    NpyShapeTooLarge {
        /// The file's shape, as Python writes it.
        shape: String,
        /// `W`'s rows.
        rows: usize,
        /// `W`'s columns, V.
        v: usize,
    },
    /// An array that could not be written as `.npy`.
    NpyWrite {
        /// Why.
        reason: String,
    },
    /// Training handed to another instance of the module (the page's worker), or its
    /// report back, that cannot be taken.
    Handoff {
        /// What is wrong with it.
        reason: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::EmptyWordList => {
                write!(f, "the word list has no words: put one word on each line")
            }
            Error::NotUtf8 { line, byte } => write!(
                f,
                "the word list is not UTF-8 text (first bad byte at offset {byte}, line {line}): \
                 save it as UTF-8 and try again"
            ),
            Error::ReservedDot { line } => write!(
                f,
                "line {line} contains '.', which marks the start and end of every word: \
                 remove it from the word list"
            ),
            Error::InvisibleChar { line, c } => {
                write!(
                    f,
                    "line {line} has an invisible or direction-changing character, U+{:04X}",
                    u32::from(*c)
                )?;
                if let Some(name) = invisible_name(*c) {
                    write!(f, " ({name})")?;
                }
                write!(f, ": remove it from the file")
            }
            Error::VocabTooLarge { max, line } => {
                write!(
                    f,
                    "the word list uses more than {max} distinct characters ('.' included)"
                )?;
                if let Some(line) = line {
                    write!(f, "; the first one past the limit is on line {line}")?;
                }
                write!(f, ": use a list with fewer distinct characters")
            }
            Error::FileTooLarge { max } => write!(
                f,
                "the word list is larger than {} MiB: use a smaller file",
                max >> 20
            ),
            Error::NoGradient => write!(
                f,
                "no gradient for the current weights: run backward before step"
            ),
            Error::InvalidSetting { name, reason } => write!(f, "{name}: {reason}"),
            Error::InvalidProbabilities => write!(
                f,
                "the probabilities cannot be sampled (negative, not finite, or all zero)"
            ),
            Error::NotAModelFile { reason } => {
                write!(f, "not a Bigram Lab model file ({reason})")
            }
            Error::NoModel => write!(f, "this file holds no model"),
            Error::ModelField {
                field,
                wanted: Some(wanted),
            } => write!(f, "the file's {field:?} is not {wanted}"),
            Error::ModelField {
                field,
                wanted: None,
            } => write!(f, "the file has no {field:?}"),
            Error::StepLimit { max } => write!(
                f,
                "W has taken {max} steps, the most the page can count: \
                 reset it, or import a model, to train on"
            ),
            Error::VocabMismatch { model, data } => write!(
                f,
                "the model's vocabulary is {model:?} but the data set's is {data:?}: \
                 load the word list it was trained on first"
            ),
            Error::WordOutsideVocab { word, chars } => write!(
                f,
                "cannot train on {word:?}: {chars:?} is not in the vocabulary \
                 (or is the start/end mark '.'); type a word of the data set's characters"
            ),
            Error::ShapeMismatch { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            Error::NpyRefused { expected, found } => {
                write!(f, "expected {expected}; this file holds {found}")
            }
            Error::NpyNoHeader => write!(f, "the file ends before its header"),
            Error::NpyShapeTooLarge { shape, rows, v } => write!(
                f,
                "the file's shape {shape} is far larger than W ({rows}×{v})"
            ),
            Error::NpyWrite { reason } => write!(f, "could not write the .npy file: {reason}"),
            Error::Handoff { reason } => {
                write!(f, "the training worker's message was refused ({reason})")
            }
        }
    }
}

impl std::error::Error for Error {}

/// `n` and the noun counted, in the singular for one: `1 word`, `2 words`.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The name of a common invisible or direction-changing character, for
/// [`Error::InvisibleChar`].
fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\0' => "null",
        '\t' => "tab",
        '\u{7f}' => "delete",
        '\u{ad}' => "soft hyphen",
        '\u{61c}' => "Arabic letter mark",
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2060}' => "word joiner",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{feff}' => "zero-width no-break space, a byte-order mark inside the file",
        _ => return None,
    })
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;
