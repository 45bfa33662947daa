//! What the page's word probe shows: every bigram of `.word.` with the probability the
//! net gives its second character and that probability's negative log.

use crate::data::context::Context;
use crate::data::vocab::{Vocab, DOT};
use ndarray::ArrayView2;
use serde::Serialize;
use std::collections::HashSet;

/// One example of the word: its context and the next character.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BigramRow {
    /// The context and the next character, e.g. `"em"` for the bigram (the name the
    /// page's bigram rows have always carried).
    pub bigram: String,
    /// The same, for any context, e.g. `"..e"` for the trigram's first example.
    pub example: String,
    /// The context's row (the first character's index for the bigram), `None` if a
    /// character of the context is outside the vocabulary.
    pub input: Option<usize>,
    /// Index of the second character, `None` if it is outside the vocabulary.
    pub label: Option<usize>,
    /// `probs[input, label]`, when both are known.
    pub p: Option<f32>,
    /// `-ln p`, when `p` is known.
    pub nll: Option<f64>,
}

/// The whole probe: rows for the first bigrams and the word's mean NLL over all of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordReport {
    /// One row per bigram of `.word.`, in order, at most the `max_rows` asked for.
    pub rows: Vec<BigramRow>,
    /// How many bigrams the word has (`rows` may hold fewer).
    pub total_rows: usize,
    /// Mean NLL over all the bigrams; `None` when any has an unknown character, since
    /// the model gives no probability to invent one from.
    pub mean_nll: Option<f64>,
    /// The characters outside the vocabulary, each once, in order of appearance.
    pub unknown: Vec<char>,
}

/// The report for `word` under the table `probs` of p(next | context) (one row per
/// context, see [`Context`]), with rows for at most `max_rows` examples: a pasted page of
/// text costs one pass, not a huge table. Each row is one example of the word wrapped
/// with as many leading `.` as the context is long (`..e`, `.em`, … for two).
pub fn word_report(
    vocab: &Vocab,
    probs: ArrayView2<f32>,
    word: &str,
    max_rows: usize,
    context: Context,
) -> WordReport {
    let v = vocab.len();
    let index = |c: char| if c == '.' { Some(DOT) } else { vocab.stoi(c) };
    let mut unknown = Vec::new();
    let mut seen_unknown = HashSet::new();
    let mut rows = Vec::new();
    let (mut total_rows, mut nll_sum, mut all_known) = (0, 0f64, true);
    // The context as characters and indices, oldest first; `.` to start.
    let mut window: Vec<(char, Option<usize>)> = vec![('.', Some(DOT)); context.len()];
    for c in word.chars().chain(std::iter::once('.')) {
        let ix = index(c);
        if ix.is_none() && seen_unknown.insert(c) {
            unknown.push(c);
        }
        let input = (window.iter()).try_fold(0usize, |row, &(_, i)| i.map(|i| row * v + i));
        let p = input.zip(ix).and_then(|cell| probs.get(cell).copied());
        let nll = p.map(|p| -f64::from(p).ln());
        match nll {
            Some(nll) => nll_sum += nll,
            None => all_known = false,
        }
        if rows.len() < max_rows {
            let example: String = window
                .iter()
                .map(|&(ch, _)| ch)
                .chain(std::iter::once(c))
                .collect();
            rows.push(BigramRow {
                bigram: example.clone(),
                example,
                input,
                label: ix,
                p,
                nll,
            });
        }
        total_rows += 1;
        window.remove(0);
        window.push((c, ix));
    }
    WordReport {
        rows,
        total_rows,
        mean_nll: all_known.then(|| nll_sum / total_rows as f64),
        unknown,
    }
}
