//! The fused step against the model layer's step-by-step net, which stays the reference.

use super::*;
use crate::data::context::Context;
use crate::Dataset;
use ndarray::Array2;

/// `steps` steps of the separate forward, backward and step, with each loss.
fn separate(net: &mut Net, n: &N, lr: f32, steps: usize) -> Vec<f64> {
    (0..steps)
        .map(|_| {
            let loss = net.forward(n).unwrap();
            net.backward(n).unwrap();
            net.step(lr).unwrap();
            loss
        })
        .collect()
}

fn fused(net: &mut Net, n: &N, lr: f32, steps: usize) -> Vec<f64> {
    let mut t = Trainer::new(net, lr);
    (0..steps).map(|_| t.step(n).unwrap()).collect()
}

fn max_rel_diff(a: &Array2<f32>, b: &Array2<f32>) -> f32 {
    let scale = a.iter().fold(0f32, |m, x| m.max(x.abs()));
    (a - b).iter().fold(0f32, |m, x| m.max(x.abs())) / scale
}

/// The losses agree to `rel`: 1e-9 where only the order of a sum differs, 1e-7 or
/// 1e-6 where the deferred decay is rounded once instead of once a step.
fn assert_losses_agree(a: &[f64], b: &[f64], rel: f64) {
    assert_eq!(a.len(), b.len());
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!((x - y).abs() <= rel * y.abs(), "step {k}: {x} vs {y}");
    }
}

/// The default names, a net on `context` (seed 7, λ = 0.01), an `N` to count its
/// minibatches into and a generator seeded `seed` to draw them.
fn minibatches(context: Context, seed: u64) -> (Dataset, Net, N, crate::TorchGenerator) {
    let data = Dataset::default_names();
    let v = data.vocab().len();
    let net = Net::with_context(v, context, 7, 0.01).unwrap();
    let n = N::zeros(context.rows(v), v);
    (data, net, n, crate::TorchGenerator::manual_seed(seed))
}

fn names_net(context: Context, l2: f32) -> (Net, N) {
    let data = Dataset::default_names();
    let n = data.n_for(context).unwrap();
    let net = Net::with_context(data.vocab().len(), context, 2147483647, l2).unwrap();
    (net, n)
}

#[test]
fn where_every_context_occurs_the_fused_step_is_the_separate_one() {
    for context in [Context::BIGRAM, Context::new(2, Encoding::Concat).unwrap()] {
        let (mut a, n) = names_net(context, 0.01);
        let mut b = a.clone();
        let la = separate(&mut a, &n, 50.0, 20);
        let lb = fused(&mut b, &n, 50.0, 20);
        // Only rounding differs: one factor R/(Σ exp · n) per row instead of a
        // division per cell, and the run's shift instead of the row's.
        assert!(
            max_rel_diff(a.w(), b.w()) < 1e-5,
            "{context:?}: {}",
            max_rel_diff(a.w(), b.w())
        );
        assert!(
            max_rel_diff(a.grad(), b.grad()) < 1e-5,
            "{context:?}: the last step's gradient"
        );
        assert_losses_agree(&la, &lb, 1e-7);
    }
}

#[test]
fn rows_far_below_their_shift_are_redone_with_their_own() {
    // Weights of ±50. One row at +50 sets the one-hot encoding's shared shift, and
    // every other row's exps fall to e^-100 under it. Side by side, a context whose
    // characters' rows peak in different columns has logits of 0 but a shift of
    // 100 (the sum of the rows' largest). Both must be redone, or their softmax is
    // garbage.
    let data = Dataset::from_words(&["abba", "dad", "cab"]).unwrap();
    let v = data.vocab().len();
    let one_hot: fn(usize, usize) -> f32 = |i, _| if i == 0 { 50.0 } else { -50.0 };
    let side_by_side: fn(usize, usize) -> f32 = |i, j| if (i + j) % 2 == 0 { 50.0 } else { -50.0 };
    for (encoding, pattern) in [
        (Encoding::Context, one_hot),
        (Encoding::Concat, side_by_side),
    ] {
        let context = Context::new(2, encoding).unwrap();
        let n = data.n_for(context).unwrap();
        let mut a = Net::with_context(v, context, 7, 0.01).unwrap();
        a.set_w(Array2::from_shape_fn(a.w().dim(), |(i, j)| pattern(i, j)))
            .unwrap();
        let mut b = a.clone();
        let la = separate(&mut a, &n, 0.1, 3);
        let lb = fused(&mut b, &n, 0.1, 3);
        assert!(la.iter().all(|l| l.is_finite() && *l > 1.0), "{la:?}");
        assert_losses_agree(&la, &lb, 1e-7);
        assert!(max_rel_diff(a.w(), b.w()) < 1e-6, "{encoding:?}");
        assert!(max_rel_diff(a.grad(), b.grad()) < 1e-5, "{encoding:?}");
    }
}

