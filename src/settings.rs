//! Checking the settings a person types, so that the model only ever sees valid ones
//! and the page can say exactly what was wrong.

use crate::error::{Error, Result};
use serde::Serialize;

/// A seed as typed: a whole number from 0 to 2^64 − 1 (PyTorch's `manual_seed` range
/// for non-negative seeds). Surrounding spaces are ignored.
pub fn parse_seed(text: &str) -> Result<u64> {
    let text = text.trim();
    let invalid = |reason: &str| Error::InvalidSetting {
        name: "seed",
        reason: format!("{reason}: use a whole number from 0 to {}", u64::MAX),
    };
    if text.is_empty() {
        return Err(invalid("empty"));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("not a whole number"));
    }
    text.parse().map_err(|_| invalid("too large"))
}

/// The range of one numeric setting: the one place its limits are written. The page
/// builds its checks and its inputs' `min`/`max` from these (through the wasm facade),
/// and the library checks the same rule again where the value is used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// The setting's key in the page's settings, its URL and saved state.
    pub key: &'static str,
    /// The name the page shows.
    pub name: &'static str,
    /// The smallest value (excluded when `exclusive_min`).
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// Whether only whole numbers are allowed.
    pub integer: bool,
    /// Whether `min` itself is refused (a learning rate of 0 learns nothing).
    pub exclusive_min: bool,
}

impl Rule {
    /// `value` if it keeps the rule, else the setting's error.
    pub fn check(&self, value: f64) -> Result<f64> {
        let above_min = if self.exclusive_min {
            value > self.min
        } else {
            value >= self.min
        };
        let whole = !self.integer || value.fract() == 0.0;
        if value.is_finite() && above_min && value <= self.max && whole {
            Ok(value)
        } else {
            Err(Error::InvalidSetting {
                name: self.name,
                reason: format!("must be {}", self.range()),
            })
        }
    }

    /// A whole-number setting as a count (checked: a JavaScript −1 never wraps around).
    pub fn count(&self, value: f64) -> Result<usize> {
        debug_assert!(self.integer, "{} is not a whole-number setting", self.key);
        Ok(self.check(value)? as usize)
    }

    /// The allowed range in words, e.g. "a whole number at least 0 and at most 50".
    pub fn range(&self) -> String {
        let kind = if self.integer {
            "a whole number"
        } else {
            "a number"
        };
        let low = if self.exclusive_min {
            "greater than"
        } else {
            "at least"
        };
        format!("{kind} {low} {} and at most {}", self.min, self.max)
    }
}

/// The learning rate: finite and greater than 0 (the lecture's is 50).
pub const LEARNING_RATE: Rule = Rule {
    key: "lr",
    name: "Learning rate",
    min: 0.0,
    max: 1e9,
    integer: false,
    exclusive_min: true,
};
/// λ, the L2 strength.
pub const L2: Rule = Rule {
    key: "l2",
    name: "λ (L2)",
    min: 0.0,
    max: 1e6,
    integer: false,
    exclusive_min: false,
};
/// The most training steps one animation frame asks for (the frame budget still caps them).
pub const STEPS_PER_FRAME: Rule = Rule {
    key: "stepsPerFrame",
    name: "Steps per frame",
    min: 1.0,
    max: 100_000.0,
    integer: true,
    exclusive_min: false,
};
/// Examples per minibatch; 0 is the whole data set. A step over a million examples
/// already takes milliseconds.
pub const BATCH_SIZE: Rule = Rule {
    key: "batchSize",
    name: "Batch size",
    min: 0.0,
    max: 1_000_000.0,
    integer: true,
    exclusive_min: false,
};
/// The share of words held out for the dev loss, in percent; 0 is no split.
pub const HELD_OUT_PERCENT: Rule = Rule {
    key: "devPercent",
    name: "Held-out %",
    min: 0.0,
    max: 50.0,
    integer: true,
    exclusive_min: false,
};
/// How many names one press of Sample draws.
pub const SAMPLE_COUNT: Rule = Rule {
    key: "sampleCount",
    name: "Names",
    min: 1.0,
    max: 100.0,
    integer: true,
    exclusive_min: false,
};
/// The counting model's smoothing k (the heatmap's slider).
pub const SMOOTHING: Rule = Rule {
    key: "smoothing",
    name: "Smoothing k",
    min: 0.0,
    max: 100.0,
    integer: false,
    exclusive_min: false,
};

