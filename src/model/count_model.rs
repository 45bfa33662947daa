//! The lecture's first model: count the bigrams and normalise, `P = (N + k) / row sums`.
//! Its mean NLL is the floor the neural net approaches as it trains.

use crate::data::n::N;
use crate::error::Result;
use ndarray::{Array2, Axis, Zip};

/// `P` for smoothing `k`: row i is p(next | i) estimated by counting.
#[derive(Debug, Clone, PartialEq)]
pub struct CountModel {
    p: Array2<f32>,
}

impl CountModel {
    /// `P = (N + k).float(); P /= P.sum(1, keepdims=True)` in float32, as the lecture
    /// does. A row with no counts and k = 0 has no estimate; it is made uniform so that
    /// sampling from it still works.
    pub fn new(n: &N, k: f32) -> Result<Self> {
        crate::settings::SMOOTHING.check(f64::from(k))?;
        let mut p = n.matrix().mapv(|c| c as f32 + k);
        let v = p.ncols() as f32;
        for mut row in p.axis_iter_mut(Axis(0)) {
            let sum: f32 = row.sum();
            if sum > 0.0 {
                row.mapv_inplace(|x| x / sum);
            } else {
                row.fill(1.0 / v);
            }
        }
        Ok(Self { p })
    }

    /// `P`.
    pub fn p(&self) -> &Array2<f32> {
        &self.p
    }

    /// Mean NLL of the examples counted in `n` under `P`: infinite when an example
    /// has probability 0 (as the lecture shows for unsmoothed counts).
    pub fn nll(&self, n: &N) -> f64 {
        let mut sum = 0f64;
        Zip::from(&self.p).and(n.matrix()).for_each(|&p, &n| {
            if n > 0 {
                sum -= f64::from(n) * f64::from(p).ln();
            }
        });
        sum / n.total().max(1) as f64
    }
}
