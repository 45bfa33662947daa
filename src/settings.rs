//! Checking the settings a person types, so that the model only ever sees valid ones
//! and the page can say exactly what was wrong.

use crate::error::{Error, Result};

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

/// A learning rate: finite and greater than 0.
pub fn check_learning_rate(lr: f32) -> Result<f32> {
    if lr.is_finite() && lr > 0.0 {
        Ok(lr)
    } else {
        Err(Error::InvalidSetting {
            name: "learning rate",
            reason: "must be a finite number greater than 0".into(),
        })
    }
}

/// A whole number from JavaScript (which passes every number as a double) in
/// `min..=max`. Checked here, not wrapped: the glue would turn −1 into 4294967295.
pub fn whole_number(name: &'static str, value: f64, min: usize, max: usize) -> Result<usize> {
    if value.fract() == 0.0 && value >= min as f64 && value <= max as f64 {
        Ok(value as usize)
    } else {
        Err(Error::InvalidSetting {
            name,
            reason: format!("must be a whole number from {min} to {max}"),
        })
    }
}

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
    fn whole_numbers() {
        assert_eq!(whole_number("names", 5.0, 1, 1000), Ok(5));
        for bad in [
            -1.0,
            0.0,
            1000.5,
            1001.0,
            f64::NAN,
            f64::INFINITY,
            4294967295.0,
        ] {
            assert!(whole_number("names", bad, 1, 1000).is_err(), "{bad}");
        }
    }

    #[test]
    fn learning_rates() {
        assert_eq!(check_learning_rate(50.0), Ok(50.0));
        for bad in [0.0, -1.0, f32::NAN, f32::INFINITY] {
            assert!(check_learning_rate(bad).is_err());
        }
    }
}