/// How many cells beside the explorer's a gradient check draws (the page asks for 5).
pub const GRAD_CHECK_CELLS: Rule = Rule {
    key: "gradCheckCells",
    name: "Gradient-check cells",
    min: 0.0,
    max: 100.0,
    integer: true,
    exclusive_min: false,
};

/// Training steps for each strength of a λ sweep.
pub const SWEEP_STEPS: Rule = Rule {
    key: "sweepSteps",
    name: "Sweep steps",
    min: 1.0,
    max: 100_000.0,
    integer: true,
    exclusive_min: false,
};

/// Characters of context as a number asks for them (the page sends a JavaScript
/// number): a small whole number, so that it converts to a length without wrapping or
/// truncating. Which lengths make a net is the context's own check
/// ([`crate::data::context::Context::new`], 1 to [`crate::data::context::MAX_LEN`]).
pub const CONTEXT_LENGTH: Rule = Rule {
    key: "contextLength",
    name: "Context length",
    min: 0.0,
    max: 8.0,
    integer: true,
    exclusive_min: false,
};

/// Every numeric setting's rule, for the page.
pub const RULES: [Rule; 10] = [
    LEARNING_RATE,
    L2,
    STEPS_PER_FRAME,
    BATCH_SIZE,
    HELD_OUT_PERCENT,
    SAMPLE_COUNT,
    SMOOTHING,
    GRAD_CHECK_CELLS,
    SWEEP_STEPS,
    CONTEXT_LENGTH,
];

/// The most bigram rows a word report carries; the mean NLL still covers them all.
pub const MAX_REPORT_ROWS: usize = 200;

/// The most optimizer steps a `W` counts: 2^53 − 1, JavaScript's
/// `Number.MAX_SAFE_INTEGER`, the largest count the page's numbers hold exactly with
/// the next one distinct. Imports, handoffs and reports past it are refused, and a
/// session at it refuses to step further rather than wrap.
pub const MAX_STEPS: u64 = 9_007_199_254_740_991;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds() {
        assert_eq!(parse_seed(" 2147483647 "), Ok(2_147_483_647));
        assert_eq!(parse_seed("18446744073709551615"), Ok(u64::MAX));
        for bad in ["", "-1", "1e3", "12.5", "18446744073709551616", "abc"] {
            let err = parse_seed(bad).unwrap_err().to_string();
            assert!(err.starts_with("seed: "), "{bad}: {err}");
        }
    }

    #[test]
    fn rules_refuse_what_they_say() {
        assert_eq!(SAMPLE_COUNT.count(5.0), Ok(5));
        for bad in [
            -1.0,
            0.0,
            100.5,
            101.0,
            f64::NAN,
            f64::INFINITY,
            4294967295.0,
        ] {
            assert!(SAMPLE_COUNT.count(bad).is_err(), "{bad}");
        }
        assert_eq!(LEARNING_RATE.check(50.0), Ok(50.0));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 2e9] {
            assert!(LEARNING_RATE.check(bad).is_err(), "{bad}");
        }
        assert_eq!(L2.check(0.0), Ok(0.0));
        let err = HELD_OUT_PERCENT.check(51.0).unwrap_err().to_string();
        assert_eq!(
            err,
            "Held-out %: must be a whole number at least 0 and at most 50"
        );
        let keys: std::collections::HashSet<_> = RULES.iter().map(|r| r.key).collect();
        assert!(keys.contains("contextLength"));
        assert_eq!(keys.len(), RULES.len(), "one rule per setting");
    }

    #[test]
    fn the_context_length_rule_takes_small_whole_numbers() {
        assert_eq!(CONTEXT_LENGTH.count(0.0), Ok(0));
        assert_eq!(CONTEXT_LENGTH.count(8.0), Ok(8));
        for bad in [9.0, -1.0, 1.5, f64::NAN, f64::INFINITY] {
            assert!(CONTEXT_LENGTH.count(bad).is_err(), "{bad}");
        }
    }
}
