//! The lecture's loop made fast: forward, backward and `W -= lr * grad` fused into one
//! pass over the rows of `W` that the step's examples reach, for as many steps as a
//! frame allows. [`Net::forward`], [`Net::backward`] and [`Net::step`] stay the
//! reference it is tested against; the page's buttons still call them one at a time.
//!
//! Three things make it fast. Rows are taken in runs of consecutive rows, which lie
//! side by side in memory: `exp` runs over a whole run in one vector loop (V = 27
//! leaves a scalar tail of 3 in every row taken alone), shifted by the last step's
//! largest weight instead of each row's; a row far below that shift is redone with its
//! own. Every loop is written in explicit four-lane vectors ([`crate::train::lanes::F4`]):
//! left to itself, the compiler shuffled lanes about more than it computed.
//!
//! The side-by-side encoding's logits are sums of rows of `W`, and the exp of a sum is
//! the product of the exps: `exp` runs over the len·V rows of `W`, not over the
//! hundreds of contexts, and each context's exps are a product of rows.
//!
//! And a row whose context never occurs among the step's examples (`R_i = 0`) has no
//! data gradient: its whole update is the L2 decay `W_i ← (1 − lr·2λ/|W|)·W_i`, and it
//! needs no softmax. Such rows are not touched while the trainer runs. Each keeps the
//! value of a running product `G` of those factors from when it was last brought up to
//! date, `g_i`; its true value is `stored · G/g_i`, applied when the row is next reached
//! and, for every row, when the trainer is dropped. A step therefore costs time in
//! proportion to the contexts that occur (a minibatch of 32 reaches at most 32 of the
//! 19,683 rows of a 3-character context), and the L2 term of its loss is kept in
//! closed form the same way: Σ W² over the rows left behind is `G² · Σ sq_i / g_i²`.

use crate::data::context::Encoding;
use crate::data::n::N;
use crate::error::Result;
use crate::model::{inv_total, l2_grad_scale, Net};
use crate::train::kernels::{
    add_into, add_scaled, copy_into, exp_of, lane_sum, max_of, mul_into, scale_f4, sum_f4, Exp,
};
use crate::train::lanes::{Lanes, F4};

/// Training `net` at one learning rate. Dropping it leaves `W` and `W.grad` as the
/// separate forward, backward and step would have (up to rounding), with every row of
/// `W` up to date.
#[derive(Debug)]
pub struct Trainer<'a> {
    net: &'a mut Net,
    lr: f32,
    /// `2λ/|W|`: d(λ·mean(W²))/dW = decay · W.
    decay: f32,
    /// The factor a step applies to a row no example reaches: `1 − lr·decay`.
    factor: f64,
    /// Whether rows no example reaches may be left behind: not when the factor is so
    /// far from 1 that `G` would lose precision within a few steps, nor for the
    /// side-by-side encoding, whose few rows every context shares.
    lazy: bool,
    /// `G`, the product of the factors of the steps taken.
    big_g: f64,
    /// `g_i`: `G` when row i was last brought up to date.
    g: Vec<f64>,
    /// `sq_i`: Σ W_ij² of stored row i when it was last left behind.
    sq: Vec<f64>,
    /// Σ sq_i / g_i² over the rows left behind.
    t: f64,
    /// The rows the last step reached, ascending (with `lazy`).
    reached: Vec<usize>,
    /// Every row, for a step that is not `lazy`.
    all_rows: Vec<usize>,
    /// This step's rows as runs of consecutive rows `(first, past the last)` (kept only
    /// for its allocation).
    runs: Vec<(usize, usize)>,
    /// Whether this step's loss is wanted.
    with_loss: bool,
    /// The largest weight, after the last step, of the rows it reached (the next step's
    /// shift for `exp`; a row far from it is redone with its own), and the one of this
    /// step so far.
    shift_hint: Option<f32>,
    step_max: f32,
    /// The softmax of the rows (or the contexts' logits) of a step.
    softmax: Softmax,
    /// For the side-by-side encoding, rows padded to whole vectors: `W`, exp(W − the
    /// row's largest weight) and the gradient's sums over contexts; and those weights.
    w_pad: Vec<f32>,
    row_exp: Vec<f32>,
    grad_pad: Vec<f32>,
    row_shifts: Vec<f32>,
    /// The side-by-side encoding's shift of each occurring context.
    shifts: Vec<f32>,
    /// The side-by-side encoding's logits of every occurring context, their rows of
    /// `N` and their R.
    logits: Vec<f32>,
    counts: Vec<f32>,
    row_sums: Vec<u64>,
    /// The rows of `W` each occurring context selects, `len` a context.
    weight_rows: Vec<usize>,
    /// The [`N::generation`] that `counts`, `row_sums` and `weight_rows` were gathered
    /// from.
    gathered: Option<u64>,
    steps: u64,
}

