//! Drawing words from a model, the lecture's loop: start at `.`, draw the next index
//! with `torch.multinomial(p, 1)`, stop when `.` comes out.

use crate::data::context::Context;
use crate::data::vocab::{Vocab, DOT};
use crate::error::{Error, Result};
use crate::rng::TorchGenerator;
use ndarray::ArrayView2;

/// A sampled word stops here even if `.` never came, so that a degenerate model (say,
/// one whose p(.) underflowed to 0) cannot hang the page. Such a word has no final `.`.
pub const MAX_SAMPLE_CHARS: usize = 256;

/// `n` words drawn from the bigram probability table `p` (row i: p(next | i)) with a
/// fresh generator seeded with `seed`. Each word keeps its final `.`, as the lecture
/// prints it.
pub fn sample_words(p: ArrayView2<f32>, vocab: &Vocab, n: usize, seed: u64) -> Result<Vec<String>> {
    sample_words_in(p, vocab, n, seed, Context::BIGRAM)
}

/// `n` words drawn from a table of `p(next | context)` (one row per context, see
/// [`Context`]): each starts from the all-`.` context, draws the next character with
/// `torch.multinomial(p[row], 1)`, and slides the context by it, until `.` comes out.
pub fn sample_words_in(
    p: ArrayView2<f32>,
    vocab: &Vocab,
    n: usize,
    seed: u64,
    context: Context,
) -> Result<Vec<String>> {
    let v = vocab.len();
    if p.nrows() != context.rows(v) || p.ncols() != v {
        return Err(Error::ShapeMismatch {
            expected: format!("a {}×{v} probability table", context.rows(v)),
            found: format!("{:?}", p.shape()),
        });
    }
    let mut g = TorchGenerator::manual_seed(seed);
    let mut row = Vec::with_capacity(v);
    (0..n)
        .map(|_| {
            let mut out = String::new();
            let mut ctx = DOT; // all `.`: row 0 for any length
            for _ in 0..MAX_SAMPLE_CHARS {
                row.clear();
                row.extend(p.row(ctx).iter().copied());
                let ix = g.multinomial_one(&row)?;
                out.push(vocab.itos(ix).unwrap_or('?'));
                if ix == DOT {
                    break;
                }
                ctx = context.shift(ctx, ix, v);
            }
            Ok(out)
        })
        .collect()
}
