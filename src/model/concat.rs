//! The second answer to exercise E01: one one-hot per character of the context, side by
//! side (`xenc = cat(one_hot(a), one_hot(b))`, 2V inputs), so `W` is len·V × V and the
//! logits of a context are the sum of one row of `W` per character. Like the one-hot
//! over contexts, its full-batch loss depends on the data only through `N` (contexts ×
//! V): each context's row of `N` is one softmax, whatever the data set's size.

use crate::data::context::Context;
use crate::data::n::N;
use crate::model::{inv_total, l2_grad_scale, mean_loss};
use crate::train::kernels::{cast, softmax_into, Exp};
use ndarray::{Array2, ArrayView2, NdFloat};

/// The logits of context row `row`: Σ_i `W[i·V + c_i]`.
pub fn logits_into<F: NdFloat>(w: ArrayView2<F>, context: Context, row: usize, out: &mut [F]) {
    let v = w.ncols();
    out.fill(F::zero());
    for r in context.weight_rows_of(row, v) {
        for (o, &x) in out.iter_mut().zip(w.row(r)) {
            *o += x;
        }
    }
}

/// Forward over the examples counted in `n`: fills `probs` (one row per context, all of
/// them, for sampling and the probe) and returns mean NLL + λ·mean(W²).
///
/// # Panics
/// If `probs` is not `n`'s shape or `w` not len·V × V.
pub fn forward_concat<F: Exp>(
    w: ArrayView2<F>,
    n: &N,
    context: Context,
    l2: F,
    probs: &mut Array2<F>,
) -> f64 {
    let (rows, v) = n.matrix().dim();
    assert!(
        probs.dim() == (rows, v) && w.dim() == (context.weight_rows(v), v),
        "forward_concat: shapes differ"
    );
    let mut logits = vec![F::zero(); v];
    let mut nll_sum = 0f64;
    for (row, mut p) in probs.rows_mut().into_iter().enumerate() {
        logits_into(w, context, row, &mut logits);
        let p = p.as_slice_mut().expect("probs is row-major");
        let lse = softmax_into(&logits, p);
        let r = n.row_sums()[row];
        if r > 0 {
            let dot: f64 = (n.matrix().row(row).iter().zip(&logits))
                .map(|(&c, &l)| f64::from(c) * l.to_f64().unwrap_or(f64::NAN))
                .sum();
            nll_sum += r as f64 * lse - dot;
        }
    }
    mean_loss(nll_sum, n, w, l2)
}

/// Backward: `grad = dloss/dW` from the `probs` [`forward_concat`] filled for `w`: each
/// context's `(R·probs − N) / n` lands in the row of every character it holds.
///
/// # Panics
/// If the shapes differ as in [`forward_concat`].
pub fn backward_concat<F: NdFloat>(
    w: ArrayView2<F>,
    probs: ArrayView2<F>,
    n: &N,
    context: Context,
    l2: F,
    grad: &mut Array2<F>,
) {
    let (rows, v) = n.matrix().dim();
    assert!(
        probs.dim() == (rows, v) && w.dim() == grad.dim() && w.dim() == (context.weight_rows(v), v),
        "backward_concat: shapes differ"
    );
    let decay = l2_grad_scale(l2, w.len());
    grad.zip_mut_with(&w, |g, &x| *g = decay * x);
    let inv_n = inv_total::<F>(n);
    let mut d = vec![F::zero(); v];
    for row in 0..rows {
        let r = n.row_sums()[row];
        if r == 0 {
            continue;
        }
        let r = cast::<F>(r as f64);
        for ((d, &p), &c) in d.iter_mut().zip(probs.row(row)).zip(n.matrix().row(row)) {
            *d = (r * p - cast::<F>(f64::from(c))) * inv_n;
        }
        for wr in context.weight_rows_of(row, v) {
            for (g, &x) in grad.row_mut(wr).iter_mut().zip(&d) {
                *g += x;
            }
        }
    }
}