/// Below this `G` every row is brought up to date and `G` starts again at 1, so that
/// `G/g_i` never underflows.
const RENORMALISE_BELOW: f64 = 1e-30;

/// A row whose `Σ exp(W − shift)` is below this, when shifted by its run's largest
/// weight, is redone with its own: above it every term that matters is a normal f32.
const SUM_TOO_SMALL: f32 = 1e-20;

/// Above this sum a value of the row may have been more than 69 above the shift, where
/// `exp` clamps (at 88): such a row is redone with its own largest value.
const SUM_TOO_LARGE: f32 = 1e30;

/// Cells per block of the update loop: its sums for the loss run in f32 lanes within
/// a block (error ~1e-7 of the block's sum) and in f64 across blocks.
const BLOCK: usize = 256;

/// Running sums per block.
const LANES: usize = 8;

impl<'a> Trainer<'a> {
    /// Starts training `net` at `lr` (checked by the caller).
    pub fn new(net: &'a mut Net, lr: f32) -> Self {
        let (rows, v) = net.w().dim();
        let decay = l2_grad_scale(net.l2(), net.w().len());
        let factor = 1.0 - f64::from(lr) * f64::from(decay);
        let lazy = net.context().encoding() == Encoding::Context && factor > 0.5;
        let (sq, t) = if lazy {
            let w = net.w().as_slice().expect("W is row-major");
            let sq: Vec<f64> = w.chunks_exact(v).map(sum_sq).collect();
            let t = sq.iter().sum();
            (sq, t)
        } else {
            (Vec::new(), 0.0)
        };
        Self {
            net,
            lr,
            decay,
            factor,
            lazy,
            big_g: 1.0,
            g: vec![1.0; if lazy { rows } else { 0 }],
            sq,
            t,
            reached: Vec::new(),
            all_rows: if lazy {
                Vec::new()
            } else {
                (0..rows).collect()
            },
            runs: Vec::new(),
            with_loss: true,
            shift_hint: None,
            step_max: f32::NEG_INFINITY,
            softmax: Softmax::default(),
            w_pad: Vec::new(),
            row_exp: Vec::new(),
            grad_pad: Vec::new(),
            row_shifts: Vec::new(),
            shifts: Vec::new(),
            logits: Vec::new(),
            counts: Vec::new(),
            row_sums: Vec::new(),
            weight_rows: Vec::new(),
            gathered: None,
            steps: 0,
        }
    }

    /// One step on the examples counted in `n`: returns their loss before the update
    /// (mean NLL + λ·mean(W²)), as the forward pass would.
    pub fn step(&mut self, n: &N) -> Result<f64> {
        self.with_loss = true;
        self.take_step(n)
    }

    /// One step, as [`step`](Self::step), without its loss: the sums that only the loss
    /// needs (Σ N·W, Σ W², the rows' logarithms) are skipped, a tenth of a trigram
    /// step. What the page's frames and the sweeps run: they evaluate the loss once,
    /// after their last step.
    pub fn update(&mut self, n: &N) -> Result<()> {
        self.with_loss = false;
        self.take_step(n).map(|_| ())
    }

