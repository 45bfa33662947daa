//! `cargo xtask bench`: criterion natively, then the page in headless Chromium, then
//! PyTorch's formulations when a Python with torch is at hand, printed as one table of
//! medians with the machine's description.

use crate::{cargo, root, run, serve_in_background, setup, Result};
use serde_json::Value;
use std::process::Command;

/// PyTorch's figures for this machine kind (2 cores, no GPU), per full-batch step in µs:
/// what the table shows, marked as stored, when no Python here can import torch.
/// From the issue that set the targets (PyTorch 2.x, the default names).
const STORED_TORCH: &str = r#"{
  "torch": "2.x (stored reference figures, not measured in this run)",
  "stored": true,
  "bigram": {"lecture_us": 56000, "cross_entropy_us": 50000, "counts_us": 157},
  "trigram": {"lecture_us": null, "cross_entropy_us": 55000, "counts_us": 199}
}"#;

/// Runs every benchmark and prints the table (figures go to stdout, progress to stderr).
pub fn run_all() -> Result {
    run(cargo().args(["bench", "--bench", "step"]))?;
    let native = Native::read()?;

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
    let torch = torch_figures();
    print_table(&native, &page, &torch);
    Ok(())
}

/// The criterion medians `benches/step.rs` saved.
struct Native {
    /// Forward, backward and step called one by one (the page's buttons), µs.
    separate_us: f64,
    /// The fused trainer, µs a step: bigram, trigram (one-hot over contexts),
    /// trigram (side by side), three characters.
    bigram_us: f64,
    trigram_us: f64,
    concat_us: f64,
    three_us: f64,
    smoothing_ms: f64,
    literal_ms: f64,
}

