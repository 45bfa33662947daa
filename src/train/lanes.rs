//! Four `f32` lanes: the vector the fused training step computes with. In wasm it is
//! wasm SIMD's `v128`, worked on with `core::arch::wasm32`'s (safe) operations; on
//! other targets an array the compiler vectorises (SSE on x86-64).
//!
//! Why explicit vectors and not loops left to the compiler: given loops over slices or
//! arrays of lanes, it vectorised them with a shuffle for every operation (the update
//! loop of a step cost as much as all its `exp`s), or *across* a loop's iterations,
//! transposing. Why a real vector type in wasm: V8 builds what it is given, and an
//! `f32x4.add` is one instruction.

use std::ops::{Add, Div, Mul, Sub};

pub use imp::F4;

/// What the Cephes `exp` needs of a number type, so that one polynomial serves a lone
/// `f32` (whose loops the compiler vectorises) and an [`F4`].
pub trait Lanes: Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> {
    /// `x` (in every lane).
    fn splat(x: f32) -> Self;
    /// The larger, as one compare-and-pick (`self < o ? o : self`, wasm's `pmax`):
    /// `f32::max`'s NaN rules cost several vector instructions in wasm. A NaN in `self`
    /// is kept.
    fn pmax(self, o: Self) -> Self;
    /// The smaller, as one compare-and-pick (`o < self ? o : self`, wasm's `pmin`).
    fn pmin(self, o: Self) -> Self;
    /// The bits shifted left by 23 (in each lane): the low mantissa bits into the
    /// exponent field.
    fn shl23(self) -> Self;
    /// (m, e) with `self` = m·2^e, m in [√½, √2) and e a whole number, for a normal
    /// positive `self` (the logarithm's range reduction: m − 1 is small on both sides).
    fn split_ln(self) -> (Self, Self);
}

impl Lanes for f32 {
    #[inline(always)]
    fn splat(x: f32) -> Self {
        x
    }
    #[inline(always)]
    fn pmax(self, o: Self) -> Self {
        if self < o {
            o
        } else {
            self
        }
    }
    #[inline(always)]
    fn pmin(self, o: Self) -> Self {
        if o < self {
            o
        } else {
            self
        }
    }
    #[inline(always)]
    fn shl23(self) -> Self {
        f32::from_bits(self.to_bits() << 23)
    }
    #[inline(always)]
    fn split_ln(self) -> (Self, Self) {
        let bits = self.to_bits();
        // The exponent, and the mantissa as a number in [1, 2).
        let e = ((bits >> 23) & 0xff) as i32 - 127;
        let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
        // Into [√½, √2): halve the large ones.
        let big = m > std::f32::consts::SQRT_2;
        let m = if big { m * 0.5 } else { m };
        (m, (e + i32::from(big)) as f32)
    }
}

impl F4 {
    /// `s[at..at + 4]`.
    ///
    /// # Panics
    /// If `s` is shorter than `at + 4`.
    #[inline(always)]
    pub fn load(s: &[f32], at: usize) -> Self {
        let a: &[f32; 4] = s[at..at + 4].try_into().expect("a slice of 4");
        Self::from_array(*a)
    }

    /// Writes the lanes into `s[at..at + 4]`.
    ///
    /// # Panics
    /// If `s` is shorter than `at + 4`.
    #[inline(always)]
    pub fn store(self, s: &mut [f32], at: usize) {
        s[at..at + 4].copy_from_slice(&self.to_array());
    }

    /// The sum of the lanes.
    #[inline(always)]
    pub fn sum(self) -> f32 {
        let a = self.to_array();
        (a[0] + a[2]) + (a[1] + a[3])
    }

    /// The largest lane, by [`Lanes::pmax`] (so a NaN lane may be returned).
    #[inline(always)]
    pub fn max_lane(self) -> f32 {
        let a = self.to_array();
        a[0].pmax(a[2]).pmax(a[1].pmax(a[3]))
    }

    /// e^x in each lane ([`crate::train::kernels::Exp::exp_fast`]).
    #[inline(always)]
    pub fn exp(self) -> Self {
        crate::train::kernels::exp_cephes(self)
    }

    /// ln x in each lane ([`crate::train::kernels::ln_fast`]).
    #[inline(always)]
    pub fn ln(self) -> Self {
        crate::train::kernels::ln_cephes(self)
    }
}

/// The operators, from the implementation's `add`, `sub`, `mul`, `div`.
macro_rules! operators {
    ($($op:ident $f:ident),*) => {$(
        impl $op for F4 {
            type Output = Self;
            #[inline(always)]
            fn $f(self, o: Self) -> Self {
                F4::$f(self, o)
            }
        }
    )*};
}
operators!(Add add, Sub sub, Mul mul, Div div);

