//! What the page's word probe shows: every bigram of `.word.` with the probability the
//! net gives its second character and that probability's negative log.

use crate::vocab::{Vocab, DOT};
use ndarray::ArrayView2;
use serde::Serialize;

/// One bigram of the word.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BigramRow {
    /// The two characters, e.g. `"em"`.
    pub bigram: String,
    /// Index of the first character, `None` if it is outside the vocabulary.
    pub input: Option<usize>,
    /// Index of the second character, `None` if it is outside the vocabulary.
    pub label: Option<usize>,
    /// `probs[input, label]`, when both are known.
    pub p: Option<f32>,
    /// `-ln p`, when `p` is known.
    pub nll: Option<f64>,
}

/// The whole probe: a row per bigram and the word's mean NLL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordReport {
    /// One row per bigram of `.word.`, in order.
    pub rows: Vec<BigramRow>,
    /// Mean NLL over the bigrams; `None` when any bigram has an unknown character, since
    /// the model gives no probability to invent one from.
    pub mean_nll: Option<f64>,
    /// The characters outside the vocabulary, each once, in order of appearance.
    pub unknown: Vec<char>,
}

/// The report for `word` under the probability table `probs` (V×V).
pub fn word_report(vocab: &Vocab, probs: ArrayView2<f32>, word: &str) -> WordReport {
    let chars: Vec<char> = std::iter::once('.')
        .chain(word.chars())
        .chain(std::iter::once('.'))
        .collect();
    let index = |c: char| if c == '.' { Some(DOT) } else { vocab.stoi(c) };
    let mut unknown = Vec::new();
    for &c in &chars {
        if index(c).is_none() && !unknown.contains(&c) {
            unknown.push(c);
        }
    }
    let rows: Vec<BigramRow> = chars
        .windows(2)
        .map(|pair| {
            let (input, label) = (index(pair[0]), index(pair[1]));
            let p = input.zip(label).and_then(|ix| probs.get(ix).copied());
            BigramRow {
                bigram: pair.iter().collect(),
                input,
                label,
                p,
                nll: p.map(|p| -f64::from(p).ln()),
            }
        })
        .collect();
    let mean_nll = rows
        .iter()
        .map(|r| r.nll)
        .sum::<Option<f64>>()
        .map(|sum| sum / rows.len() as f64);
    WordReport {
        rows,
        mean_nll,
        unknown,
    }
}
