//! The session's rules, natively: split, minibatches, divergence rewind, resample,
//! all-or-nothing reset/load, and the model file's validation.

use super::*;
use crate::data::context::Encoding;
use crate::files::code;
use crate::files::model_file::{ModelFile, SplitFile};
use crate::DEFAULT_SEED;

fn words(n: usize) -> Dataset {
    let words: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "{}{}",
                ["emma", "olivia", "ava", "mia"][i % 4],
                "x".repeat(i % 3)
            )
        })
        .collect();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    Dataset::from_words(&refs).unwrap()
}

fn session() -> Session {
    Session::new(words(40), DEFAULT_SEED, 0.01).unwrap()
}

/// Everything a refused call must leave as it was.
fn state(s: &Session) -> (ModelFile, Summary, u64, usize) {
    (s.export(), s.summary(), s.steps(), s.batch_size())
}

#[test]
fn settle_reports_loss_steps_and_the_dev_loss_of_a_split() {
    let mut s = session();
    let fresh = s.settle().unwrap();
    assert_eq!(
        (fresh.steps, fresh.dev_loss, fresh.rewound),
        (0, None, None)
    );
    let direct = s.net.clone().forward(s.data().n()).unwrap();
    assert_eq!(fresh.loss, direct);

    s.set_split(25.0, 7).unwrap();
    assert_eq!(s.split_percent(), 25);
    assert_eq!(s.summary().dev_words, 10);
    assert_eq!(s.training_data().word_count(), 30);
    let split = s.settle().unwrap();
    assert!(split.dev_loss.is_some_and(f64::is_finite));
    assert_ne!(
        split.loss, fresh.loss,
        "the loss is now the training words'"
    );
    s.train(10.0, 5, || true).unwrap();
    let trained = s.settle().unwrap();
    assert_eq!(trained.steps, 5);
    assert!(trained.loss < split.loss);

    s.set_split(0.0, 7).unwrap();
    assert_eq!(
        (s.summary().dev_words, s.settle().unwrap().dev_loss),
        (0, None)
    );
    assert!(s.set_split(51.0, 7).is_err());
    assert!(s.set_split(12.5, 7).is_err());
}

#[test]
fn a_divergence_rewinds_w_and_the_step_count_to_the_last_finite_state() {
    let mut s = session();
    s.train(1.0, 3, || true).unwrap();
    let good = s.settle().unwrap();
    let w_good = s.net().w().clone();
    assert_eq!((good.steps, good.rewound), (3, None));
    s.train(1e9, 20, || true).unwrap();
    assert_eq!(s.steps(), 23);
    let after = s.settle().unwrap();
    let rewind = after.rewound.expect("a learning rate of 1e9 diverges");
    assert_eq!((rewind.at_step, rewind.to_step), (23, 3));
    assert!(!rewind.loss.is_finite());
    assert_eq!((after.steps, after.loss), (3, good.loss));
    assert_eq!(s.net().w(), &w_good);
    assert!(
        s.net().probs().iter().all(|p| p.is_finite()),
        "probs of the W shown"
    );
    assert_eq!(s.settle().unwrap().rewound, None, "told once");
}

#[test]
fn minibatches_are_drawn_per_step_reproducibly_and_the_shown_loss_is_the_whole_datas() {
    let mut a = session();
    a.set_batch_size(8.0).unwrap();
    let batch_loss = a.forward().unwrap();
    assert_eq!(a.batch.total(), 8);
    let full = a.settle().unwrap().loss;
    assert_ne!(batch_loss, full);
    // backward without a pending batch draws one, as forward would.
    a.backward().unwrap();
    a.step(10.0).unwrap();
    let mut b = session();
    b.set_batch_size(8.0).unwrap();
    b.train(10.0, 1, || true).unwrap();
    // The frames' fused step rounds differently from the separate calls, no more.
    let apart =
        |a: &Session, b: &Session| (a.net().w() - b.net().w()).fold(0f32, |m, x| m.max(x.abs()));
    assert!(apart(&a, &b) < 1e-5, "same seed, same batches");
    b.train(10.0, 1, || true).unwrap();
    assert!(apart(&a, &b) > 1e-3, "the next batch moves W on");
    for bad in [-1.0, 0.5, 1e7, f64::NAN] {
        assert!(a.set_batch_size(bad).is_err(), "{bad}");
    }
    assert_eq!(a.batch_size(), 8);
}

