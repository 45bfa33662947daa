//! The lecture's computation, literally: a one-hot `xenc` (n×V), `logits = xenc @ W`,
//! `counts = exp(logits)`, `probs`, the mean NLL, and the backward pass through each
//! of those steps. It costs O(n·V²) per step and serves as the reference that the fast
//! path in [`crate::model`] is tested against; training does not use it.

use crate::model::{l2_grad_scale, l2_penalty, softmax_rows};
use crate::train::kernels::{cast, Exp};
use ndarray::{Array2, ArrayView2, NdFloat};

/// Every intermediate of the literal forward pass.
#[derive(Debug, Clone)]
pub struct LiteralForward<F> {
    /// One-hot inputs, n×V.
    pub xenc: Array2<F>,
    /// `xenc @ W`, n×V.
    pub logits: Array2<F>,
    /// `softmax(logits)` row by row, n×V.
    pub probs: Array2<F>,
    /// `-ln probs[k, ys[k]]` for each example.
    pub nll: Vec<f64>,
    /// Mean NLL + λ·mean(W²).
    pub loss: f64,
}

/// `F.one_hot(xs, num_classes=v).float()`.
///
/// # Panics
/// If an index is ≥ `v`.
pub fn one_hot<F: NdFloat>(xs: &[u8], v: usize) -> Array2<F> {
    let mut xenc = Array2::zeros((xs.len(), v));
    for (mut row, &x) in xenc.rows_mut().into_iter().zip(xs) {
        row[usize::from(x)] = F::one();
    }
    xenc
}

/// The literal forward pass over examples `xs → ys` (indices below V).
///
/// # Panics
/// If `w` is not square or an index is out of range.
pub fn forward<F: Exp>(w: ArrayView2<F>, xs: &[u8], ys: &[u8], l2: F) -> LiteralForward<F> {
    let xenc = one_hot::<F>(xs, w.nrows());
    let logits = xenc.dot(&w);
    let probs = softmax_rows(logits.view());
    let nll: Vec<f64> = ys
        .iter()
        .enumerate()
        .map(|(k, &y)| -probs[(k, usize::from(y))].to_f64().unwrap_or(f64::NAN).ln())
        .collect();
    let mean_nll = nll.iter().sum::<f64>() / nll.len().max(1) as f64;
    let loss = mean_nll + l2_penalty(w, l2);
    LiteralForward {
        xenc,
        logits,
        probs,
        nll,
        loss,
    }
}

/// The literal backward pass: `dlogits = (probs − onehot(ys)) / n`,
/// `dW = xencᵀ @ dlogits + 2λ/V² · W`.
pub fn backward<F: NdFloat>(
    fwd: &LiteralForward<F>,
    w: ArrayView2<F>,
    ys: &[u8],
    l2: F,
) -> Array2<F> {
    let n = cast::<F>(ys.len().max(1) as f64);
    let mut dlogits = fwd.probs.clone();
    for (mut row, &y) in dlogits.rows_mut().into_iter().zip(ys) {
        row[usize::from(y)] -= F::one();
    }
    dlogits.mapv_inplace(|d| d / n);
    let decay = l2_grad_scale(l2, w.len());
    fwd.xenc.t().dot(&dlogits) + &w.mapv(|x| x * decay)
}