#[test]
fn a_row_far_above_the_last_steps_largest_is_redone() {
    // Lazily, the shift is the largest weight of the rows the last step reached. A
    // minibatch that reaches rows 100 above it would have exp(x − shift) clamped
    // at e^88, and a softmax of garbage, unless those rows are redone.
    let data = Dataset::default_names();
    let context = Context::new(2, Encoding::Context).unwrap();
    let v = data.vocab().len();
    let mut rng = crate::TorchGenerator::manual_seed(5);
    let mut batches = [N::zeros(context.rows(v), v), N::zeros(context.rows(v), v)];
    for n in &mut batches {
        data.sample_batch(context, &mut rng, 8, n).unwrap();
    }
    let [first, second] = &batches;
    let far: Vec<usize> = (second.occurring().iter())
        .filter(|r| !first.occurring().contains(r))
        .copied()
        .collect();
    assert!(!far.is_empty());
    let mut a = Net::with_context(v, context, 7, 0.01).unwrap();
    let mut w = a.w().clone();
    for &r in &far {
        w.row_mut(r).mapv_inplace(|x| x + 100.0);
    }
    a.set_w(w).unwrap();
    let mut b = a.clone();
    let la: Vec<f64> = batches
        .iter()
        .map(|n| separate(&mut a, n, 1.0, 1)[0])
        .collect();
    let mut t = Trainer::new(&mut b, 1.0);
    assert!(t.lazy);
    let lb: Vec<f64> = batches.iter().map(|n| t.step(n).unwrap()).collect();
    drop(t);
    assert_losses_agree(&la, &lb, 1e-6);
    assert!(max_rel_diff(a.w(), b.w()) < 1e-6);
    assert!(max_rel_diff(a.grad(), b.grad()) < 1e-5);
}

#[test]
fn a_step_without_its_loss_moves_w_exactly_as_one_with_it() {
    for context in [
        Context::BIGRAM,
        Context::new(2, Encoding::Context).unwrap(),
        Context::new(2, Encoding::Concat).unwrap(),
    ] {
        let (mut a, n) = names_net(context, 0.01);
        let mut b = a.clone();
        fused(&mut a, &n, 50.0, 5);
        let mut t = Trainer::new(&mut b, 50.0);
        for _ in 0..5 {
            t.update(&n).unwrap();
        }
        drop(t);
        assert_eq!(a.w(), b.w(), "{context:?}");
        assert_eq!(a.grad(), b.grad(), "{context:?}");
    }
    // Minibatches of a 3-character context: rows left behind and brought back.
    let context = Context::new(3, Encoding::Context).unwrap();
    let (data, mut a, mut n, mut rng) = minibatches(context, 9);
    let mut b = a.clone();
    let (mut ta, mut tb) = (Trainer::new(&mut a, 50.0), Trainer::new(&mut b, 50.0));
    assert!(ta.lazy);
    for _ in 0..20 {
        data.sample_batch(context, &mut rng, 32, &mut n).unwrap();
        ta.step(&n).unwrap();
        tb.update(&n).unwrap();
    }
    drop((ta, tb));
    assert_eq!(a.w(), b.w(), "minibatches");
    assert_eq!(a.grad(), b.grad(), "minibatches");
}

