//! The forward pass as a graph, one node per line of the lecture's code (with the
//! intermediates makemore part 4 names), each with its value and its `.grad` for ONE
//! example's row of the batch:
//!
//! ```text
//! xenc = F.one_hot(xs, num_classes=V).float()
//! logits = xenc @ W
//! counts = logits.exp()
//! counts_sum = counts.sum(1, keepdims=True)
//! probs = counts / counts_sum
//! logp = probs[torch.arange(n), ys].log()
//! loss = -logp.mean() + λ * (W**2).mean()
//! ```
//!
//! The example's row is computed in float32 in PyTorch's order of operations, forward
//! and backward (autograd's formulas: `log` → `grad / self`, `/` → `grad / other` and
//! `−grad · ((self / other) / other)` summed over the broadcast, `exp` → `grad · result`),
//! so its numbers are the ones a notebook prints for `logits.grad[i]` and the like. The
//! loss and the rows of `W.grad` belong to the whole batch: they are the fast path's
//! ([`forward_any`], [`backward_any`]), the same numbers the heatmap's `W.grad` shows.

use super::net::{backward_any, forward_any, l2_grad_scale, l2_penalty};
use crate::data::context::{Context, Encoding};
use crate::data::n::N;
use crate::error::{Error, Result};
use ndarray::{Array2, ArrayView2};
use serde::Serialize;

/// One row of `W` the example's `xenc` selects, with its row of `W.grad` (the whole
/// batch's) in its two parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphWRow {
    /// The row's index in `W`: the context for the one-hot over contexts, `i·V + c_i`
    /// for character `c_i` at position `i` side by side.
    pub row: usize,
    /// `W[row, :]`.
    pub value: Vec<f32>,
    /// `W.grad[row, :]`: `grad_data + grad_l2` (as training computes it: side by side
    /// the last bit may differ from adding the two parts shown).
    pub grad: Vec<f32>,
    /// The data part: the sum over every example of the batch whose `xenc` lights this
    /// row of its `logits.grad` row, `(R·probs − N) / n` row by row.
    pub grad_data: Vec<f32>,
    /// The L2 part: `2λ · W[row, :] / |W|` (|W| the number of weights).
    pub grad_l2: Vec<f32>,
}

/// Every node of the forward pass for one example `x → y` of the batch, with its value
/// and gradient in that example's row (see the [module](self) documentation).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Graph {
    /// How the context becomes `xenc`: `"context"` (one one-hot over all V^len
    /// contexts, the lecture's) or `"concat"` (one one-hot per character side by side).
    pub encoding: Encoding,
    /// Characters of context.
    pub context_len: usize,
    /// The example's input: its context's row (the one-hot over contexts' lit cell).
    pub x: usize,
    /// The example's label.
    pub y: usize,
    /// The context's characters, oldest first (for the bigram: `[x]`).
    pub chars: Vec<usize>,
    /// `n`, the examples of the batch (the training data), which `logp.mean()` averages.
    pub examples: u64,
    /// How many of them are this example (`N[x, y]`): rows of the batch that are equal.
    /// 0 for an example no training word has (a probe word's bigram, a held-out word's):
    /// its values are still the net's, its gradients those its row would get as one of
    /// the `n` rows, and the loss and `W.grad` (the batch's) do not include it.
    pub occurrences: u32,
    /// `occurrences > 0`: the example is one of the batch's rows.
    pub in_training: bool,
    /// λ, the L2 strength.
    pub l2: f32,
    /// The length of a row of `xenc`: V^len over contexts, len·V side by side.
    pub xenc_width: usize,
    /// The lit cells of the example's `xenc` row (1.0 there, 0.0 elsewhere): `[x]` over
    /// contexts, `[i·V + c_i]` side by side. `xenc` has no gradient (it is data).
    pub xenc_hot: Vec<usize>,
    /// The rows of `W` `xenc` selects, in `xenc_hot`'s order.
    pub w: Vec<GraphWRow>,
    /// `logits[i] = xenc[i] @ W`: the selected rows of `W`, added.
    pub logits: Vec<f32>,
    /// `logits.grad[i] = counts.grad[i] · counts[i]`.
    pub logits_grad: Vec<f32>,
    /// `counts[i] = logits[i].exp()`.
    pub counts: Vec<f32>,
    /// `counts.grad[i]`: `counts_grad_via_probs + counts_grad_via_sum`.
    pub counts_grad: Vec<f32>,
    /// The edge `counts → probs`: `probs.grad[i] / counts_sum[i]`.
    pub counts_grad_via_probs: Vec<f32>,
    /// The edge `counts → counts_sum`: `counts_sum.grad[i]` in every column.
    pub counts_grad_via_sum: Vec<f32>,
    /// `counts_sum[i] = counts[i].sum()`.
    pub counts_sum: f32,
    /// `counts_sum.grad[i] = Σ_j counts_sum_grad_terms[j]`.
    pub counts_sum_grad: f32,
    /// The terms of that sum: `−probs.grad[i, j] · ((counts[i, j] / counts_sum[i]) /
    /// counts_sum[i])`, i.e. `−dprobs·counts / counts_sum²` (zero but at `y`).
    pub counts_sum_grad_terms: Vec<f32>,
    /// `probs[i] = counts[i] / counts_sum[i]`.
    pub probs: Vec<f32>,
    /// `probs.grad[i]`: `logp.grad[i] / probs[i, y] = −1/(n·p)` at `y`, 0 elsewhere.
    pub probs_grad: Vec<f32>,
    /// `logp[i] = probs[i, y].log()`.
    pub logp: f32,
    /// `logp.grad[i] = −1/n`.
    pub logp_grad: f32,
    /// The whole batch's loss, `data_loss + reg`.
    pub loss: f64,
    /// `−logp.mean()`, over the whole batch.
    pub data_loss: f64,
    /// `λ · (W**2).mean()`.
    pub reg: f64,
    /// `loss.grad = 1` (and so the gradient reaching both of its terms).
    pub loss_grad: f32,
    /// Local derivative of `logp = log(p)`: `1 / probs[i, y]`.
    pub dlogp_dprob: f32,
    /// Local derivative of `probs[i, j]` on `counts[i, j]`: `1 / counts_sum[i]`.
    pub dprobs_dcounts: f32,
    /// Local derivative of `probs[i, j]` on `counts_sum[i]`: `−(counts / counts_sum) /
    /// counts_sum`, one per column.
    pub dprobs_dcounts_sum: Vec<f32>,
}

