//! *Walk the loop*: the lecture's loop taken one phase a press (forward, zero grad,
//! backward, update), so that a learner sees what each phase changes.

use super::Session;
use crate::error::Result;
use serde::Serialize;

/// The phases of the lecture's loop, in order, as *Walk the loop* takes them one a press.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The loss of this step's examples (and their probabilities).
    Forward,
    /// `W.grad` cleared.
    ZeroGrad,
    /// `W.grad` filled by backpropagation.
    Backward,
    /// `W -= lr · W.grad`.
    Update,
}

impl Session {
    /// Starts or stops *Walk the loop*. Stopping leaves `W` as the walk left it.
    pub fn set_walk(&mut self, on: bool) {
        self.walk = on.then_some(Phase::Update);
    }

    /// The phase the walk did last (`None` when not walking).
    pub fn walk_phase(&self) -> Option<Phase> {
        self.walk
    }

    /// Does the walk's next phase: forward (returns this step's loss), zero grad,
    /// backward, update (`W -= lr · grad`, one step). Starts the walk if it was off.
    pub fn walk_next(&mut self, lr: f32) -> Result<(Phase, Option<f64>)> {
        let next = match self.walk {
            None | Some(Phase::Update) => Phase::Forward,
            Some(Phase::Forward) => Phase::ZeroGrad,
            Some(Phase::ZeroGrad) => Phase::Backward,
            Some(Phase::Backward) => Phase::Update,
        };
        let mut loss = None;
        match next {
            Phase::Forward => loss = Some(self.forward()?),
            Phase::ZeroGrad => self.net.zero_grad(),
            Phase::Backward => self.backward()?,
            Phase::Update => self.step(lr)?,
        }
        self.walk = Some(next);
        Ok((next, loss))
    }

    /// While walking the loop: the next phase is forward again.
    pub(super) fn restart_walk(&mut self) {
        if self.walk.is_some() {
            self.walk = Some(Phase::Update);
        }
    }
}
