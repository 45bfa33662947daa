//! Tuning on dev (exercise E03): a strength swept over a log grid, each point scored on
//! the training and the dev words, and the best by dev loss. The smoothing sweep of the
//! counting model is instant (one `P` per k); the test words are never looked at here.

use crate::count_model::CountModel;
use crate::error::Result;
use crate::n::N;
use serde::Serialize;

/// One point of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The strength (smoothing k, or λ).
    pub value: f64,
    /// Loss on the training words.
    pub train: f64,
    /// Loss on the dev words.
    pub dev: f64,
}

/// `count` values from 10^`lo` to 10^`hi`, evenly spaced in log: with (−4, 2, 13) the
/// half decades 0.0001, 0.000316, …, 100 (the smoothing rule's largest k), which hold
/// 0.01, 0.1, 1 and 10 exactly as decimal values.
pub fn log_grid(lo: i32, hi: i32, count: usize) -> Vec<f64> {
    let steps = count.max(2) - 1;
    (0..=steps)
        .map(|i| {
            let e = f64::from(lo) + f64::from(hi - lo) * i as f64 / steps as f64;
            // Whole powers printed and parsed exactly (10^-2 is 0.01, not 0.010000000000000002).
            if e.fract() == 0.0 {
                format!("1e{e}").parse().unwrap_or(f64::NAN)
            } else {
                10f64.powf(e)
            }
        })
        .collect()
}

/// The counting model fitted on `train` with each smoothing `k`, scored on `train` and
/// `dev`.
pub fn smoothing_sweep(train: &N, dev: &N, ks: &[f64]) -> Result<Vec<SweepPoint>> {
    ks.iter()
        .map(|&k| {
            let model = CountModel::new(train, k as f32)?;
            Ok(SweepPoint {
                value: k,
                train: model.nll(train),
                dev: model.nll(dev),
            })
        })
        .collect()
}

/// The point with the lowest dev loss (the first of equals); `None` for no points.
pub fn best_by_dev(points: &[SweepPoint]) -> Option<SweepPoint> {
    points
        .iter()
        .copied()
        .filter(|p| p.dev.is_finite())
        .min_by(|a, b| a.dev.total_cmp(&b.dev))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_holds_the_decades_exactly() {
        let g = log_grid(-4, 2, 13);
        assert_eq!(g.len(), 13);
        for k in [0.01, 0.1, 1.0, 10.0] {
            assert!(g.contains(&k), "{k} in {g:?}");
        }
        assert!(g.windows(2).all(|w| w[0] < w[1]));
        assert!((g[1] - 10f64.powf(-3.5)).abs() < 1e-18);
        assert_eq!((g[0], g[12]), (1e-4, 100.0));
    }

    #[test]
    fn the_best_point_is_the_lowest_finite_dev_loss() {
        let p = |value, dev| SweepPoint {
            value,
            train: 0.0,
            dev,
        };
        let points = [
            p(0.0, f64::INFINITY),
            p(0.1, 2.3),
            p(1.0, 2.2),
            p(10.0, 2.25),
        ];
        assert_eq!(best_by_dev(&points).map(|b| b.value), Some(1.0));
        assert_eq!(best_by_dev(&[]), None);
    }
}
