//! The numeric kernels under the fast path, written so that the compiler vectorises
//! them (natively and with wasm SIMD): a polynomial `exp`, a softmax whose every step is
//! one loop over a slice, and reductions with independent running sums. The lecture's
//! maths is in [`crate::model`]; this is how it is made fast.

use crate::train::lanes::{Lanes, F4};

use ndarray::{Array2, NdFloat};

/// `exp` as the fast path computes it. For `f32` a branch-free polynomial that the
/// compiler can vectorise (wasm has no libm, and its software `expf` dominated a step);
/// for `f64`, used by the gradient checks, the standard library's.
pub trait Exp: NdFloat {
    /// e^self.
    fn exp_fast(self) -> Self;
}

impl Exp for f64 {
    #[inline]
    fn exp_fast(self) -> f64 {
        self.exp()
    }
}

impl Exp for f32 {
    /// [`exp_cephes`].
    #[inline(always)]
    fn exp_fast(self) -> f32 {
        exp_cephes(self)
    }
}

/// Cephes' single-precision `expf` (within about 1 ulp), for an `f32` or for four of
/// them ([`crate::train::lanes::F4`]): e^x = 2^n · e^r with n = round(x / ln 2) and
/// |r| ≤ ln 2 / 2, e^r by a degree-7 polynomial. Branch-free, so that a loop of it
/// vectorises (wasm has no libm, and its software `expf` dominated a step).
#[inline(always)]
pub fn exp_cephes<T: Lanes>(x: T) -> T {
    Cephes::new().exp(x)
}

/// The constants of [`exp_cephes`] in the number type it works in, and the function.
#[derive(Clone, Copy, Debug)]
pub struct Cephes<T> {
    lo: T,
    hi: T,
    log2e: T,
    round: T,
    ln2_hi: T,
    ln2_lo: T,
    p: [T; 6],
    one: T,
    bias: T,
}

impl<T: Lanes> Default for Cephes<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Lanes> Cephes<T> {
    /// The constants, as constants.
    #[inline(always)]
    pub fn new() -> Self {
        let c = T::splat;
        Self {
            // Clamped so that 2^n stays a normal number (n in −126..=127): the result
            // saturates near e^88 above and e^−87 below.
            lo: c(-87.3),
            hi: c(88.0),
            log2e: c(std::f32::consts::LOG2_E),
            // Adding and subtracting 1.5·2^23 rounds to the nearest integer without a
            // call.
            round: c(12_582_912.0),
            // ln 2 split in two so that n·LN2_HI is exact.
            ln2_hi: c(0.693_359_4),
            ln2_lo: c(-2.121_944_4e-4),
            p: [
                c(1.987_569_1e-4),
                c(1.398_199_9e-3),
                c(8.333_452e-3),
                c(4.166_579_6e-2),
                c(1.666_666_5e-1),
                c(0.5), // Cephes writes 5.0000001e-1, which is 0.5 in f32
            ],
            one: c(1.0),
            // n + 2^23 + 127 has n + 127 in its low mantissa bits; shifted into the
            // exponent field they are 2^n, with no float-to-int conversion.
            bias: c(8_388_735.0),
        }
    }

    /// The constants held in variables that the compiler cannot fold back into
    /// constants, for a loop of `exp` over vectors. Wasm has no vector constants in
    /// memory: V8 builds every `v128.const` from general registers, three or four
    /// instructions at each use, and in a loop that cost more than the arithmetic.
    /// Made once before the loop, these stay in registers (or one load each).
    #[inline(always)]
    pub fn held() -> Self {
        std::hint::black_box(Self::new())
    }

    /// e^x.
    #[inline(always)]
    pub fn exp(&self, x: T) -> T {
        // `pmax`/`pmin` rather than `clamp`, whose rules cost several vector
        // instructions in wasm; a NaN passes through both.
        let x = x.pmax(self.lo).pmin(self.hi);
        let n = (x * self.log2e + self.round) - self.round;
        let r = x - n * self.ln2_hi - n * self.ln2_lo;
        // The polynomial by Estrin's scheme, not Horner's: three independent pairs
        // joined by r², a shorter chain of dependent operations for the same count,
        // about 15% faster over a row of W (and still within 1 ulp).
        let p = &self.p;
        let r2 = r * r;
        let q = ((p[0] * r + p[1]) * r2 + (p[2] * r + p[3])) * r2 + (p[4] * r + p[5]);
        let er = q * r2 + r + self.one;
        er * (n + self.bias).shl23()
    }
}

/// `ln x` for f32, branch-free so that a loop of it vectorises: [`ln_cephes`].
#[inline(always)]
pub fn ln_fast(x: f32) -> f32 {
    ln_cephes(x)
}

