//! One full-batch training step (forward + backward + `W -= lr * grad`) on the default
//! data set: the fast path that training uses (counts, O(V²)), and the literal one-hot
//! path (`xenc @ W`, O(n·V²)).
//!
//! `cargo bench --bench step`

use bigram_lab::{literal, Dataset, Net, DEFAULT_SEED};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn step(c: &mut Criterion) {
    let data = Dataset::default_names();
    let v = data.vocab().len();

    let mut net = Net::new(v, DEFAULT_SEED, 0.01).unwrap();
    // Names are folder names under target/criterion, which `cargo xtask bench` reads.
    c.bench_function("fast_path_step", |b| {
        b.iter(|| {
            let loss = net.forward(data.n()).unwrap();
            net.backward(data.n()).unwrap();
            net.step(50.0).unwrap();
            black_box(loss)
        })
    });

    let mut w = Net::new(v, DEFAULT_SEED, 0.01).unwrap().w().clone();
    let mut group = c.benchmark_group("literal");
    group.sample_size(10);
    group.bench_function("literal_path_step", |b| {
        b.iter(|| {
            let fwd = literal::forward(w.view(), data.xs(), data.ys(), 0.01);
            let grad = literal::backward(&fwd, w.view(), data.ys(), 0.01);
            w.scaled_add(-50.0, &grad);
            black_box(fwd.loss)
        })
    });
    group.finish();
}

criterion_group!(benches, step);
criterion_main!(benches);
