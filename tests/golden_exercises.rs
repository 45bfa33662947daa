//! The lecture's exercises against PyTorch (`tests/fixtures/exercises.json`, copied from
//! the project's shared reference): so far E02, the 80/10/10 split made as makemore makes
//! it (Python's `random.seed(42)` and `random.shuffle`), and the bigram counting model
//! fitted on the training words and scored on each part.

#![cfg(not(target_arch = "wasm32"))]

use bigram_lab::{CountModel, Dataset};
use serde_json::Value;
use std::sync::OnceLock;

fn fixture() -> &'static Value {
    static G: OnceLock<Value> = OnceLock::new();
    G.get_or_init(|| serde_json::from_str(include_str!("fixtures/exercises.json")).unwrap())
}

fn at(path: &str) -> &'static Value {
    fixture()
        .pointer(&format!("/{path}"))
        .unwrap_or_else(|| panic!("fixture has no {path}"))
}

#[test]
fn the_split_holds_the_words_a_notebook_holds() {
    let (train, dev, test) = Dataset::default_names().split_80_10_10(42).unwrap();
    let first: Vec<String> = train.words().take(3).collect();
    let want: Vec<&str> = (0..3)
        .map(|i| at(&format!("split_first3_train/{i}")).as_str().unwrap())
        .collect();
    assert_eq!(first, want);
    let sizes = [train.word_count(), dev.word_count(), test.word_count()];
    let want: Vec<usize> = (0..3)
        .map(|i| at(&format!("split_sizes/{i}")).as_u64().unwrap() as usize)
        .collect();
    assert_eq!(sizes.to_vec(), want);
    assert_eq!(
        train.vocab(),
        Dataset::default_names().vocab(),
        "one vocabulary for the three parts"
    );
    assert!(
        Dataset::from_words(&["a", "b", "c"])
            .unwrap()
            .split_80_10_10(42)
            .is_err(),
        "too few words"
    );
}

#[test]
fn the_bigram_counting_model_fitted_on_train_scores_each_part_as_pytorch() {
    let (train, dev, test) = Dataset::default_names().split_80_10_10(42).unwrap();
    for k in ["0.01", "0.1", "1", "10"] {
        let model = CountModel::new(train.n(), k.parse().unwrap()).unwrap();
        for (part, data) in [("train", &train), ("dev", &dev), ("test", &test)] {
            let nll = model.nll(data.n());
            let want = at(&format!("split_count_nll/bigram/{k}/{part}"))
                .as_f64()
                .unwrap();
            assert!(
                (nll - want).abs() < 1e-5,
                "k = {k}, {part}: {nll} vs {want}"
            );
        }
    }
}

fn trigram() -> bigram_lab::Context {
    bigram_lab::Context::new(2, bigram_lab::Encoding::Context).unwrap()
}

#[test]
fn the_trigram_counting_model_matches_pytorch() {
    let data = Dataset::default_names();
    let n = data.n_for(trigram()).unwrap();
    assert_eq!(n.matrix().dim(), (27 * 27, 27));
    assert_eq!(n.total(), at("trigrams").as_u64().unwrap());
    for (k, key) in [(0.0, "count_nll_smooth0"), (1.0, "count_nll_smooth1")] {
        let nll = CountModel::new(&n, k).unwrap().nll(&n);
        let want = at(key).as_f64().unwrap();
        assert!((nll - want).abs() < 1e-5, "k = {k}: {nll} vs {want}");
    }
    let p = CountModel::new(&n, 1.0).unwrap();
    let names = bigram_lab::sample::sample_words_in(
        p.p().view(),
        data.vocab(),
        5,
        bigram_lab::DEFAULT_SEED,
        trigram(),
    )
    .unwrap();
    let want: Vec<&str> = (0..5)
        .map(|i| at(&format!("count_samples_smooth1/{i}")).as_str().unwrap())
        .collect();
    assert_eq!(names, want);
}

