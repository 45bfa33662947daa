//! The divergence rewind's rule: which `W` a diverged run goes back to. Not merely the
//! last one whose loss was finite: a learning rate far too large walks `W` through
//! states with losses of 10^70 on its way to infinity, and going back to one of those
//! would show a number but not a model. The rewind goes back to the last state whose
//! loss was finite and at most [`absurd_loss_bound`], or to the run's start.

use super::Session;
use crate::error::Result;
use crate::model::Net;

/// How many times the larger of ln V and the run's starting loss a state's loss may be
/// for the rewind to go back to it (see [`absurd_loss_bound`]).
pub const ABSURD_LOSS_MARGIN: f64 = 2.0;

/// The largest loss of a state worth going back to when `W` diverges: twice
/// ([`ABSURD_LOSS_MARGIN`]) the larger of ln V, the uniform model's loss (every
/// character equally likely: what all-equal weights give, and about what the lecture's
/// random `W` starts from), and `start_loss`, the loss of the `W` the run started from
/// (an imported `W` may start higher). A loss above it is absurd: that `W` predicts
/// worse than guessing by a wide margin, so it is no state to show after a divergence.
pub fn absurd_loss_bound(v: usize, start_loss: f64) -> f64 {
    // f64::max ignores a NaN start; an infinite one keeps every finite state.
    ABSURD_LOSS_MARGIN * (v as f64).ln().max(start_loss)
}

impl Session {
    /// [`absurd_loss_bound`] of the current run. Its starting loss is measured on the
    /// first call of a run, when the state kept for a rewind is still the run's start
    /// (it moves only after this is asked).
    pub(super) fn rewind_bound(&mut self) -> Result<f64> {
        let start = match self.start_loss {
            Some(loss) => loss,
            None => {
                let (w, context, l2) = (&self.checkpoint.0, self.net.context(), self.net.l2());
                let loss =
                    Net::from_weights_in(w.clone(), context, l2)?.evaluate(&self.parts.train)?;
                self.start_loss = Some(loss);
                loss
            }
        };
        Ok(absurd_loss_bound(self.data.vocab().len(), start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::dataset::Dataset;
    use crate::DEFAULT_SEED;

    #[test]
    fn absurd_is_twice_the_larger_of_ln_v_and_the_start() {
        assert_eq!(absurd_loss_bound(27, 3.0), 2.0 * 27f64.ln());
        assert_eq!(absurd_loss_bound(27, 10.0), 20.0);
        assert_eq!(absurd_loss_bound(27, f64::NAN), 2.0 * 27f64.ln());
    }

    #[test]
    fn a_diverging_learning_rate_rewinds_to_a_w_whose_loss_is_not_absurd() {
        let mut s = Session::new(Dataset::default_names(), DEFAULT_SEED, 0.01).unwrap();
        let start = s.settle().unwrap().loss;
        let bound = absurd_loss_bound(27, start);
        // Settled after every step, as the page does: the states on the way are seen.
        let mut seen_absurd = false;
        let (rewind, loss) = loop {
            s.train(1e6, 1, || true).unwrap();
            let status = s.settle().unwrap();
            if let Some(rewind) = status.rewound {
                break (rewind, status.loss);
            }
            seen_absurd |= status.loss > bound;
            assert!(s.steps() < 1000, "a learning rate of 1e6 diverges");
        };
        assert!(
            seen_absurd,
            "finite but absurd states came before the divergence"
        );
        assert!(loss <= bound, "rewound to a loss of {loss}, above {bound}");
        assert!(rewind.to_step < rewind.at_step);
        // Without a settle on the way, back to the run's start.
        let mut s = Session::new(Dataset::default_names(), DEFAULT_SEED, 0.01).unwrap();
        s.train(1e6, 50, || true).unwrap();
        let status = s.settle().unwrap();
        assert_eq!(status.rewound.map(|r| r.to_step), Some(0));
        assert_eq!(status.loss, start);
    }
}