#[test]
fn contexts_that_never_occur_decay_lazily_to_what_stepping_gives() {
    // A trigram on names: some of the 729 contexts never occur, and their rows
    // only decay. λ large enough that the decay shows within 50 steps.
    let context = Context::new(2, Encoding::Context).unwrap();
    let (mut a, n) = names_net(context, 100.0);
    let unseen = n
        .row_sums()
        .iter()
        .position(|&r| r == 0)
        .expect("qx does not occur");
    assert!(n.occurring().len() < n.contexts());
    let mut b = a.clone();
    let before = a.w().row(unseen).to_owned();
    let la = separate(&mut a, &n, 10.0, 50);
    let lb = fused(&mut b, &n, 10.0, 50);
    assert_losses_agree(&la, &lb, 1e-7);
    assert!(
        max_rel_diff(a.w(), b.w()) < 1e-5,
        "{}",
        max_rel_diff(a.w(), b.w())
    );
    assert!(
        max_rel_diff(a.grad(), b.grad()) < 1e-5,
        "{}",
        max_rel_diff(a.grad(), b.grad())
    );
    let factor = 1.0 - 10.0 * 2.0 * 100.0 / a.w().len() as f64;
    let expected = before[0] as f64 * factor.powi(50);
    let got = f64::from(b.w()[(unseen, 0)]);
    assert!(
        (got - expected).abs() < 1e-6 * expected.abs(),
        "{got} vs {expected}"
    );
    // The buffers belong to the W before the last step, as after Net::step.
    assert!(b.example(0, 0).is_none());
    assert!(b.step(1.0).is_err());
}

#[test]
fn minibatches_reach_few_rows_and_a_fast_decay_renormalises() {
    // A 3-character context on a 5-symbol vocabulary: 125 contexts, a few examples
    // per step, and a factor of about 0.6, so G falls below 1e-30 within a frame.
    let data = Dataset::from_words(&["abba", "dad", "cab", "bad", "add"]).unwrap();
    let context = Context::new(3, Encoding::Context).unwrap();
    let v = data.vocab().len();
    let mut a = Net::with_context(v, context, 7, 1.0).unwrap();
    let mut b = a.clone();
    let lr = 0.2 * a.w().len() as f32 / 2.0; // lr·2λ/|W| = 0.2
    let mut rng = crate::TorchGenerator::manual_seed(3);
    let mut batches = Vec::new();
    for _ in 0..400 {
        let mut n = N::zeros(context.rows(v), v);
        data.sample_batch(context, &mut rng, 3, &mut n).unwrap();
        batches.push(n);
    }
    let la: Vec<f64> = batches
        .iter()
        .flat_map(|n| separate(&mut a, n, lr, 1))
        .collect();
    let mut t = Trainer::new(&mut b, lr);
    assert!(t.lazy);
    let lb: Vec<f64> = batches.iter().map(|n| t.step(n).unwrap()).collect();
    drop(t);
    // A factor of 0.8 rounds further from the stepwise f32 products than one
    // near 1; the difference stays at a few 1e-7 over the 400 steps, not growing.
    assert_losses_agree(&la, &lb, 1e-6);
    // Rows never reached have decayed by 0.8^400 ≈ 1e-39: compare what survives.
    let diff = (a.w() - b.w()).iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!(diff < 1e-5, "{diff}");
    assert!(max_rel_diff(a.grad(), b.grad()) < 1e-5);
}

#[test]
fn side_by_side_minibatches_are_gathered_afresh_each_step() {
    // One N recounted in place every step, as the session's minibatches are: what
    // the trainer gathered from the last batch must not be used for the next.
    let context = Context::new(2, Encoding::Concat).unwrap();
    let (data, mut a, mut n, mut rng) = minibatches(context, 3);
    let mut b = a.clone();
    let mut t = Trainer::new(&mut b, 10.0);
    for step in 0..30 {
        data.sample_batch(context, &mut rng, 32, &mut n).unwrap();
        let want = separate(&mut a, &n, 10.0, 1)[0];
        let got = t.step(&n).unwrap();
        assert!(
            (got - want).abs() < 1e-6 * want,
            "step {step}: {got} vs {want}"
        );
    }
    drop(t);
    assert!(max_rel_diff(a.w(), b.w()) < 1e-5);
}

#[test]
fn a_decay_too_fast_for_the_closed_form_steps_every_row() {
    let data = Dataset::from_words(&["abba", "dad"]).unwrap();
    let context = Context::new(2, Encoding::Context).unwrap();
    let v = data.vocab().len();
    let n = data.n_for(context).unwrap();
    let mut a = Net::with_context(v, context, 7, 1.0).unwrap();
    let mut b = a.clone();
    let lr = 0.7 * a.w().len() as f32 / 2.0;
    assert!(!Trainer::new(&mut b.clone(), lr).lazy);
    let la = separate(&mut a, &n, lr, 5);
    let lb = fused(&mut b, &n, lr, 5);
    assert!(max_rel_diff(a.w(), b.w()) < 1e-5);
    assert!(max_rel_diff(a.grad(), b.grad()) < 1e-5);
    assert_losses_agree(&la, &lb, 1e-7);
}