impl Native {
    fn read() -> Result<Self> {
        Ok(Self {
            separate_us: criterion_median_ns("fast_path_step")? / 1e3,
            bigram_us: criterion_median_ns("trainer/bigram")? / 1e3,
            trigram_us: criterion_median_ns("trainer/trigram_context")? / 1e3,
            concat_us: criterion_median_ns("trainer/trigram_concat")? / 1e3,
            three_us: criterion_median_ns("trainer/three_char_context")? / 1e3,
            smoothing_ms: criterion_median_ns("smoothing_sweep_trigram")? / 1e6,
            literal_ms: criterion_median_ns("literal/literal_path_step")? / 1e6,
        })
    }
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

/// PyTorch's formulations measured now (`benches/torch_step.py`) when a Python with
/// torch is at hand (`BIGRAM_LAB_TORCH_PYTHON`, else `python3`); otherwise the stored
/// figures, marked as such. Nothing else in the project needs torch.
fn torch_figures() -> Value {
    let python = std::env::var("BIGRAM_LAB_TORCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_torch = Command::new(&python)
        .args(["-c", "import torch"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_torch {
        eprintln!("xtask: timing PyTorch's formulations with {python}");
        let out = Command::new(&python)
            .arg("benches/torch_step.py")
            .current_dir(root())
            .output();
        match out {
            Ok(o) if o.status.success() => {
                if let Ok(v) = serde_json::from_slice::<Value>(&o.stdout) {
                    return v;
                }
                eprintln!("xtask: benches/torch_step.py printed no JSON; stored figures shown");
            }
            Ok(o) => eprintln!(
                "xtask: benches/torch_step.py failed; stored figures shown:\n{}",
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => eprintln!("xtask: cannot run {python}: {e}; stored figures shown"),
        }
    } else {
        eprintln!("xtask: no Python with torch (set BIGRAM_LAB_TORCH_PYTHON); stored PyTorch figures shown");
    }
    serde_json::from_str(STORED_TORCH).expect("the stored figures are JSON")
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
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            let kib: f64 = t.lines().next()?.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!(", {:.0} GiB", kib / 1048576.0))
        })
        .unwrap_or_default();
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "rustc ?".into());
    format!("{cpu}, {cores} cores{memory}; {rustc}")
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// A time in µs as the table writes it: µs below a millisecond, ms above.
fn time(us: f64) -> String {
    if us.is_nan() {
        "—".into()
    } else if us >= 1000.0 {
        format!("{:.1} ms", us / 1e3)
    } else {
        format!("{us:.1} µs")
    }
}

/// One row of PyTorch's three formulations, and how many times slower its best is
/// than `ours_us`.
fn torch_row(model: &str, t: &Value, ours_us: f64) -> String {
    let best = num(&t["counts_us"]);
    format!(
        "| PyTorch, {model}: lecture code (`xenc @ W`) / `W[xs]` + `cross_entropy` / count-weighted `log_softmax` | {} / {} / {} | best is {:.0}× the wasm step |",
        time(num(&t["lecture_us"])),
        time(num(&t["cross_entropy_us"])),
        time(best),
        best / ours_us
    )
}

fn print_table(native: &Native, page: &Value, torch: &Value) {
    let steps = &page["steps"];
    let us = |case: &str| num(&steps[case]["us"]);
    let load = &page["load"];
    let kb = |v: &Value| num(v) / 1024.0;
    let ui = |v: &Value| {
        format!(
            "{:.0} steps/s at {:.0} fps (in the {})",
            num(&v["stepsPerSecond"]),
            num(&v["framesPerSecond"]),
            v["trainer"].as_str().unwrap_or("?")
        )
    };
    println!();
    println!(
        "Bigram Lab benchmarks: medians; {}; Chromium {}; PyTorch {}{}",
        machine(),
        page["chromium"].as_str().unwrap_or("?"),
        torch["torch"].as_str().unwrap_or("?"),
        torch["threads"]
            .as_u64()
            .map(|n| format!(" ({n} threads)"))
            .unwrap_or_default()
    );
    println!();
    println!("| what | measured | target |");
    println!("| --- | --- | --- |");
    println!(
        "| bigram full-batch step, wasm in Chromium (fused / forward, backward, step one by one) | {} / {} | ≤ 4.3 µs |",
        time(us("bigram")),
        time(us("bigramSeparate"))
    );
    println!(
        "| bigram full-batch step, native (fused / one by one) | {} / {} | ≤ 2.8 µs |",
        time(native.bigram_us),
        time(native.separate_us)
    );
    println!(
        "| bigram step, native literal one-hot path (`xenc @ W`) | {} | (reference) |",
        time(native.literal_ms * 1e3)
    );
    println!("{}", torch_row("bigram", &torch["bigram"], us("bigram")));
    println!(
        "| trigram full-batch step, one-hot over contexts, wasm (fused / one by one) | {} / {} | ≤ 40 µs |",
        time(us("trigram")),
        time(us("trigramSeparate"))
    );
    println!(
        "| trigram step, two one-hots side by side, wasm | {} | ≤ 40 µs |",
        time(us("trigramConcat"))
    );
    println!(
        "| trigram step, native (over contexts / side by side) | {} / {} | |",
        time(native.trigram_us),
        time(native.concat_us)
    );
    println!("{}", torch_row("trigram", &torch["trigram"], us("trigram")));
    println!(
        "| UI training, bigram, top steps-per-frame, every view live | {} | ≥ 100,000 steps/s at ≥ 50 fps |",
        ui(&page["ui"])
    );
    println!(
        "| UI training, trigram, top steps-per-frame, every view live | {} | ≥ 20,000 steps/s at ≥ 50 fps |",
        ui(&page["uiTrigram"])
    );
    println!(
        "| the same with no worker (the single file opened from disk): training in the page's frames | {} | |",
        ui(&page["uiTrigramPage"])
    );
    let slices = &page["sweep"]["slices"];
    println!(
        "| net λ sweep, trigram, {} strengths × 500 steps, on the page in frame-sized slices: total / fps meanwhile / longest frame | {:.2} s / {:.0} fps / {:.0} ms | ≤ 1 s, responsive |",
        num(&slices["strengths"]),
        num(&slices["ms"]) / 1e3,
        num(&slices["framesPerSecond"]),
        num(&slices["longestFrameMs"])
    );
    let worker = &page["sweep"]["worker"];
    println!(
        "| the same sweep in a Web Worker, one call (tried, not used): total / longest frame | {:.2} s / {:.0} ms | |",
        num(&worker["ms"]) / 1e3,
        num(&worker["longestFrameMs"])
    );
    println!(
        "| smoothing sweep, trigram counting model, 13 values of k on train/dev: wasm / native | {:.1} ms / {:.1} ms | ≤ 50 ms |",
        num(&page["smoothingMs"]),
        native.smoothing_ms
    );
    let throttled = &page["throttled"];
    println!(
        "| bigram UI under 4× CPU throttling: training / interactive | {} / {:.0} ms | ≥ 50 fps, < 1.5 s |",
        ui(&throttled["ui"]),
        num(&throttled["load"]["interactiveMs"])
    );
    let three = &steps["three"];
    let trigram = &steps["trigram"];
    let per_context = |c: &Value| num(&c["us"]) * 1e3 / num(&c["occurring"]);
    println!(
        "| 3-character context ({:.0} weights), {} of {} contexts occur: full-batch step, wasm fused / one by one (every row) / native fused | {} / {} / {} | ∝ occurring contexts |",
        num(&three["weights"]),
        num(&three["occurring"]),
        num(&three["contexts"]),
        time(us("three")),
        time(us("threeSeparate")),
        time(native.three_us)
    );
    println!(
        "| cost per occurring context, trigram ({} of {}) / 3 characters | {:.0} ns / {:.0} ns | about equal |",
        num(&trigram["occurring"]),
        num(&trigram["contexts"]),
        per_context(trigram),
        per_context(three)
    );
    println!(
        "| 3-character context, minibatch of 32 (≤ 32 rows reached, the rest decayed lazily) | {} | ≪ full batch |",
        time(us("threeBatch32"))
    );
    println!(
        "| page interactive on localhost (default data loaded, first loss shown) | {:.0} ms | < 500 ms |",
        num(&load["interactiveMs"])
    );
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
                "| {} words: parse + count / bigram step / wasm memory | {:.1} ms / {} / {:.1} MiB | ≤ 1 s (1M) / flat |",
                num(&l["words"]),
                num(&l["loadMs"]),
                time(num(&l["usPerStep"])),
                num(&l["memoryMiB"])
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_switch_to_milliseconds_at_one() {
        assert_eq!(time(4.25), "4.2 µs");
        assert_eq!(time(56_000.0), "56.0 ms");
        assert_eq!(time(f64::NAN), "—");
    }

    #[test]
    fn the_stored_torch_figures_say_they_are_stored() {
        let v: Value = serde_json::from_str(STORED_TORCH).unwrap();
        assert!(v["torch"].as_str().unwrap().contains("stored"));
        // The best formulation against a 4 µs step: 157 / 4.
        let row = torch_row("bigram", &v["bigram"], 4.0);
        assert!(row.contains("56.0 ms / 50.0 ms / 157.0 µs"), "{row}");
        assert!(row.contains("best is 39×"), "{row}");
    }
}
