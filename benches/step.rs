//! One full-batch training step (forward + backward + `W -= lr * grad`) on the default
//! data set: the separate calls of the fast path (counts, O(contexts·V)), the fused
//! [`Trainer`] that the page's frames and sweeps run, for every context and encoding,
//! and the literal one-hot path (`xenc @ W`, O(n·V²)); the smoothing sweep; and the
//! explorer's graph of one example, which the page computes on each paced redraw while
//! training (its loss and `W.grad` are the whole batch's, so it costs about a step).
//!
//! `cargo bench --bench step`

use bigram_lab::model::{graph, literal};
use bigram_lab::train::sweep::{smoothing_grid, smoothing_sweep};
use bigram_lab::train::trainer::Trainer;
use bigram_lab::{Context, Dataset, Encoding, Net, DEFAULT_SEED};
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

    let mut group = c.benchmark_group("trainer");
    for (name, len, encoding) in [
        ("bigram", 1, Encoding::Context),
        ("trigram_context", 2, Encoding::Context),
        ("trigram_concat", 2, Encoding::Concat),
        ("three_char_context", 3, Encoding::Context),
    ] {
        let context = Context::new(len, encoding).unwrap();
        let n = data.n_for(context).unwrap();
        let mut net = Net::with_context(v, context, DEFAULT_SEED, 0.01).unwrap();
        let mut trainer = Trainer::new(&mut net, 50.0);
        group.bench_function(name, |b| b.iter(|| black_box(trainer.step(&n).unwrap())));
    }
    group.finish();

    let trigram = Context::new(2, Encoding::Context).unwrap();
    let (train, dev) = data.split(0.1, DEFAULT_SEED).unwrap();
    let (train, dev) = (train.n_for(trigram).unwrap(), dev.n_for(trigram).unwrap());
    let ks = smoothing_grid();
    c.bench_function("smoothing_sweep_trigram", |b| {
        b.iter(|| black_box(smoothing_sweep(&train, &dev, &ks).unwrap()))
    });

    let mut group = c.benchmark_group("graph");
    for (name, len) in [("bigram", 1), ("three_char_context", 3)] {
        let context = Context::new(len, Encoding::Context).unwrap();
        let n = data.n_for(context).unwrap();
        let net = Net::with_context(v, context, DEFAULT_SEED, 0.01).unwrap();
        // `.e`: the lecture's first example (a context of dots, then e).
        group.bench_function(name, |b| {
            b.iter(|| black_box(graph::graph(net.w().view(), &n, context, 0.01, 0, 5).unwrap()))
        });
    }
    group.finish();

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
