//! The context: how many characters the model sees before the one it predicts (one for
//! the bigram, two for the trigram of exercise E01), and how the net takes them in.
//!
//! Each word is wrapped with as many leading `.` as the context is long and one trailing
//! `.`: for a context of two, `..emma.` gives the examples `..→e`, `.e→m`, `em→m`,
//! `mm→a`, `ma→.`. A context is a row of `N`: `a·V + b` for the characters `a`, `b`.

use crate::error::{Error, Result};
use crate::settings::CONTEXT_LENGTH;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The most weights a net may have: a trigram net on a 128-symbol vocabulary has 2 M,
/// a 3-character context on 27 symbols 531,441; a 3-character context on 128 symbols
/// (268 M) would not fit in a browser tab.
pub const MAX_WEIGHTS: usize = 4 << 20;

/// The longest context, in characters.
pub const MAX_LEN: usize = 3;

/// How the characters of a context become the net's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// One one-hot over all V^len contexts: `xenc @ W` picks row `a·V + b` of `W`
    /// (V^len × V). The lecture's construction, generalised; equivalent to counting.
    Context,
    /// One one-hot per character, side by side (len·V inputs, `W` is len·V × V): the
    /// logits of the characters add. Fewer weights, a different model.
    Concat,
}

impl Encoding {
    /// The encoding by its name on the page: `context` or `concat`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "context" => Ok(Encoding::Context),
            "concat" => Ok(Encoding::Concat),
            _ => Err(Error::InvalidSetting {
                name: "encoding",
                reason: "must be \"context\" (one one-hot over contexts) or \"concat\" (one per character)".into(),
            }),
        }
    }

    /// Its name on the page.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Context => "context",
            Encoding::Concat => "concat",
        }
    }
}

impl FromStr for Encoding {
    type Err = Error;

    /// As [`Encoding::parse`].
    fn from_str(name: &str) -> Result<Self> {
        Encoding::parse(name)
    }
}

/// A context length and encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    len: usize,
    encoding: Encoding,
}

impl Context {
    /// The lecture's bigram: one character.
    pub const BIGRAM: Context = Context {
        len: 1,
        encoding: Encoding::Context,
    };

    /// A context of `len` characters (1 to 3). For one character both encodings are
    /// the same net, so it is kept as [`Encoding::Context`].
    pub fn new(len: usize, encoding: Encoding) -> Result<Self> {
        if !(1..=MAX_LEN).contains(&len) {
            return Err(Error::InvalidSetting {
                name: "context",
                reason: "must be 1, 2 or 3 characters".into(),
            });
        }
        let encoding = if len == 1 {
            Encoding::Context
        } else {
            encoding
        };
        Ok(Self { len, encoding })
    }

    /// A context as the page asks for one: `len` a number (checked against
    /// [`CONTEXT_LENGTH`], so that no double wraps or truncates on the way to a length)
    /// and the encoding by name (see [`Encoding::parse`]). A number the rule refuses is
    /// no length at all and is refused as [`Context::new`] refuses a length out of range.
    pub fn from_setting(len: f64, encoding: &str) -> Result<Self> {
        let encoding = Encoding::parse(encoding)?;
        let len = CONTEXT_LENGTH.count(len).unwrap_or(0);
        Context::new(len, encoding)
    }

    /// Characters of context.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: a context has at least one character.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// How many contexts (rows of `N`) a vocabulary of `v` gives: V^len.
    pub fn rows(&self, v: usize) -> usize {
        v.pow(self.len as u32)
    }

    /// The rows of `W`: V^len for one one-hot over contexts, len·V side by side.
    pub fn weight_rows(&self, v: usize) -> usize {
        match self.encoding {
            Encoding::Context => self.rows(v),
            Encoding::Concat => self.len * v,
        }
    }

    /// Refuses a net whose weights (or `N`) would not fit: over [`MAX_WEIGHTS`].
    pub fn check_fits(&self, v: usize) -> Result<()> {
        let biggest = self.rows(v).max(self.weight_rows(v)).saturating_mul(v);
        if biggest > MAX_WEIGHTS {
            return Err(Error::InvalidSetting {
                name: "context",
                reason: format!(
                    "{} characters over a vocabulary of {v} need {biggest} numbers, over the \
                     limit of {MAX_WEIGHTS}: use a shorter context or a smaller vocabulary",
                    self.len
                ),
            });
        }
        Ok(())
    }

    /// The context row after `row` when `next` (an index below `v`) comes: the oldest
    /// character drops out, `next` comes in.
    pub fn shift(&self, row: usize, next: usize, v: usize) -> usize {
        (row * v + next) % self.rows(v)
    }

