//! The bigram neural net: `logits = xenc @ W`, `counts = exp(logits)`, `probs`, and the
//! loss mean NLL + λ·mean(W²), with its gradient and the update `W -= lr * grad`.
//!
//! Training uses the *fast path*: `xenc` is one-hot, so `xenc @ W` only selects rows of
//! `W`, and the full-batch loss and gradient depend on the data only through the bigram
//! counts `N`. One step therefore costs O(V²) whatever the size of the data set:
//!
//! ```text
//! loss      = (1/n) Σ_i [ R_i · logsumexp(W_i) − Σ_j N_ij · W_ij ] + λ · mean(W²)
//! dloss/dW  = (R_i · probs_ij − N_ij) / n + 2λ/V² · W_ij        (R_i = Σ_j N_ij)
//! ```
//!
//! The literal one-hot computation lives in [`crate::literal`] as the reference the tests
//! hold this path to.

use crate::data::BigramCounts;
use crate::error::{Error, Result};
use crate::rng::TorchGenerator;
use ndarray::{Array2, ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2, NdFloat, Zip};

/// Converts a count or constant into the float type of the computation.
pub(crate) fn cast<F: NdFloat>(x: f64) -> F {
    <F as num_traits::NumCast>::from(x).unwrap_or_else(F::nan)
}

/// Writes `softmax(logits)` into `out` and returns `ln Σ exp(logits)`. The row maximum
/// is subtracted before `exp`: the same probabilities, and no overflow for large logits.
pub fn softmax_row<F: NdFloat>(logits: ArrayView1<F>, mut out: ArrayViewMut1<F>) -> f64 {
    let m = logits.fold(F::neg_infinity(), |m, &x| m.max(x));
    let mut sum = F::zero();
    Zip::from(&mut out).and(&logits).for_each(|o, &x| {
        *o = (x - m).exp();
        sum += *o;
    });
    out.mapv_inplace(|e| e / sum);
    m.to_f64().unwrap_or(f64::NAN) + sum.to_f64().unwrap_or(f64::NAN).ln()
}

/// `softmax` of every row of `w`: the probability table `P[i, j]` = p(next = j | i).
pub fn softmax_rows<F: NdFloat>(w: ArrayView2<F>) -> Array2<F> {
    let mut probs = Array2::zeros(w.raw_dim());
    Zip::from(w.rows())
        .and(probs.rows_mut())
        .for_each(|w_i, p_i| {
            softmax_row(w_i, p_i);
        });
    probs
}

/// λ·mean(W²), the L2 term of the loss.
pub fn l2_penalty<F: NdFloat>(w: ArrayView2<F>, l2: F) -> f64 {
    let sum_sq: f64 = w
        .iter()
        .map(|&x| (x * x).to_f64().unwrap_or(f64::NAN))
        .sum();
    l2.to_f64().unwrap_or(f64::NAN) * sum_sq / w.len().max(1) as f64
}

/// Fast-path forward over the examples counted in `counts`: fills `probs` with the
/// softmax of each row of `w` and returns the loss, mean NLL + λ·mean(W²).
///
/// # Panics
/// If `w`, `probs` and `counts` are not all V×V ([`BigramNet`] guarantees they are).
pub fn forward_counts<F: NdFloat>(
    w: ArrayView2<F>,
    counts: &BigramCounts,
    l2: F,
    mut probs: ArrayViewMut2<F>,
) -> f64 {
    let mut nll_sum = 0f64;
    Zip::from(w.rows())
        .and(probs.rows_mut())
        .and(counts.n().rows())
        .and(ArrayView1::from(counts.row_sums()))
        .for_each(|w_i, p_i, n_i, &r_i| {
            let lse = softmax_row(w_i, p_i);
            let mut dot = 0f64;
            Zip::from(&w_i).and(&n_i).for_each(|&w, &n| {
                dot += w.to_f64().unwrap_or(f64::NAN) * f64::from(n);
            });
            // Rows with no examples add nothing (and must not turn 0·∞ into NaN).
            if r_i > 0 {
                nll_sum += r_i as f64 * lse - dot;
            }
        });
    let total = counts.total();
    let mean_nll = if total > 0 {
        nll_sum / total as f64
    } else {
        0.0
    };
    mean_nll + l2_penalty(w, l2)
}

