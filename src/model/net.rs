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
//! The literal one-hot computation lives in [`crate::model::literal`] as the reference the tests
//! hold this path to.

use crate::data::context::{Context, Encoding};
use crate::data::n::N;
use crate::error::{Error, Result};
use crate::model::concat::{backward_concat, forward_concat, logits_into};
use crate::rng::TorchGenerator;
use crate::train::kernels::{
    cast, dot_counts, lane_sum, slice, slice_mut, softmax_into, to_f64, Exp,
};
use ndarray::{Array2, ArrayView1, ArrayView2, NdFloat};

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

/// d(λ·mean(W²))/dW = `2λ/len · W`: the factor, shared by both paths.
pub(crate) fn l2_grad_scale<F: NdFloat>(l2: F, len: usize) -> F {
    cast::<F>(2.0) * l2 / cast::<F>(len.max(1) as f64)
}

/// Fast-path forward over the examples counted in `n`: fills `probs` with the
/// softmax of each row of `w` and returns the loss, mean NLL + λ·mean(W²).
///
/// # Panics
/// If `w`, `probs` and `n` are not all V×V ([`Net`] guarantees they are).
pub fn forward_n<F: Exp>(w: ArrayView2<F>, n: &N, l2: F, probs: &mut Array2<F>) -> f64 {
    let (rows, v) = n.matrix().dim();
    assert!(
        w.dim() == (rows, v) && probs.dim() == (rows, v),
        "forward_n: shapes differ"
    );
    let w_std = w.as_standard_layout();
    let rows = slice(&w_std)
        .chunks_exact(v)
        .zip(slice_mut(probs).chunks_exact_mut(v))
        .zip(n.row_sums());
    // Σ_ij N_ij·(lse_i − W_ij) = Σ_i R_i·lse_i − Σ_ij N_ij·W_ij: the second sum is one
    // long dot product, cheaper than a short one per row.
    let mut nll_sum = -dot_counts(slice(&w_std), n.as_slice());
    for ((w_i, p_i), &r_i) in rows {
        let lse = softmax_into(w_i, p_i);
        // Rows with no examples add nothing (and must not turn 0·∞ into NaN).
        if r_i > 0 {
            nll_sum += r_i as f64 * lse;
        }
    }
    mean_loss(nll_sum, n, w, l2)
}

/// The loss of `w` for `context` on the examples counted in `n`, for either encoding;
/// fills `probs` (contexts × V).
pub fn forward_any<F: Exp>(
    w: ArrayView2<F>,
    n: &N,
    context: Context,
    l2: F,
    probs: &mut Array2<F>,
) -> f64 {
    match context.encoding() {
        Encoding::Context => forward_n(w, n, l2, probs),
        Encoding::Concat => forward_concat(w, n, context, l2, probs),
    }
}

/// The loss and its gradient for either encoding, into buffers the caller owns (the
/// gradient check in f64, the page's `W.grad` table beside the net's own).
pub fn loss_and_grad<F: Exp>(
    w: ArrayView2<F>,
    n: &N,
    context: Context,
    l2: F,
    probs: &mut Array2<F>,
    grad: &mut Array2<F>,
) -> f64 {
    let loss = forward_any(w, n, context, l2, probs);
    backward_any(w, probs.view(), n, context, l2, grad);
    loss
}

/// The gradient for either encoding from the `probs` [`forward_any`] filled for `w`.
pub fn backward_any<F: NdFloat>(
    w: ArrayView2<F>,
    probs: ArrayView2<F>,
    n: &N,
    context: Context,
    l2: F,
    grad: &mut Array2<F>,
) {
    match context.encoding() {
        Encoding::Context => backward_n(w, probs, n, l2, grad),
        Encoding::Concat => backward_concat(w, probs, n, context, l2, grad),
    }
}

/// The loss from the summed NLL of the examples counted in `n`: mean NLL + λ·mean(W²)
/// (a set of no examples adds no NLL). Shared by both encodings.
pub(crate) fn mean_loss<F: NdFloat>(nll_sum: f64, n: &N, w: ArrayView2<F>, l2: F) -> f64 {
    let total = n.total();
    let mean_nll = if total > 0 {
        nll_sum / total as f64
    } else {
        0.0
    };
    mean_nll + l2_penalty(w, l2)
}

/// `1/n` for the gradient (0 for a set of no examples). Shared by both encodings.
pub(crate) fn inv_total<F: NdFloat>(n: &N) -> F {
    match n.total() {
        0 => F::zero(),
        total => cast::<F>(1.0 / total as f64),
    }
}

