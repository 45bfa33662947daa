//! The wasm facade in a real browser (headless Chromium, via wasm-bindgen-test):
//! PyTorch's numbers through the same calls the page makes, the in-place memory view,
//! and errors that arrive as exceptions and change nothing.

#![cfg(target_arch = "wasm32")]

use bigram_lab::wasm::{Lab, TrainingWorker};
use js_sys::{Array, Float32Array, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &str = "2147483647";

/// A value of `tests/fixtures/torch-golden.json` at a `/`-separated path.
fn golden(path: &str) -> JsValue {
    let mut v = JSON::parse(include_str!("fixtures/torch-golden.json")).unwrap();
    for key in path.split('/') {
        v = match key.parse::<u32>() {
            Ok(i) if Array::is_array(&v) => Array::from(&v).get(i),
            _ => Reflect::get(&v, &key.into()).unwrap(),
        };
    }
    assert!(!v.is_undefined(), "fixture has no {path}");
    v
}

fn num(path: &str) -> f64 {
    golden(path).as_f64().unwrap()
}

fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

fn message(err: wasm_bindgen::JsError) -> String {
    js_sys::Error::from(JsValue::from(err)).message().into()
}

/// The loss and dev loss of [`Lab::settle`]'s answer.
fn settle(lab: &mut Lab) -> (f64, Option<f64>) {
    let status = lab.settle().unwrap();
    let loss = field(&status, "loss").as_f64().unwrap();
    (loss, field(&status, "devLoss").as_f64())
}

/// `W` as exported, the first `n` numbers.
fn weights(lab: &Lab, n: u32) -> Vec<f32> {
    let w = Array::from(&field(&lab.export_model().unwrap(), "w"));
    (0..n).map(|i| w.get(i).as_f64().unwrap() as f32).collect()
}

fn default_lab() -> Lab {
    Lab::new(None, SEED, 0.01).unwrap()
}

#[wasm_bindgen_test]
fn default_data_set_and_first_loss() {
    let mut lab = default_lab();
    let summary = lab.summary().unwrap();
    assert_eq!(
        field(&summary, "words").as_f64(),
        Some(num("default_dataset/file_words"))
    );
    assert_eq!(
        field(&summary, "bigrams").as_f64(),
        Some(num("default_dataset/bigrams"))
    );
    assert_eq!(field(&summary, "vocab"), golden("default_dataset/vocab"));
    let loss = lab.forward().unwrap();
    assert!((loss - num("default_dataset/gd/loss_before_each_step/0")).abs() < 1e-5);
    let floor = lab.count_loss(0.0).unwrap();
    assert!((floor - num("default_dataset/count_model_nll_smoothing_0")).abs() < 1e-6);
}

#[wasm_bindgen_test]
fn emma_report_matches_pytorch() {
    let mut lab = default_lab();
    lab.forward().unwrap();
    let report = lab.word_report("emma").unwrap();
    let rows = Array::from(&field(&report, "rows"));
    assert_eq!(rows.length(), 5);
    for k in 0..5 {
        let row = rows.get(k);
        let y = num(&format!("emma/ys/{k}"));
        let p = num(&format!("emma/probs_5x27/{k}/{y}"));
        assert!(
            (field(&row, "p").as_f64().unwrap() - p).abs() < 1e-7,
            "row {k}"
        );
        let nll = num(&format!("emma/nll/{k}"));
        assert!(
            (field(&row, "nll").as_f64().unwrap() - nll).abs() < 1e-6,
            "row {k}"
        );
    }
    assert_eq!(
        field(&rows.get(1), "bigram").as_string().as_deref(),
        Some("em")
    );
    let mean = field(&report, "mean_nll").as_f64().unwrap();
    assert!((mean - num("emma/loss")).abs() < 1e-6);
}

#[wasm_bindgen_test]
fn probability_table_is_read_in_place() {
    let mut lab = default_lab();
    lab.forward().unwrap();
    let v = lab.vocab_size() as u32;
    let buffer = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer();
    let probs =
        Float32Array::new_with_byte_offset_and_length(&buffer, lab.probs_ptr() as u32, v * v);
    // Row "e" (index 5), column "m" (13): the reference's second emma row.
    let p_em = f64::from(probs.get_index(5 * v + 13));
    assert!((p_em - num("emma/probs_5x27/1/13")).abs() < 1e-7);
    let w0 = f64::from(weights(&lab, 1)[0]);
    assert!((w0 - num("rng/2147483647/randn_27x27_row_major/0")).abs() < 1e-7);
}

#[wasm_bindgen_test]
fn two_hundred_steps_then_samples_match_pytorch() {
    let mut lab = default_lab();
    for step in 0..200 {
        let loss = lab.forward().unwrap();
        let want = num(&format!("default_dataset/gd/loss_before_each_step/{step}"));
        assert!((loss - want).abs() < 1e-4, "step {step}: {loss} vs {want}");
        lab.backward().unwrap();
        lab.step(50.0).unwrap();
    }
    assert_eq!(lab.steps(), 200.0);
    let samples = lab.sample(10.0, SEED).unwrap();
    let want: Vec<String> = Array::from(&golden(
        "default_dataset/gd/samples_after_200_steps_seed_2147483647",
    ))
    .iter()
    .map(|s| s.as_string().unwrap())
    .collect();
    assert_eq!(samples, want);
}

#[wasm_bindgen_test]
fn bad_input_throws_a_message_and_changes_nothing() {
    let mut lab = default_lab();
    lab.forward().unwrap();
    lab.backward().unwrap();
    lab.step(50.0).unwrap();
    let before = lab.forward().unwrap();

    let err = message(lab.load_words(b"ann\nbr\xE9e\n", SEED).unwrap_err());
    assert!(err.contains("not UTF-8"), "{err}");
    let err = message(lab.load_words(b"\n\n", SEED).unwrap_err());
    assert!(err.contains("no words"), "{err}");
    let many: String = (0..3000u32)
        .filter_map(|i| char::from_u32(0x4e00 + i))
        .collect();
    let err = message(lab.load_words(many.as_bytes(), SEED).unwrap_err());
    assert!(err.contains("distinct characters"), "{err}");
    assert!(message(lab.reset("-5").unwrap_err()).starts_with("seed:"));
    assert!(message(lab.step(f32::NAN).unwrap_err()).starts_with("Learning rate"));
    // Numbers the glue would wrap (−1 → 4294967295) are refused, not looped over.
    assert!(message(lab.sample(-1.0, SEED).unwrap_err()).starts_with("Names"));
    assert!(message(lab.sample(1e9, SEED).unwrap_err()).starts_with("Names"));
    assert!(message(lab.set_batch_size(-1.0).unwrap_err()).starts_with("Batch size"));
    // The gradient was used by the step above: a second step without backward is refused.
    assert!(message(lab.step(50.0).unwrap_err()).contains("run backward before step"));

    assert_eq!(lab.steps(), 1.0);
    assert_eq!(lab.vocab_size(), 27);
    assert_eq!(lab.forward().unwrap(), before);
}

#[wasm_bindgen_test]
fn loading_a_word_list_replaces_data_and_weights() {
    let mut lab = default_lab();
    lab.backward().unwrap();
    lab.step(1.0).unwrap();
    lab.load_words(b"\xEF\xBB\xBFzo\xC3\xAB\r\nanna\r\n", "42")
        .unwrap();
    assert_eq!(lab.vocab(), ".anoz\u{eb}");
    assert_eq!(lab.steps(), 0.0);
    // W is new, 6×6, from seed 42: PyTorch's randn(6, 6) for that seed.
    let want = bigram_lab::TorchGenerator::manual_seed(42).randn(36);
    assert_eq!(weights(&lab, 36), want);
    assert!((f64::from(want[0]) - num("rng/42/randn_27x27_row_major/0")).abs() < 1e-7);
    let report = lab.word_report("zoë").unwrap();
    assert!(field(&report, "mean_nll").as_f64().is_some());
    let report = lab.word_report("zoé").unwrap();
    assert!(
        field(&report, "mean_nll").is_null(),
        "an unknown character has no NLL"
    );
}

#[wasm_bindgen_test]
fn minibatches_train_and_the_display_loss_covers_the_whole_data_set() {
    let mut lab = default_lab();
    lab.set_batch_size(256.0).unwrap();
    let full_before = settle(&mut lab).0;
    // backward draws a batch itself when forward did not.
    lab.backward().unwrap();
    lab.step(50.0).unwrap();
    for _ in 0..50 {
        let batch_loss = lab.forward().unwrap();
        assert!(batch_loss.is_finite());
        lab.backward().unwrap();
        lab.step(50.0).unwrap();
    }
    let full_after = settle(&mut lab).0;
    assert!(
        full_after < 2.8 && full_after < full_before,
        "{full_before} → {full_after}"
    );
    assert_eq!(lab.steps(), 51.0);
}

#[wasm_bindgen_test]
fn example_trace_and_counting_table_match_the_lecture() {
    let mut lab = default_lab();
    settle(&mut lab);
    let trace = lab.example(5, 13).unwrap();
    let p = field(&trace, "p").as_f64().unwrap();
    assert!((p - num("emma/probs_5x27/1/13")).abs() < 1e-7);
    assert!((field(&trace, "nll").as_f64().unwrap() - num("emma/nll/1")).abs() < 1e-6);
    assert!(
        lab.example(27, 0).is_err(),
        "an index outside the vocabulary"
    );

    let ptr = lab.count_probs_ptr(1.0).unwrap();
    let buffer = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer();
    let table =
        Float32Array::new_with_byte_offset_and_length(&buffer, ptr as u32, 27 * 27).to_vec();
    let row: Vec<f64> = (0..27)
        .map(|j| {
            num(&format!(
                "default_dataset/counts_27x27_row_major/{}",
                5 * 27 + j
            )) + 1.0
        })
        .collect();
    let sum: f64 = row.iter().sum();
    assert!((f64::from(table[5 * 27 + 13]) - row[13] / sum).abs() < 1e-6);

    // Resampling keeps the step count and draws PyTorch's W for the new seed.
    lab.backward().unwrap();
    lab.step(50.0).unwrap();
    assert_eq!(lab.resample_next("41").unwrap(), "42");
    assert_eq!(lab.steps(), 1.0);
    let w0 = f64::from(weights(&lab, 1)[0]);
    assert!((w0 - num("rng/42/randn_27x27_row_major/0")).abs() < 1e-7);
}

#[wasm_bindgen_test]
fn a_split_that_cannot_be_made_leaves_the_lab_as_it_was() {
    let mut lab = default_lab();
    lab.set_split(10.0, SEED).unwrap();
    let dev = settle(&mut lab).1.unwrap();
    assert_eq!(
        field(&lab.summary().unwrap(), "dev_words").as_f64(),
        Some(3226.0)
    );
    // One word cannot be split: the load is refused and nothing changes.
    let err = message(lab.load_words(b"solo\n", SEED).unwrap_err());
    assert!(err.contains("at least two words"), "{err}");
    assert_eq!(lab.vocab_size(), 27);
    assert_eq!(settle(&mut lab).1, Some(dev));
    // Reset keeps the share and, with the same seed, holds out the same words.
    lab.reset(SEED).unwrap();
    assert_eq!(settle(&mut lab).1, Some(dev));
    lab.set_split(0.0, SEED).unwrap();
    assert_eq!(settle(&mut lab).1, None);
}

#[wasm_bindgen_test]
fn models_round_trip_with_their_split_and_any_step_count() {
    let mut lab = default_lab();
    lab.set_split(10.0, "7").unwrap();
    lab.backward().unwrap();
    lab.step(50.0).unwrap();
    let (loss, dev) = settle(&mut lab);
    let model = lab.export_model().unwrap();
    // Past 2^21 steps (a usize limit on wasm32 once refused this) and up to 2^53 − 1.
    Reflect::set(&model, &"steps".into(), &3e6.into()).unwrap();

    let mut other = Lab::new(None, "1", 0.01).unwrap();
    other.import_model(model.clone()).unwrap();
    assert_eq!(other.steps(), 3e6);
    assert_eq!(other.split_percent(), 10);
    assert_eq!(settle(&mut other), (loss, dev));

    Reflect::set(&model, &"steps".into(), &2.5.into()).unwrap();
    assert_eq!(
        message(other.import_model(model).unwrap_err()),
        "the file's \"steps\" is not a whole number from 0 to 9007199254740991"
    );
    assert_eq!(other.steps(), 3e6, "a refused import changes nothing");
}

#[wasm_bindgen_test]
fn train_for_runs_the_lectures_loop_within_the_page_clock() {
    let mut lab = default_lab();
    // A generous budget: all ten steps, PyTorch's loss after them.
    assert_eq!(lab.train_for(50.0, 10.0, 1e9).unwrap(), 10.0);
    let want = num("default_dataset/gd/loss_before_each_step/10");
    assert!((settle(&mut lab).0 - want).abs() < 1e-4);
    // No budget left: one step, then the clock says stop.
    assert_eq!(lab.train_for(50.0, 1000.0, -1.0).unwrap(), 1.0);
    assert_eq!(lab.steps(), 11.0);
    assert!(message(lab.train_for(50.0, 0.0, 10.0).unwrap_err()).starts_with("Steps per frame"));
    assert!(message(lab.train_for(-1.0, 5.0, 10.0).unwrap_err()).starts_with("Learning rate"));
    assert_eq!(lab.steps(), 11.0);
}

#[wasm_bindgen_test]
fn the_settings_rules_come_from_the_library() {
    let rules = Array::from(&bigram_lab::wasm::setting_rules().unwrap());
    let names: Vec<String> = rules
        .iter()
        .map(|r| field(&r, "key").as_string().unwrap())
        .collect();
    assert!(names.contains(&"sampleCount".to_string()), "{names:?}");
    let samples = rules
        .iter()
        .find(|r| field(r, "key").as_string().as_deref() == Some("sampleCount"))
        .unwrap();
    assert_eq!(field(&samples, "max").as_f64(), Some(100.0));
    assert_eq!(field(&samples, "integer").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn the_backward_pass_reaches_the_page_through_the_facade() {
    let mut lab = Lab::new(None, SEED, 0.0).unwrap();
    assert!(message(lab.set_train_on(Some("zoë".into())).unwrap_err())
        .contains("not in the vocabulary"));
    assert_eq!(lab.train_on(), None);
    lab.set_train_on(Some("emma".into())).unwrap();
    assert_eq!(lab.train_on().as_deref(), Some("emma"));
    let (loss, dev) = settle(&mut lab);
    assert!((loss - 3.7693049907684326).abs() < 1e-6, "{loss}");
    assert_eq!(dev, None);
    let graph = lab.graph(0, 5).unwrap();
    let dlogits = Array::from(&field(&graph, "logitsGrad"));
    // (probs[0] − onehot(5)) / 5: the label's cell is pulled up, the others pushed down.
    assert!(dlogits.get(5).as_f64().unwrap() < 0.0);
    assert!(dlogits.get(0).as_f64().unwrap() > 0.0);
    assert_eq!(field(&graph, "examples").as_f64(), Some(5.0));

    let points = Array::from(&lab.grad_check(5, 13, 5.0, SEED).unwrap());
    assert_eq!(points.length(), 6);
    for p in points.iter() {
        assert!(field(&p, "relError").as_f64().unwrap() < 1e-6);
    }
    assert!(
        message(lab.grad_check(5, 13, -1.0, SEED).unwrap_err()).starts_with("Gradient-check cells")
    );

    let phases: Vec<String> = (0..4)
        .map(|_| {
            field(&lab.walk_next(0.1).unwrap(), "phase")
                .as_string()
                .unwrap()
        })
        .collect();
    assert_eq!(phases, ["forward", "zero_grad", "backward", "update"]);
    assert_eq!(lab.steps(), 1.0);
    assert!((settle(&mut lab).0 - 3.7492127418518066).abs() < 1e-5);
}

#[wasm_bindgen_test]
fn the_graph_of_one_example_reaches_the_page_through_the_facade() {
    let mut lab = Lab::new(None, SEED, 0.0).unwrap();
    lab.set_train_on(Some("emma".into())).unwrap();
    // `.` → `e`, the lecture's first example (tests/fixtures/graph.json).
    let g = lab.graph(0, 5).unwrap();
    assert_eq!(
        field(&g, "encoding").as_string().as_deref(),
        Some("context")
    );
    assert_eq!(field(&g, "examples").as_f64(), Some(5.0));
    let counts_sum = field(&g, "countsSum").as_f64().unwrap();
    assert!(
        (counts_sum - 79.01445007324219).abs() < 1e-3,
        "{counts_sum}"
    );
    let logp_grad = field(&g, "logpGrad").as_f64().unwrap();
    assert!((logp_grad + 0.2).abs() < 1e-7, "{logp_grad}");
    let rows = Array::from(&field(&g, "w"));
    assert_eq!(rows.length(), 1);
    assert_eq!(Array::from(&field(&rows.get(0), "gradL2")).length(), 27);
    // `.` → `.` is no example of emma: drawn, and said to be outside the batch.
    assert_eq!(
        field(&lab.graph(0, 0).unwrap(), "inTraining").as_bool(),
        Some(false)
    );
    assert!(message(lab.graph(27, 0).unwrap_err()).starts_with("expected an example inside"));
}

/// A value of `tests/fixtures/exercises.json` at a `/`-separated path.
fn exercise(path: &str) -> f64 {
    let mut v = JSON::parse(include_str!("fixtures/exercises.json")).unwrap();
    for key in path.split('/') {
        v = match key.parse::<u32>() {
            Ok(i) if Array::is_array(&v) => Array::from(&v).get(i),
            _ => Reflect::get(&v, &key.into()).unwrap(),
        };
    }
    v.as_f64()
        .unwrap_or_else(|| panic!("fixture has no number at {path}"))
}

#[wasm_bindgen_test]
fn the_exercises_reach_the_page_through_the_facade() {
    let mut lab = default_lab();
    assert!(message(lab.set_context(2.0, "sideways", SEED).unwrap_err()).starts_with("encoding"));
    assert!(message(lab.set_context(2.5, "context", SEED).unwrap_err()).starts_with("context"));
    lab.set_context(2.0, "context", SEED).unwrap();
    assert_eq!(
        (lab.context_length(), lab.encoding()),
        (2, "context".to_string())
    );
    let loss = settle(&mut lab).0;
    assert!(
        (loss - exercise("pair_gd_lr50_l2_0.01_losses/0")).abs() < 1e-4,
        "{loss}"
    );
    assert_eq!(lab.train_for(50.0, 1.0, 1e9).unwrap(), 1.0);
    assert!((settle(&mut lab).0 - exercise("pair_gd_lr50_l2_0.01_losses/1")).abs() < 1e-4);

    assert!(message(lab.smoothing_sweep().unwrap_err()).contains("choose a split"));
    lab.set_makemore_split(Some("42".into())).unwrap();
    assert_eq!(lab.makemore_split_seed().as_deref(), Some("42"));
    assert!(lab.test_loss().unwrap().is_some());
    let points = Array::from(&lab.smoothing_sweep().unwrap());
    assert_eq!(points.length(), 13);
    let at_01 = points
        .iter()
        .find(|p| field(p, "value").as_f64() == Some(0.1))
        .unwrap();
    let dev = field(&at_01, "dev").as_f64().unwrap();
    assert!((dev - exercise("split_count_nll/trigram/0.1/dev")).abs() < 1e-5);

    lab.start_l2_sweep(2.0, 50.0, SEED).unwrap();
    let mut progress = lab.advance_sweep(1e9).unwrap();
    assert_eq!(
        field(&progress, "done").as_f64(),
        field(&progress, "total").as_f64()
    );
    assert_eq!(Array::from(&field(&progress, "points")).length(), 9);
    lab.cancel_sweep();
    progress = lab.advance_sweep(1e9).unwrap();
    assert!(progress.is_null());
    let words = lab.words_text();
    assert_eq!(
        words.lines().count() as f64,
        field(&lab.summary().unwrap(), "words").as_f64().unwrap()
    );
}

#[wasm_bindgen_test]
fn a_copy_trains_apart_from_the_lab_it_was_made_from() {
    let mut lab = default_lab();
    lab.train_for(50.0, 3.0, 1e9).unwrap();
    let before = weights(&lab, 27);
    let mut copy = lab.copy();
    assert_eq!(weights(&copy, 27), before);
    assert_eq!(copy.steps(), 3.0);
    copy.reset("1").unwrap();
    copy.train_for(50.0, 5.0, 1e9).unwrap();
    assert_eq!(copy.steps(), 5.0);
    assert_eq!(lab.steps(), 3.0);
    assert_eq!(weights(&lab, 27), before, "the original's W is untouched");
    // The original goes on as if no copy had been made: its next step is the one it
    // would have taken (the same as a fresh lab's fourth).
    let mut fresh = default_lab();
    fresh.train_for(50.0, 4.0, 1e9).unwrap();
    lab.train_for(50.0, 1.0, 1e9).unwrap();
    assert_eq!(weights(&lab, 27), weights(&fresh, 27));
}

#[wasm_bindgen_test]
fn w_crosses_as_npy_bytes_and_a_bad_file_changes_nothing() {
    let mut lab = default_lab();
    lab.backward().unwrap();
    lab.step(50.0).unwrap();
    let (loss, _) = settle(&mut lab);
    let bytes = lab.export_w_npy().unwrap();
    assert!(bytes.starts_with(b"\x93NUMPY"));
    assert_eq!(
        bytes.len(),
        128 + 27 * 27 * 4,
        "NumPy's 128-byte header, then float32s"
    );
    let n = lab.export_n_npy().unwrap();
    assert_eq!(n.len(), 128 + 27 * 27 * 4, "int32 counts");

    let mut other = Lab::new(None, "1", 0.01).unwrap();
    other.backward().unwrap();
    other.step(50.0).unwrap();
    settle(&mut other);
    let before = settle(&mut other);
    let err = message(other.import_w_npy(&bytes[..200]).unwrap_err());
    assert!(err.contains("shape (27, 27)"), "{err}");
    assert_eq!((other.steps(), settle(&mut other)), (1.0, before));
    assert!(other.max_w_npy_bytes() >= (27 * 27 * 8) as f64);
    other.import_w_npy(&bytes).unwrap();
    assert_eq!((other.steps(), settle(&mut other).0), (0.0, loss));
    assert_eq!(weights(&other, 729), weights(&lab, 729));
}

#[wasm_bindgen_test]
fn a_run_handed_to_a_worker_comes_back_as_the_same_steps() {
    let mut lab = default_lab();
    lab.set_context(2.0, "context", SEED).unwrap();
    lab.set_batch_size(32.0).unwrap();
    lab.train_for(10.0, 2.0, 1e9).unwrap();
    let mut here = lab.copy();
    // The handoff as the page posts it to the worker: cloned on the way (W as bytes).
    let handoff = lab.handoff(None).unwrap();
    assert!(field(&handoff, "w").is_instance_of::<js_sys::Uint8Array>());
    let clone = js_sys::Function::from(field(&js_sys::global().into(), "structuredClone"));
    let handoff = clone.call1(&JsValue::NULL, &handoff).unwrap();
    let mut worker = TrainingWorker::new(handoff, None).unwrap();
    assert!(worker.report().is_none(), "no steps, no report");
    assert_eq!(worker.train_for(10.0, 3.0, 1e9).unwrap(), 3.0);
    assert_eq!(worker.unreported(), 3.0);
    let report = worker.report().unwrap();
    assert!(lab.adopt_report(&report).unwrap());
    here.train_for(10.0, 3.0, 1e9).unwrap();
    assert_eq!(lab.steps(), 5.0);
    assert_eq!(weights(&lab, 19_683), weights(&here, 19_683));
    assert_eq!(settle(&mut lab), settle(&mut here));
    // A report of a state the lab has left is not taken, and changes nothing.
    assert!(!lab.adopt_report(&report).unwrap());
    assert_eq!(lab.steps(), 5.0);
    let damaged = &report[..report.len() - 4];
    assert!(message(lab.adopt_report(damaged).unwrap_err()).contains("worker"));
    assert!(TrainingWorker::new(JsValue::from_str("not a handoff"), None).is_err());
    // The next run without the words: the worker has them from this one.
    let data = field(&lab.handoff(None).unwrap(), "dataId").as_f64();
    let again = lab.handoff(data).unwrap();
    assert!(field(&again, "words").is_null());
    let mut next = TrainingWorker::new(again, Some(worker)).unwrap();
    next.train_for(10.0, 1.0, 1e9).unwrap();
    assert!(lab.adopt_report(&next.report().unwrap()).unwrap());
    assert_eq!(lab.steps(), 6.0);
}
