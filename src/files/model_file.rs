//! The model file: `W` with the vocabulary it indexes, λ, the step count, the split,
//! the word trained on and the context, as the page exports it to JSON and imports it
//! back. This module says what such a file holds and which ones are taken; the session
//! decides what an accepted file replaces.

use crate::data::context::{Context, Encoding};
use crate::error::{Error, Result};
pub use crate::settings::MAX_STEPS;
use crate::settings::{parse_seed, HELD_OUT_PERCENT};
use ndarray::Array2;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an exported model says it is; an import must say the same.
pub const MODEL_FORMAT: &str = "bigram-lab-model";
/// The version of that format.
pub const MODEL_VERSION: u32 = 1;
/// What a model file's `"steps"` must be, as [`Error::ModelField`] says it.
pub fn steps_wanted() -> String {
    format!("a whole number from 0 to {MAX_STEPS}")
}

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
        // MAX_STEPS < 2^53: exact as a double.
        if !(self.steps.fract() == 0.0 && (0.0..=MAX_STEPS as f64).contains(&self.steps)) {
            return Err(field("steps", steps_wanted()));
        }
        Ok(self.steps as u64)
    }

    /// A model file as the page hands it over (parsed JSON, through any serde
    /// deserializer), each field checked for its kind with a message that names it:
    /// `null` or anything but an object is [`Error::NoModel`], a field missing or of
    /// the wrong kind an [`Error::ModelField`]. Fields the library does not know (the
    /// page's settings) are left to the page. The values are checked afterwards, by
    /// [`check`](Self::check) and the import.
    pub fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self> {
        let Ok(Piece::Map(mut m)) = Piece::deserialize(d) else {
            return Err(Error::NoModel);
        };
        let split = match m.remove("split") {
            None | Some(Piece::Null) => None,
            Some(Piece::Map(mut s)) => Some(SplitFile {
                percent: number(&mut s, "split.percent", "percent")?,
                makemore: match s.remove("makemore") {
                    None => false,
                    Some(Piece::Bool(b)) => b,
                    Some(_) => return Err(field("split.makemore", "true or false")),
                },
                seed: text(&mut s, "split.seed", "seed")?,
            }),
            Some(_) => return Err(field("split", "a split (percent, makemore and seed)")),
        };
        // A JSON object without the format's name is another kind of file: said so, not
        // as a missing field of a model.
        if !m.contains_key("format") {
            return Err(Error::NotAModelFile {
                reason: "it has no \"format\"".into(),
            });
        }
        Ok(ModelFile {
            format: text(&mut m, "format", "format")?,
            version: whole(&mut m, "version", u32::MAX.into())? as u32,
            vocab: text(&mut m, "vocab", "vocab")?,
            w: match m.remove("w") {
                Some(Piece::Numbers(w)) => w,
                Some(_) => return Err(field("w", "a list of numbers")),
                None => {
                    return Err(Error::ModelField {
                        field: "w".into(),
                        wanted: None,
                    })
                }
            },
            l2: number(&mut m, "l2", "l2")? as f32,
            steps: match m.remove("steps") {
                Some(Piece::Number(x)) => x,
                Some(_) => return Err(field("steps", steps_wanted())),
                None => {
                    return Err(Error::ModelField {
                        field: "steps".into(),
                        wanted: None,
                    })
                }
            },
            split,
            train_on: match m.remove("train_on") {
                None | Some(Piece::Null) => None,
                Some(Piece::Text(t)) => Some(t),
                Some(_) => return Err(field("train_on", "text")),
            },
            context: match m.contains_key("context") {
                false => 1,
                true => whole(&mut m, "context", usize::MAX as f64)? as usize,
            },
            encoding: match m.remove("encoding") {
                None => Encoding::Context,
                Some(Piece::Text(t)) if t == "context" => Encoding::Context,
                Some(Piece::Text(t)) if t == "concat" => Encoding::Concat,
                Some(_) => return Err(field("encoding", "\"context\" or \"concat\"")),
            },
        })
    }
}