/// Fast-path backward: `grad = dloss/dW` from the `probs` that [`forward_counts`]
/// filled for the same `w`.
///
/// # Panics
/// If the shapes are not all V×V.
pub fn backward_counts<F: NdFloat>(
    w: ArrayView2<F>,
    probs: ArrayView2<F>,
    counts: &BigramCounts,
    l2: F,
    mut grad: ArrayViewMut2<F>,
) {
    let total = counts.total();
    let inv_n = if total > 0 {
        cast::<F>(1.0 / total as f64)
    } else {
        F::zero()
    };
    let decay = cast::<F>(2.0) * l2 / cast::<F>(w.len().max(1) as f64);
    Zip::from(grad.rows_mut())
        .and(w.rows())
        .and(probs.rows())
        .and(counts.n().rows())
        .and(ArrayView1::from(counts.row_sums()))
        .for_each(|g_i, w_i, p_i, n_i, &r_i| {
            let r = cast::<F>(r_i as f64);
            Zip::from(g_i)
                .and(&w_i)
                .and(&p_i)
                .and(&n_i)
                .for_each(|g, &w, &p, &n| {
                    *g = (r * p - cast::<F>(f64::from(n))) * inv_n + decay * w;
                });
        });
}

/// One example's path through the net, as the lecture walks it: the row of `W` that the
/// one-hot input selects, its probabilities, and the label's probability and NLL.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleTrace<'a> {
    /// Input index (the lit cell of `xenc`).
    pub x: usize,
    /// Label index.
    pub y: usize,
    /// `xenc @ W` for this example, which is row `x` of `W`.
    pub logits: ArrayView1<'a, f32>,
    /// `softmax(logits)`.
    pub probs: ArrayView1<'a, f32>,
    /// `probs[y]`.
    pub p: f32,
    /// `-ln probs[y]`.
    pub nll: f64,
}

impl ExampleTrace<'_> {
    /// The lecture's `counts = logits.exp()`, without the max subtraction the loss uses,
    /// so the numbers match the lecture's printout.
    pub fn counts(&self) -> Vec<f32> {
        self.logits.iter().map(|x| x.exp()).collect()
    }
}

/// The lecture's network: a V×V weight matrix `W` and the buffers one training step
/// needs, kept so that the page can read `probs` and `W` in place.
#[derive(Debug, Clone)]
pub struct BigramNet {
    w: Array2<f32>,
    probs: Array2<f32>,
    grad: Array2<f32>,
    l2: f32,
    /// True while `probs` belongs to the current `W`; [`BigramNet::step`] clears it.
    probs_current: bool,
}

impl BigramNet {
    /// `W = torch.randn((V, V), generator=torch.Generator().manual_seed(seed))`.
    pub fn new(v: usize, seed: u64, l2: f32) -> Result<Self> {
        let values = TorchGenerator::manual_seed(seed).randn(v * v);
        let w = Array2::from_shape_vec((v, v), values).map_err(|e| Error::ShapeMismatch {
            expected: format!("{v}×{v} weights"),
            found: e.to_string(),
        })?;
        Self::from_weights(w, l2)
    }

    /// A net with the given weights (square; V = its side).
    pub fn from_weights(w: Array2<f32>, l2: f32) -> Result<Self> {
        if !w.is_square() || w.is_empty() {
            return Err(Error::ShapeMismatch {
                expected: "square, non-empty weights".into(),
                found: format!("{:?}", w.shape()),
            });
        }
        check_l2(l2)?;
        let dim = w.raw_dim();
        Ok(Self {
            w,
            probs: Array2::zeros(dim),
            grad: Array2::zeros(dim),
            l2,
            probs_current: false,
        })
    }