/// Fast-path backward: `grad = dloss/dW` from the `probs` that [`forward_n`]
/// filled for the same `w`.
///
/// # Panics
/// If the shapes are not all V×V.
pub fn backward_n<F: NdFloat>(
    w: ArrayView2<F>,
    probs: ArrayView2<F>,
    n: &N,
    l2: F,
    grad: &mut Array2<F>,
) {
    let (rows, v) = n.matrix().dim();
    let shapes_agree = w.dim() == (rows, v) && probs.dim() == (rows, v) && grad.dim() == (rows, v);
    assert!(shapes_agree, "backward_n: shapes differ");
    let inv_n = inv_total::<F>(n);
    let decay = l2_grad_scale(l2, w.len());
    let (w_std, p_std) = (w.as_standard_layout(), probs.as_standard_layout());
    let rows = slice_mut(grad)
        .chunks_exact_mut(v)
        .zip(slice(&w_std).chunks_exact(v))
        .zip(slice(&p_std).chunks_exact(v))
        .zip(n.as_slice().chunks_exact(v))
        .zip(n.row_sums());
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
    /// `xenc @ W` for this example: row `x` of `W` for a one-hot over contexts, the sum
    /// of one row per character side by side.
    pub logits: Vec<f32>,
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
pub struct Net {
    w: Array2<f32>,
    /// The context the net sees and how it takes it in (the bigram's: one character).
    context: Context,
    probs: Array2<f32>,
    grad: Array2<f32>,
    l2: f32,
    /// True while `probs` belongs to the current `W`; [`Net::step`] clears it.
    probs_current: bool,
    /// True while `grad` belongs to the current `W`, λ and examples.
    grad_current: bool,
}

impl Net {
    /// `W = torch.randn((V, V), generator=torch.Generator().manual_seed(seed))`.
    pub fn new(v: usize, seed: u64, l2: f32) -> Result<Self> {
        Self::with_context(v, Context::BIGRAM, seed, l2)
    }

    /// `W = torch.randn((rows, V), generator=…manual_seed(seed))` for `context`: V^len
    /// rows for one one-hot over contexts, len·V side by side. Refused when it would not
    /// fit (see [`Context::check_fits`]).
    pub fn with_context(v: usize, context: Context, seed: u64, l2: f32) -> Result<Self> {
        Self::with_generator(v, context, &mut TorchGenerator::manual_seed(seed), l2)
    }

    /// As [`with_context`](Self::with_context), drawing `W` from `g`, which goes on
    /// from there (a notebook's minibatches continue the generator that made `W`).
    pub fn with_generator(
        v: usize,
        context: Context,
        g: &mut TorchGenerator,
        l2: f32,
    ) -> Result<Self> {
        context.check_fits(v)?;
        let rows = context.weight_rows(v);
        let values = g.randn(rows * v);
        let w = Array2::from_shape_vec((rows, v), values).map_err(|e| Error::ShapeMismatch {
            expected: format!("{rows}×{v} weights"),
            found: e.to_string(),
        })?;
        Self::from_weights_in(w, context, l2)
    }

    /// A bigram net with the given weights (square; V = its side).
    pub fn from_weights(w: Array2<f32>, l2: f32) -> Result<Self> {
        Self::from_weights_in(w, Context::BIGRAM, l2)
    }

    /// A net for `context` with the given weights (`context.weight_rows(V)` × V).
    pub fn from_weights_in(w: Array2<f32>, context: Context, l2: f32) -> Result<Self> {
        let v = w.ncols();
        if v == 0 || w.nrows() != context.weight_rows(v) {
            return Err(Error::ShapeMismatch {
                expected: format!("{}×{v} weights", context.weight_rows(v)),
                found: format!("{:?}", w.shape()),
            });
        }
        check_l2(l2)?;
        let dim = w.raw_dim();
        Ok(Self {
            w,
            context,
            probs: Array2::zeros((context.rows(v), v)),
            grad: Array2::zeros(dim),
            l2,
            probs_current: false,
            grad_current: false,
        })
    }

    /// The context the net sees.
    pub fn context(&self) -> Context {
        self.context
    }

    /// V.
    pub fn vocab_size(&self) -> usize {
        self.w.ncols()
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

    /// Forward pass over the examples counted in `n`: updates `probs` and returns
    /// the loss (mean NLL + λ·mean(W²)).
    pub fn forward(&mut self, n: &N) -> Result<f64> {
        let loss = self.loss_into_probs(n)?;
        // A gradient belongs to the examples of the forward pass before it.
        self.grad_current = false;
        Ok(loss)
    }

    /// The loss of the examples counted in `n` under the current `W`, for display: it
    /// refreshes `probs` (which depend on `W` alone) but leaves the gradient as it was,
    /// so a step may still use the gradient of the forward pass before it.
    pub fn evaluate(&mut self, n: &N) -> Result<f64> {
        self.loss_into_probs(n)
    }

    /// The forward pass both of the above share, for either encoding.
    fn loss_into_probs(&mut self, n: &N) -> Result<f64> {
        self.check_n(n)?;
        let loss = forward_any(self.w.view(), n, self.context, self.l2, &mut self.probs);
        self.probs_current = true;
        Ok(loss)
    }

    /// Backward pass: `grad = dloss/dW`. Runs the forward pass first if `W` changed
    /// since the last one, so the gradient always belongs to the current `W`.
    pub fn backward(&mut self, n: &N) -> Result<()> {
        if !self.probs_current {
            self.forward(n)?;
        }
        self.check_n(n)?;
        let (w, probs) = (self.w.view(), self.probs.view());
        backward_any(w, probs, n, self.context, self.l2, &mut self.grad);
        self.grad_current = true;
        Ok(())
    }

    /// `W.grad = None` in the lecture (here zeros): the gradient is cleared, and a step
    /// is refused until the next backward pass.
    pub fn zero_grad(&mut self) {
        self.grad.fill(0.0);
        self.grad_current = false;
    }

    /// `W -= lr * grad`, with the gradient of the last [`backward`](Self::backward).
    /// Refused when there is none for the current `W` (a step with a stale gradient is
    /// not what the lecture does).
    pub fn step(&mut self, lr: f32) -> Result<()> {
        if !self.grad_current {
            return Err(Error::NoGradient);
        }
        self.w.scaled_add(-lr, &self.grad);
        self.after_step();
        Ok(())
    }

    /// The probability table of the current `W`: borrowed from the last forward pass
    /// when that was on this `W`, computed afresh otherwise (right after a step).
    pub fn current_probs(&self) -> std::borrow::Cow<'_, Array2<f32>> {
        if self.probs_current {
            return std::borrow::Cow::Borrowed(&self.probs);
        }
        match self.context.encoding() {
            Encoding::Context => std::borrow::Cow::Owned(softmax_rows(self.w.view())),
            Encoding::Concat => {
                let mut probs = Array2::zeros(self.probs.raw_dim());
                let mut logits = vec![0f32; self.vocab_size()];
                for (row, mut p) in probs.rows_mut().into_iter().enumerate() {
                    logits_into(self.w.view(), self.context, row, &mut logits);
                    softmax_into(&logits, p.as_slice_mut().expect("row-major"));
                }
                std::borrow::Cow::Owned(probs)
            }
        }
    }

    /// The path of example `x → y` through the net, read from the buffers of the last
    /// forward pass without recomputing anything. `None` for an index out of range, or
    /// when `W` changed since the last forward pass (the buffers would not match it).
    pub fn example(&self, x: usize, y: usize) -> Option<ExampleTrace<'_>> {
        if x >= self.probs.nrows() || y >= self.vocab_size() || !self.probs_current {
            return None;
        }
        let probs = self.probs.row(x);
        let p = probs[y];
        let mut logits = vec![0f32; self.vocab_size()];
        logits_into(self.w.view(), self.context, x, &mut logits);
        Some(ExampleTrace {
            x,
            y,
            logits,
            probs,
            p,
            nll: -f64::from(p).ln(),
        })
    }

    /// Rows `lo..hi` of `W` and of `W.grad`, for the fused step of [`crate::train::trainer`].
    pub(crate) fn rows_mut(&mut self, lo: usize, hi: usize) -> (&mut [f32], &mut [f32]) {
        let v = self.w.ncols();
        let range = lo * v..hi * v;
        (
            &mut slice_mut(&mut self.w)[range.clone()],
            &mut slice_mut(&mut self.grad)[range],
        )
    }

    /// `W` and `W.grad`, for the fused step of [`crate::train::trainer`].
    pub(crate) fn w_and_grad_mut(&mut self) -> (&mut Array2<f32>, &mut Array2<f32>) {
        (&mut self.w, &mut self.grad)
    }

    /// What a step leaves: `probs` and the gradient belong to the `W` before it.
    pub(crate) fn after_step(&mut self) {
        self.probs_current = false;
        self.grad_current = false;
    }

    pub(crate) fn check_n(&self, n: &N) -> Result<()> {
        if n.matrix().dim() != self.probs.dim() {
            return Err(Error::ShapeMismatch {
                expected: format!("N of shape {:?}", self.probs.dim()),
                found: format!("{:?}", n.matrix().dim()),
            });
        }
        Ok(())
    }
}

fn check_l2(l2: f32) -> Result<()> {
    crate::settings::L2.check(f64::from(l2)).map(|_| ())
}