/// Cephes' `logf` (within about 1 ulp for normal positive x), for an `f32` or four:
/// x = m·2^e with m in [√½, √2) ([`Lanes::split_ln`]), ln m by a degree-9 polynomial
/// in m − 1. Zero, negative, subnormal and non-finite x are not handled: ln(NaN) and
/// ln(∞) come out finite (about 89). The training step's row sums are none of these
/// unless W holds a NaN or an infinity, and then the loss's other terms (Σ N·W, Σ W²)
/// are NaN or infinite, which the session catches after the frame.
#[inline(always)]
pub fn ln_cephes<T: Lanes>(x: T) -> T {
    const P: [f32; 9] = [
        7.037_683_6e-2,
        -1.151_461e-1,
        1.167_699_9e-1,
        -1.242_014_1e-1,
        1.424_932_3e-1,
        -1.666_805_8e-1,
        2.000_071_4e-1,
        -2.499_999_4e-1,
        3.333_333e-1,
    ];
    let c = T::splat;
    let (m, e) = x.split_ln();
    let r = m - c(1.0);
    let z = r * r;
    let mut p = c(P[0]);
    for &k in &P[1..] {
        p = p * r + c(k);
    }
    let y = r * z * p + e * c(-2.121_944_4e-4) - c(0.5) * z;
    r + y + e * c(0.693_359_4)
}

/// Converts a count or constant into the float type of the computation.
pub(crate) fn cast<F: NdFloat>(x: f64) -> F {
    <F as num_traits::NumCast>::from(x).unwrap_or_else(F::nan)
}

/// Writes `softmax(logits)` into `out` and returns `ln Σ exp(logits)`. The row maximum
/// is subtracted before `exp`: the same probabilities, and no overflow for large logits.
/// Each step is its own loop over a slice, so that the compiler can vectorise it.
///
/// # Panics
/// If the slices differ in length.
pub fn softmax_into<F: Exp>(logits: &[F], out: &mut [F]) -> f64 {
    assert_eq!(logits.len(), out.len(), "softmax_into: lengths differ");
    let m = max_of(logits);
    for (o, &x) in out.iter_mut().zip(logits) {
        *o = (x - m).exp_fast();
    }
    let sum = out.iter().fold(F::zero(), |s, &e| s + e);
    for o in out.iter_mut() {
        *o /= sum;
    }
    to_f64(m) + to_f64(sum).ln()
}

/// How many running sums the reductions below keep.
const LANES: usize = 8;