    /// [`step`](Self::step), with the loss if `with_loss` (else the loss returned is
    /// meaningless).
    fn take_step(&mut self, n: &N) -> Result<f64> {
        self.net.check_n(n)?;
        self.step_max = f32::NEG_INFINITY;
        let loss = match self.net.context().encoding() {
            Encoding::Context if self.lazy => self.step_lazy(n),
            Encoding::Context => {
                let rows = std::mem::take(&mut self.all_rows);
                let (nll, sum_w2) = self.fused_runs(n, inv_total(n), &rows);
                self.all_rows = rows;
                self.loss(nll, sum_w2, n)
            }
            Encoding::Concat => self.step_concat(n),
        };
        self.steps += 1;
        self.net.after_step();
        self.shift_hint = Some(self.step_max).filter(|m| m.is_finite());
        Ok(loss)
    }

    /// The steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The rows `rows` (ascending, up to date) through softmax, their NLL, the gradient
    /// and the update: [`crate::model::forward_n`], `backward_n` and the step fused,
    /// with `R/(Σ exp · n)` folded into one factor per row (so the last bits may differ
    /// from theirs). Rows without examples get the decay alone, as there. Returns (the
    /// rows' summed NLL, their Σ W² before the update).
    ///
    /// Only the vector loops over W go run by run (runs of consecutive rows lie side by
    /// side in memory); the per-row work is done once over all rows, so that many short
    /// runs (a 3-character context's) cost little more.
    fn fused_runs(&mut self, n: &N, inv_n: f32, rows: &[usize]) -> (f64, f64) {
        let v = self.net.vocab_size();
        let (decay, lr) = (self.decay, self.lr);
        let mut runs = std::mem::take(&mut self.runs);
        runs.clear();
        for &row in rows {
            match runs.last_mut() {
                Some((_, hi)) if *hi == row => *hi += 1,
                _ => runs.push((row, row + 1)),
            }
        }
        let cells = |&(lo, hi): &(usize, usize)| lo * v..hi * v;
        let w = self.net.w().as_slice().expect("W is row-major");
        let shift = self.shift_hint.unwrap_or_else(|| {
            (runs.iter()).fold(f32::NEG_INFINITY, |m, run| m.max(max_of(&w[cells(run)])))
        });
        let cells_total = runs.iter().map(|run| cells(run).len()).sum();
        self.softmax.e.resize(cells_total, 0.0);
        let mut at = 0;
        for run in &runs {
            let x = &w[cells(run)];
            exp_of(x, shift, &mut self.softmax.e[at..at + x.len()]);
            at += x.len();
        }
        let r_of = n.row_sums();
        let rows = (rows.iter()).map(|&row| (&w[row * v..(row + 1) * v], r_of[row], shift));
        let lse_sum = self.softmax.scale(rows, v, inv_n, self.with_loss);
        let (mut dot, mut sum_w2) = (0.0, 0.0);
        let mut offset = 0;
        for run in &runs {
            let (w, grad) = self.net.rows_mut(run.0, run.1);
            let e = &self.softmax.e[offset..offset + w.len()];
            offset += w.len();
            let blocks = (w.chunks_mut(BLOCK))
                .zip(grad.chunks_mut(BLOCK))
                .zip(e.chunks(BLOCK))
                .zip(n.as_f32()[cells(run)].chunks(BLOCK));
            for (((w, grad), e), counts) in blocks {
                let k = [inv_n, decay, lr];
                let (d, q, max) = if self.with_loss {
                    update_block::<true>(w, grad, e, counts, k)
                } else {
                    update_block::<false>(w, grad, e, counts, k)
                };
                dot += d;
                sum_w2 += q;
                self.step_max = self.step_max.max(max);
            }
        }
        self.runs = runs;
        (lse_sum - dot, sum_w2)
    }