#[test]
fn a_step_needs_a_gradient_and_a_valid_learning_rate() {
    let mut s = session();
    assert_eq!(s.step(1.0), Err(Error::NoGradient));
    s.forward().unwrap();
    s.backward().unwrap();
    for bad in [0.0, -1.0, f32::NAN, f32::INFINITY] {
        assert!(s.step(bad).is_err(), "{bad}");
    }
    assert_eq!(s.steps(), 0);
    s.step(1.0).unwrap();
    assert_eq!(s.steps(), 1);
    assert_eq!(
        s.step(1.0),
        Err(Error::NoGradient),
        "the gradient was used up"
    );
}

#[test]
fn training_stops_when_asked() {
    let mut s = session();
    let mut calls = 0;
    let done = s
        .train(1.0, 100, || {
            calls += 1;
            calls < 4
        })
        .unwrap();
    assert_eq!((done, s.steps()), (4, 4));
    assert_eq!(s.train(1.0, 3, || true).unwrap(), 3);
    assert!(s.train(0.0, 3, || true).is_err());
    assert_eq!(s.steps(), 7);
}

#[test]
fn resample_takes_the_next_seed_and_keeps_the_step_count() {
    let mut s = session();
    s.train(1.0, 2, || true).unwrap();
    assert_eq!(s.resample_next(41).unwrap(), 42);
    let want = Net::new(s.data().vocab().len(), 42, 0.01).unwrap();
    assert_eq!(s.net().w(), want.w());
    assert_eq!(s.steps(), 2);
    assert_eq!(s.resample_next(u64::MAX).unwrap(), 0, "wraps around");
    // A rewind after a resample goes back to the resampled W, not to the old one.
    let resampled = s.net().w().clone();
    s.train(1e9, 20, || true).unwrap();
    s.settle().unwrap();
    assert_eq!(s.net().w(), &resampled);
}

#[test]
fn reset_and_load_are_all_or_nothing() {
    let mut s = session();
    s.set_split(10.0, 3).unwrap();
    s.train(1.0, 2, || true).unwrap();
    let before = state(&s);
    let one_word = Dataset::from_words(&["solo"]).unwrap();
    assert!(
        s.load(one_word, 5).is_err(),
        "a split of one word cannot be made"
    );
    assert_eq!(state(&s), before);

    s.load(words(20), 5).unwrap();
    assert_eq!(
        (s.steps(), s.summary().words, s.summary().dev_words),
        (0, 20, 2)
    );
    let fresh = Net::new(s.data().vocab().len(), 5, 0.01).unwrap();
    assert_eq!(s.net().w(), fresh.w());
    s.train(1.0, 2, || true).unwrap();
    s.reset(5).unwrap();
    assert_eq!((s.steps(), s.net().w()), (0, fresh.w()));
}

#[test]
fn model_files_round_trip_with_their_split_and_step_count() {
    let mut s = session();
    s.set_split(10.0, 7).unwrap();
    s.train(5.0, 3, || true).unwrap();
    let status = s.settle().unwrap();
    let mut file = s.export();
    assert_eq!(file.split.as_ref().map(|x| x.seed.as_str()), Some("7"));
    file.steps = 2f64.powi(40);
    let mut other = Session::new(words(40), 99, 0.5).unwrap();
    other.import(file.clone()).unwrap();
    assert_eq!(other.steps(), 1 << 40);
    assert_eq!(other.l2(), 0.01);
    let again = other.settle().unwrap();
    assert_eq!((again.loss, again.dev_loss), (status.loss, status.dev_loss));
    assert_eq!(other.export(), file);
}

