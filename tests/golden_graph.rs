//! The forward pass as a graph against PyTorch (`tests/fixtures/graph.json`, copied from
//! the project's shared reference): every node's value and `.grad` in one example's row,
//! for the lecture's first run on `emma` alone at the seed's `W` and after one step at
//! lr 0.1, and for the whole list with λ = 0.01 at the seed's `W` (the first word's
//! examples). Values within 1e-5 relative, gradients within 1e-4 relative + 1e-9.

#![cfg(not(target_arch = "wasm32"))]

use bigram_lab::model::graph::Graph;
use bigram_lab::{Dataset, Encoding, Session, DEFAULT_SEED};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn fixture() -> &'static Value {
    static G: OnceLock<Value> = OnceLock::new();
    G.get_or_init(|| serde_json::from_str(include_str!("fixtures/graph.json")).unwrap())
}

const VALUE_REL: f64 = 1e-5;
const GRAD_REL: f64 = 1e-4;
const GRAD_ABS: f64 = 1e-9;

thread_local! {
    /// The largest relative error seen per kind of number, printed at the end of a test
    /// (`cargo test --test golden_graph -- --nocapture`).
    static WORST: RefCell<BTreeMap<String, f64>> = const { RefCell::new(BTreeMap::new()) };
}

/// Notes a relative error under the node's name (`"ma" counts_grad[3]` → `counts_grad`).
fn note(what: &str, rel: f64) {
    let node = what.split('[').next().unwrap_or(what);
    let node = node.rsplit(' ').next().unwrap_or(node).to_string();
    WORST.with(|w| {
        let mut w = w.borrow_mut();
        let e = w.entry(node).or_insert(0.0);
        *e = e.max(rel);
    });
}

fn report(what: &str) {
    WORST.with(|w| eprintln!("{what}: largest relative errors {:?}", w.borrow()));
}

/// Values: `|a − e| ≤ 1e-5·|e|`.
fn value(what: &str, actual: f64, expected: f64) {
    let err = (actual - expected).abs();
    if expected != 0.0 {
        note(what, err / expected.abs());
    }
    assert!(
        err <= VALUE_REL * expected.abs(),
        "{what}: got {actual}, PyTorch {expected}"
    );
}

/// Gradients: `|a − e| ≤ 1e-4·|e| + 1e-9`.
fn grad(what: &str, actual: f64, expected: f64) {
    let err = (actual - expected).abs();
    if expected != 0.0 {
        note(what, err / expected.abs());
    }
    assert!(
        err <= GRAD_REL * expected.abs() + GRAD_ABS,
        "{what}: got {actual}, PyTorch {expected}"
    );
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn rows(what: &str, actual: &[f32], expected: &Value, check: fn(&str, f64, f64)) {
    let expected = nums(expected);
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (j, (&a, &e)) in actual.iter().zip(&expected).enumerate() {
        check(&format!("{what}[{j}]"), f64::from(a), e);
    }
}

fn num(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("no number {key}"))
}

/// Holds the session's graph of each example of `part` (`emma/at_seed`, say) to it.
fn check_part(s: &Session, part: &Value) {
    let n = part["n"].as_u64().unwrap();
    let l2 = num(part, "l2") as f32;
    assert_eq!(s.l2(), l2);
    let train = s.training_data();
    let mut first = None;
    for ex in part["examples"].as_array().unwrap() {
        let index = ex["index"].as_u64().unwrap() as usize;
        let (x, y) = (ex["x"].as_u64().unwrap(), ex["y"].as_u64().unwrap());
        // The example at that position of the training data is the one PyTorch took.
        let (tx, ty) = (train.xs()[index], train.ys()[index]);
        assert_eq!((u64::from(tx), u64::from(ty)), (x, y), "example {index}");
        let g = s.graph(x as usize, y as usize).unwrap();
        check_example(&g, ex, n, l2);
        value("loss", g.loss, num(part, "loss"));
        value("data_loss", g.data_loss, num(part, "data_loss"));
        if l2 == 0.0 {
            assert_eq!(g.reg, 0.0);
        } else {
            value("reg", g.reg, num(part, "reg"));
        }
        if let Some(all) = part.get("W_grad_row_major") {
            let v = g.logits.len();
            let x = x as usize;
            let want = Value::from(all.as_array().unwrap()[x * v..(x + 1) * v].to_vec());
            rows("W.grad row-major", &g.w[0].grad, &want, grad);
        }
        first.get_or_insert(g);
    }
    let g = first.expect("examples");
    // The graph serializes camelCase for the page.
    let json = serde_json::to_value(&g).unwrap();
    for key in [
        "logitsGrad",
        "countsGradViaSum",
        "countsSumGrad",
        "xencHot",
        "dataLoss",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["encoding"], "context");
    assert!(json["w"][0].get("gradL2").is_some());
}