/// A field of the wrong kind.
fn field(name: &str, wanted: impl Into<String>) -> Error {
    Error::ModelField {
        field: name.into(),
        wanted: Some(wanted.into()),
    }
}

/// Field `key` of `m` (called `name` in messages), which must be there.
fn take(m: &mut BTreeMap<String, Piece>, name: &str, key: &str) -> Result<Piece> {
    m.remove(key).ok_or_else(|| Error::ModelField {
        field: name.into(),
        wanted: None,
    })
}

fn text(m: &mut BTreeMap<String, Piece>, name: &str, key: &str) -> Result<String> {
    match take(m, name, key)? {
        Piece::Text(t) => Ok(t),
        _ => Err(field(name, "text")),
    }
}

fn number(m: &mut BTreeMap<String, Piece>, name: &str, key: &str) -> Result<f64> {
    match take(m, name, key)? {
        Piece::Number(x) => Ok(x),
        _ => Err(field(name, "a number")),
    }
}

/// A whole number from 0 to `max`.
fn whole(m: &mut BTreeMap<String, Piece>, name: &str, max: f64) -> Result<u64> {
    match take(m, name, name)? {
        Piece::Number(x) if x.fract() == 0.0 && (0.0..=max).contains(&x) => Ok(x as u64),
        _ => Err(field(name, "a whole number")),
    }
}

/// A JSON value as a model file's fields are read: a list of numbers kept as the
/// `f32`s `W` is made of (no per-number boxes for half a million weights), anything
/// else only as much as a message needs.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    /// A list of numbers only (an empty list too).
    Numbers(Vec<f32>),
    /// A list of anything else, or bytes.
    List,
    Map(BTreeMap<String, Piece>),
}

impl<'de> Deserialize<'de> for Piece {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(PieceVisitor)
    }
}

struct PieceVisitor;

