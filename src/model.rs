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
use ndarray::{Array2, ArrayView1, ArrayView2, NdFloat};

/// `exp` as the fast path computes it. For `f32` a branch-free polynomial that the
/// compiler can vectorise (wasm has no libm, and its software `expf` dominated a step);
/// for `f64`, used by the gradient checks, the standard library's.
pub trait Exp: NdFloat {
    /// e^self.
    fn exp_fast(self) -> Self;
}

impl Exp for f64 {
    #[inline]
    fn exp_fast(self) -> f64 {
        self.exp()
    }
}

impl Exp for f32 {
    /// Cephes' single-precision `expf` (within about 1 ulp): e^x = 2^n · e^r with
    /// n = round(x / ln 2) and |r| ≤ ln 2 / 2, e^r by a degree-7 polynomial.
    #[inline]
    fn exp_fast(self) -> f32 {
        const LOG2E: f32 = std::f32::consts::LOG2_E;
        // ln 2 split in two so that n·LN2_HI is exact.
        const LN2_HI: f32 = 0.693_359_4;
        const LN2_LO: f32 = -2.121_944_4e-4;
        // Adding and subtracting 1.5·2^23 rounds to the nearest integer without a call.
        const ROUND: f32 = 12_582_912.0;
        const P: [f32; 6] = [
            1.987_569_1e-4,
            1.398_199_9e-3,
            8.333_452e-3,
            4.166_579_6e-2,
            1.666_666_5e-1,
            0.5, // Cephes writes 5.0000001e-1, which is 0.5 in f32
        ];
        // Clamped so that 2^n stays a normal number (n in −126..=127): the result
        // saturates near e^88 above and e^−87 below. NaN passes through clamp.
        let x = self.clamp(-87.3, 88.0);
        let n = (x * LOG2E + ROUND) - ROUND;
        let r = x - n * LN2_HI - n * LN2_LO;
        let mut p = P[0];
        for c in &P[1..] {
            p = p * r + c;
        }
        let er = p * r * r + r + 1.0;
        // 2^n from bits, no float-to-int conversion: n + 2^23 + 127 has n + 127 in its
        // low mantissa bits; shifting them into the exponent field gives 2^n.
        let scale = f32::from_bits((n + 8_388_735.0).to_bits() << 23);
        er * scale
    }
}

/// Converts a count or constant into the float type of the computation.
pub(crate) fn cast<F: NdFloat>(x: f64) -> F {
    <F as num_traits::NumCast>::from(x).unwrap_or_else(F::nan)
}

/// Writes `softmax(logits)` into `out` and returns `ln Σ exp(logits)`. The row maximum
/// is subtracted before `exp`: the same probabilities, and no overflow for large logits.
/// Each step is its own loop over a slice, so that the compiler can vectorise it.
///
/// # Panics
/// If the slices differ in length.
pub fn softmax_into<F: Exp>(logits: &[F], out: &mut [F]) -> f64 {
    assert_eq!(logits.len(), out.len(), "softmax_into: lengths differ");
    let m = max_of(logits);
    for (o, &x) in out.iter_mut().zip(logits) {
        *o = (x - m).exp_fast();
    }
    let sum = out.iter().fold(F::zero(), |s, &e| s + e);
    for o in out.iter_mut() {
        *o /= sum;
    }
    to_f64(m) + to_f64(sum).ln()
}

/// `softmax` of every row of `w`: the probability table `P[i, j]` = p(next = j | i).
pub fn softmax_rows<F: Exp>(w: ArrayView2<F>) -> Array2<F> {
    let w = w.as_standard_layout();
    let mut probs = Array2::zeros(w.raw_dim());
    let v = w.ncols().max(1);
    for (w_i, p_i) in slice(&w)
        .chunks_exact(v)
        .zip(slice_mut(&mut probs).chunks_exact_mut(v))
    {
        softmax_into(w_i, p_i);
    }
    probs
}

/// λ·mean(W²), the L2 term of the loss.
pub fn l2_penalty<F: NdFloat>(w: ArrayView2<F>, l2: F) -> f64 {
    let w = w.as_standard_layout();
    let sum_sq = lane_sum(slice(&w), |x| {
        let x = to_f64(x);
        x * x
    });
    to_f64(l2) * sum_sq / w.len().max(1) as f64
}