#[test]
fn a_bad_model_file_is_refused_with_its_reason_and_changes_nothing() {
    let mut s = session();
    s.train(1.0, 2, || true).unwrap();
    let good = s.export();
    let before = state(&s);
    let v = s.data().vocab().len();
    let cases: Vec<(ModelFile, &str)> = vec![
        (
            ModelFile {
                format: "other".into(),
                ..good.clone()
            },
            "not a Bigram Lab model file",
        ),
        (
            ModelFile {
                version: 9,
                ..good.clone()
            },
            "version 9",
        ),
        (
            ModelFile {
                vocab: ".ab".into(),
                ..good.clone()
            },
            "vocabulary",
        ),
        (
            ModelFile {
                steps: 1.5,
                ..good.clone()
            },
            "the file's \"steps\" is not a whole number from 0 to 9007199254740991",
        ),
        (
            ModelFile {
                steps: 9_007_199_254_740_992.0,
                ..good.clone()
            },
            "the file's \"steps\" is not a whole number from 0 to 9007199254740991",
        ),
        (
            ModelFile {
                w: vec![0.0; v],
                ..good.clone()
            },
            "weights are not",
        ),
        (
            ModelFile {
                w: vec![f32::NAN; v * v],
                ..good.clone()
            },
            "finite",
        ),
        (
            ModelFile {
                l2: -1.0,
                ..good.clone()
            },
            "λ",
        ),
        (
            ModelFile {
                split: Some(SplitFile {
                    percent: 10.0,
                    makemore: false,
                    seed: "x".into(),
                }),
                ..good.clone()
            },
            "seed",
        ),
        (
            ModelFile {
                split: Some(SplitFile {
                    percent: 80.0,
                    makemore: false,
                    seed: "1".into(),
                }),
                ..good.clone()
            },
            "Held-out %",
        ),
    ];
    for (file, want) in cases {
        let err = s.import(file).unwrap_err().to_string();
        assert!(err.contains(want), "{err:?} should say {want:?}");
        assert_eq!(state(&s), before);
    }
}

#[test]
fn a_session_at_the_step_limit_refuses_to_step_further() {
    let mut s = session();
    let mut file = s.export();
    file.steps = (MAX_STEPS - 2) as f64;
    s.import(file).unwrap();
    // Training stops at the limit, however many steps were asked for.
    assert_eq!(s.train(1.0, 5, || true), Ok(2));
    assert_eq!(s.steps(), MAX_STEPS);
    s.settle().unwrap();
    let before = state(&s);
    let err = s.train(1.0, 1, || true).unwrap_err();
    assert_eq!(err, Error::StepLimit { max: MAX_STEPS });
    assert_eq!(
        err.to_string(),
        "W has taken 9007199254740991 steps, the most the page can count: \
         reset it, or import a model, to train on"
    );
    s.forward().unwrap();
    s.backward().unwrap();
    assert_eq!(s.step(1.0), Err(Error::StepLimit { max: MAX_STEPS }));
    assert_eq!(state(&s), before);
    assert_eq!(MAX_STEPS, (1 << 53) - 1);
}