/// The graph of example `x → y` (context row `x`, label `y`) for the loss of `w` seen
/// through `context` with L2 strength `l2` over the examples counted in `n`.
///
/// Refused for an index outside `n`. An example not counted in `n` is drawn as if it
/// were one more row of the batch's `n` (see [`Graph::occurrences`]).
pub fn graph(
    w: ArrayView2<f32>,
    n: &N,
    context: Context,
    l2: f32,
    x: usize,
    y: usize,
) -> Result<Graph> {
    let (rows, v) = n.matrix().dim();
    if w.dim() != (context.weight_rows(v), v) {
        return Err(Error::ShapeMismatch {
            expected: format!("{}×{v} weights", context.weight_rows(v)),
            found: format!("{:?}", w.shape()),
        });
    }
    if x >= rows || y >= v {
        return Err(Error::ShapeMismatch {
            expected: format!("an example inside {rows} contexts × {v} characters"),
            found: format!("({x}, {y})"),
        });
    }
    let occurrences = n.matrix()[(x, y)];
    let examples = n.total();

    // The whole batch: its loss in two parts, and the data part of W.grad.
    let mut all_probs = Array2::zeros((rows, v));
    let data_loss = forward_any(w, n, context, 0.0, &mut all_probs);
    let reg = l2_penalty(w, l2);
    let mut grad_data = Array2::zeros(w.raw_dim());
    backward_any(w, all_probs.view(), n, context, 0.0, &mut grad_data);
    // W.grad as training and the heatmap have it (side by side its parts are added in
    // another order than data + L2, which can differ in the last bit).
    let mut grad = Array2::zeros(w.raw_dim());
    backward_any(w, all_probs.view(), n, context, l2, &mut grad);
    let decay = l2_grad_scale(l2, w.len());

    let hot: Vec<usize> = context.weight_rows_of(x, v).collect();
    let w_rows = hot
        .iter()
        .map(|&r| {
            let value = w.row(r).to_vec();
            let grad_data = grad_data.row(r).to_vec();
            // `+ 0.0` turns the −0 of λ = 0 times a negative weight into 0 for the page.
            let grad_l2 = value.iter().map(|&w| decay * w + 0.0).collect();
            GraphWRow {
                row: r,
                value,
                grad: grad.row(r).to_vec(),
                grad_data,
                grad_l2,
            }
        })
        .collect();

    let row = example_row(w, &hot, y, examples);
    Ok(Graph {
        encoding: context.encoding(),
        context_len: context.len(),
        x,
        y,
        chars: context.chars_of(x, v),
        examples,
        occurrences,
        in_training: occurrences > 0,
        l2,
        xenc_width: context.weight_rows(v),
        xenc_hot: hot,
        w: w_rows,
        logits: row.logits,
        logits_grad: row.logits_grad,
        counts: row.counts,
        counts_grad: row.counts_grad,
        counts_grad_via_probs: row.counts_grad_via_probs,
        counts_grad_via_sum: row.counts_grad_via_sum,
        counts_sum: row.counts_sum,
        counts_sum_grad: row.counts_sum_grad,
        counts_sum_grad_terms: row.counts_sum_grad_terms,
        probs: row.probs,
        probs_grad: row.probs_grad,
        logp: row.logp,
        logp_grad: row.logp_grad,
        loss: data_loss + reg,
        data_loss,
        reg,
        loss_grad: 1.0,
        dlogp_dprob: row.dlogp_dprob,
        dprobs_dcounts: row.dprobs_dcounts,
        dprobs_dcounts_sum: row.dprobs_dcounts_sum,
    })
}

