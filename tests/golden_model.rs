//! The lecture's numbers: the `emma` walk-through, the counting model and 200 steps of
//! gradient descent on the default data set, all against PyTorch.

#![cfg(not(target_arch = "wasm32"))]

mod common;
use bigram_lab::model::literal;
use bigram_lab::{sample_words, CountModel, Dataset, Net, DEFAULT_SEED, N};
use common::*;
use ndarray::{Array2, ArrayView2};
use std::sync::OnceLock;

fn names() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(Dataset::default_names)
}

fn emma_examples() -> (Vec<u8>, Vec<u8>) {
    let v = names().vocab();
    let ix = |c| v.stoi(c).unwrap() as u8;
    let chars: Vec<char> = ".emma.".chars().collect();
    chars.windows(2).map(|p| (ix(p[0]), ix(p[1]))).unzip()
}

fn flat(a: ArrayView2<f32>) -> Vec<f32> {
    a.iter().copied().collect()
}

#[test]
fn emma_examples_are_the_lectures() {
    let (xs, ys) = emma_examples();
    let as_usize = |v: &[u8]| v.iter().map(|&x| usize::from(x)).collect::<Vec<_>>();
    assert_eq!(as_usize(&xs), usizes("emma/xs"));
    assert_eq!(as_usize(&ys), usizes("emma/ys"));
}

#[test]
fn emma_forward_backward_and_step_match_pytorch_on_both_paths() {
    let (xs, ys) = emma_examples();
    let mut net = Net::new(27, DEFAULT_SEED, 0.0).unwrap();

    // The literal path: every intermediate of the lecture.
    let fwd = literal::forward(net.w().view(), &xs, &ys, 0.0);
    let want_probs: Vec<f32> = at("emma/probs_5x27")
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap() as f32)
        })
        .collect();
    assert_close("emma probs", &flat(fwd.probs.view()), &want_probs, 1e-6);
    let nll: Vec<f32> = fwd.nll.iter().map(|&x| x as f32).collect();
    assert_close("emma nll", &nll, &f32s("emma/nll"), 1e-6);
    assert!(
        (fwd.loss - f64_at("emma/loss")).abs() < 1e-6,
        "loss {}",
        fwd.loss
    );
    let grad = literal::backward(&fwd, net.w().view(), &ys, 0.0);
    let want_grad = f32s("emma/grad_27x27_row_major");
    assert_close("emma grad (literal)", &flat(grad.view()), &want_grad, 1e-6);

    // The fast path on emma's N: the same loss and gradient.
    let n = N::from_examples(&xs, &ys, 27).unwrap();
    let loss = net.forward(&n).unwrap();
    assert!(
        (loss - f64_at("emma/loss")).abs() < 1e-6,
        "fast loss {loss}"
    );
    net.backward(&n).unwrap();
    assert_close(
        "emma grad (fast)",
        &flat(net.grad().view()),
        &want_grad,
        1e-6,
    );
    // The per-example trace reads the lecture's numbers from the forward pass's buffers.
    let trace = net.example(usize::from(xs[1]), usize::from(ys[1])).unwrap();
    assert!((trace.nll - f64_at("emma/nll/1")).abs() < 1e-6);
    let want_row = &want_probs[27..54];
    assert_close(
        "emma trace probs",
        trace.probs.as_slice().unwrap(),
        want_row,
        1e-6,
    );

    net.step(0.1).unwrap();
    assert!(
        net.example(5, 13).is_none(),
        "no trace of a W the buffers do not match"
    );
    assert_eq!(
        net.step(0.1),
        Err(bigram_lab::Error::NoGradient),
        "a gradient is used once"
    );
    let after = net.forward(&n).unwrap();
    assert!(
        (after - f64_at("emma/loss_after_step_lr0.1")).abs() < 1e-6,
        "after step {after}"
    );
}

#[test]
fn default_dataset_counts_match_pytorch() {
    let data = names();
    assert_eq!(
        data.word_count() as u64,
        at("default_dataset/file_words").as_u64().unwrap()
    );
    assert_eq!(
        data.bigram_count() as u64,
        at("default_dataset/bigrams").as_u64().unwrap()
    );
    let vocab: String = data.vocab().chars().iter().collect();
    assert_eq!(vocab, at("default_dataset/vocab").as_str().unwrap());
    let n: Vec<usize> = data.n().matrix().iter().map(|&c| c as usize).collect();
    assert_eq!(n, usizes("default_dataset/counts_27x27_row_major"));
}

#[test]
fn count_model_nll_and_samples_match_pytorch() {
    let n = names().n();
    for (k, key) in [
        (0.0, "count_model_nll_smoothing_0"),
        (1.0, "count_model_nll_smoothing_1"),
    ] {
        let nll = CountModel::new(n, k).unwrap().nll(n);
        let want = f64_at(&format!("default_dataset/{key}"));
        assert!((nll - want).abs() < 1e-6, "k = {k}: {nll} vs {want}");
    }
    let p = CountModel::new(n, 1.0).unwrap();
    let samples = sample_words(p.p().view(), names().vocab(), 10, DEFAULT_SEED).unwrap();
    assert_eq!(
        samples,
        strings("default_dataset/count_model_samples_seed_2147483647")
    );
}

#[test]
fn two_hundred_steps_of_gradient_descent_match_pytorch() {
    let gd = "default_dataset/gd";
    let seed = at(&format!("{gd}/seed")).as_u64().unwrap();
    let lr = f64_at(&format!("{gd}/lr")) as f32;
    let l2 = f64_at(&format!("{gd}/l2")) as f32;
    let want = f32s(&format!("{gd}/loss_before_each_step"));
    let data = names();
    let mut net = Net::new(data.vocab().len(), seed, l2).unwrap();
    for (step, &want_loss) in want.iter().enumerate() {
        let loss = net.forward(data.n()).unwrap();
        assert!(
            (loss - f64::from(want_loss)).abs() < 1e-4,
            "step {step}: loss {loss}, PyTorch {want_loss}"
        );
        net.backward(data.n()).unwrap();
        net.step(lr).unwrap();
    }
    let samples = sample_words(net.current_probs().view(), data.vocab(), 10, DEFAULT_SEED).unwrap();
    assert_eq!(
        samples,
        strings(&format!("{gd}/samples_after_200_steps_seed_2147483647"))
    );
}

#[test]
fn fast_and_literal_paths_agree_on_the_whole_data_set() {
    // The literal path in f64 is the exact reference; the fast path trains in f32.
    let data = names();
    let mut net = Net::new(27, DEFAULT_SEED, 0.01).unwrap();
    let loss = net.forward(data.n()).unwrap();
    net.backward(data.n()).unwrap();
    let w64: Array2<f64> = net.w().mapv(f64::from);
    let fwd = literal::forward(w64.view(), data.xs(), data.ys(), 0.01);
    let grad = literal::backward(&fwd, w64.view(), data.ys(), 0.01);
    assert!(
        ((loss - fwd.loss) / fwd.loss).abs() < 1e-6,
        "loss {loss} vs {}",
        fwd.loss
    );
    let scale = grad.iter().fold(0f64, |m, g| m.max(g.abs()));
    let worst = net
        .grad()
        .iter()
        .zip(&grad)
        .fold(0f64, |m, (&a, &b)| m.max((f64::from(a) - b).abs()));
    assert!(
        worst / scale < 1e-6,
        "gradient differs by {worst} (scale {scale})"
    );
}
