//! One example's backward pass, as the page's explorer shows it: `dloss/dlogits` of the
//! example, and the row of `W.grad` its input lands in, split into the data part (the
//! sum of `dlogits` over every example with that input) and the L2 part.

use super::net::{l2_grad_scale, Net};
use crate::data::context::Encoding;
use crate::data::n::N;
use serde::Serialize;

/// One example's backward pass and the row of `W.grad` it lands in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackwardView {
    /// `dloss/dlogits` of the example: `(probs − onehot(y)) / n`.
    pub dlogits: Vec<f32>,
    /// The data part of `W.grad[x, :]`: `(R_x · probs[x, :] − N[x, :]) / n`, the sum of
    /// `dlogits` over every example whose input is `x`.
    pub grad_data: Vec<f32>,
    /// The L2 part of `W.grad[x, :]`: `2λ · W[x, :] / |W|`.
    pub grad_l2: Vec<f32>,
    /// `W.grad[x, :]`, the two parts added.
    pub grad: Vec<f32>,
    /// `n`, the examples the loss averages over.
    pub examples: u64,
}

/// Example `x → y`'s backward pass through `net` for the loss over the examples `n`,
/// read from the net's last forward pass. `None` for an index out of range or when that
/// pass was not on the current `W`.
///
/// For the one-hot over contexts (the bigram among them) the example's input row of `W`
/// is its context's. Side by side, a context touches several rows: `None` until the view
/// shows them.
pub fn backward_view(net: &Net, n: &N, x: usize, y: usize) -> Option<BackwardView> {
    if net.context().encoding() == Encoding::Concat {
        return None;
    }
    let trace = net.example(x, y)?;
    let total = n.total();
    let inv_n = if total > 0 { 1.0 / total as f32 } else { 0.0 };
    let probs = trace.probs;
    let dlogits = (probs.iter().enumerate())
        .map(|(j, &p)| (p - f32::from(u8::from(j == y))) * inv_n)
        .collect();
    let r = n.row_sums()[x] as f32;
    let counts = n.matrix().row(x);
    let grad_data: Vec<f32> = (probs.iter().zip(counts))
        .map(|(&p, &c)| (r * p - c as f32) * inv_n)
        .collect();
    let w = net.w();
    let decay = l2_grad_scale(net.l2(), w.len());
    let grad_l2: Vec<f32> = w.row(x).iter().map(|&w| decay * w).collect();
    let grad = grad_data.iter().zip(&grad_l2).map(|(a, b)| a + b).collect();
    Some(BackwardView {
        dlogits,
        grad_data,
        grad_l2,
        grad,
        examples: total,
    })
}
