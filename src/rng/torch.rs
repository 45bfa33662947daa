//! A random number generator that draws the same numbers as PyTorch's CPU generator
//! (`torch.Generator().manual_seed(seed)`), so the page and the lecture agree.
//!
//! The engine is the standard 32-bit Mersenne Twister; each distribution below turns its
//! draws into values exactly the way PyTorch's CPU kernels do (see the README of the
//! reference numbers for the rules this follows).

use crate::error::{Error, Result};
use std::f64::consts::PI;

/// The Mersenne Twister's state size, in 32-bit words.
pub(crate) const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// PyTorch's `randn` fills blocks of this many values with a float32 Box–Muller
/// transform; shorter requests take a float64 path instead.
const NORMAL_BLOCK: usize = 16;

/// `torch.Generator` on the CPU: MT19937 plus PyTorch's distribution rules.
#[derive(Clone)]
pub struct TorchGenerator {
    state: [u32; N],
    index: usize,
    /// The float64 normal path makes values in pairs and keeps the second for the next
    /// call, as PyTorch's generator does.
    next_normal: Option<f64>,
}

impl std::fmt::Debug for TorchGenerator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TorchGenerator")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl TorchGenerator {
    /// `torch.Generator().manual_seed(seed)`: MT19937 seeded with `seed mod 2^32`.
    pub fn manual_seed(seed: u64) -> Self {
        let mut state = [0u32; N];
        state[0] = seed as u32; // PyTorch keeps the low 32 bits.
        for i in 1..N {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Self {
            state,
            index: N,
            next_normal: None,
        }
    }

    /// The generator whose Mersenne Twister state is `state`, about to twist (for other
    /// seedings of the same engine, such as Python's `random.seed`).
    pub(crate) fn from_state(state: [u32; N]) -> Self {
        Self {
            state,
            index: N,
            next_normal: None,
        }
    }

    /// The whole state as 32-bit words (see [`from_words`](Self::from_words)): to hand
    /// the generator to another instance of the module, which draws on from here.
    pub fn to_words(&self) -> Vec<u32> {
        let mut words = self.state.to_vec();
        words.push(self.index as u32);
        let normal = self.next_normal.map_or(0, f64::to_bits);
        words.extend([
            u32::from(self.next_normal.is_some()),
            normal as u32,
            (normal >> 32) as u32,
        ]);
        words
    }

    /// The generator whose state [`to_words`](Self::to_words) gave; `None` unless the
    /// words are a state one could have given.
    pub fn from_words(words: &[u32]) -> Option<Self> {
        let [state @ .., index, has_normal, lo, hi] = words else {
            return None;
        };
        let state: [u32; N] = state.try_into().ok()?;
        if *index as usize > N || *has_normal > 1 {
            return None;
        }
        let normal = f64::from_bits(u64::from(*lo) | (u64::from(*hi) << 32));
        Some(Self {
            state,
            index: *index as usize,
            next_normal: (*has_normal == 1).then_some(normal),
        })
    }

    fn twist(&mut self) {
        for i in 0..N {
            let y = (self.state[i] & UPPER_MASK) | (self.state[(i + 1) % N] & LOWER_MASK);
            let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
            self.state[i] = self.state[(i + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// One 32-bit draw of the Mersenne Twister.
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// A 64-bit draw: two 32-bit draws, the first the high half.
    pub fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.next_u32());
        let lo = u64::from(self.next_u32());
        (hi << 32) | lo
    }

    /// A float32 uniform in [0, 1): the low 24 bits of a 32-bit draw.
    pub fn uniform_f32(&mut self) -> f32 {
        (self.next_u32() & ((1 << 24) - 1)) as f32 * (1.0 / (1u32 << 24) as f32)
    }

    /// A float64 uniform in [0, 1): the low 53 bits of a 64-bit draw.
    pub fn uniform_f64(&mut self) -> f64 {
        (self.next_u64() & ((1 << 53) - 1)) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `torch.rand(n)`.
    pub fn rand(&mut self, n: usize) -> Vec<f32> {
        (0..n).map(|_| self.uniform_f32()).collect()
    }

    /// `torch.randn(n)`: standard normal float32 values.
    pub fn randn(&mut self, n: usize) -> Vec<f32> {
        if n < NORMAL_BLOCK {
            return (0..n).map(|_| self.normal_f64() as f32).collect();
        }
        let mut a = self.rand(n);
        for block in a.chunks_exact_mut(NORMAL_BLOCK) {
            box_muller_16(block);
        }
        if n % NORMAL_BLOCK != 0 {
            // PyTorch redoes the last 16 positions with fresh uniforms.
            let tail = &mut a[n - NORMAL_BLOCK..];
            for v in tail.iter_mut() {
                *v = self.uniform_f32();
            }
            box_muller_16(tail);
        }
        a
    }

    /// One float64 standard normal (PyTorch's `normal_distribution<double>`).
    fn normal_f64(&mut self) -> f64 {
        if let Some(v) = self.next_normal.take() {
            return v;
        }
        let u1 = self.uniform_f64();
        let u2 = self.uniform_f64();
        let r = (-2.0 * (-u2).ln_1p()).sqrt();
        let theta = 2.0 * PI * u1;
        self.next_normal = Some(r * theta.sin());
        r * theta.cos()
    }

    /// `torch.empty(n).exponential_()`: rate-1 exponentials, float32.
    pub fn exponential(&mut self, n: usize) -> Vec<f32> {
        (0..n).map(|_| self.exponential_f32()).collect()
    }

    fn exponential_f32(&mut self) -> f32 {
        (-(-self.uniform_f64()).ln_1p()) as f32
    }

    /// `torch.multinomial(p, 1)`: one index drawn with weights `p` (not necessarily
    /// normalised). Draws one exponential per category, as PyTorch does, so the
    /// generator moves on by the same amount.
    pub fn multinomial_one(&mut self, p: &[f32]) -> Result<usize> {
        check_weights(p)?;
        let mut best = (0, f32::NEG_INFINITY);
        for (j, &pj) in p.iter().enumerate() {
            let score = pj / self.exponential_f32();
            // Strictly greater: the first of equal scores wins, as in argmax.
            if score > best.1 {
                best = (j, score);
            }
        }
        Ok(best.0)
    }

    /// `torch.multinomial(p, k, replacement=True)` for `k > 1`: inverse-CDF sampling
    /// on the float32 cumulative sum, one float64 uniform per sample.
    pub fn multinomial(&mut self, p: &[f32], k: usize) -> Result<Vec<usize>> {
        if k == 1 {
            return Ok(vec![self.multinomial_one(p)?]);
        }
        check_weights(p)?;
        let mut cdf: Vec<f32> = p
            .iter()
            .scan(0f32, |sum, &pj| {
                *sum += pj;
                Some(*sum)
            })
            .collect();
        let total = cdf[cdf.len() - 1];
        cdf.iter_mut().for_each(|c| *c /= total);
        let last = cdf.len() - 1;
        cdf[last] = 1.0;
        Ok((0..k)
            .map(|_| {
                let u = self.uniform_f64();
                cdf.partition_point(|&c| f64::from(c) < u)
            })
            .collect())
    }
}

/// PyTorch's `normal_fill_16`: Box–Muller on 16 uniforms in place. PyTorch's AVX2
/// kernel (the one x86-64 builds run) takes `log`, `sin` and `cos` from Cephes-style
/// float32 polynomials rather than libm; [`cephes`] evaluates the same polynomials in
/// the same order, so the values match PyTorch bit for bit, natively and in wasm.
fn box_muller_16(a: &mut [f32]) {
    const TWO_PI: f32 = (2.0 * PI) as f32;
    for j in 0..NORMAL_BLOCK / 2 {
        let u1 = 1.0 - a[j];
        let u2 = a[j + NORMAL_BLOCK / 2];
        let radius = (-2.0 * cephes::ln(u1)).sqrt();
        let (sin, cos) = cephes::sin_cos(TWO_PI * u2);
        a[j] = radius * cos;
        a[j + NORMAL_BLOCK / 2] = radius * sin;
    }
}

/// Single-precision `ln` and `sin_cos` from the Cephes library's polynomials. The
/// multiply-adds are fused exactly where the compiler fused them in PyTorch's build
/// (found by matching all five seeds' `randn(27, 27)` bit for bit); `mul_add` is
/// correctly rounded on every target, so wasm gets the same bits. Only what
/// Box–Muller needs: `ln` of a value in (0, 1] and `sin_cos` of a value in [0, 2π).
mod cephes {
    const SQRT_HALF: f32 = 0.707_106_77;
    const LOG_P: [f32; 9] = [
        7.037_683_6e-2,
        -1.151_461e-1,
        1.167_699_9e-1,
        -1.242_014_1e-1,
        1.424_932_3e-1,
        -1.666_805_8e-1,
        2.000_071_5e-1,
        -2.499_999_4e-1,
        3.333_333e-1,
    ];
    const LOG_Q1: f32 = -2.121_944_4e-4;
    const LOG_Q2: f32 = 0.693_359_4;

    /// Natural log for positive normal `x` (NaN for `x ≤ 0`).
    pub(super) fn ln(x: f32) -> f32 {
        if x.is_nan() || x <= 0.0 {
            return f32::NAN;
        }
        let x = x.max(f32::MIN_POSITIVE);
        // Split x = m · 2^e with m in [0.5, 1).
        let bits = x.to_bits();
        let mut e = ((bits >> 23) as i32 - 0x7f) as f32 + 1.0;
        let mut m = f32::from_bits((bits & !0x7f80_0000) | 0x3f00_0000);
        // For m < √½ use 2m − 1 and one less in the exponent, keeping m − 1 small.
        let small = m < SQRT_HALF;
        let tmp = if small { m } else { 0.0 };
        m -= 1.0;
        if small {
            e -= 1.0;
        }
        m += tmp;
        let z = m * m;
        let mut y = LOG_P[0];
        for &p in &LOG_P[1..] {
            y = y.mul_add(m, p);
        }
        y = (y * m).mul_add(z, e * LOG_Q1);
        y = (-z).mul_add(0.5, y);
        e.mul_add(LOG_Q2, m + y)
    }

    const FOUR_OVER_PI: f32 = 1.273_239_5;
    const DP: [f32; 3] = [-0.785_156_25, -2.418_756_5e-4, -3.774_895e-8];
    const SIN_P: [f32; 3] = [-1.951_529_6e-4, 8.332_161e-3, -1.666_665_5e-1];
    const COS_P: [f32; 3] = [2.443_315_7e-5, -1.388_731_6e-3, 4.166_664_6e-2];

    /// `(sin x, cos x)` for finite `x`.
    pub(super) fn sin_cos(x: f32) -> (f32, f32) {
        let sign_sin = x.is_sign_negative();
        let x = x.abs();
        // The octant, rounded up to even, as the reduction point j·π/4.
        let j = ((x * FOUR_OVER_PI) as i32 + 1) & !1;
        let y = j as f32;
        let swap_sin = j & 4 != 0;
        let use_sin_poly = j & 2 == 0;
        // x − j·π/4 in three steps, for extra precision.
        let x = y.mul_add(DP[2], y.mul_add(DP[1], y.mul_add(DP[0], x)));
        let neg_cos = (!(j - 2)) & 4 != 0;
        let z = x * x;
        let mut c = COS_P[0];
        c = c.mul_add(z, COS_P[1]);
        c = c.mul_add(z, COS_P[2]);
        c = (c * z).mul_add(z, -(z * 0.5)) + 1.0;
        let mut s = SIN_P[0];
        s = s.mul_add(z, SIN_P[1]);
        s = s.mul_add(z, SIN_P[2]);
        s = (s * z).mul_add(x, x);
        let (sin, cos) = if use_sin_poly { (s, c) } else { (c, s) };
        let sin = if sign_sin ^ swap_sin { -sin } else { sin };
        let cos = if neg_cos { -cos } else { cos };
        (sin, cos)
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn close_to_libm() {
            for i in 1..=1000 {
                let x = i as f32 / 1000.0;
                assert!((super::ln(x) - x.ln()).abs() <= 2e-7 * x.ln().abs().max(1.0));
                let t = x * std::f32::consts::TAU;
                let (s, c) = super::sin_cos(t);
                assert!((s - t.sin()).abs() < 3e-7, "sin {t}");
                assert!((c - t.cos()).abs() < 3e-7, "cos {t}");
            }
        }
    }
}

/// PyTorch refuses weights that are negative, not finite or all zero; so do we.
fn check_weights(p: &[f32]) -> Result<()> {
    let valid = p.iter().all(|&x| x.is_finite() && x >= 0.0);
    if !valid || !p.iter().any(|&x| x > 0.0) {
        return Err(Error::InvalidProbabilities);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generator_from_its_words_draws_on_as_it_would_have() {
        let mut g = TorchGenerator::manual_seed(2147483647);
        // A normal kept for the next call, mid-state: everything the state holds.
        g.randn(3);
        g.next_u32();
        let mut copy = TorchGenerator::from_words(&g.to_words()).unwrap();
        assert_eq!(copy.randn(40), g.randn(40));
        assert_eq!(copy.next_u64(), g.next_u64());
        let fresh = TorchGenerator::manual_seed(1);
        let words = fresh.to_words();
        assert_eq!(words.len(), N + 4);
        assert!(TorchGenerator::from_words(&words[1..]).is_none());
        let mut bad = words.clone();
        bad[N] = N as u32 + 1; // an index past the state
        assert!(TorchGenerator::from_words(&bad).is_none());
        let mut bad = words;
        bad[N + 1] = 2;
        assert!(TorchGenerator::from_words(&bad).is_none());
    }

    #[test]
    fn mt19937_reference_output() {
        // The MT19937 reference: seed 5489 gives 3499211612 first, 4123659995 at 10000.
        let mut g = TorchGenerator::manual_seed(5489);
        assert_eq!(g.next_u32(), 3_499_211_612);
        for _ in 1..9999 {
            g.next_u32();
        }
        assert_eq!(g.next_u32(), 4_123_659_995);
    }

    #[test]
    fn bad_weights_are_refused() {
        let mut g = TorchGenerator::manual_seed(1);
        assert_eq!(
            g.multinomial_one(&[0.0, 0.0]),
            Err(Error::InvalidProbabilities)
        );
        assert_eq!(
            g.multinomial_one(&[0.5, f32::NAN]),
            Err(Error::InvalidProbabilities)
        );
        assert_eq!(
            g.multinomial(&[-1.0, 2.0], 3),
            Err(Error::InvalidProbabilities)
        );
        assert_eq!(g.multinomial_one(&[]), Err(Error::InvalidProbabilities));
    }
}