/// How many running sums the reductions below keep.
const LANES: usize = 8;

/// Σ f(x) in f64 with [`LANES`] running sums. One running sum is a chain of dependent
/// additions the compiler may not reorder; independent lanes let it use SIMD.
#[inline]
fn lane_sum<T: Copy>(xs: &[T], f: impl Fn(T) -> f64) -> f64 {
    let mut acc = [0f64; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail: f64 = chunks.remainder().iter().map(|&x| f(x)).sum();
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a += f(x);
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// Σ W_ij·N_ij over a whole matrix, in f64 lanes.
fn dot_counts<F: NdFloat>(w: &[F], n: &[u32]) -> f64 {
    let mut acc = [0f64; LANES];
    let (wc, nc) = (w.chunks_exact(LANES), n.chunks_exact(LANES));
    let tail: f64 = (wc.remainder().iter().zip(nc.remainder()))
        .map(|(&w, &n)| to_f64(w) * f64::from(n))
        .sum();
    for (w8, n8) in wc.zip(nc) {
        for ((a, &w), &n) in acc.iter_mut().zip(w8).zip(n8) {
            *a += to_f64(w) * f64::from(n);
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// The largest element (NaNs are passed over, as `f32::max` does), in lanes.
fn max_of<F: NdFloat>(xs: &[F]) -> F {
    let mut acc = [F::neg_infinity(); LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail = (chunks.remainder().iter()).fold(F::neg_infinity(), |m, &x| m.max(x));
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a = a.max(x);
        }
    }
    acc.iter().fold(tail, |m, &x| m.max(x))
}

/// d(λ·mean(W²))/dW = `2λ/len · W`: the factor, shared by both paths.
pub(crate) fn l2_grad_scale<F: NdFloat>(l2: F, len: usize) -> F {
    cast::<F>(2.0) * l2 / cast::<F>(len.max(1) as f64)
}

fn to_f64<F: NdFloat>(x: F) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// The elements of a standard-layout array, in order.
fn slice<'a, F, D: ndarray::Dimension>(a: &'a ndarray::CowArray<'_, F, D>) -> &'a [F] {
    a.as_slice()
        .expect("as_standard_layout gives a contiguous array")
}

/// The elements of an owned array in row-major order, making it row-major first if it
/// was not (an array this library made always is).
fn slice_mut<F: Clone>(a: &mut Array2<F>) -> &mut [F] {
    if !a.is_standard_layout() {
        *a = a.as_standard_layout().into_owned();
    }
    a.as_slice_mut().expect("standard layout ensured above")
}

/// Fast-path forward over the examples counted in `counts`: fills `probs` with the
/// softmax of each row of `w` and returns the loss, mean NLL + λ·mean(W²).
///
/// # Panics
/// If `w`, `probs` and `counts` are not all V×V ([`BigramNet`] guarantees they are).
pub fn forward_counts<F: Exp>(
    w: ArrayView2<F>,
    counts: &BigramCounts,
    l2: F,
    probs: &mut Array2<F>,
) -> f64 {
    let v = counts.vocab_size();
    assert!(
        w.dim() == (v, v) && probs.dim() == (v, v),
        "forward_counts: shapes differ"
    );
    let w_std = w.as_standard_layout();
    let rows = slice(&w_std)
        .chunks_exact(v)
        .zip(slice_mut(probs).chunks_exact_mut(v))
        .zip(counts.row_sums());
    // Σ_ij N_ij·(lse_i − W_ij) = Σ_i R_i·lse_i − Σ_ij N_ij·W_ij: the second sum is one
    // long dot product, cheaper than a short one per row.
    let mut nll_sum = -dot_counts(slice(&w_std), counts.n_slice());
    for ((w_i, p_i), &r_i) in rows {
        let lse = softmax_into(w_i, p_i);
        // Rows with no examples add nothing (and must not turn 0·∞ into NaN).
        if r_i > 0 {
            nll_sum += r_i as f64 * lse;
        }
    }
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
    grad: &mut Array2<F>,
) {
    let v = counts.vocab_size();
    let shapes_agree = w.dim() == (v, v) && probs.dim() == (v, v) && grad.dim() == (v, v);
    assert!(shapes_agree, "backward_counts: shapes differ");
    let total = counts.total();
    let inv_n = if total > 0 {
        cast::<F>(1.0 / total as f64)
    } else {
        F::zero()
    };
    let decay = l2_grad_scale(l2, w.len());
    let (w_std, p_std) = (w.as_standard_layout(), probs.as_standard_layout());
    let rows = slice_mut(grad)
        .chunks_exact_mut(v)
        .zip(slice(&w_std).chunks_exact(v))
        .zip(slice(&p_std).chunks_exact(v))
        .zip(counts.n_slice().chunks_exact(v))
        .zip(counts.row_sums());
    for ((((g_i, w_i), p_i), n_i), &r_i) in rows {
        let r = cast::<F>(r_i as f64);
        for (((g, &w), &p), &n) in g_i.iter_mut().zip(w_i).zip(p_i).zip(n_i) {
            // u32 → F through f64 is exact for every count.
            let n = F::from(n).unwrap_or_else(F::nan);
            *g = (r * p - n) * inv_n + decay * w;
        }
    }
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
    /// True while `grad` belongs to the current `W`, λ and examples.
    grad_current: bool,
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
            grad_current: false,
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
        // softmax(W) does not depend on λ; the loss and the gradient do.
        self.grad_current = false;
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
        self.grad_current = false;
        Ok(())
    }

    /// Forward pass over the examples counted in `counts`: updates `probs` and returns
    /// the loss (mean NLL + λ·mean(W²)).
    pub fn forward(&mut self, counts: &BigramCounts) -> Result<f64> {
        self.check_counts(counts)?;
        let loss = forward_counts(self.w.view(), counts, self.l2, &mut self.probs);
        self.probs_current = true;
        // A gradient belongs to the examples of the forward pass before it.
        self.grad_current = false;
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
            &mut self.grad,
        );
        self.grad_current = true;
        Ok(())
    }

    /// `W -= lr * grad`, with the gradient of the last [`backward`](Self::backward).
    /// Refused when there is none for the current `W` (a step with a stale gradient is
    /// not what the lecture does).
    pub fn step(&mut self, lr: f32) -> Result<()> {
        if !self.grad_current {
            return Err(Error::NoGradient);
        }
        self.w.scaled_add(-lr, &self.grad);
        self.probs_current = false;
        self.grad_current = false;
        Ok(())
    }

    /// The probability table of the current `W`: borrowed from the last forward pass
    /// when that was on this `W`, computed afresh otherwise (right after a step).
    pub fn current_probs(&self) -> std::borrow::Cow<'_, Array2<f32>> {
        if self.probs_current {
            std::borrow::Cow::Borrowed(&self.probs)
        } else {
            std::borrow::Cow::Owned(softmax_rows(self.w.view()))
        }
    }

    /// The path of example `x → y` through the net, read from the buffers of the last
    /// forward pass without recomputing anything. `None` for an index out of range, or
    /// when `W` changed since the last forward pass (the buffers would not match it).
    pub fn example(&self, x: usize, y: usize) -> Option<ExampleTrace<'_>> {
        let v = self.vocab_size();
        if x >= v || y >= v || !self.probs_current {
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
        if counts.n().dim() != self.w.dim() {
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

#[cfg(test)]
mod tests {
    use super::Exp;

    #[test]
    fn fast_exp_is_within_two_ulps_of_libm() {
        for i in -87_000..=88_000 {
            let x = i as f32 / 1000.0;
            let (fast, std) = (x.exp_fast(), x.exp());
            let ulps = (fast.to_bits() as i64 - std.to_bits() as i64).abs();
            assert!(ulps <= 2, "exp({x}): {fast} vs {std} ({ulps} ulps)");
        }
        assert_eq!(0f32.exp_fast(), 1.0);
        assert!(f32::NAN.exp_fast().is_nan());
        assert!(f32::NEG_INFINITY.exp_fast() < 1e-37);
    }
}