/// The example's row of every node, forward then backward, in PyTorch's order.
struct ExampleRow {
    logits: Vec<f32>,
    counts: Vec<f32>,
    counts_sum: f32,
    probs: Vec<f32>,
    logp: f32,
    logp_grad: f32,
    probs_grad: Vec<f32>,
    counts_grad_via_probs: Vec<f32>,
    counts_sum_grad_terms: Vec<f32>,
    counts_sum_grad: f32,
    counts_grad_via_sum: Vec<f32>,
    counts_grad: Vec<f32>,
    logits_grad: Vec<f32>,
    dlogp_dprob: f32,
    dprobs_dcounts: f32,
    dprobs_dcounts_sum: Vec<f32>,
}

/// The row of the example whose `xenc` lights the rows `hot` of `w`, with label `y`, in
/// a batch of `examples`.
fn example_row(w: ArrayView2<f32>, hot: &[usize], y: usize, examples: u64) -> ExampleRow {
    let v = w.ncols();
    // logits = xenc @ W: the lit rows, added (the 0·W terms add nothing).
    let mut logits = vec![0f32; v];
    for &r in hot {
        for (l, &x) in logits.iter_mut().zip(w.row(r)) {
            *l += x;
        }
    }
    // counts = logits.exp(): no max subtracted, as the lecture prints them.
    let counts: Vec<f32> = logits.iter().map(|l| l.exp()).collect();
    // counts.sum(1): accumulated wide, then rounded once (PyTorch's reduction is
    // within an ulp or two of that).
    let counts_sum = counts.iter().map(|&c| f64::from(c)).sum::<f64>() as f32;
    let probs: Vec<f32> = counts.iter().map(|&c| c / counts_sum).collect();
    let logp = probs[y].ln();

    // loss = -logp.mean() + …: neg gives −1, mean's backward divides it by n.
    let logp_grad = -1f32 / examples as f32;
    // probs[arange(n), ys].log(): log's backward is grad / self, indexing puts it at y.
    let mut probs_grad = vec![0f32; v];
    probs_grad[y] = logp_grad / probs[y];
    // probs = counts / counts_sum: the numerator's edge is grad / other …
    let counts_grad_via_probs: Vec<f32> = probs_grad.iter().map(|&g| g / counts_sum).collect();
    // … the denominator's is −grad · ((self / other) / other), summed over the broadcast.
    let dprobs_dcounts_sum: Vec<f32> = counts
        .iter()
        .map(|&c| -((c / counts_sum) / counts_sum))
        .collect();
    let counts_sum_grad_terms: Vec<f32> = (probs_grad.iter().zip(&counts))
        .map(|(&g, &c)| -g * ((c / counts_sum) / counts_sum) + 0.0) // no −0 off y
        .collect();
    let counts_sum_grad: f32 = counts_sum_grad_terms.iter().sum();
    // counts.sum(1, keepdims=True): sum's backward spreads its gradient over the row.
    let counts_grad_via_sum = vec![counts_sum_grad; v];
    // The two edges into counts accumulate.
    let counts_grad: Vec<f32> = (counts_grad_via_probs.iter().zip(&counts_grad_via_sum))
        .map(|(a, b)| a + b)
        .collect();
    // exp's backward: grad · result.
    let logits_grad = (counts_grad.iter().zip(&counts))
        .map(|(g, c)| g * c)
        .collect();
    ExampleRow {
        dlogp_dprob: 1.0 / probs[y],
        dprobs_dcounts: 1.0 / counts_sum,
        dprobs_dcounts_sum,
        logits,
        counts,
        counts_sum,
        probs,
        logp,
        logp_grad,
        probs_grad,
        counts_grad_via_probs,
        counts_sum_grad_terms,
        counts_sum_grad,
        counts_grad_via_sum,
        counts_grad,
        logits_grad,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::dataset::Dataset;
    use crate::model::backward_view::backward_view;
    use crate::model::{loss_and_grad, Net};

    fn data() -> Dataset {
        Dataset::from_bytes(b"emma\nolivia\nava\nisabella\n").unwrap()
    }

    /// Every encoding and length: the graph's nodes agree with each other and with the
    /// fast path's loss and `W.grad`.
    #[test]
    fn the_nodes_agree_with_each_other_and_the_fast_path() {
        let data = data();
        let v = data.vocab().len();
        for (len, encoding) in [
            (1, Encoding::Context),
            (2, Encoding::Context),
            (3, Encoding::Context),
            (2, Encoding::Concat),
            (3, Encoding::Concat),
        ] {
            let context = Context::new(len, encoding).unwrap();
            let n = data.n_for(context).unwrap();
            let net = Net::with_context(v, context, 2147483647, 0.1).unwrap();
            let w = net.w().view();
            let mut probs = Array2::zeros(n.matrix().raw_dim());
            let mut grad = Array2::zeros(w.raw_dim());
            let loss = loss_and_grad(w, &n, context, 0.1, &mut probs, &mut grad);
            // "emma" (a b e i l m o s v after `.`): its third example, `em → m` for two.
            let (x, y) = context.examples(&[3, 6, 6, 1], v).nth(2).unwrap();
            let g = graph(w, &n, context, 0.1, x, usize::from(y)).unwrap();
            assert_eq!((g.encoding, g.context_len), (encoding, len));
            assert_eq!(
                g.w.len(),
                if encoding == Encoding::Concat { len } else { 1 }
            );
            assert_eq!(g.xenc_hot, g.w.iter().map(|r| r.row).collect::<Vec<_>>());
            assert_eq!(g.xenc_width, w.nrows());
            assert!((g.loss - loss).abs() < 1e-12, "{len} {encoding:?}");
            for r in &g.w {
                assert_eq!(r.grad.as_slice(), grad.row(r.row).as_slice().unwrap());
                for ((&all, &d), &l) in r.grad.iter().zip(&r.grad_data).zip(&r.grad_l2) {
                    assert!((all - (d + l)).abs() <= 1e-6 * all.abs().max(1e-3));
                    if encoding == Encoding::Context {
                        assert_eq!(all, d + l, "the same sum training does");
                    }
                }
            }
            for j in 0..v {
                assert_eq!(g.logits_grad[j], g.counts_grad[j] * g.counts[j]);
                assert_eq!(
                    g.counts_grad[j],
                    g.counts_grad_via_probs[j] + g.counts_grad_via_sum[j]
                );
                let want = probs[(x, j)] - f32::from(u8::from(j == usize::from(y)));
                let got = g.logits_grad[j] * g.examples as f32;
                assert!((got - want).abs() < 1e-5, "{len} {encoding:?} {j}");
            }
        }
    }

    #[test]
    fn the_bigram_graph_agrees_with_the_backward_view() {
        let data = data();
        let mut net = Net::new(data.vocab().len(), 42, 0.01).unwrap();
        net.forward(data.n()).unwrap();
        let (x, y) = (usize::from(data.xs()[0]), usize::from(data.ys()[0]));
        let g = graph(net.w().view(), data.n(), Context::BIGRAM, 0.01, x, y).unwrap();
        let view = backward_view(&net, data.n(), x, y).unwrap();
        assert_eq!(g.w[0].grad, view.grad);
        assert_eq!(g.w[0].grad_l2, view.grad_l2);
        assert_eq!(g.examples, view.examples);
        assert_eq!(g.chars, vec![0]);
        assert_eq!(g.logp_grad, -1.0 / view.examples as f32);
        for (a, b) in g.logits_grad.iter().zip(&view.dlogits) {
            assert!((a - b).abs() < 1e-7);
        }
    }

    #[test]
    fn an_example_outside_the_batch_is_drawn_and_one_outside_the_vocabulary_refused() {
        let data = data();
        let net = Net::new(data.vocab().len(), 1, 0.0).unwrap();
        let w = net.w().view();
        let (x, y) = (data.xs()[0], data.ys()[0]);
        let g = graph(w, data.n(), Context::BIGRAM, 0.0, x.into(), y.into()).unwrap();
        assert!(g.in_training && g.occurrences == 1);
        // `.` never follows `.`: no row of the batch, the same numbers as one.
        let g = graph(w, data.n(), Context::BIGRAM, 0.0, 0, 0).unwrap();
        assert!(!g.in_training && g.occurrences == 0);
        assert_eq!(g.logp_grad, -1.0 / data.n().total() as f32);
        assert!(g.probs_grad[0] < 0.0);
        assert!(graph(w, data.n(), Context::BIGRAM, 0.0, 99, 0).is_err());
        assert!(graph(w, data.n(), Context::BIGRAM, 0.0, 0, 99).is_err());
    }
}
