//! A run trained in another instance of the module and taken back equals the run
//! trained here, bit for bit; stale and damaged reports change nothing.

use super::*;
use crate::data::context::{Context, Encoding};

const LR: f32 = 10.0;

/// The default names with `setup` applied and a few steps taken (a run under way).
fn under_way(setup: impl FnOnce(&mut Session)) -> Session {
    let mut s = Session::new(Dataset::default_names(), DEFAULT_SEED, 0.01).unwrap();
    setup(&mut s);
    s.train(LR, 3, || true).unwrap();
    s.settle().unwrap();
    s
}

fn trigram(s: &mut Session, encoding: Encoding) {
    let context = Context::new(2, encoding).unwrap();
    s.set_context(context, DEFAULT_SEED).unwrap();
}

/// Every kind of run the page trains: bigram, both trigram encodings, minibatches,
/// makemore's split, a held-out share, the word-only run.
fn runs() -> Vec<(&'static str, Session)> {
    vec![
        ("bigram, full batch", under_way(|_| {})),
        (
            "trigram over contexts, minibatches of 32, makemore's split",
            under_way(|s| {
                trigram(s, Encoding::Context);
                s.set_makemore_split(Some(42)).unwrap();
                s.set_batch_size(32.0).unwrap();
            }),
        ),
        (
            "trigram side by side, 10% held out",
            under_way(|s| {
                trigram(s, Encoding::Concat);
                s.set_split(10.0, 7).unwrap();
            }),
        ),
        (
            "the word only, minibatches of 3",
            under_way(|s| {
                s.set_train_on(Some("emma")).unwrap();
                s.set_batch_size(3.0).unwrap();
            }),
        ),
    ]
}

fn bits(a: &ndarray::Array2<f32>) -> Vec<u32> {
    a.iter().map(|x| x.to_bits()).collect()
}

/// What must be equal between the run here and the run adopted.
fn trained(s: &Session) -> (Vec<u32>, Vec<u32>, Vec<u32>, u64, Vec<u32>) {
    (
        bits(s.net.w()),
        bits(s.net.grad()),
        bits(&s.last_update),
        s.steps,
        s.batch_rng.to_words(),
    )
}

#[test]
fn a_handoff_rebuilds_the_session_it_was_made_from() {
    for (what, s) in runs() {
        let check = |remote: &Remote| {
            let copy = remote.session();
            assert_eq!(copy.fingerprint(), s.fingerprint(), "{what}");
            assert_eq!(copy.export(), s.export(), "{what}");
            assert_eq!(copy.data.xs(), s.data.xs(), "{what}");
            assert_eq!(copy.data.ys(), s.data.ys(), "{what}");
            assert_eq!(copy.parts.train, s.parts.train, "{what}");
        };
        // The words travel only to a worker that has not got them.
        let words = s.handoff(None);
        assert!(words.words.is_some(), "{what}");
        assert_eq!(s.handoff(Some(s.data_id())).words, None, "{what}");
        assert!(s.handoff(Some(s.data_id() + 1)).words.is_some(), "{what}");
        let first = Remote::new(words, None).unwrap();
        check(&first);
        let again = Remote::new(s.handoff(Some(s.data_id())), Some(first)).unwrap();
        check(&again);
    }
    let s = runs().remove(0).1;
    let mut damaged = s.handoff(None);
    damaged.batch_rng.pop();
    assert!(matches!(
        Remote::new(damaged, None),
        Err(Error::Handoff { .. })
    ));
    // Without the words, and a worker without them (or with another list's).
    let without = || s.handoff(Some(s.data_id()));
    assert!(matches!(
        Remote::new(without(), None),
        Err(Error::Handoff { .. })
    ));
    let mut other = Session::new(words_of(&["ava", "mia"]), DEFAULT_SEED, 0.01).unwrap();
    other.train(LR, 1, || true).unwrap();
    let others = Remote::new(other.handoff(None), None).unwrap();
    assert!(matches!(
        Remote::new(without(), Some(others)),
        Err(Error::Handoff { .. })
    ));
}

