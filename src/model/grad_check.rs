//! The gradient check: backpropagation's gradient against centred finite differences of
//! the loss, both in double precision, with the float32 gradient training uses beside
//! them. It is how a learner convinces themself the backward pass is right.

use super::net::{forward_any, loss_and_grad, Net};
use crate::data::n::N;
use crate::error::{Error, Result};
use crate::rng::TorchGenerator;
use crate::settings::GRAD_CHECK_CELLS;
use ndarray::Array2;
use serde::Serialize;

/// One cell of the gradient check: the analytic gradient against centred finite
/// differences of the loss, both in double precision.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GradPoint {
    /// Row of `W` (the input character).
    pub row: usize,
    /// Column of `W` (the next character).
    pub col: usize,
    /// `dloss/dW[row, col]` by backpropagation, in f64.
    pub analytic: f64,
    /// `(loss(W + h) − loss(W − h)) / 2h`, in f64.
    pub numeric: f64,
    /// `|a − n| / max(|a|, |n|, 1e-8)`.
    pub rel_error: f64,
    /// The float32 gradient training uses.
    pub analytic_f32: f32,
}

/// The step of the centred difference: small enough that the O(h²) error is below
/// 1e-9 relative, large enough that f64 rounding (1e-16 / h) is too.
const GRAD_CHECK_H: f64 = 1e-5;

/// The gradient check of `net`'s full-batch loss over the examples `n` at `cells`.
/// Refused for a cell outside `W`.
pub fn grad_check(net: &Net, n: &N, cells: &[(usize, usize)]) -> Result<Vec<GradPoint>> {
    let context = net.context();
    let (rows, v) = net.w().dim();
    if let Some(&(r, c)) = cells.iter().find(|&&(r, c)| r >= rows || c >= v) {
        return Err(Error::ShapeMismatch {
            expected: format!("cells of W, inside {rows}×{v}"),
            found: format!("({r}, {c})"),
        });
    }
    let w64 = net.w().mapv(f64::from);
    let l2 = f64::from(net.l2());
    let mut probs = Array2::<f64>::zeros(n.matrix().raw_dim());
    let mut grad = Array2::<f64>::zeros(w64.raw_dim());
    loss_and_grad(w64.view(), n, context, l2, &mut probs, &mut grad);
    let mut p32 = Array2::zeros(n.matrix().raw_dim());
    let mut g32 = Array2::zeros(w64.raw_dim());
    loss_and_grad(net.w().view(), n, context, net.l2(), &mut p32, &mut g32);
    let mut loss_at = |r: usize, c: usize, h: f64| {
        let mut w = w64.clone();
        w[(r, c)] += h;
        forward_any(w.view(), n, context, l2, &mut probs)
    };
    Ok(cells
        .iter()
        .map(|&(row, col)| {
            let numeric = (loss_at(row, col, GRAD_CHECK_H) - loss_at(row, col, -GRAD_CHECK_H))
                / (2.0 * GRAD_CHECK_H);
            let analytic = grad[(row, col)];
            let scale = analytic.abs().max(numeric.abs()).max(1e-8);
            GradPoint {
                row,
                col,
                analytic,
                numeric,
                rel_error: (analytic - numeric).abs() / scale,
                analytic_f32: g32[(row, col)],
            }
        })
        .collect())
}

/// The cells a gradient check of a `W` of `shape` looks at: `first` and `more` others
/// (see [`GRAD_CHECK_CELLS`]) drawn with `seed`.
pub fn grad_check_cells(
    shape: (usize, usize),
    first: (usize, usize),
    more: usize,
    seed: u64,
) -> Result<Vec<(usize, usize)>> {
    GRAD_CHECK_CELLS.count(more as f64)?;
    let (rows, v) = (shape.0 as u32, shape.1 as u32);
    let mut g = TorchGenerator::manual_seed(seed);
    let mut cells = vec![first];
    cells.extend((0..more).map(|_| ((g.next_u32() % rows) as usize, (g.next_u32() % v) as usize)));
    Ok(cells)
}