    /// The characters of context row `row`, oldest first.
    pub fn chars_of(&self, row: usize, v: usize) -> Vec<usize> {
        (0..self.len)
            .rev()
            .map(|i| (row / v.pow(i as u32)) % v)
            .collect()
    }

    /// The rows of `W` that context row `row` selects (one for [`Encoding::Context`],
    /// one per character side by side for [`Encoding::Concat`]), oldest character
    /// first; no allocation, as a training step asks for every context's rows.
    pub fn weight_rows_of(&self, row: usize, v: usize) -> impl Iterator<Item = usize> {
        let mut rows = [row; MAX_LEN];
        let count = match self.encoding {
            Encoding::Context => 1,
            Encoding::Concat => {
                // The characters are the digits of `row` in base V, oldest first: one
                // division each (a power and a division each cost a tenth of a step).
                let mut rest = row;
                for i in (0..self.len).rev() {
                    rows[i] = i * v + rest % v;
                    rest /= v;
                }
                self.len
            }
        };
        rows.into_iter().take(count)
    }

    /// The examples of a word given as its characters' indices (no `.`): `(context row,
    /// next index)` for each character and the final `.` (index 0).
    pub fn examples<'a>(&self, word: &'a [u8], v: usize) -> impl Iterator<Item = (usize, u8)> + 'a {
        let ctx = *self;
        word.iter()
            .copied()
            .chain(std::iter::once(0))
            .scan(0usize, move |row, y| {
                let here = *row;
                *row = ctx.shift(here, usize::from(y), v);
                Some((here, y))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emma_with_two_characters_of_context() {
        let ctx = Context::new(2, Encoding::Context).unwrap();
        // . a e m = 0 1 2 3, V = 4: ..→e, .e→m, em→m, mm→a, ma→.
        let got: Vec<(usize, u8)> = ctx.examples(&[2, 3, 3, 1], 4).collect();
        assert_eq!(
            got,
            [
                (0, 2),
                (2, 3),
                (2 * 4 + 3, 3),
                (3 * 4 + 3, 1),
                (3 * 4 + 1, 0)
            ]
        );
        assert_eq!(ctx.chars_of(3 * 4 + 1, 4), [3, 1]);
        let concat = Context::new(2, Encoding::Concat).unwrap();
        assert_eq!(concat.weight_rows(4), 8);
        assert_eq!(
            concat.weight_rows_of(3 * 4 + 1, 4).collect::<Vec<_>>(),
            [3, 4 + 1]
        );
        assert_eq!(Context::new(1, Encoding::Concat).unwrap(), Context::BIGRAM);
    }

    #[test]
    fn contexts_that_would_not_fit_are_refused() {
        assert!(Context::new(0, Encoding::Context).is_err());
        assert!(Context::new(4, Encoding::Context).is_err());
        assert!(Context::new(3, Encoding::Context)
            .unwrap()
            .check_fits(27)
            .is_ok());
        assert!(Context::new(2, Encoding::Context)
            .unwrap()
            .check_fits(128)
            .is_ok());
        let err = Context::new(3, Encoding::Context)
            .unwrap()
            .check_fits(128)
            .unwrap_err();
        assert!(err.to_string().contains("over the limit"), "{err}");
        assert!(
            Context::new(3, Encoding::Concat)
                .unwrap()
                .check_fits(128)
                .is_err(),
            "N too"
        );
    }

    #[test]
    fn encodings_parse_by_their_names_on_the_page() {
        assert_eq!("context".parse::<Encoding>(), Ok(Encoding::Context));
        assert_eq!("concat".parse::<Encoding>(), Ok(Encoding::Concat));
        for encoding in [Encoding::Context, Encoding::Concat] {
            assert_eq!(Encoding::parse(encoding.name()), Ok(encoding));
        }
        let err = "sideways".parse::<Encoding>().unwrap_err().to_string();
        assert!(err.starts_with("encoding: must be"), "{err}");
    }

    #[test]
    fn a_context_from_the_page_s_numbers() {
        let trigram = Context::from_setting(2.0, "concat").unwrap();
        assert_eq!(trigram, Context::new(2, Encoding::Concat).unwrap());
        let refused = Context::new(0, Encoding::Context).unwrap_err();
        for bad in [0.0, 4.0, 8.0, 9.0, -1.0, 1.5, f64::NAN, 1e300] {
            assert_eq!(
                Context::from_setting(bad, "context"),
                Err(refused.clone()),
                "{bad}"
            );
        }
        // The encoding is read first, as a bad name is the clearer message.
        let err = Context::from_setting(2.5, "sideways")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("encoding"), "{err}");
    }
}