#[test]
fn a_data_set_keeps_its_number_in_copies_and_a_new_one_gets_another() {
    let mut s = under_way(|_| {});
    let id = s.data_id();
    assert_eq!(s.clone().data_id(), id);
    s.reset(DEFAULT_SEED).unwrap();
    s.set_split(10.0, 1).unwrap();
    assert_eq!(s.data_id(), id, "the same words");
    s.load(words_of(&["emma", "ava"]), DEFAULT_SEED).unwrap();
    assert_ne!(s.data_id(), id);
    let other = Session::new(Dataset::default_names(), DEFAULT_SEED, 0.01).unwrap();
    assert_ne!(other.data_id(), id);
}

fn words_of(words: &[&str]) -> Dataset {
    Dataset::from_words(words).unwrap()
}

#[test]
fn steps_trained_remotely_and_adopted_equal_the_steps_trained_here() {
    for (what, mut s) in runs() {
        // In the same calls as the remote: a call's end brings the rows that minibatches
        // missed up to date, in closed form (a power), so where calls end shows in the
        // last bits, here as on the page's own frames.
        let mut here = s.clone();
        here.train(LR, 2, || true).unwrap();
        here.train(LR, 3, || true).unwrap();
        let mut remote = Remote::new(s.handoff(None), None).unwrap();
        assert_eq!(remote.report(), None, "no steps, no report");
        remote.train(LR, 2, || true).unwrap();
        let first = remote.report().unwrap();
        remote.train(LR, 3, || true).unwrap();
        assert_eq!(remote.unreported(), 3);
        let second = remote.report().unwrap();
        assert_eq!(s.adopt_report(&first), Ok(Adopted::Steps(2)), "{what}");
        assert_eq!(s.adopt_report(&second), Ok(Adopted::Steps(3)), "{what}");
        assert!(trained(&s) == trained(&here), "{what}");
        assert_eq!(s.settle().unwrap(), here.settle().unwrap(), "{what}");
        // The minibatches draw on from the same place.
        s.train(LR, 4, || true).unwrap();
        here.train(LR, 4, || true).unwrap();
        assert!(trained(&s) == trained(&here), "{what}");
        // The same report again is of a state the session has left.
        assert_eq!(s.adopt_report(&second), Ok(Adopted::Stale), "{what}");
    }
}

#[test]
fn a_report_from_a_state_the_session_left_is_stale_and_changes_nothing() {
    type Change = fn(&mut Session);
    let changes: [(&str, Change); 10] = [
        ("a step here", |s| {
            s.train(LR, 1, || true).unwrap();
        }),
        ("reset", |s| s.reset(DEFAULT_SEED).unwrap()),
        ("λ", |s| s.set_l2(0.02).unwrap()),
        ("batch size", |s| s.set_batch_size(16.0).unwrap()),
        ("split", |s| s.set_split(20.0, 1).unwrap()),
        ("word", |s| s.set_train_on(Some("ava")).unwrap()),
        ("resample", |s| {
            s.resample_next(DEFAULT_SEED).unwrap();
        }),
        ("makemore's split", |s| {
            s.set_makemore_split(Some(42)).unwrap()
        }),
        ("an import", |s| {
            let mut other = s.clone();
            other.train(LR, 1, || true).unwrap();
            s.import(other.export()).unwrap();
        }),
        // A report from before a new context is stale too (its W has another shape).
        ("context", |s| trigram(s, Encoding::Context)),
    ];
    for (what, change) in changes {
        let mut s = under_way(|_| {});
        let mut remote = Remote::new(s.handoff(None), None).unwrap();
        remote.train(LR, 2, || true).unwrap();
        let report = remote.report().unwrap();
        change(&mut s);
        let before = (trained(&s), s.export());
        assert_eq!(s.adopt_report(&report), Ok(Adopted::Stale), "{what}");
        assert!((trained(&s), s.export()) == before, "{what}");
    }
}