fn check_example(g: &Graph, ex: &Value, n: u64, l2: f32) {
    let at = format!("{}", ex["bigram"]);
    assert_eq!(g.examples, n, "{at}");
    assert_eq!(
        (g.encoding, g.context_len, g.l2),
        (Encoding::Context, 1, l2)
    );
    assert_eq!((g.xenc_width, g.xenc_hot.clone()), (27, vec![g.x]));
    assert!(g.in_training && g.occurrences >= 1);
    for (key, got) in [
        ("logits", &g.logits),
        ("counts", &g.counts),
        ("probs", &g.probs),
    ] {
        rows(&format!("{at} {key}"), got, &ex[key], value);
    }
    for (key, got) in [
        ("logits_grad", &g.logits_grad),
        ("counts_grad", &g.counts_grad),
        ("counts_grad_via_probs", &g.counts_grad_via_probs),
        ("counts_grad_via_sum", &g.counts_grad_via_sum),
        ("probs_grad", &g.probs_grad),
        ("W_grad_row", &g.w[0].grad),
    ] {
        rows(&format!("{at} {key}"), got, &ex[key], grad);
    }
    value(
        &format!("{at} counts_sum"),
        g.counts_sum.into(),
        num(ex, "counts_sum"),
    );
    value(&format!("{at} logp"), g.logp.into(), num(ex, "logp"));
    let counts_sum_grad = num(ex, "counts_sum_grad");
    grad(
        &format!("{at} counts_sum_grad"),
        g.counts_sum_grad.into(),
        counts_sum_grad,
    );
    grad(
        &format!("{at} logp_grad"),
        g.logp_grad.into(),
        num(ex, "logp_grad"),
    );
    // W.grad's row is its data part and its L2 part; W's row is the logits' (one-hot).
    let row = &g.w[0];
    assert_eq!(row.value, g.logits);
    let decay = 2.0 * l2 / 729.0;
    for j in 0..27 {
        assert_eq!(row.grad[j], row.grad_data[j] + row.grad_l2[j]);
        assert!((row.grad_l2[j] - decay * row.value[j]).abs() <= 1e-7 * row.grad_l2[j].abs());
    }
    // The local derivatives the page quotes.
    let terms: f32 = g.counts_sum_grad_terms.iter().sum();
    assert_eq!(terms, g.counts_sum_grad);
    assert_eq!(g.loss_grad, 1.0);
    let chained = g.logp_grad * g.dlogp_dprob;
    assert!((g.probs_grad[g.y] - chained).abs() <= 1e-6 * chained.abs());
    let via_probs = g.probs_grad[g.y] * g.dprobs_dcounts;
    assert!((g.counts_grad_via_probs[g.y] - via_probs).abs() <= 1e-6 * via_probs.abs());
}

fn session(l2: f32) -> Session {
    Session::new(Dataset::default_names(), DEFAULT_SEED, l2).unwrap()
}

#[test]
fn emma_alone_at_the_seed_gives_pytorchs_graph() {
    let mut s = session(0.0);
    s.set_train_on(Some("emma")).unwrap();
    check_part(&s, &fixture()["emma"]["at_seed"]);
    report("emma at the seed");
    // `.` → `.` is no example of emma: drawn, and said to be outside the batch.
    let g = s.graph(0, 0).unwrap();
    assert!(!g.in_training && g.occurrences == 0);
    assert!(s.graph(27, 0).is_err() && s.graph(0, 27).is_err());
}

#[test]
fn emma_after_one_step_at_lr_0_1_gives_pytorchs_graph() {
    let mut s = session(0.0);
    s.set_train_on(Some("emma")).unwrap();
    s.train(0.1, 1, || true).unwrap();
    check_part(&s, &fixture()["emma"]["after_one_step_lr0.1"]);
    report("emma after one step");
}

#[test]
fn the_whole_list_with_l2_gives_pytorchs_graph_for_the_first_word() {
    let s = session(0.01);
    let part = &fixture()["full"];
    assert_eq!(s.summary().examples, part["n"].as_u64().unwrap());
    check_part(&s, part);
    report("the whole list");
    // Each example's W.grad row differs from its logits.grad: many examples share it.
    let g = s.graph(0, 5).unwrap();
    assert!(g.occurrences > 1);
    assert!(g.w[0].grad_l2.iter().all(|&l| l != 0.0));
}