impl Lanes for F4 {
    #[inline(always)]
    fn splat(x: f32) -> Self {
        F4::splat(x)
    }
    #[inline(always)]
    fn pmax(self, o: Self) -> Self {
        F4::pmax(self, o)
    }
    #[inline(always)]
    fn pmin(self, o: Self) -> Self {
        F4::pmin(self, o)
    }
    #[inline(always)]
    fn shl23(self) -> Self {
        F4::shl23(self)
    }
    #[inline(always)]
    fn split_ln(self) -> (Self, Self) {
        F4::split_ln(self)
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    /// Four `f32`s, worked on together.
    #[derive(Clone, Copy, Debug)]
    pub struct F4(v128);

    /// `add`, `sub`, `mul`, `div`: one wasm instruction each.
    macro_rules! lanewise {
        ($($name:ident $op:ident),*) => {$(
            #[inline(always)]
            pub(super) fn $name(self, o: Self) -> Self {
                Self($op(self.0, o.0))
            }
        )*};
    }

    impl F4 {
        /// Zero in every lane.
        pub const ZERO: Self = Self(f32x4(0.0, 0.0, 0.0, 0.0));

        /// `x` in every lane.
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            Self(f32x4_splat(x))
        }
        /// The lanes as an array.
        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            let v = self.0;
            [
                f32x4_extract_lane::<0>(v),
                f32x4_extract_lane::<1>(v),
                f32x4_extract_lane::<2>(v),
                f32x4_extract_lane::<3>(v),
            ]
        }
        /// An array as lanes.
        #[inline(always)]
        pub fn from_array(a: [f32; 4]) -> Self {
            Self(f32x4(a[0], a[1], a[2], a[3]))
        }
        lanewise!(add f32x4_add, sub f32x4_sub, mul f32x4_mul, div f32x4_div);
        /// See [`super::Lanes::pmax`].
        #[inline(always)]
        pub fn pmax(self, o: Self) -> Self {
            Self(f32x4_pmax(self.0, o.0))
        }
        /// See [`super::Lanes::pmin`].
        #[inline(always)]
        pub fn pmin(self, o: Self) -> Self {
            Self(f32x4_pmin(self.0, o.0))
        }
        #[inline(always)]
        pub(super) fn shl23(self) -> Self {
            Self(i32x4_shl(self.0, 23))
        }
        /// See [`super::Lanes::split_ln`].
        #[inline(always)]
        pub(super) fn split_ln(self) -> (Self, Self) {
            let bits = self.0;
            let e = i32x4_sub(
                v128_and(u32x4_shr(bits, 23), u32x4_splat(0xff)),
                i32x4_splat(127),
            );
            let m = v128_or(
                v128_and(bits, u32x4_splat(0x007f_ffff)),
                u32x4_splat(0x3f80_0000),
            );
            let big = f32x4_gt(m, f32x4_splat(std::f32::consts::SQRT_2));
            let m = v128_bitselect(f32x4_mul(m, f32x4_splat(0.5)), m, big);
            // `big` is −1 where true.
            let e = f32x4_convert_i32x4(i32x4_sub(e, big));
            (Self(m), Self(e))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    use super::Lanes;

    /// Four `f32`s, worked on together.
    #[derive(Clone, Copy, Debug)]
    #[repr(align(16))]
    pub struct F4([f32; 4]);

    // Lane by lane, written out: `array::map` and `from_fn` are not always inlined,
    // and a call per vector undoes the point of it.
    impl F4 {
        /// Zero in every lane.
        pub const ZERO: Self = Self([0.0; 4]);

        /// `x` in every lane.
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            Self([x; 4])
        }
        /// The lanes as an array.
        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            self.0
        }
        /// An array as lanes.
        #[inline(always)]
        pub fn from_array(a: [f32; 4]) -> Self {
            Self(a)
        }
        #[inline(always)]
        fn zip(self, o: Self, f: impl Fn(f32, f32) -> f32) -> Self {
            let (a, b) = (self.0, o.0);
            Self([f(a[0], b[0]), f(a[1], b[1]), f(a[2], b[2]), f(a[3], b[3])])
        }
        #[inline(always)]
        pub(super) fn add(self, o: Self) -> Self {
            self.zip(o, |a, b| a + b)
        }
        #[inline(always)]
        pub(super) fn sub(self, o: Self) -> Self {
            self.zip(o, |a, b| a - b)
        }
        #[inline(always)]
        pub(super) fn mul(self, o: Self) -> Self {
            self.zip(o, |a, b| a * b)
        }
        #[inline(always)]
        pub(super) fn div(self, o: Self) -> Self {
            self.zip(o, |a, b| a / b)
        }
        /// See [`super::Lanes::pmax`].
        #[inline(always)]
        pub fn pmax(self, o: Self) -> Self {
            self.zip(o, Lanes::pmax)
        }
        /// See [`super::Lanes::pmin`].
        #[inline(always)]
        pub fn pmin(self, o: Self) -> Self {
            self.zip(o, Lanes::pmin)
        }
        #[inline(always)]
        pub(super) fn shl23(self) -> Self {
            self.zip(self, |a, _| a.shl23())
        }
        #[inline(always)]
        pub(super) fn split_ln(self) -> (Self, Self) {
            let parts = self.0.map(Lanes::split_ln);
            (
                Self([parts[0].0, parts[1].0, parts[2].0, parts[3].0]),
                Self([parts[0].1, parts[1].1, parts[2].1, parts[3].1]),
            )
        }
    }
}