    /// Rows no example reaches are left to the closed form; the others are taken in
    /// runs of consecutive rows.
    fn step_lazy(&mut self, n: &N) -> f64 {
        // Before a step, not after: the rows the last step left behind must still be
        // told apart when the trainer is dropped.
        if self.big_g < RENORMALISE_BELOW {
            self.renormalise();
        }
        self.follow(n.occurring());
        let occurring = n.occurring();
        let (nll, mut sum_w2) = self.fused_runs(n, inv_total(n), occurring);
        // The rows left behind, at their true values before this step.
        sum_w2 += self.big_g * self.big_g * self.t;
        self.big_g *= self.factor;
        for &row in occurring {
            self.g[row] = self.big_g;
        }
        self.loss(nll, sum_w2, n)
    }

    /// Moves from the rows the last step reached to `now`: a row reached again was
    /// brought up to date then; a row reached now and not then is brought up to date
    /// and leaves the closed-form sum; a row reached then and not now joins it. The
    /// work is proportional to the rows that change, so none for a full batch.
    fn follow(&mut self, now: &[usize]) {
        let before = std::mem::take(&mut self.reached);
        let (mut a, mut b) = (before.iter().peekable(), now.iter().peekable());
        loop {
            match (a.peek(), b.peek()) {
                (Some(&&x), Some(&&y)) if x == y => {
                    a.next();
                    b.next();
                }
                (Some(&&x), next) if next.map_or(true, |&&y| x < y) => {
                    self.leave_behind(x);
                    a.next();
                }
                (_, Some(&&y)) => {
                    self.t -= self.sq[y] / (self.g[y] * self.g[y]);
                    self.bring_up_to_date(y);
                    b.next();
                }
                (_, None) => break,
            }
        }
        self.reached = before;
        self.reached.clear();
        self.reached.extend_from_slice(now);
    }

    /// Row `row`, up to date now, joins the closed-form sum.
    fn leave_behind(&mut self, row: usize) {
        let (w, _) = self.net.rows_mut(row, row + 1);
        self.sq[row] = sum_sq(w);
        self.t += self.sq[row] / (self.g[row] * self.g[row]);
    }

    /// Row `row` of `W` scaled by the decay it has not had yet.
    fn bring_up_to_date(&mut self, row: usize) {
        let g_i = self.g[row];
        if g_i != self.big_g {
            let scale = self.big_g / g_i;
            let (w, _) = self.net.rows_mut(row, row + 1);
            for x in w.iter_mut() {
                *x = (f64::from(*x) * scale) as f32;
            }
            self.g[row] = self.big_g;
        }
    }

    /// Every row up to date, `G` back to 1.
    fn renormalise(&mut self) {
        let mut t = 0.0;
        let reached = std::mem::take(&mut self.reached);
        let mut next = reached.iter().peekable();
        for row in 0..self.g.len() {
            if next.next_if(|&&r| r == row).is_none() {
                self.bring_up_to_date(row);
                let (w, _) = self.net.rows_mut(row, row + 1);
                self.sq[row] = sum_sq(w);
                t += self.sq[row];
            }
        }
        self.reached = reached;
        self.big_g = 1.0;
        self.g.fill(1.0);
        self.t = t;
    }

