//! `cargo xtask bench`: criterion natively, then the page in headless Chromium, printed
//! as one table of medians with the machine's description.

use crate::{cargo, root, run, serve_in_background, setup, Result};
use serde_json::Value;
use std::process::Command;

/// PyTorch 2.11 on a 2-core machine of this kind, per full-batch step (the project's
/// reference figures, not measured here).
const PYTORCH: &str = "PyTorch: lecture code ≈ 70 ms, `W[xs]` + `cross_entropy` ≈ 50 ms, \
                       count-weighted `log_softmax` ≈ 0.28 ms";

/// Runs every benchmark and prints the table (figures go to stdout, progress to stderr).
pub fn run_all() -> Result {
    run(cargo().args(["bench", "--bench", "step"]))?;
    let fast_us = criterion_median_ns("fast_path_step")? / 1e3;
    let literal_ms = criterion_median_ns("literal/literal_path_step")? / 1e6;

    let browser = setup::chromium()?;
    let url = serve_in_background()?;
    let out = Command::new("node")
        .arg("benches/page.bench.mjs")
        .current_dir(root())
        .env("BASE_URL", &url)
        .env("CHROMIUM", &browser.binary)
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the browser benchmark failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let page: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("the browser benchmark printed no JSON: {e}"))?;
    print_table(fast_us, literal_ms, &page);
    Ok(())
}

/// The median point estimate criterion saved for a benchmark, in nanoseconds.
fn criterion_median_ns(name: &str) -> Result<f64> {
    let path = root()
        .join("target/criterion")
        .join(name)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path:?}: {e}"))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{path:?}: {e}"))?;
    v["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{path:?} has no median"))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores")
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn print_table(fast_us: f64, literal_ms: f64, page: &Value) {
    let load = &page["load"];
    let ui = &page["ui"];
    let kb = |v: &Value| num(v) / 1024.0;
    println!();
    println!(
        "Bigram Lab benchmarks: medians; {}; Chromium {}",
        machine(),
        page["chromium"].as_str().unwrap_or("?")
    );
    println!();
    println!("| what | measured | target |");
    println!("| --- | --- | --- |");
    println!(
        "| full-batch step, wasm in Chromium | {:.2} µs | ≤ 5 µs |",
        num(&page["wasmUsPerStep"])
    );
    println!("| full-batch step, native fast path | {fast_us:.2} µs | ≤ 5 µs |");
    println!("| full-batch step, native literal one-hot path | {literal_ms:.1} ms | (reference) |");
    println!("| {PYTORCH} | | |");
    println!(
        "| training through the UI (top steps-per-frame setting) | {:.0} steps/s at {:.0} fps | ≥ 100,000 steps/s at ≥ 50 fps |",
        num(&ui["stepsPerSecond"]),
        num(&ui["framesPerSecond"])
    );
    println!("| page interactive on localhost (default data loaded, first loss shown) | {:.0} ms | < 500 ms |", num(&load["interactiveMs"]));
    println!(
        "| bytes transferred on load | {:.0} KiB | |",
        kb(&load["bytesTransferred"])
    );
    println!(
        "| wasm, raw / gzipped (names embedded) | {:.0} KiB / {:.0} KiB | |",
        kb(&load["wasmBytes"]),
        kb(&load["wasmGzipBytes"])
    );
    println!(
        "| wasm gzipped without the names (total − names' {:.0} KiB gzipped) | ≈ {:.0} KiB | ≤ 150 KiB |",
        kb(&load["namesGzipBytes"]),
        kb(&load["wasmGzipBytes"]) - kb(&load["namesGzipBytes"])
    );
    if let Some(lists) = page["lists"].as_array() {
        for l in lists {
            println!(
                "| {} words: parse + count / step / wasm memory | {:.1} ms / {:.2} µs / {:.1} MiB | ≤ 1 s (1M) / flat |",
                num(&l["words"]),
                num(&l["loadMs"]),
                num(&l["usPerStep"]),
                num(&l["memoryMiB"])
            );
        }
    }
}
