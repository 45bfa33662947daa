//! The backward pass and the step against PyTorch (`tests/fixtures/gradient.json`, copied
//! from the project's shared reference): the lecture's first run on `emma` alone, the
//! whole list's gradient at the seed's `W` and after 10 steps, the gradient check, and
//! the refusals of training on a word.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use bigram_lab::session::Phase;
use bigram_lab::{Dataset, Session, DEFAULT_SEED};
use common::assert_close;
use serde_json::Value;
use std::sync::OnceLock;

fn fixture() -> &'static Value {
    static G: OnceLock<Value> = OnceLock::new();
    G.get_or_init(|| serde_json::from_str(include_str!("fixtures/gradient.json")).unwrap())
}

fn f32s(path: &str) -> Vec<f32> {
    let v = fixture()
        .pointer(&format!("/{path}"))
        .unwrap_or_else(|| panic!("no {path}"));
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

fn num(path: &str) -> f64 {
    fixture()
        .pointer(&format!("/{path}"))
        .unwrap()
        .as_f64()
        .unwrap()
}

fn names(l2: f32) -> Session {
    Session::new(Dataset::default_names(), DEFAULT_SEED, l2).unwrap()
}

#[test]
fn emma_alone_gives_the_lectures_gradient_and_ten_losses() {
    let mut s = names(0.0);
    s.set_train_on(Some("emma")).unwrap();
    let status = s.settle().unwrap();
    assert!(
        (status.loss - num("emma/loss")).abs() < 1e-6,
        "{}",
        status.loss
    );
    assert_eq!(status.dev_loss, None);
    // Example 0 is . → e (x = 0, y = 5).
    let view = s.backward_view(0, 5).unwrap();
    assert_eq!(view.examples, 5);
    assert_close(
        "dlogits",
        &view.dlogits,
        &f32s("emma/dlogits_example0"),
        1e-6,
    );
    for row in [0usize, 1, 5, 13] {
        let want = f32s(&format!("emma/grad_rows/{row}"));
        // Any example of the row gives the row's W.grad; its label only changes dlogits.
        let y = want.iter().position(|&g| g < 0.0).unwrap();
        let view = s.backward_view(row, y).unwrap();
        assert_close(&format!("W.grad[{row}]"), &view.grad, &want, 1e-6);
        assert!(view.grad_l2.iter().all(|&g| g == 0.0), "λ = 0: no L2 part");
    }
    let grad = s.grad_table().unwrap().clone();
    assert!(
        grad.row(2).iter().all(|&g| g == 0.0),
        "rows with no example have none"
    );
    for (step, want) in f32s("emma/losses_lr0.1").iter().enumerate() {
        let loss = s.settle().unwrap().loss;
        assert!(
            (loss - f64::from(*want)).abs() < 1e-5,
            "step {step}: {loss} vs {want}"
        );
        s.train(0.1, 1, || true).unwrap();
    }
}

#[test]
fn the_whole_lists_gradient_at_the_seed_and_after_ten_steps_at_lr_50() {
    let mut s = names(0.01);
    let status = s.settle().unwrap();
    assert!((status.loss - num("full/loss_init")).abs() < 1e-5);
    let grad: Vec<f32> = s.grad_table().unwrap().iter().copied().collect();
    assert_close(
        "W.grad at init",
        &grad,
        &f32s("full/grad_init_row_major"),
        1e-6,
    );
    // The view's row agrees with the table, its two parts with the sum.
    let view = s.backward_view(0, 1).unwrap();
    assert_close("grad row 0", &view.grad, &grad[..27], 1e-7);
    let sum: Vec<f32> = view
        .grad_data
        .iter()
        .zip(&view.grad_l2)
        .map(|(a, b)| a + b)
        .collect();
    assert_close("data + L2", &sum, &view.grad, 0.0);
    s.train(50.0, 10, || true).unwrap();
    let status = s.settle().unwrap();
    assert!((status.loss - num("full/loss_after_10")).abs() < 1e-5);
    let grad: Vec<f32> = s.grad_table().unwrap().iter().copied().collect();
    assert_close(
        "W.grad after 10",
        &grad,
        &f32s("full/grad_after_10_row_major"),
        1e-6,
    );
    // The last update is −lr · the gradient that step used.
    assert!(s.last_update().iter().any(|&u| u != 0.0));
}

#[test]
fn the_gradient_check_agrees_with_backpropagation() {
    let mut s = names(0.01);
    s.settle().unwrap();
    let cells = s.grad_check_cells((5, 13), 5, DEFAULT_SEED).unwrap();
    assert_eq!((cells.len(), cells[0]), (6, (5, 13)));
    assert_eq!(
        cells,
        s.grad_check_cells((5, 13), 5, DEFAULT_SEED).unwrap(),
        "drawn with the seed"
    );
    for p in s.grad_check(&cells).unwrap() {
        assert!(p.rel_error < 1e-6, "{p:?}");
        assert!(
            (f64::from(p.analytic_f32) - p.analytic).abs() < 1e-6,
            "{p:?}"
        );
    }
    assert!(s.grad_check(&[(27, 0)]).is_err());
    assert!(
        s.grad_check_cells((0, 0), 101, 1).is_err(),
        "the rule's limit"
    );
}

#[test]
fn training_on_a_word_refuses_what_it_cannot_train_on_and_changes_nothing() {
    let mut s = names(0.01);
    for (word, want) in [("", "type a word first"), ("zoë", "\"ë\""), ("a.b", "'.'")] {
        let err = s.set_train_on(Some(word)).unwrap_err().to_string();
        assert!(err.contains(want), "{word:?}: {err}");
        assert_eq!(s.train_on_word(), None);
    }
    s.set_train_on(Some("emma")).unwrap();
    assert!(s.set_train_on(Some("")).is_err());
    assert_eq!(s.train_on_word(), Some("emma"));
    // It travels in the model file.
    let file = s.export();
    assert_eq!(file.train_on.as_deref(), Some("emma"));
    let mut other = names(0.01);
    other.import(file).unwrap();
    assert_eq!(other.train_on_word(), Some("emma"));
    s.set_train_on(None).unwrap();
    assert!((s.settle().unwrap().loss - num("full/loss_init")).abs() < 1e-5);
}

#[test]
fn walking_the_loop_takes_one_phase_a_press() {
    let mut s = names(0.01);
    let mut direct = names(0.01);
    let phases: Vec<Phase> = (0..4).map(|_| s.walk_next(50.0).unwrap().0).collect();
    assert_eq!(
        phases,
        [
            Phase::Forward,
            Phase::ZeroGrad,
            Phase::Backward,
            Phase::Update
        ]
    );
    direct.forward().unwrap();
    direct.backward().unwrap();
    direct.step(50.0).unwrap();
    assert_eq!(
        s.net().w(),
        direct.net().w(),
        "the four phases are one step"
    );
    assert_eq!(s.steps(), 1);
    let (phase, loss) = s.walk_next(50.0).unwrap();
    assert_eq!(phase, Phase::Forward);
    assert!(
        (loss.unwrap() - f64::from(f32s("emma/losses_lr0.1")[0])).abs() > 0.1,
        "the whole list's loss"
    );
    s.walk_next(50.0).unwrap();
    assert!(
        s.grad_table().unwrap().iter().all(|&g| g == 0.0),
        "zero grad shows zeros"
    );
    s.walk_next(50.0).unwrap();
    assert!(
        s.grad_table().unwrap().iter().any(|&g| g != 0.0),
        "backward fills it"
    );
}

#[test]
fn a_walk_survives_the_page_settling_and_restarts_when_lambda_changes() {
    let mut s = names(0.01);
    s.walk_next(50.0).unwrap();
    s.walk_next(50.0).unwrap();
    s.walk_next(50.0).unwrap(); // backward: W.grad filled
    s.settle().unwrap(); // the page redraws: the gradient must survive
    assert_eq!(s.walk_next(50.0).unwrap().0, Phase::Update);
    s.walk_next(50.0).unwrap();
    s.walk_next(50.0).unwrap();
    s.walk_next(50.0).unwrap();
    s.set_l2(0.1).unwrap(); // the gradient was for the old λ
    assert_eq!(s.walk_phase(), Some(Phase::Update));
    assert_eq!(s.walk_next(50.0).unwrap().0, Phase::Forward);
}

#[test]
fn the_gradient_table_leaves_a_pending_step_and_minibatch_alone() {
    let mut a = names(0.01);
    let mut b = names(0.01);
    for s in [&mut a, &mut b] {
        s.set_batch_size(64.0).unwrap();
        s.forward().unwrap();
    }
    a.grad_table().unwrap();
    assert!(
        a.step(50.0).is_err(),
        "no backward yet: the table computed no step's gradient"
    );
    for s in [&mut a, &mut b] {
        s.backward().unwrap();
        s.step(50.0).unwrap();
    }
    assert_eq!(a.net().w(), b.net().w(), "the same minibatch was used");
}

#[test]
fn a_rewind_clears_the_diverged_update() {
    let mut s = names(0.01);
    s.train(1e9, 20, || true).unwrap();
    assert!(s.settle().unwrap().rewound.is_some());
    assert!(s.last_update().iter().all(|&u| u == 0.0));
}

#[test]
fn the_trigram_nets_gradients_at_init_match_pytorch() {
    let data = Dataset::default_names();
    for (encoding, loss_key) in [
        (bigram_lab::Encoding::Context, "trigram/pair_loss_init"),
        (bigram_lab::Encoding::Concat, "trigram/concat_loss_init"),
    ] {
        let context = bigram_lab::Context::new(2, encoding).unwrap();
        let n = data.n_for(context).unwrap();
        let mut net = bigram_lab::Net::with_context(27, context, DEFAULT_SEED, 0.01).unwrap();
        let loss = net.forward(&n).unwrap();
        assert!((loss - num(loss_key)).abs() < 1e-5, "{loss_key}: {loss}");
        net.backward(&n).unwrap();
        let g = net.grad();
        match encoding {
            bigram_lab::Encoding::Context => {
                let row: Vec<f32> = g.row(0).to_vec();
                assert_close(
                    "W.grad[..]",
                    &row,
                    &f32s("trigram/pair_grad_row0_init"),
                    1e-6,
                );
            }
            bigram_lab::Encoding::Concat => {
                let first: Vec<f32> = g.row(0).to_vec();
                let second: Vec<f32> = g.row(27).to_vec();
                assert_close(
                    "W.grad[0]",
                    &first,
                    &f32s("trigram/concat_grad_rows_0_and_V_init/0"),
                    1e-6,
                );
                assert_close(
                    "W.grad[V]",
                    &second,
                    &f32s("trigram/concat_grad_rows_0_and_V_init/1"),
                    1e-6,
                );
            }
        }
    }
}

#[test]
fn the_side_by_side_gradient_agrees_with_finite_differences() {
    use bigram_lab::model::concat::{backward_concat, forward_concat};
    let data = Dataset::from_words(&["emma", "ava", "mia", "amelia"]).unwrap();
    let context = bigram_lab::Context::new(2, bigram_lab::Encoding::Concat).unwrap();
    let n = data.n_for(context).unwrap();
    let v = data.vocab().len();
    let w = bigram_lab::TorchGenerator::manual_seed(3).randn(2 * v * v);
    let w = ndarray::Array2::from_shape_vec((2 * v, v), w.into_iter().map(f64::from).collect())
        .unwrap();
    let mut probs = ndarray::Array2::<f64>::zeros((v * v, v));
    let mut grad = ndarray::Array2::<f64>::zeros(w.raw_dim());
    forward_concat(w.view(), &n, context, 0.1, &mut probs);
    backward_concat(w.view(), probs.view(), &n, context, 0.1, &mut grad);
    let h = 1e-6;
    for (r, c) in [(0, 1), (2, 3), (v + 1, 0), (2 * v - 1, v - 1)] {
        let mut loss_at = |d: f64| {
            let mut w2 = w.clone();
            w2[(r, c)] += d;
            forward_concat(w2.view(), &n, context, 0.1, &mut probs)
        };
        let numeric = (loss_at(h) - loss_at(-h)) / (2.0 * h);
        assert!(
            (numeric - grad[(r, c)]).abs() < 1e-8,
            "({r}, {c}): {numeric} vs {}",
            grad[(r, c)]
        );
    }
}
