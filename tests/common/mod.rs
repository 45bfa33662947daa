//! Shared helpers for the integration tests: the PyTorch reference numbers.

#![allow(dead_code)] // each test binary uses its own subset

use serde_json::Value;
use std::sync::OnceLock;

/// `tests/fixtures/torch-golden.json`: numbers printed by PyTorch 2.11 (CPU, float32)
/// running the lecture's code, copied from the project's shared reference.
pub fn golden() -> &'static Value {
    static GOLDEN: OnceLock<Value> = OnceLock::new();
    GOLDEN.get_or_init(|| {
        let text = include_str!("../fixtures/torch-golden.json");
        serde_json::from_str(text).expect("fixture is valid JSON")
    })
}

/// The value at a `/`-separated path, e.g. `rng/42/rand_5`.
pub fn at(path: &str) -> &'static Value {
    let pointer = format!("/{path}");
    golden()
        .pointer(&pointer)
        .unwrap_or_else(|| panic!("fixture has no {path}"))
}

pub fn f32s(path: &str) -> Vec<f32> {
    at(path)
        .as_array()
        .unwrap_or_else(|| panic!("{path} is not an array"))
        .iter()
        .map(|v| v.as_f64().expect("number") as f32)
        .collect()
}

pub fn usizes(path: &str) -> Vec<usize> {
    at(path)
        .as_array()
        .unwrap_or_else(|| panic!("{path} is not an array"))
        .iter()
        .map(|v| v.as_u64().expect("integer") as usize)
        .collect()
}

pub fn strings(path: &str) -> Vec<String> {
    at(path)
        .as_array()
        .unwrap_or_else(|| panic!("{path} is not an array"))
        .iter()
        .map(|v| v.as_str().expect("string").to_owned())
        .collect()
}

pub fn f64_at(path: &str) -> f64 {
    at(path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number"))
}

/// Asserts `|a − b| ≤ tol` elementwise, naming the first index that differs.
pub fn assert_close(what: &str, actual: &[f32], expected: &[f32], tol: f32) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= tol,
            "{what}[{i}]: got {a}, PyTorch {e} (tolerance {tol})"
        );
    }
}

/// The seeds whose generator output the reference holds.
pub const SEEDS: [u64; 5] = [2147483647, 42, 0, 1, 123456789];
