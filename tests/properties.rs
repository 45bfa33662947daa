//! Properties that hold for any problem, checked on random small ones: the maths of
//! softmax and the loss, the gradient against finite differences in f64, the fast path
//! against the literal one, and parsers that never panic.

#![cfg(not(target_arch = "wasm32"))]

use bigram_lab::model::literal;
use bigram_lab::model::{backward_n, forward_n, softmax_rows};
use bigram_lab::{word_report, Dataset, DatasetBuilder, Vocab, N};
use ndarray::Array2;
use proptest::prelude::*;

/// A random problem: V, weights W (V×V), and examples `xs → ys` with indices below V.
#[derive(Debug, Clone)]
struct Problem {
    w: Array2<f64>,
    xs: Vec<u8>,
    ys: Vec<u8>,
    l2: f64,
}

impl Problem {
    fn n(&self) -> N {
        N::from_examples(&self.xs, &self.ys, self.w.nrows()).unwrap()
    }

    fn loss_and_grad(&self, w: &Array2<f64>) -> (f64, Array2<f64>) {
        let n = self.n();
        let mut probs = Array2::zeros(w.raw_dim());
        let mut grad = Array2::zeros(w.raw_dim());
        let loss = forward_n(w.view(), &n, self.l2, &mut probs);
        backward_n(w.view(), probs.view(), &n, self.l2, &mut grad);
        (loss, grad)
    }
}

fn problem(max_v: usize, scale: f64) -> impl Strategy<Value = Problem> {
    (2..=max_v).prop_flat_map(move |v| {
        let w = proptest::collection::vec(-scale..scale, v * v);
        let examples = proptest::collection::vec((0..v as u8, 0..v as u8), 1..60);
        (w, examples, prop_oneof![Just(0.0), 0.0..0.5]).prop_map(move |(w, ex, l2)| {
            let (xs, ys) = ex.into_iter().unzip();
            Problem {
                w: Array2::from_shape_vec((v, v), w).unwrap(),
                xs,
                ys,
                l2,
            }
        })
    })
}

/// Bytes that look like word lists often enough to reach the parser's every branch:
/// letters, spaces, line ends, a byte-order mark, accented letters, `.` and stray bytes
/// that are not UTF-8. (Uniform random bytes are almost never valid UTF-8.)
fn word_list_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        8 => (b'a'..=b'z').prop_map(|b| vec![b]),
        2 => Just(b"\n".to_vec()),
        1 => Just(b"\r\n".to_vec()),
        1 => Just(b" ".to_vec()),
        1 => Just("é".as_bytes().to_vec()),
        1 => Just("\u{feff}".as_bytes().to_vec()),
        1 => Just(b".".to_vec()),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ];
    proptest::collection::vec(piece, 0..200).prop_map(|v| v.concat())
}

fn max_abs_diff(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    a.iter().zip(b).fold(0.0, |m, (x, y)| m.max((x - y).abs()))
}