// serde_json is a native dev-dependency only.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_export_s_length_is_bounded_from_its_sizes() {
    use crate::data::context::Context;
    use crate::files::model_file::MODEL_FORMAT;
    let mut s = Session::new(Dataset::default_names(), DEFAULT_SEED, 0.01).unwrap();
    for len in 1..=3 {
        s.set_context(Context::new(len, Encoding::Context).unwrap(), DEFAULT_SEED)
            .unwrap();
        s.train(50.0, 2, || true).unwrap();
        let file = s.export();
        let rust = serde_json::to_string(&file).unwrap().len();
        // As the page writes it: each weight as the double of its float32, with up
        // to 17 significant digits (serde_json's f64 is the shortest, as JavaScript's).
        let mut page = serde_json::to_value(&file).unwrap();
        page["w"] = file.w.iter().map(|&x| f64::from(x)).collect();
        let page = serde_json::to_string(&page).unwrap().len();
        let bound = s.export_chars_bound();
        assert!(
            bound >= rust && bound >= page,
            "{len}: {bound} < {rust}, {page}"
        );
        if len == 1 {
            assert!(bound <= 2 * page, "bigram: {bound} > 2 × {page}");
        }
    }
    // The longest number as JavaScript writes it (serde_json writes it shorter, with an
    // exponent), and every field at its longest.
    let (js, rust) = ("-0.0000012345678896963364", "-1.2345678896963364e-6");
    assert_eq!(js.len() + 1, crate::session::files::MAX_WEIGHT_JSON_CHARS);
    assert_eq!(
        serde_json::json!(f64::from(-1.2345679e-6_f32)).to_string(),
        rust
    );
    let mut s = Session::new(Dataset::from_words(&["ab"]).unwrap(), 1, 0.0).unwrap();
    let mut file = s.export();
    file.w = vec![-1.2345679e-6; 9];
    file.l2 = f32::MIN_POSITIVE;
    file.steps = MAX_STEPS as f64;
    s.import(file.clone()).unwrap();
    file.split = Some(SplitFile {
        percent: f64::from(-1.2345679e-6_f32),
        makemore: false,
        seed: u64::MAX.to_string(),
    });
    file.context = usize::MAX;
    let mut json = serde_json::to_value(&file).unwrap();
    json["w"] = file.w.iter().map(|&x| f64::from(x)).collect();
    json["version"] = u32::MAX.into();
    json["format"] = MODEL_FORMAT.into();
    let text = serde_json::to_string(&json).unwrap().replace(rust, js);
    assert!(s.export_chars_bound() >= text.len(), "{text}");
}

#[test]
fn the_counting_model_is_fitted_to_the_training_words() {
    let mut s = session();
    let all = s.count_loss(0.0).unwrap();
    s.set_split(25.0, 1).unwrap();
    let train_only = s.count_loss(0.0).unwrap();
    assert_ne!(all, train_only);
    let want = CountModel::new(s.training_data().n(), 0.0).unwrap();
    assert_eq!(s.count_model(0.0).unwrap(), &want);
    assert!(s.count_loss(-1.0).is_err());
}

#[test]
fn the_run_is_one_loop_until_something_changes_after_the_first_step() {
    let mut s = session();
    s.set_l2(0.1).unwrap(); // before the first step: the loop starts with it
    s.set_batch_size(4.0).unwrap();
    s.train(1.0, 2, || true).unwrap();
    assert_eq!(s.not_one_loop(), None);
    assert_eq!(s.last_learning_rate(), Some(1.0));
    s.train(2.0, 1, || true).unwrap();
    assert_eq!(
        s.not_one_loop(),
        Some("the learning rate changed at step 2")
    );
    s.set_l2(0.2).unwrap();
    assert_eq!(
        s.not_one_loop(),
        Some("the learning rate changed at step 2"),
        "the first reason is kept"
    );
    s.reset(DEFAULT_SEED).unwrap();
    assert_eq!((s.not_one_loop(), s.last_learning_rate()), (None, None));
    s.train(1.0, 1, || true).unwrap();
    s.resample_next(5).unwrap();
    assert_eq!(
        s.not_one_loop(),
        Some("W was resampled from seed 6 at step 1")
    );
    let file = s.export();
    s.reset(DEFAULT_SEED).unwrap();
    s.import(file).unwrap();
    assert_eq!(s.not_one_loop(), Some("this model was imported at step 1"));
}