/// Σ f(x) in f64 with [`LANES`] running sums. One running sum is a chain of dependent
/// additions the compiler may not reorder; independent lanes let it use SIMD.
#[inline]
pub(crate) fn lane_sum<T: Copy>(xs: &[T], f: impl Fn(T) -> f64) -> f64 {
    let mut acc = [0f64; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail: f64 = chunks.remainder().iter().map(|&x| f(x)).sum();
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a += f(x);
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// Σ W_ij·N_ij over a whole matrix (`n` is `N` row-major), in f64 lanes.
pub(crate) fn dot_counts<F: NdFloat>(w: &[F], n: &[u32]) -> f64 {
    let mut acc = [0f64; LANES];
    let (wc, nc) = (w.chunks_exact(LANES), n.chunks_exact(LANES));
    let tail: f64 = (wc.remainder().iter().zip(nc.remainder()))
        .map(|(&w, &n)| to_f64(w) * f64::from(n))
        .sum();
    for (w8, n8) in wc.zip(nc) {
        for ((a, &w), &n) in acc.iter_mut().zip(w8).zip(n8) {
            *a += to_f64(w) * f64::from(n);
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// The largest element (NaNs are passed over, as `f32::max` does), in lanes.
pub(crate) fn max_of<F: NdFloat>(xs: &[F]) -> F {
    let mut acc = [F::neg_infinity(); LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail = (chunks.remainder().iter()).fold(F::neg_infinity(), |m, &x| m.max(x));
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            // `a.max(x)` with a NaN x passed over, written as one compare-and-pick
            // (wasm's `f32x4.pmax`): `f32::max`'s NaN rules cost several vector
            // instructions in wasm (a fifth of a trigram step).
            if *a < x {
                *a = x;
            }
        }
    }
    acc.iter().fold(tail, |m, &x| m.max(x))
}

/// Σ x in f32, four lanes at a time (a softmax row's denominator).
#[inline(always)]
pub(crate) fn sum_f4(xs: &[f32]) -> f32 {
    let x4 = xs.chunks_exact(4);
    let tail: f32 = x4.remainder().iter().sum();
    x4.fold(F4::ZERO, |s, x| s + F4::load(x, 0)).sum() + tail
}

/// x *= k, four lanes at a time.
#[inline(always)]
pub(crate) fn scale_f4(xs: &mut [f32], k: f32) {
    let k4 = F4::splat(k);
    let mut x4 = xs.chunks_exact_mut(4);
    for x in &mut x4 {
        (F4::load(x, 0) * k4).store(x, 0);
    }
    for x in x4.into_remainder() {
        *x *= k;
    }
}

/// out = exp(x − shift), four at a time ([`F4`]).
pub(crate) fn exp_of(x: &[f32], shift: f32, out: &mut [f32]) {
    let s = F4::splat(shift);
    let cephes = Cephes::held();
    let (x4, mut e4) = (x.chunks_exact(4), out.chunks_exact_mut(4));
    let x_tail = x4.remainder();
    for (x, e) in x4.zip(&mut e4) {
        cephes.exp(F4::load(x, 0) - s).store(e, 0);
    }
    for (e, &x) in e4.into_remainder().iter_mut().zip(x_tail) {
        *e = (x - shift).exp_fast();
    }
}

/// dst = src followed by zeros, four lanes at a time. Not `copy_from_slice`: wasm
/// makes that a call (`memory.copy`), which for a row of 27 cost more than the copy.
#[inline(always)]
pub(crate) fn copy_into(dst: &mut [f32], src: &[f32]) {
    let (mut d4, s4) = (dst.chunks_exact_mut(4), src.chunks_exact(4));
    let s_tail = s4.remainder();
    for (d, s) in (&mut d4).zip(s4) {
        F4::load(s, 0).store(d, 0);
    }
    let rest = &mut dst[src.len() - s_tail.len()..];
    for (i, d) in rest.iter_mut().enumerate() {
        *d = s_tail.get(i).copied().unwrap_or(0.0);
    }
}

/// dst = f(dst, src), cell by cell, four lanes at a time: `f` on [`F4`]s and `g`, the
/// same on `f32`, for the tail past the last whole vector.
#[inline(always)]
fn each_pair(dst: &mut [f32], src: &[f32], f: impl Fn(F4, F4) -> F4, g: impl Fn(f32, f32) -> f32) {
    debug_assert_eq!(dst.len(), src.len(), "each_pair: lengths differ");
    let (mut d4, s4) = (dst.chunks_exact_mut(4), src.chunks_exact(4));
    let s_tail = s4.remainder();
    for (d, s) in (&mut d4).zip(s4) {
        f(F4::load(d, 0), F4::load(s, 0)).store(d, 0);
    }
    for (d, &s) in d4.into_remainder().iter_mut().zip(s_tail) {
        *d = g(*d, s);
    }
}

/// dst *= src.
#[inline(always)]
pub(crate) fn mul_into(dst: &mut [f32], src: &[f32]) {
    each_pair(dst, src, |d, s| d * s, |d, s| d * s);
}

/// dst += src.
#[inline(always)]
pub(crate) fn add_into(dst: &mut [f32], src: &[f32]) {
    each_pair(dst, src, |d, s| d + s, |d, s| d + s);
}

/// dst += k·src.
pub(crate) fn add_scaled(dst: &mut [f32], src: &[f32], k: f32) {
    let k4 = F4::splat(k);
    each_pair(dst, src, |d, s| d + k4 * s, |d, s| d + k * s);
}

pub(crate) fn to_f64<F: NdFloat>(x: F) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// The elements of a standard-layout array, in order.
pub(crate) fn slice<'a, F, D: ndarray::Dimension>(a: &'a ndarray::CowArray<'_, F, D>) -> &'a [F] {
    a.as_slice()
        .expect("as_standard_layout gives a contiguous array")
}

/// The elements of an owned array in row-major order, making it row-major first if it
/// was not (an array this library made always is).
pub(crate) fn slice_mut<F: Clone>(a: &mut Array2<F>) -> &mut [F] {
    if !a.is_standard_layout() {
        *a = a.as_standard_layout().into_owned();
    }
    a.as_slice_mut().expect("standard layout ensured above")
}

#[cfg(test)]
mod tests {
    use super::Exp;

    #[test]
    fn fast_exp_is_within_two_ulps_of_libm() {
        for i in -87_000..=88_000 {
            let x = i as f32 / 1000.0;
            let (fast, std) = (x.exp_fast(), x.exp());
            let ulps = (fast.to_bits() as i64 - std.to_bits() as i64).abs();
            assert!(ulps <= 2, "exp({x}): {fast} vs {std} ({ulps} ulps)");
        }
        assert_eq!(0f32.exp_fast(), 1.0);
        assert!(f32::NAN.exp_fast().is_nan());
        assert!(f32::NEG_INFINITY.exp_fast() < 1e-37);
    }

    #[test]
    fn fast_ln_is_within_two_ulps_of_libm() {
        let mut x = 1e-30f32;
        while x < 1e30 {
            let (fast, std) = (super::ln_fast(x), x.ln());
            let ulps = (fast.to_bits() as i64 - std.to_bits() as i64).abs();
            assert!(
                ulps <= 2 || (fast - std).abs() < 1e-7,
                "ln({x}): {fast} vs {std}"
            );
            x *= 1.000_37;
        }
        assert_eq!(super::ln_fast(1.0), 0.0);
        assert!((super::ln_fast(27.0) - 27f32.ln()).abs() < 1e-6);
    }

    #[test]
    fn the_largest_element_passes_over_nan() {
        let xs = [1.0, f32::NAN, 3.0, -2.0, 0.5, 2.0, 1.0, 0.0, 2.5, f32::NAN];
        assert_eq!(super::max_of(&xs), 3.0);
        assert_eq!(super::max_of::<f32>(&[]), f32::NEG_INFINITY);
    }
}