proptest! {
    #[test]
    fn softmax_rows_sum_to_one(p in problem(12, 40.0)) {
        let probs = softmax_rows(p.w.view());
        for row in probs.rows() {
            prop_assert!((row.sum() - 1.0).abs() < 1e-12);
            prop_assert!(row.iter().all(|&x| (0.0..=1.0).contains(&x)));
        }
    }

    #[test]
    fn loss_is_non_negative(p in problem(10, 20.0)) {
        let (loss, _) = p.loss_and_grad(&p.w);
        prop_assert!(loss >= 0.0, "loss {}", loss);
    }

    #[test]
    fn loss_is_ln_v_for_zero_weights_without_l2(p in problem(30, 1.0)) {
        let zero = Problem { l2: 0.0, ..p };
        let w = Array2::zeros(zero.w.raw_dim());
        let (loss, _) = zero.loss_and_grad(&w);
        let v = w.nrows() as f64;
        prop_assert!((loss - v.ln()).abs() < 1e-12, "loss {} vs ln {} = {}", loss, v, v.ln());
    }

    #[test]
    fn gradient_rows_sum_to_zero_without_l2(p in problem(10, 5.0)) {
        let (_, grad) = Problem { l2: 0.0, ..p.clone() }.loss_and_grad(&p.w);
        for row in grad.rows() {
            prop_assert!(row.sum().abs() < 1e-12, "row sums to {}", row.sum());
        }
    }

    #[test]
    fn gradient_matches_finite_differences(p in problem(6, 3.0)) {
        let (_, grad) = p.loss_and_grad(&p.w);
        let h = 1e-6;
        let mut numeric = Array2::zeros(p.w.raw_dim());
        for ix in ndarray::indices(p.w.raw_dim()) {
            let mut plus = p.w.clone();
            plus[ix] += h;
            let mut minus = p.w.clone();
            minus[ix] -= h;
            numeric[ix] = (p.loss_and_grad(&plus).0 - p.loss_and_grad(&minus).0) / (2.0 * h);
        }
        let diff = max_abs_diff(&grad, &numeric);
        prop_assert!(diff < 1e-7, "analytic and numeric gradients differ by {}", diff);
    }

    #[test]
    fn fast_and_literal_paths_agree(p in problem(10, 5.0)) {
        let (loss, grad) = p.loss_and_grad(&p.w);
        let fwd = literal::forward(p.w.view(), &p.xs, &p.ys, p.l2);
        let lit_grad = literal::backward(&fwd, p.w.view(), &p.ys, p.l2);
        prop_assert!((loss - fwd.loss).abs() <= 1e-6 * fwd.loss.abs().max(1e-12));
        let scale = lit_grad.iter().fold(1e-12f64, |m, g| m.max(g.abs()));
        prop_assert!(max_abs_diff(&grad, &lit_grad) <= 1e-6 * scale);
    }

    #[test]
    fn fast_path_in_f32_agrees_with_literal_f64(p in problem(10, 5.0)) {
        let w32 = p.w.mapv(|x| x as f32);
        let w64 = w32.mapv(f64::from); // the same weights, exactly
        let n_mat = p.n();
        let mut probs = Array2::zeros(w32.raw_dim());
        let mut grad = Array2::zeros(w32.raw_dim());
        let l2 = p.l2 as f32;
        let loss = forward_n(w32.view(), &n_mat, l2, &mut probs);
        backward_n(w32.view(), probs.view(), &n_mat, l2, &mut grad);
        let fwd = literal::forward(w64.view(), &p.xs, &p.ys, f64::from(l2));
        let lit_grad = literal::backward(&fwd, w64.view(), &p.ys, f64::from(l2));
        prop_assert!((loss - fwd.loss).abs() <= 1e-6 * fwd.loss.abs().max(1.0));
        // An f32 gradient entry is (R_i·p − N_ij)/n: its rounding error scales with the
        // terms subtracted (up to R_i/n), not with the possibly tiny difference.
        let n = n_mat.total() as f64;
        let terms = n_mat.row_sums().iter().fold(0f64, |m, &r| m.max(r as f64 / n));
        let scale = lit_grad.iter().fold(terms, |m, g| m.max(g.abs()));
        let grad64 = grad.mapv(f64::from);
        prop_assert!(max_abs_diff(&grad64, &lit_grad) <= 1e-6 * scale);
    }

    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in word_list_bytes()) {
        // Either a data set whose words read back as parsed, or an error with a message.
        match Dataset::from_bytes(&bytes) {
            Ok(ds) => {
                // An independent reading of the format: lines, trimmed, blanks skipped.
                let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).unwrap();
                let lines: Vec<&str> = text.lines().map(str::trim).filter(|w| !w.is_empty()).collect();
                prop_assert_eq!(ds.words().collect::<Vec<_>>(), lines.clone());
                prop_assert_eq!(ds.vocab(), &Vocab::from_words(lines).unwrap());
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn chunked_reading_equals_whole_reading(
        bytes in word_list_bytes(),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        // The page feeds files in pieces; any cutting must read as the whole file does.
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut builder = DatasetBuilder::new();
        let mut at = 0;
        let mut pushed = Ok(());
        for cut in cuts.into_iter().chain([bytes.len()]) {
            pushed = pushed.and_then(|()| builder.push(&bytes[at..cut]));
            at = cut;
        }
        let chunked = pushed.and_then(|()| builder.finish());
        match (chunked, Dataset::from_bytes(&bytes)) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.xs(), b.xs());
                prop_assert_eq!(a.ys(), b.ys());
                prop_assert_eq!(a.vocab(), b.vocab());
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "chunked {:?} vs whole {:?}", a.map(|_| ()), b.map(|_| ())),
        }
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,200}(\r?\n\\PC{0,30}){0,20}") {
        if let Ok(ds) = Dataset::from_bytes(text.as_bytes()) {
            prop_assert_eq!(ds.n().total() as usize, ds.bigram_count());
            prop_assert!(ds.vocab().len() <= bigram_lab::MAX_VOCAB);
        }
    }

    #[test]
    fn word_report_never_panics_and_invents_no_nll(word in "\\PC{0,40}") {
        let ds = Dataset::from_bytes(b"emma\nava\n").unwrap();
        let v = ds.vocab().len();
        let probs = softmax_rows(Array2::<f32>::zeros((v, v)).view());
        let report = word_report(ds.vocab(), probs.view(), &word, 10, bigram_lab::Context::BIGRAM);
        prop_assert_eq!(report.total_rows, word.chars().count() + 1);
        prop_assert_eq!(report.rows.len(), report.total_rows.min(10));
        prop_assert_eq!(report.mean_nll.is_some(), report.unknown.is_empty());
        for row in &report.rows {
            prop_assert_eq!(row.p.is_some(), row.input.is_some() && row.label.is_some());
        }
    }
}
