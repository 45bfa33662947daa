//! Tuning on dev (exercise E03): a strength swept over a log grid, each point scored on
//! the training and the dev words, and the best by dev loss. The smoothing sweep of the
//! counting model is instant (one `P` per k); the test words are never looked at here.

use crate::data::context::Context;
use crate::data::n::N;
use crate::error::Result;
use crate::model::count_model::CountModel;
use crate::model::Net;
use crate::settings::{L2, LEARNING_RATE, SWEEP_STEPS};
use crate::train::trainer::Trainer;
use serde::Serialize;

/// The smoothing sweep's grid: 13 half decades from 0.0001 to 100.
pub fn smoothing_grid() -> Vec<f64> {
    log_grid(-4, 2, 13)
}

/// The λ sweep's grid: 9 half decades from 0.0001 to 1 (a larger λ at the lecture's
/// learning rate pulls `W` to 0 faster than the data can shape it).
pub fn l2_grid() -> Vec<f64> {
    log_grid(-4, 0, 9)
}

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

/// A λ sweep under way: for each strength a net trained from the seed, full batch, on
/// the training words, then scored on train and dev. It advances a few steps at a time
/// (the page's frame budget), so the page stays responsive and can cancel; the
/// session's own `W` is not touched.
#[derive(Debug, Clone)]
pub struct L2Sweep {
    values: Vec<f64>,
    steps: usize,
    lr: f32,
    seed: u64,
    context: Context,
    v: usize,
    /// The net being trained and the steps it has had.
    current: Option<(Net, usize)>,
    points: Vec<SweepPoint>,
}

/// How far a sweep has got.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepProgress {
    /// Optimizer steps done, over all strengths.
    pub done: usize,
    /// Optimizer steps in all.
    pub total: usize,
    /// The points scored so far.
    pub points: Vec<SweepPoint>,
    /// Whether every strength is scored (all steps done is not enough: the last net is
    /// scored one call after its last step).
    pub finished: bool,
}

impl L2Sweep {
    /// A sweep of `values` (each a valid λ), `steps` steps each at `lr`, `W` from `seed`
    /// for `context` over a vocabulary of `v`.
    pub fn new(
        values: Vec<f64>,
        steps: f64,
        lr: f32,
        seed: u64,
        context: Context,
        v: usize,
    ) -> Result<Self> {
        let steps = SWEEP_STEPS.count(steps)?;
        LEARNING_RATE.check(f64::from(lr))?;
        for &value in &values {
            L2.check(value)?;
        }
        Ok(Self {
            values,
            steps,
            lr,
            seed,
            context,
            v,
            current: None,
            points: Vec::new(),
        })
    }

    /// Trains on while `go_on` says so after each step; returns whether every strength
    /// is scored.
    pub fn advance(&mut self, train: &N, dev: &N, mut go_on: impl FnMut() -> bool) -> Result<bool> {
        while self.points.len() < self.values.len() {
            let value = self.values[self.points.len()];
            if self.current.is_none() {
                let net = Net::with_context(self.v, self.context, self.seed, value as f32)?;
                self.current = Some((net, 0));
            }
            let (net, done) = self.current.as_mut().expect("made just above");
            if *done < self.steps {
                let mut trainer = Trainer::new(net, self.lr);
                loop {
                    trainer.update(train)?;
                    *done += 1;
                    if *done == self.steps || !go_on() {
                        break;
                    }
                }
                drop(trainer);
                if *done < self.steps {
                    break;
                }
            } else {
                let point = SweepPoint {
                    value,
                    train: net.evaluate(train)?,
                    dev: net.evaluate(dev)?,
                };
                self.points.push(point);
                self.current = None;
            }
            if !go_on() {
                break;
            }
        }
        Ok(self.points.len() == self.values.len())
    }

    /// Steps done and in all, and the points so far.
    pub fn progress(&self) -> SweepProgress {
        let current = self.current.as_ref().map_or(0, |(_, done)| *done);
        SweepProgress {
            done: self.points.len() * self.steps + current,
            total: self.values.len() * self.steps,
            points: self.points.clone(),
            finished: self.points.len() == self.values.len(),
        }
    }
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
    fn a_l2_sweep_advances_in_slices_and_scores_each_strength() {
        let data = crate::Dataset::from_words(&["emma", "ava", "mia", "amelia", "ella"]).unwrap();
        let (train, dev) = data.split(0.4, 1).unwrap();
        let (train, dev) = (train.n().clone(), dev.n().clone());
        let v = data.vocab().len();
        let mut sweep = L2Sweep::new(vec![0.0, 0.1, 1.0], 4.0, 1.0, 7, Context::BIGRAM, v).unwrap();
        let mut slices = 0;
        loop {
            slices += 1;
            let mut budget = 3;
            if sweep
                .advance(&train, &dev, || {
                    budget -= 1;
                    budget > 0
                })
                .unwrap()
            {
                break;
            }
        }
        // 3 strengths × (4 steps + 1 scoring) = 15 calls of the work, 3 a slice.
        assert_eq!(slices, 5);
        let p = sweep.progress();
        assert_eq!(
            (p.done, p.total, p.points.len(), p.finished),
            (12, 12, 3, true)
        );
        // Each point is a net trained from the seed on its own: the first equals a direct run.
        let mut net = Net::with_context(v, Context::BIGRAM, 7, 0.0).unwrap();
        let mut trainer = Trainer::new(&mut net, 1.0);
        for _ in 0..4 {
            trainer.step(&train).unwrap();
        }
        drop(trainer);
        assert_eq!(p.points[0].train, net.evaluate(&train).unwrap());
        assert!(
            p.points[2].train > p.points[0].train,
            "a strong λ holds the training loss up"
        );
        assert!(L2Sweep::new(vec![-1.0], 4.0, 1.0, 7, Context::BIGRAM, v).is_err());
        assert!(L2Sweep::new(vec![0.1], 0.0, 1.0, 7, Context::BIGRAM, v).is_err());
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