#[test]
fn the_run_spec_says_what_the_run_was() {
    let mut s = Session::new(words(40), 7, 0.01).unwrap();
    let two = Context::new(2, Encoding::Concat).unwrap();
    s.set_context(two, 7).unwrap();
    s.set_makemore_split(Some(42)).unwrap();
    s.set_batch_size(16.0).unwrap();
    s.train(20.0, 3, || true).unwrap();
    let spec = s.run_spec(7, 50.0, 5);
    assert_eq!(
        (spec.context_len, spec.encoding),
        (2, code::Encoding::Concat)
    );
    assert_eq!(spec.split, code::SplitSpec::Makemore { seed: 42 });
    assert_eq!((spec.batch_size, spec.steps, spec.sample_count), (16, 3, 5));
    assert_eq!(
        spec.lr, 20.0,
        "the steps' own learning rate, not the page's"
    );
    assert_eq!(
        (spec.l2, spec.seed, spec.not_one_loop.as_deref()),
        (0.01, 7, None)
    );
    let program = code::pytorch_program(&spec, code::Form::CrossEntropy);
    assert!(
        program.contains("random.shuffle"),
        "makemore's split is in the program"
    );
}

/// A `.npy` file of float64 values, as `np.save` writes `np.zeros((rows, v))`.
fn f64_npy(values: Array2<f64>) -> Vec<u8> {
    use ndarray_npy::WriteNpyExt;
    let mut out = Vec::new();
    values.write_npy(&mut out).unwrap();
    out
}

#[test]
fn w_crosses_to_npy_and_back_bit_for_bit_and_restarts_the_count() {
    let mut s = session();
    s.set_split(10.0, 7).unwrap();
    s.train(5.0, 3, || true).unwrap();
    let trained = s.settle().unwrap();
    let bytes = s.w_npy().unwrap();

    let mut other = session();
    other.set_split(10.0, 7).unwrap();
    other.train(1.0, 4, || true).unwrap();
    other.import_w_npy(&bytes).unwrap();
    let w_bits = |s: &Session| s.net().w().iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(w_bits(&other), w_bits(&s), "the same float32 numbers");
    let status = other.settle().unwrap();
    assert_eq!(
        (status.loss, status.dev_loss),
        (trained.loss, trained.dev_loss)
    );
    assert_eq!(
        status.steps, 0,
        "the file carries no steps: counted from the import"
    );
    assert_eq!(
        other.not_one_loop(),
        Some("W was imported from a .npy file")
    );
    assert_eq!(other.split_percent(), 10, "the split stays");
    assert!(other.last_update().iter().all(|&u| u == 0.0));
    // A divergence after the import goes back to the imported W.
    other.train(1e9, 20, || true).unwrap();
    assert!(other.settle().unwrap().rewound.is_some());
    assert_eq!(w_bits(&other), w_bits(&s));
    // Reset forgets the import.
    other.reset(DEFAULT_SEED).unwrap();
    assert_eq!(other.not_one_loop(), None);
}

#[test]
fn a_zero_w_from_numpy_gives_the_loss_ln_v() {
    let data = Dataset::from_bytes(crate::DEFAULT_NAMES.as_bytes()).unwrap();
    let mut s = Session::new(data, DEFAULT_SEED, 0.01).unwrap();
    // np.save('W.npy', np.zeros((27, 27))): float64, which the page rounds to float32.
    s.import_w_npy(&f64_npy(Array2::zeros((27, 27)))).unwrap();
    let loss = s.settle().unwrap().loss;
    assert!((loss - 27f64.ln()).abs() < 1e-6, "{loss}");
    assert_eq!(format!("{loss:.4}"), "3.2958");
    // Every probability is 1/V: the lecture's uniform model.
    assert!(s
        .net()
        .current_probs()
        .iter()
        .all(|&p| (p - 1.0 / 27.0).abs() < 1e-7));
}

