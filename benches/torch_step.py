#!/usr/bin/env python3
"""PyTorch's time for one full-batch training step of makemore part 1's model.

It times forward, loss, zero grad, backward and `W.data += -lr * W.grad` on the whole
word list, for the bigram (context 1) and the trigram with one one-hot over contexts
(context 2). There are three ways to write the same loss:
  lecture        the lecture's code: F.one_hot(xs).float() @ W, exp, normalise, pick
  cross_entropy  W[xs] with F.cross_entropy
  counts         the count matrix N weighting log_softmax(W), O(contexts * V)
`cargo xtask bench` compares these times with the Rust/wasm step, so the figures come
from this machine and not from a table somebody copied. The script first checks that
the three forms give the same initial loss, so the comparison is between equal
computations.

    python3 benches/torch_step.py [WORDS]      (default WORDS: src/names.txt)

Prints one JSON object on stdout (times are medians in µs). Progress goes to stderr.
Needs the standard library and torch only.
"""
import json
import pathlib
import statistics
import sys
import time

import torch
import torch.nn.functional as F

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED = 2147483647  # makemore's generator seed, so W is the W from the lecture
LAMBDA = 0.01
LR = 50.0
WARMUP_S = 0.5
MIN_WARMUP_STEPS = 1
TIMED_S = 2.0
MIN_RUNS = 5
TOLERANCE = 1e-4


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load_words(path):
    with open(path, encoding="utf-8") as f:
        return [w for w in (line.strip() for line in f) if w]


def examples(words, stoi, context_len):
    """(context row index, next char) pairs, walked exactly as makemore does."""
    v = len(stoi)
    xs, ys = [], []
    for w in words:
        context = [0] * context_len
        for ch in list(w) + ["."]:
            y = stoi[ch]
            # One one-hot over all V**L contexts: row = the context read as base-V digits.
            xs.append(sum(c * v ** (context_len - 1 - i) for i, c in enumerate(context)))
            ys.append(y)
            context = context[1:] + [y]
    return torch.tensor(xs), torch.tensor(ys)


def initial_w(rows, v):
    # A fresh generator for every formulation, so each starts from the same W.
    g = torch.Generator().manual_seed(SEED)
    return torch.randn((rows, v), generator=g, requires_grad=True)


def make_losses(xs, ys, rows, v):
    n = xs.shape[0]
    arange = torch.arange(n)
    # Counting is the data's fixed cost, like building xs and ys: outside the timing.
    counts_n = torch.bincount(xs * v + ys, minlength=rows * v).reshape(rows, v).float()

    def lecture(w):
        xenc = F.one_hot(xs, num_classes=rows).float()
        logits = xenc @ w
        counts = logits.exp()
        probs = counts / counts.sum(1, keepdims=True)
        return -probs[arange, ys].log().mean() + LAMBDA * (w**2).mean()

    def cross_entropy(w):
        return F.cross_entropy(w[xs], ys) + LAMBDA * (w**2).mean()

    def counts(w):
        return -(counts_n * torch.log_softmax(w, dim=1)).sum() / n + LAMBDA * (w**2).mean()

    return {"lecture": lecture, "cross_entropy": cross_entropy, "counts": counts}


def step(loss_fn, w):
    loss = loss_fn(w)
    w.grad = None
    loss.backward()
    w.data += -LR * w.grad
    return loss


def median_step_us(loss_fn, w):
    # Warm-up lets the allocator and thread pool settle; the first step is not typical.
    start, steps = time.perf_counter(), 0
    while steps < MIN_WARMUP_STEPS or time.perf_counter() - start < WARMUP_S:
        step(loss_fn, w)
        steps += 1
    # Run for a fixed time rather than a fixed count: the forms differ by ~1000x, so a
    # count that steadies the fast ones would take minutes on the lecture's trigram.
    times, start = [], time.perf_counter()
    while len(times) < MIN_RUNS or time.perf_counter() - start < TIMED_S:
        t0 = time.perf_counter()
        step(loss_fn, w)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6, len(times)


def bench(name, words, stoi, context_len):
    v = len(stoi)
    rows = v**context_len
    xs, ys = examples(words, stoi, context_len)
    losses = make_losses(xs, ys, rows, v)

    initial = {}
    for form, loss_fn in losses.items():
        with torch.no_grad():
            initial[form] = loss_fn(initial_w(rows, v)).item()
    spread = max(initial.values()) - min(initial.values())
    if spread > TOLERANCE:
        sys.exit(f"torch_step.py: {name}: the three forms disagree on the initial loss: {initial}")
    log(f"{name}: {xs.shape[0]} examples, {rows} contexts, initial loss {initial['counts']:.4f}")

    out, runs = {}, {}
    for form, loss_fn in losses.items():
        us, count = median_step_us(loss_fn, initial_w(rows, v))
        out[f"{form}_us"] = round(us, 1)
        runs[form] = count
        log(f"  {form}: {us:.1f} µs median of {count}")
    out["loss"] = round(initial["counts"], 6)
    out["examples"] = xs.shape[0]
    out["runs"] = runs
    return out


def main():
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "src" / "names.txt"
    words = load_words(path)
    chars = sorted(set("".join(words)) - {"."})
    stoi = {ch: i for i, ch in enumerate(["."] + chars)}
    result = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    result["words"] = len(words)
    result["vocab"] = len(stoi)
    for name, context_len in (("bigram", 1), ("trigram", 2)):
        result[name] = bench(name, words, stoi, context_len)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