    /// The side-by-side encoding: the logits of every occurring context (the sum of
    /// its characters' rows of `W`) and their exps side by side in one buffer, each
    /// context's `(R·probs − N)/n` added to its characters' rows of the gradient, then
    /// every row's update (`W` is only len·V rows).
    ///
    /// Every row here is padded with zeros to whole vectors (V = 27 to 28): these
    /// loops go a row at a time, and a scalar tail of 3 in each of a dozen loops a
    /// context cost more than the vectors.
    fn step_concat(&mut self, n: &N) -> f64 {
        let context = self.net.context();
        let v = self.net.vocab_size();
        let p = v.next_multiple_of(4);
        let row = |i: usize| i * p..(i + 1) * p;
        let inv_n = inv_total::<f32>(n);
        let (decay, lr) = (self.decay, self.lr);
        let (w, grad) = self.net.w_and_grad_mut();
        let w_slice = w.as_slice().expect("W is row-major");
        let sum_w2 = if self.with_loss { sum_sq(w_slice) } else { 0.0 };
        // The exp of a sum is the product of the exps: a context's exp(logits) is the
        // product of its characters' rows of exp(W), each row shifted by its largest
        // weight, and its shift the sum of theirs. V exps a row of W (len·V rows)
        // instead of V a context (600 of them for the trigram).
        let rows = w.nrows();
        self.w_pad.resize(rows * p, 0.0);
        self.row_exp.resize(rows * p, 0.0);
        self.row_shifts.clear();
        let pads = (self.w_pad.chunks_exact_mut(p)).zip(self.row_exp.chunks_exact_mut(p));
        for (x, (x_pad, e_pad)) in w_slice.chunks_exact(v).zip(pads) {
            copy_into(x_pad, x);
            let m = max_of(x);
            self.row_shifts.push(m);
            exp_of(x_pad, m, e_pad);
            e_pad[v..].fill(0.0);
        }
        // Each occurring context's rows of W, counts and R, side by side: gathered
        // again only when N is not the last step's (a full batch's never is).
        let contexts = n.occurring().len();
        if self.gathered != Some(n.generation()) {
            self.gathered = Some(n.generation());
            self.counts.resize(contexts * p, 0.0);
            self.row_sums.clear();
            self.weight_rows.clear();
            let counts = self.counts.chunks_exact_mut(p);
            for (&ctx, c) in n.occurring().iter().zip(counts) {
                self.weight_rows.extend(context.weight_rows_of(ctx, v));
                copy_into(c, &n.as_f32()[ctx * v..(ctx + 1) * v]);
                self.row_sums.push(n.row_sums()[ctx]);
            }
        }
        // Each context's logits and exps.
        for buffer in [&mut self.logits, &mut self.softmax.e] {
            buffer.resize(contexts * p, 0.0);
        }
        self.shifts.clear();
        let out = (self.logits.chunks_exact_mut(p)).zip(self.softmax.e.chunks_exact_mut(p));
        let wrs = self.weight_rows.chunks_exact(context.len());
        for (wrs, (l, e)) in wrs.zip(out) {
            let (first, rest) = wrs.split_first().expect("len ≥ 1");
            copy_into(l, &self.w_pad[row(*first)]);
            copy_into(e, &self.row_exp[row(*first)]);
            let mut shift = self.row_shifts[*first];
            for &wr in rest {
                add_into(l, &self.w_pad[row(wr)]);
                mul_into(e, &self.row_exp[row(wr)]);
                shift += self.row_shifts[wr];
            }
            self.shifts.push(shift);
        }
        let rows_in = (self.logits.chunks_exact(p))
            .zip(&self.row_sums)
            .zip(&self.shifts)
            .map(|((x, &r), &shift)| (&x[..v], r, shift));
        let lse_sum = self.softmax.scale(rows_in, p, inv_n, self.with_loss);
        let dot = if self.with_loss {
            dot_f32(&self.logits, &self.counts)
        } else {
            0.0
        };
        add_scaled(&mut self.softmax.e, &self.counts, -inv_n);
        self.grad_pad.clear();
        self.grad_pad.resize(rows * p, 0.0);
        let rows_of = self.weight_rows.chunks_exact(context.len());
        for (wrs, d) in rows_of.zip(self.softmax.e.chunks_exact(p)) {
            for &wr in wrs {
                add_into(&mut self.grad_pad[row(wr)], d);
            }
        }
        let grad = grad.as_slice_mut().expect("W.grad is row-major");
        let rows_out = (grad.chunks_exact_mut(v)).zip(self.grad_pad.chunks_exact(p));
        for (g, d) in rows_out {
            g.copy_from_slice(&d[..v]);
        }
        let nll = lse_sum - dot;
        for (x, g) in w.iter_mut().zip(grad.iter_mut()) {
            *g += decay * *x;
            *x += -lr * *g;
        }
        self.loss(nll, sum_w2, n)
    }

    /// mean NLL + λ·mean(W²), as [`crate::model::forward_n`] gives it.
    fn loss(&self, nll_sum: f64, sum_w2: f64, n: &N) -> f64 {
        let total = n.total();
        let mean_nll = if total > 0 {
            nll_sum / total as f64
        } else {
            0.0
        };
        let w = self.net.w();
        mean_nll + f64::from(self.net.l2()) * sum_w2 / w.len().max(1) as f64
    }
}

