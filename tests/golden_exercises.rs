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
    let names = bigram_lab::model::sample::sample_words_in(
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
    let names = bigram_lab::model::sample::sample_words_in(
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
    let grid = bigram_lab::train::sweep::log_grid(-4, 2, 13);
    let points = bigram_lab::train::sweep::smoothing_sweep(&train, &dev, &grid).unwrap();
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
    let best = bigram_lab::train::sweep::best_by_dev(&points).unwrap();
    assert!(best.value > 0.01 && best.value < 1.0, "{best:?}");
}

fn session() -> bigram_lab::Session {
    bigram_lab::Session::new(Dataset::default_names(), bigram_lab::DEFAULT_SEED, 0.01).unwrap()
}

#[test]
fn a_session_trains_the_trigram_as_pytorch_and_every_view_follows_the_context() {
    let mut s = session();
    let bigram_floor = s.count_loss(0.0).unwrap();
    s.set_context(trigram(), bigram_lab::DEFAULT_SEED).unwrap();
    assert_eq!(s.summary().examples, at("trigrams").as_u64().unwrap());
    assert_eq!(s.net().w().dim(), (27 * 27, 27));
    // The contexts a step visits: every pair of characters that starts a trigram.
    let occurring: std::collections::HashSet<String> = (Dataset::default_names().words())
        .flat_map(|w| {
            let padded: Vec<char> = format!("..{w}").chars().collect();
            (0..=w.chars().count())
                .map(|i| padded[i..i + 2].iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect();
    let summary = s.summary();
    assert_eq!(
        (summary.occurring_contexts, summary.contexts),
        (occurring.len(), 729)
    );
    let losses = |k: usize| {
        at(&format!("pair_gd_lr50_l2_0.01_losses/{k}"))
            .as_f64()
            .unwrap()
    };
    assert!((s.settle().unwrap().loss - losses(0)).abs() < 1e-4);
    for k in 1..=10 {
        s.train(50.0, 1, || true).unwrap();
        assert!(
            (s.settle().unwrap().loss - losses(k)).abs() < 1e-4,
            "step {k}"
        );
    }
    // The floor is the trigram counting model's, lower than the bigram's.
    let floor = s.count_loss(0.0).unwrap();
    assert!((floor - at("count_nll_smooth0").as_f64().unwrap()).abs() < 1e-5);
    assert!(floor < bigram_floor);
    // The probe: one row per example, `..e` first, p from the context's row.
    let report = s.word_report("emma");
    let examples: Vec<&str> = report.rows.iter().map(|r| r.example.as_str()).collect();
    assert_eq!(examples, ["..e", ".em", "emm", "mma", "ma."]);
    let e = s.data().vocab().stoi('e').unwrap();
    assert_eq!(report.rows[0].input, Some(0));
    assert_eq!(report.rows[1].input, Some(e), "context .e is row 0·V + e");
    assert_eq!(report.rows[0].p, Some(s.net().probs()[(0, e)]));
    s.train(50.0, 190, || true).unwrap();
    let names = s.sample(5.0, bigram_lab::DEFAULT_SEED).unwrap();
    let want: Vec<&str> = (0..5)
        .map(|i| at(&format!("pair_samples_after_200/{i}")).as_str().unwrap())
        .collect();
    assert_eq!(names, want);
}

#[test]
fn a_session_with_makemores_split_scores_train_dev_and_on_request_test() {
    let mut s = session();
    s.set_context(trigram(), bigram_lab::DEFAULT_SEED).unwrap();
    s.set_makemore_split(Some(42)).unwrap();
    assert_eq!(s.makemore_split_seed(), Some(42));
    let summary = s.summary();
    assert_eq!((summary.dev_words, summary.test_words), (3226, 3226));
    assert_eq!(s.training_data().word_count(), 25805);
    let floor = s.count_loss(0.1).unwrap();
    assert!((floor - at("split_count_nll/trigram/0.1/train").as_f64().unwrap()).abs() < 1e-5);
    let status = s.settle().unwrap();
    assert!(status.dev_loss.is_some());
    assert!(s.test_loss().unwrap().is_some());
    // The split and the context travel in the model file.
    let file = s.export();
    let mut other = session();
    other.import(file.clone()).unwrap();
    assert_eq!(
        (other.context(), other.makemore_split_seed()),
        (trigram(), Some(42))
    );
    assert_eq!(other.settle().unwrap(), status);
    s.set_makemore_split(None).unwrap();
    assert_eq!((s.summary().dev_words, s.test_loss().unwrap()), (0, None));
}

#[test]
fn a_context_that_would_not_fit_is_refused_and_changes_nothing() {
    let words: String = (0..127u32)
        .filter_map(|i| char::from_u32(0x100 + i))
        .collect();
    let data = Dataset::from_words(&[words.as_str()]).unwrap();
    let mut s = bigram_lab::Session::new(data, 1, 0.0).unwrap();
    let before = s.export();
    let three = bigram_lab::Context::new(3, bigram_lab::Encoding::Context).unwrap();
    let err = s.set_context(three, 1).unwrap_err().to_string();
    assert!(err.contains("over the limit"), "{err}");
    assert_eq!(s.export(), before);
    // Two one-hots side by side train too, from the seed, with a finite loss.
    let concat = bigram_lab::Context::new(2, bigram_lab::Encoding::Concat).unwrap();
    let mut s = session();
    s.set_context(concat, bigram_lab::DEFAULT_SEED).unwrap();
    let want = at("concat_gd_lr50_l2_0.01_losses/0").as_f64().unwrap();
    assert!((s.settle().unwrap().loss - want).abs() < 1e-4);
    assert!(
        s.backward_view(0, 1).is_none(),
        "the backward rows are the one-hot encodings' only"
    );
}

#[test]
fn the_trigram_fast_path_equals_the_literal_one_hot_over_contexts() {
    use bigram_lab::model::{self, literal};
    // V ≤ 15, so that every one of the V² context rows fits the literal path's u8 inputs.
    let data = Dataset::from_words(&["emma", "ava", "mia", "amelia", "ella", "liam"]).unwrap();
    let v = data.vocab().len();
    assert!(v * v < 256);
    let ctx = trigram();
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for word in data.words() {
        let ixs: Vec<u8> = word
            .chars()
            .map(|c| data.vocab().stoi(c).unwrap() as u8)
            .collect();
        for (row, y) in ctx.examples(&ixs, v) {
            xs.push(row as u8);
            ys.push(y);
        }
    }
    let w: Vec<f64> = bigram_lab::TorchGenerator::manual_seed(9)
        .randn(v * v * v)
        .into_iter()
        .map(f64::from)
        .collect();
    let w = ndarray::Array2::from_shape_vec((v * v, v), w).unwrap();
    let n = data.n_for(ctx).unwrap();
    let mut probs = ndarray::Array2::<f64>::zeros((v * v, v));
    let mut grad = ndarray::Array2::<f64>::zeros((v * v, v));
    let fast = model::loss_and_grad(w.view(), &n, ctx, 0.05, &mut probs, &mut grad);
    let lit = literal::forward(w.view(), &xs, &ys, 0.05);
    let lit_grad = literal::backward(&lit, w.view(), &ys, 0.05);
    assert!((fast - lit.loss).abs() < 1e-12, "{fast} vs {}", lit.loss);
    let worst = (&grad - &lit_grad).iter().fold(0f64, |m, d| m.max(d.abs()));
    assert!(worst < 1e-12, "gradients differ by {worst}");
    for row in probs.rows() {
        assert!(
            (row.sum() - 1.0).abs() < 1e-12,
            "every context's probabilities sum to 1"
        );
    }
}