#[test]
fn damaged_reports_are_refused_with_nothing_changed() {
    let mut s = under_way(|_| {});
    let mut remote = Remote::new(s.handoff(None), None).unwrap();
    remote.train(LR, 1, || true).unwrap();
    let good = remote.report().unwrap();
    let before = (trained(&s), s.export());
    let nan = f32::NAN.to_le_bytes();
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("cut short", good[..good.len() - 1].to_vec()),
        ("one byte more", [&good[..], &[0]].concat()),
        ("another format", [b"BLR2", &good[4..]].concat()),
        ("no steps", [&good[..12], &[0; 8], &good[20..]].concat()),
        (
            "a NaN learning rate",
            [&good[..20], &nan, &good[24..]].concat(),
        ),
        (
            "a generator state one word short",
            [&good[..24], &(628u32 - 1).to_le_bytes(), &good[28..]].concat(),
        ),
        (
            "a W the size it says, of the wrong shape",
            [
                &good[..28],
                &81u32.to_le_bytes(),
                &9u32.to_le_bytes(),
                &good[36..],
            ]
            .concat(),
        ),
        (
            "a W not the size it says",
            [&good[..28], &28u32.to_le_bytes(), &good[32..]].concat(),
        ),
    ];
    for (what, bytes) in damaged {
        assert!(
            matches!(s.adopt_report(&bytes), Err(Error::Handoff { .. })),
            "{what}"
        );
        assert!((trained(&s), s.export()) == before, "{what}");
    }
    assert_eq!(s.adopt_report(&good), Ok(Adopted::Steps(1)));
}

#[test]
fn unusual_word_lists_survive_the_trip_and_one_that_would_not_is_refused() {
    let lists: [&[u8]; 4] = [
        "\u{feff}zoë\r\nanna marie\n\nélodie\nbob".as_bytes(),
        b"  spaced  \nx\n",
        "ß\nçã\n".as_bytes(),
        b"no final newline",
    ];
    for bytes in lists {
        let s = Session::new(Dataset::from_bytes(bytes).unwrap(), DEFAULT_SEED, 0.01).unwrap();
        let remote = Remote::new(s.handoff(None), None).unwrap();
        assert_eq!(remote.session().data.xs(), s.data.xs());
        assert_eq!(remote.session().data.ys(), s.data.ys());
    }
    // A second byte-order mark, which would be taken for the mark at the start of the
    // text the words travel as, is refused when the list is read.
    let bytes = "\u{feff}\u{feff}ann\n\u{feff}bo\n".as_bytes();
    assert_eq!(
        Dataset::from_bytes(bytes).unwrap_err(),
        Error::InvisibleChar {
            line: 1,
            c: '\u{feff}'
        }
    );
    // Words that do not rebuild the page's session are refused.
    let s = Session::new(Dataset::from_bytes(b"ann\nbo").unwrap(), DEFAULT_SEED, 0.01).unwrap();
    let mut handoff = s.handoff(None);
    handoff.words = Some("ann\nbob".into());
    assert!(matches!(
        Remote::new(handoff, None),
        Err(Error::Handoff { .. })
    ));
}

// serde_json is a native dev-dependency only; tests/web.rs takes the handoff through
// serde-wasm-bindgen and a structured clone.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_handoff_goes_through_serde_as_it_was() {
    let s = under_way(|s| trigram(s, Encoding::Concat));
    let handoff = s.handoff(None);
    assert_eq!(handoff.w.len(), 54 * 27);
    assert!(handoff.model.w.is_empty(), "W travels once, as bytes");
    let json = serde_json::to_string(&handoff).unwrap();
    let back: Handoff = serde_json::from_str(&json).unwrap();
    assert_eq!(back, handoff);
    let mut cut = serde_json::to_value(&handoff).unwrap();
    cut["w"].as_array_mut().unwrap().pop();
    assert!(
        serde_json::from_value::<Handoff>(cut).is_err(),
        "a W cut mid-number"
    );
    let remote = Remote::new(back, None).unwrap();
    assert_eq!(remote.session().export(), s.export());
}

#[test]
fn a_known_data_set_is_a_whole_number() {
    assert_eq!(known_data(Some(3.0)), Some(3));
    assert_eq!(known_data(Some(0.0)), Some(0));
    for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY] {
        assert_eq!(known_data(Some(bad)), None, "{bad}");
    }
    assert_eq!(known_data(None), None);
    let s = Session::new(Dataset::from_words(&["emma", "ava"]).unwrap(), 1, 0.0).unwrap();
    let known = known_data(Some(s.data_id() as f64));
    assert!(s.handoff(known).words.is_none());
    assert!(s.handoff(known_data(Some(0.5))).words.is_some());
}