impl Drop for Trainer<'_> {
    /// Every row brought up to date, and `W.grad` of the rows the last step left behind
    /// set to what the separate backward pass would have given them: the decay of
    /// their value before that step.
    fn drop(&mut self) {
        if !self.lazy || self.steps == 0 {
            return;
        }
        let before_last = self.big_g / self.factor;
        let (decay, lr) = (self.decay, self.lr);
        let mut reached = self.reached.iter().peekable();
        for row in 0..self.g.len() {
            if reached.next_if(|&&r| r == row).is_some() {
                continue;
            }
            let scale = before_last / self.g[row];
            let (w, grad) = self.net.rows_mut(row, row + 1);
            for (x, gr) in w.iter_mut().zip(grad.iter_mut()) {
                *x = (f64::from(*x) * scale) as f32;
                *gr = decay * *x;
                *x += -lr * *gr;
            }
        }
    }
}

/// The buffers of [`Softmax::scale`], kept between steps.
#[derive(Debug, Default)]
struct Softmax {
    /// `R_i · softmax(x_i) / n`, row-major.
    e: Vec<f32>,
    /// Per row: Σ exp, the shift it was taken with, and R; and ln Σ exp.
    rows: Vec<RowSum>,
    lns: Vec<f32>,
}

/// What [`Softmax::scale`] keeps of a row between its two passes.
#[derive(Debug, Clone, Copy)]
struct RowSum {
    sum: f32,
    shift: f32,
    r: u64,
}

impl Softmax {
    /// With `e` holding exp(x_i − shift_i) for each row `x_i` in `rows` (with its R and
    /// shift; `e`'s rows `stride` apart, zeros past `x_i`), makes it
    /// `R_i · softmax(x_i) / n` and returns Σ R_i · ln Σ_j exp(x_ij), the first half of
    /// the rows' NLL.
    ///
    /// The shift is not the row's largest value but one found without looking (the
    /// largest of the last step's W, which moves little in a step, or the sum of the
    /// rows' own when the row is a sum of rows); a row whose sum is then too small to
    /// trust, or so large that a value may have overflowed, is redone with its own
    /// largest value. The sums' logarithms are taken in one loop (a libm call per row
    /// cost more than the row's exps).
    fn scale<'x>(
        &mut self,
        rows: impl Iterator<Item = (&'x [f32], u64, f32)>,
        stride: usize,
        inv_n: f32,
        with_loss: bool,
    ) -> f64 {
        self.rows.clear();
        for ((x_i, r, shift), e_i) in rows.zip(self.e.chunks_exact_mut(stride)) {
            let mut sum = sum_f4(e_i);
            let mut shift = shift;
            if !(SUM_TOO_SMALL..=SUM_TOO_LARGE).contains(&sum) {
                shift = max_of(x_i);
                for (e, &x) in e_i.iter_mut().zip(x_i) {
                    *e = (x - shift).exp_fast();
                }
                sum = sum_f4(e_i);
            }
            self.rows.push(RowSum { sum, shift, r });
        }
        // Four logarithms at a time (the sums past the last are 1, whose ln is 0); for
        // the loss alone.
        self.lns.clear();
        if !with_loss {
            self.lns.resize(self.rows.len(), 0.0);
        }
        for four in self.rows.chunks(4).filter(|_| with_loss) {
            let sums = std::array::from_fn(|i| four.get(i).map_or(1.0, |row| row.sum));
            let lns = F4::from_array(sums).ln().to_array();
            self.lns.extend(lns.into_iter().take(four.len()));
        }
        let mut lse_sum = 0.0;
        let rows = (self.e.chunks_exact_mut(stride)).zip(self.rows.iter().zip(&self.lns));
        for (e_i, (row, &ln)) in rows {
            // Rows with no examples add nothing (and must not turn 0·∞ into NaN).
            let coef = if row.r > 0 {
                lse_sum += row.r as f64 * (f64::from(row.shift) + f64::from(ln));
                row.r as f32 * inv_n / row.sum
            } else {
                0.0
            };
            scale_f4(e_i, coef);
        }
        lse_sum
    }
}

