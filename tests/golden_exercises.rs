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
