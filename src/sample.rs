//! Drawing words from a model, the lecture's loop: start at `.`, draw the next index
//! with `torch.multinomial(p, 1)`, stop when `.` comes out.

use crate::error::{Error, Result};
use crate::rng::TorchGenerator;
use crate::vocab::{Vocab, DOT};
use ndarray::ArrayView2;

/// A sampled word stops here even if `.` never came, so that a degenerate model (say,
/// one whose p(.) underflowed to 0) cannot hang the page. Such a word has no final `.`.
pub const MAX_SAMPLE_CHARS: usize = 256;

/// `n` words drawn from the probability table `p` (row i: p(next | i)) with a fresh
/// generator seeded with `seed`. Each word keeps its final `.`, as the lecture prints it.
pub fn sample_words(p: ArrayView2<f32>, vocab: &Vocab, n: usize, seed: u64) -> Result<Vec<String>> {
    if p.nrows() != vocab.len() || p.ncols() != vocab.len() {
        return Err(Error::ShapeMismatch {
            expected: format!("a {0}×{0} probability table", vocab.len()),
            found: format!("{:?}", p.shape()),
        });
    }
    let mut g = TorchGenerator::manual_seed(seed);
    let mut row = Vec::with_capacity(vocab.len());
    (0..n)
        .map(|_| {
            let mut out = String::new();
            let mut ix = DOT;
            for _ in 0..MAX_SAMPLE_CHARS {
                row.clear();
                row.extend(p.row(ix).iter().copied());
                ix = g.multinomial_one(&row)?;
                out.push(vocab.itos(ix).unwrap_or('?'));
                if ix == DOT {
                    break;
                }
            }
            Ok(out)
        })
        .collect()
}