#[test]
fn a_npy_file_of_another_shape_is_refused_naming_the_shape_and_changes_nothing() {
    let data = Dataset::from_bytes(crate::DEFAULT_NAMES.as_bytes()).unwrap();
    let mut s = Session::new(data, DEFAULT_SEED, 0.01).unwrap();
    s.train(50.0, 2, || true).unwrap();
    let status = s.settle().unwrap();
    let before = state(&s);
    let err = s
        .import_w_npy(&f64_npy(Array2::zeros((27, 28))))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a float32 or float64 array of shape (27, 27), C order; \
         this file holds shape (27, 28)"
    );
    for bad in [&b"not a numpy file"[..], &[]] {
        assert!(s.import_w_npy(bad).is_err());
    }
    assert_eq!(state(&s), before);
    assert_eq!(s.settle().unwrap(), status);
    assert_eq!(
        s.not_one_loop(),
        None,
        "a refused file leaves the run one loop"
    );

    // Under the trigram the shape wanted is the context's.
    let trigram = Context::new(2, Encoding::Context).unwrap();
    s.set_context(trigram, DEFAULT_SEED).unwrap();
    let bigram_w = f64_npy(Array2::zeros((27, 27)));
    let text = s.import_w_npy(&bigram_w).unwrap_err().to_string();
    assert!(
        text.contains("shape (729, 27)") && text.ends_with("shape (27, 27)"),
        "{text}"
    );
    let side_by_side = Context::new(2, Encoding::Concat).unwrap();
    s.set_context(side_by_side, DEFAULT_SEED).unwrap();
    let text = s.import_w_npy(&bigram_w).unwrap_err().to_string();
    assert!(text.contains("shape (54, 27)"), "{text}");
    s.import_w_npy(&f64_npy(Array2::zeros((54, 27)))).unwrap();
}

/// The shape and the data (as little-endian words) of a `.npy` file this library wrote.
fn npy_shape_and_words(bytes: &[u8]) -> (String, Vec<[u8; 4]>) {
    let len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let header = std::str::from_utf8(&bytes[10..10 + len]).unwrap();
    let shape = header.split("'shape': ").nth(1).unwrap();
    let shape = shape[..=shape.find(')').unwrap()].to_string();
    let words = bytes[10 + len..]
        .chunks_exact(4)
        .map(|b| b.try_into().unwrap())
        .collect();
    (shape, words)
}

#[test]
fn w_and_n_take_the_contexts_shape() {
    let mut s = session();
    let v = s.data().vocab().len();
    s.set_split(10.0, 7).unwrap();
    for (len, encoding, w_rows) in [
        (1, Encoding::Context, v),
        (2, Encoding::Context, v * v),
        (2, Encoding::Concat, 2 * v),
        (3, Encoding::Context, v * v * v),
    ] {
        s.set_context(Context::new(len, encoding).unwrap(), DEFAULT_SEED)
            .unwrap();
        let (shape, words) = npy_shape_and_words(&s.w_npy().unwrap());
        assert_eq!(shape, format!("({w_rows}, {v})"));
        let w: Vec<f32> = words.iter().map(|&b| f32::from_le_bytes(b)).collect();
        assert_eq!(&w[..], s.net().w().as_slice().unwrap());
        // N: the training words' counts, one row per context whatever the encoding.
        let (shape, words) = npy_shape_and_words(&s.n_npy().unwrap());
        let contexts = v.pow(len as u32);
        assert_eq!(shape, format!("({contexts}, {v})"));
        let n: Vec<i64> = words
            .iter()
            .map(|&b| i64::from(i32::from_le_bytes(b)))
            .collect();
        let want = s.training_data().n_for(s.context()).unwrap();
        let want: Vec<i64> = want.matrix().iter().map(|&c| i64::from(c)).collect();
        assert_eq!(n, want);
        assert_eq!(n.iter().sum::<i64>() as u64, s.summary().examples);
    }
}