    /// V.
    pub fn vocab_size(&self) -> usize {
        self.w.nrows()
    }

    /// `W`.
    pub fn w(&self) -> &Array2<f32> {
        &self.w
    }

    /// The probabilities from the last [`forward`](Self::forward) (row i: p(next | i)).
    pub fn probs(&self) -> &Array2<f32> {
        &self.probs
    }

    /// The gradient from the last [`backward`](Self::backward).
    pub fn grad(&self) -> &Array2<f32> {
        &self.grad
    }

    /// λ, the L2 strength.
    pub fn l2(&self) -> f32 {
        self.l2
    }

    /// Sets λ (finite, ≥ 0).
    pub fn set_l2(&mut self, l2: f32) -> Result<()> {
        check_l2(l2)?;
        self.l2 = l2;
        Ok(())
    }

    /// Replaces `W` (same shape), as after loading a model.
    pub fn set_w(&mut self, w: Array2<f32>) -> Result<()> {
        if w.dim() != self.w.dim() {
            return Err(Error::ShapeMismatch {
                expected: format!("{:?}", self.w.shape()),
                found: format!("{:?}", w.shape()),
            });
        }
        self.w = w;
        self.probs_current = false;
        Ok(())
    }

    /// Forward pass over the examples counted in `counts`: updates `probs` and returns
    /// the loss (mean NLL + λ·mean(W²)).
    pub fn forward(&mut self, counts: &BigramCounts) -> Result<f64> {
        self.check_counts(counts)?;
        let loss = forward_counts(self.w.view(), counts, self.l2, self.probs.view_mut());
        self.probs_current = true;
        Ok(loss)
    }

    /// Backward pass: `grad = dloss/dW`. Runs the forward pass first if `W` changed
    /// since the last one, so the gradient always belongs to the current `W`.
    pub fn backward(&mut self, counts: &BigramCounts) -> Result<()> {
        if !self.probs_current {
            self.forward(counts)?;
        }
        self.check_counts(counts)?;
        backward_counts(
            self.w.view(),
            self.probs.view(),
            counts,
            self.l2,
            self.grad.view_mut(),
        );
        Ok(())
    }

    /// `W -= lr * grad`.
    pub fn step(&mut self, lr: f32) {
        self.w.scaled_add(-lr, &self.grad);
        self.probs_current = false;
    }

    /// The probability table of the current `W`, computed afresh (for sampling right
    /// after a step, when [`probs`](Self::probs) still belongs to the previous `W`).
    pub fn current_probs(&self) -> Array2<f32> {
        if self.probs_current {
            self.probs.clone()
        } else {
            softmax_rows(self.w.view())
        }
    }

    /// The path of example `x → y` through the net, read from the buffers of the last
    /// forward pass without recomputing anything. `None` for an index out of range.
    pub fn example(&self, x: usize, y: usize) -> Option<ExampleTrace<'_>> {
        let v = self.vocab_size();
        if x >= v || y >= v {
            return None;
        }
        let probs = self.probs.row(x);
        let p = probs[y];
        Some(ExampleTrace {
            x,
            y,
            logits: self.w.row(x),
            probs,
            p,
            nll: -f64::from(p).ln(),
        })
    }

    fn check_counts(&self, counts: &BigramCounts) -> Result<()> {
        if counts.vocab_size() != self.vocab_size() {
            return Err(Error::ShapeMismatch {
                expected: format!("counts for a vocabulary of {}", self.vocab_size()),
                found: format!("{}", counts.vocab_size()),
            });
        }
        Ok(())
    }
}

fn check_l2(l2: f32) -> Result<()> {
    if l2.is_finite() && l2 >= 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidSetting {
            name: "λ (L2 strength)",
            reason: "must be a finite number ≥ 0".into(),
        })
    }
}