impl<'de> Visitor<'de> for PieceVisitor {
    type Value = Piece;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Piece, E> {
        Ok(Piece::Null)
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<Piece, E> {
        Ok(Piece::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Piece, D::Error> {
        Piece::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> std::result::Result<Piece, E> {
        Ok(Piece::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, x: i64) -> std::result::Result<Piece, E> {
        Ok(Piece::Number(x as f64))
    }

    fn visit_u64<E: de::Error>(self, x: u64) -> std::result::Result<Piece, E> {
        Ok(Piece::Number(x as f64))
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> std::result::Result<Piece, E> {
        Ok(Piece::Number(x))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Piece, E> {
        Ok(Piece::Text(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> std::result::Result<Piece, E> {
        Ok(Piece::Text(s))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> std::result::Result<Piece, E> {
        Ok(Piece::List)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Piece, A::Error> {
        let mut numbers = Some(Vec::with_capacity(
            seq.size_hint().unwrap_or(0).min(1 << 20),
        ));
        while let Some(item) = seq.next_element::<Piece>()? {
            match (item, numbers.as_mut()) {
                // As serde reads a JSON number into an f32: the nearest one.
                (Piece::Number(x), Some(list)) => list.push(x as f32),
                _ => numbers = None,
            }
        }
        Ok(numbers.map_or(Piece::List, Piece::Numbers))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Piece, A::Error> {
        let mut m = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, Piece>()? {
            m.insert(k, v);
        }
        Ok(Piece::Map(m))
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
        assert_eq!(file(".a", MAX_STEPS as f64).check(".a"), Ok(MAX_STEPS));
        for steps in [-1.0, 1.5, f64::NAN, f64::INFINITY, MAX_STEPS as f64 + 1.0] {
            let err = file(".a", steps).check(".a").unwrap_err().to_string();
            assert_eq!(
                err, "the file's \"steps\" is not a whole number from 0 to 9007199254740991",
                "{steps}"
            );
        }
        let mut other = file(".a", 0.0);
        other.version = MODEL_VERSION + 1;
        assert!(other
            .check(".a")
            .unwrap_err()
            .to_string()
            .contains("version"));
    }

    // serde_json is a native dev-dependency only; the page's files come through
    // serde-wasm-bindgen, which reads a parsed JSON value the same way.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_model_file_is_read_field_by_field_with_messages_that_name_them() {
        let read = |json: &str| {
            let mut d = serde_json::Deserializer::from_str(json);
            ModelFile::read(&mut d)
        };
        let mut good = file(".a", 3.0);
        good.split = Some(SplitFile {
            percent: 10.0,
            makemore: false,
            seed: "42".into(),
        });
        good.train_on = Some("a".into());
        let json = serde_json::to_value(&good).unwrap();
        assert_eq!(read(&json.to_string()), Ok(good.clone()));
        for nothing in ["null", "3", "[1, 2]", "\"model\"", "true"] {
            let err = read(nothing).unwrap_err();
            assert_eq!(err, Error::NoModel, "{nothing}");
            assert_eq!(err.to_string(), "this file holds no model");
        }
        let with = |key: &str, value: serde_json::Value| {
            let mut j = json.clone();
            match key.split_once('.') {
                Some((outer, inner)) => j[outer][inner] = value,
                None => j[key] = value,
            }
            read(&j.to_string()).map_err(|e| e.to_string())
        };
        let without = |key: &str| {
            let mut j = json.clone();
            j.as_object_mut().unwrap().remove(key);
            read(&j.to_string()).map_err(|e| e.to_string())
        };
        use serde_json::json;
        let cases = [
            ("l2", json!(null), "the file's \"l2\" is not a number"),
            ("l2", json!("0.1"), "the file's \"l2\" is not a number"),
            (
                "w",
                json!([1, null]),
                "the file's \"w\" is not a list of numbers",
            ),
            (
                "w",
                json!({"0": 1}),
                "the file's \"w\" is not a list of numbers",
            ),
            ("format", json!(1), "the file's \"format\" is not text"),
            (
                "version",
                json!(1.5),
                "the file's \"version\" is not a whole number",
            ),
            ("vocab", json!(["a"]), "the file's \"vocab\" is not text"),
            (
                "steps",
                json!("3"),
                "the file's \"steps\" is not a whole number from 0 to 9007199254740991",
            ),
            (
                "split",
                json!(10),
                "the file's \"split\" is not a split (percent, makemore and seed)",
            ),
            (
                "split.seed",
                json!(42),
                "the file's \"split.seed\" is not text",
            ),
            (
                "split.percent",
                json!(null),
                "the file's \"split.percent\" is not a number",
            ),
            (
                "split.makemore",
                json!(1),
                "the file's \"split.makemore\" is not true or false",
            ),
            ("train_on", json!(1), "the file's \"train_on\" is not text"),
            (
                "context",
                json!(-1),
                "the file's \"context\" is not a whole number",
            ),
            (
                "encoding",
                json!("both"),
                "the file's \"encoding\" is not \"context\" or \"concat\"",
            ),
        ];
        for (key, value, want) in cases {
            assert_eq!(
                with(key, value.clone()),
                Err(want.to_string()),
                "{key}: {value}"
            );
        }
        for key in ["version", "vocab", "w", "l2", "steps"] {
            assert_eq!(without(key), Err(format!("the file has no \"{key}\"")));
        }
        assert_eq!(
            without("format"),
            Err("not a Bigram Lab model file (it has no \"format\")".to_string())
        );
        // Optional fields may be absent or null; fields the page adds are its own.
        for key in ["split", "train_on"] {
            assert!(with(key, json!(null)).is_ok_and(|f| f.check(".a").is_ok()));
        }
        assert!(without("context").is_ok_and(|f| f.context == 1));
        assert!(without("encoding").is_ok_and(|f| f.encoding == Encoding::Context));
        assert_eq!(
            with("lr", json!("page's own")).map(|f| f.w),
            Ok(good.w.clone())
        );
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