#[test]
fn the_trigram_counting_model_fitted_on_train_scores_each_part_as_pytorch() {
    let (train, dev, test) = Dataset::default_names().split_80_10_10(42).unwrap();
    let ns = [&train, &dev, &test].map(|d| d.n_for(trigram()).unwrap());
    for k in ["0.01", "0.1", "1", "10"] {
        let model = CountModel::new(&ns[0], k.parse().unwrap()).unwrap();
        for (part, n) in ["train", "dev", "test"].iter().zip(&ns) {
            let nll = model.nll(n);
            let want = at(&format!("split_count_nll/trigram/{k}/{part}"))
                .as_f64()
                .unwrap();
            assert!(
                (nll - want).abs() < 1e-5,
                "k = {k}, {part}: {nll} vs {want}"
            );
        }
    }
}

/// 200 full-batch steps at lr 50, λ 0.01 on the whole list, as the reference made them;
/// returns the net and checks every loss within 1e-4.
fn two_hundred_steps(context: bigram_lab::Context, key: &str) -> bigram_lab::Net {
    let data = Dataset::default_names();
    let n = data.n_for(context).unwrap();
    let mut net =
        bigram_lab::Net::with_context(data.vocab().len(), context, bigram_lab::DEFAULT_SEED, 0.01)
            .unwrap();
    for step in 0..200 {
        let loss = net.forward(&n).unwrap();
        let want = at(&format!("{key}/{step}")).as_f64().unwrap();
        assert!(
            (loss - want).abs() < 1e-4,
            "{key} step {step}: {loss} vs {want}"
        );
        net.backward(&n).unwrap();
        net.step(50.0).unwrap();
    }
    net
}

#[test]
fn the_trigram_net_over_contexts_trains_and_samples_as_pytorch() {
    let data = Dataset::default_names();
    let net = bigram_lab::Net::with_context(27, trigram(), bigram_lab::DEFAULT_SEED, 0.01).unwrap();
    assert_eq!(net.w().dim(), (27 * 27, 27));
    for i in 0..5 {
        let want = at(&format!("pair_W0_first5/{i}")).as_f64().unwrap();
        assert!((f64::from(net.w()[(0, i)]) - want).abs() < 1e-7);
    }
    let net = two_hundred_steps(trigram(), "pair_gd_lr50_l2_0.01_losses");
    let probs = net.current_probs();
    let names = bigram_lab::sample::sample_words_in(
        probs.view(),
        data.vocab(),
        5,
        bigram_lab::DEFAULT_SEED,
        trigram(),
    )
    .unwrap();
    let want: Vec<&str> = (0..5)
        .map(|i| at(&format!("pair_samples_after_200/{i}")).as_str().unwrap())
        .collect();
    assert_eq!(names, want);
}

#[test]
fn the_trigram_net_with_two_one_hots_side_by_side_trains_as_pytorch() {
    let concat = bigram_lab::Context::new(2, bigram_lab::Encoding::Concat).unwrap();
    let net = two_hundred_steps(concat, "concat_gd_lr50_l2_0.01_losses");
    assert_eq!(net.w().dim(), (2 * 27, 27));
}

#[test]
fn the_smoothing_sweep_shows_dev_turning_up_as_k_goes_to_zero() {
    let (train, dev, _) = Dataset::default_names().split_80_10_10(42).unwrap();
    let (train, dev) = (
        train.n_for(trigram()).unwrap(),
        dev.n_for(trigram()).unwrap(),
    );
    let grid = bigram_lab::sweep::log_grid(-4, 2, 13);
    let points = bigram_lab::sweep::smoothing_sweep(&train, &dev, &grid).unwrap();
    for k in ["0.01", "0.1", "1", "10"] {
        let point = points
            .iter()
            .find(|p| p.value == k.parse::<f64>().unwrap())
            .unwrap();
        for (part, got) in [("train", point.train), ("dev", point.dev)] {
            let want = at(&format!("split_count_nll/trigram/{k}/{part}"))
                .as_f64()
                .unwrap();
            assert!(
                (got - want).abs() < 1e-5,
                "k = {k}, {part}: {got} vs {want}"
            );
        }
    }
    // Train falls as k → 0 while dev turns up: the best k is inside the grid, not at an end.
    assert!(points.windows(2).all(|w| w[0].train <= w[1].train + 1e-12));
    let best = bigram_lab::sweep::best_by_dev(&points).unwrap();
    assert!(best.value > 0.01 && best.value < 1.0, "{best:?}");
}