/// The update of one block of cells: `grad = e − N/n + decay·W`, `W −= lr·grad`;
/// returns (Σ N·W, Σ W²) before it, summed in f32 lanes (if `LOSS`, else zeros), and
/// the largest W after it (`k` is `[inv_n, decay, lr]`).
///
/// Eight cells at a time as two explicit vectors ([`F4`]), each with running sums of
/// its own: given arrays of eight lanes, the compiler spent most of this loop
/// shuffling them, and it cost as much as all the `exp`s.
fn update_block<const LOSS: bool>(
    w: &mut [f32],
    grad: &mut [f32],
    e: &[f32],
    counts: &[f32],
    k: [f32; 3],
) -> (f64, f64, f32) {
    let [inv_n, decay, lr] = k;
    let (vinv_n, vdecay, vlr) = (F4::splat(inv_n), F4::splat(decay), F4::splat(lr));
    let (mut d, mut q) = ([F4::ZERO; 2], [F4::ZERO; 2]);
    let mut m = [F4::splat(f32::NEG_INFINITY); 2];
    let whole = w.len() / 8 * 8;
    let (w8, w_tail) = w.split_at_mut(whole);
    let (g8, g_tail) = grad.split_at_mut(whole);
    let (e8, e_tail) = e.split_at(whole);
    let (c8, c_tail) = counts.split_at(whole);
    let eights = (w8.chunks_exact_mut(8))
        .zip(g8.chunks_exact_mut(8))
        .zip(e8.chunks_exact(8))
        .zip(c8.chunks_exact(8));
    for (((w, g), e), c) in eights {
        for half in 0..2 {
            let at = 4 * half;
            let (x, c, e) = (F4::load(w, at), F4::load(c, at), F4::load(e, at));
            if LOSS {
                d[half] = d[half] + c * x;
                q[half] = q[half] + x * x;
            }
            let gr = e - c * vinv_n + vdecay * x;
            let x_new = x - vlr * gr;
            m[half] = m[half].pmax(x_new);
            x_new.store(w, at);
            gr.store(g, at);
        }
    }
    let (mut d_tail, mut q_tail, mut m_tail) = (0f32, 0f32, f32::NEG_INFINITY);
    let tail = w_tail.iter_mut().zip(g_tail).zip(e_tail).zip(c_tail);
    for (((x, gr), &e), &c) in tail {
        if LOSS {
            d_tail += c * *x;
            q_tail += *x * *x;
        }
        *gr = e - c * inv_n + decay * *x;
        *x -= lr * *gr;
        m_tail = m_tail.pmax(*x);
    }
    let total = |a: [F4; 2], t: f32| f64::from(a[0].sum()) + f64::from(a[1].sum()) + f64::from(t);
    let max = m[0].pmax(m[1]).max_lane().pmax(m_tail);
    (total(d, d_tail), total(q, q_tail), max)
}

/// Σ a·b in f32 lanes within blocks of [`BLOCK`] and f64 across them.
fn dot_f32(a: &[f32], b: &[f32]) -> f64 {
    let mut total = 0.0;
    for (a, b) in a.chunks(BLOCK).zip(b.chunks(BLOCK)) {
        let mut d = [0f32; LANES];
        let (a8, b8) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
        for (&x, &y) in a8.remainder().iter().zip(b8.remainder()) {
            d[0] += x * y;
        }
        for (a8, b8) in a8.zip(b8) {
            for lane in 0..LANES {
                d[lane] += a8[lane] * b8[lane];
            }
        }
        total += d.iter().map(|&x| f64::from(x)).sum::<f64>();
    }
    total
}

/// Σ x² in f64.
fn sum_sq(xs: &[f32]) -> f64 {
    lane_sum(xs, |x| f64::from(x) * f64::from(x))
}

#[cfg(test)]
mod tests;
