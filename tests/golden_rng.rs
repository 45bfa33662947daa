//! The generator against PyTorch's own output for five seeds.

#![cfg(not(target_arch = "wasm32"))]

mod common;
use bigram_lab::TorchGenerator;
use common::*;

#[test]
fn randn_27x27_matches_pytorch_for_every_seed() {
    for seed in SEEDS {
        let got = TorchGenerator::manual_seed(seed).randn(27 * 27);
        let want = f32s(&format!("rng/{seed}/randn_27x27_row_major"));
        assert_close(&format!("seed {seed} randn(27,27)"), &got, &want, 1e-6);
        // Stronger than the tolerance: the same float32 bits as PyTorch.
        let got_bits: Vec<u32> = got.iter().map(|x| x.to_bits()).collect();
        let want_bits: Vec<u32> = want.iter().map(|x| x.to_bits()).collect();
        assert_eq!(got_bits, want_bits, "seed {seed}: randn(27,27) bits");
    }
}

#[test]
fn lecture_first_weights() {
    let w = TorchGenerator::manual_seed(2147483647).randn(27 * 27);
    let rounded: Vec<f32> = w[..5].iter().map(|x| (x * 1e4).round() / 1e4).collect();
    assert_eq!(rounded, [1.5674, -0.2373, -0.0274, -1.1008, 0.2859]);
}

#[test]
fn short_randn_rand_and_exponential_match_pytorch() {
    for seed in SEEDS {
        // randn(10) takes the float64 pair path, randn(20) the block path with a tail.
        for (n, key) in [(10, "randn_10"), (20, "randn_20")] {
            let got = TorchGenerator::manual_seed(seed).randn(n);
            assert_close(
                &format!("seed {seed} {key}"),
                &got,
                &f32s(&format!("rng/{seed}/{key}")),
                1e-6,
            );
        }
        let got = TorchGenerator::manual_seed(seed).rand(5);
        assert_close(
            &format!("seed {seed} rand_5"),
            &got,
            &f32s(&format!("rng/{seed}/rand_5")),
            1e-6,
        );
        let got = TorchGenerator::manual_seed(seed).exponential(27);
        assert_close(
            &format!("seed {seed} exponential_27"),
            &got,
            &f32s(&format!("rng/{seed}/exponential_27")),
            1e-6,
        );
    }
}

#[test]
fn multinomial_demo_matches_pytorch() {
    let seed = at("multinomial_demo/seed").as_u64().unwrap();
    let mut g = TorchGenerator::manual_seed(seed);
    let p = g.rand(3);
    let sum: f32 = p.iter().sum();
    let p: Vec<f32> = p.iter().map(|x| x / sum).collect();
    assert_close("demo p", &p, &f32s("multinomial_demo/p"), 1e-7);
    let draws = g.multinomial(&p, 100).unwrap();
    assert_eq!(draws, usizes("multinomial_demo/draws_100_with_replacement"));
}

#[test]
fn multinomial_single_matches_pytorch() {
    // As in the demo, p is drawn from the same generator first: rand(27), normalised.
    let seed = at("multinomial_single/seed").as_u64().unwrap();
    let mut g = TorchGenerator::manual_seed(seed);
    let p = g.rand(27);
    let sum: f32 = p.iter().sum();
    let p: Vec<f32> = p.iter().map(|x| x / sum).collect();
    assert_close("single p", &p, &f32s("multinomial_single/p"), 1e-7);
    let draws: Vec<usize> = (0..50).map(|_| g.multinomial_one(&p).unwrap()).collect();
    assert_eq!(draws, usizes("multinomial_single/draws"));
}
