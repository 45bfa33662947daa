//! The four-lane vectors of `bigram_lab::train::lanes` against the scalar code, lane by lane:
//! natively (arrays the compiler vectorises) and in headless Chromium (wasm SIMD's
//! `v128`, run by `cargo xtask test`), for the two are different code.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::{wasm_bindgen_test as test, wasm_bindgen_test_configure};
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test_configure!(run_in_browser);

use bigram_lab::train::lanes::{Lanes, F4};

#[test]
fn lanes_work_one_by_one() {
    let a = F4::from_array([1.0, -2.0, f32::NAN, 4.0]);
    let b = F4::from_array([0.5, 3.0, 1.0, -1.0]);
    assert_eq!((a + b).to_array()[..2], [1.5, 1.0]);
    assert_eq!((a * b).to_array()[3], -4.0);
    assert_eq!((a - b).to_array()[1], -5.0);
    assert_eq!((a / b).to_array()[0], 2.0);
    let m = a.pmax(b).to_array();
    assert_eq!([m[0], m[1], m[3]], [1.0, 3.0, 4.0]);
    assert!(m[2].is_nan(), "pmax keeps a NaN of its own");
    let m = a.pmin(b).to_array();
    assert_eq!([m[0], m[1], m[3]], [0.5, -2.0, -1.0]);
    assert!(m[2].is_nan(), "pmin keeps a NaN of its own");
    // A NaN in the other operand is passed over, as the scalar compare-and-pick does.
    assert_eq!(b.pmax(a).to_array()[2], 1.0);
    assert_eq!(b.pmin(a).to_array()[2], 1.0);
    assert_eq!(1f32.pmax(f32::NAN), 1.0);
    assert_eq!(b.sum(), 3.5);
    assert_eq!(b.max_lane(), 3.0);
    let mut s = [0f32; 6];
    b.store(&mut s, 2);
    assert_eq!(F4::load(&s, 2).to_array(), b.to_array());
    assert_eq!(s[..2], [0.0, 0.0]);
    assert_eq!(F4::splat(0.0).exp().to_array(), [1.0; 4]);
    assert_eq!(F4::splat(1.0).ln().to_array(), [0.0; 4]);
    let one = <F4 as Lanes>::shl23(F4::splat(f32::from_bits(127))).to_array();
    assert_eq!(one, [1.0; 4]);
}

#[test]
fn the_vector_ln_is_the_scalar_one_lane_by_lane() {
    use bigram_lab::train::kernels::ln_fast;
    let mut x = 1e-30f32;
    while x < 1e30 {
        let xs = [x, x * 1.41, x * 0.71, x * 3.0];
        let v = F4::from_array(xs).ln().to_array();
        for (lane, &x) in xs.iter().enumerate() {
            assert_eq!(v[lane].to_bits(), ln_fast(x).to_bits(), "ln({x})");
        }
        x *= 1.37;
    }
}

#[test]
fn the_vector_exp_is_the_scalar_one_lane_by_lane() {
    use bigram_lab::train::kernels::Exp;
    let odd = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 88.5];
    let v = F4::from_array(odd).exp().to_array();
    assert!(v[0].is_nan() && odd[0].exp_fast().is_nan());
    for lane in 1..4 {
        assert_eq!(
            v[lane].to_bits(),
            odd[lane].exp_fast().to_bits(),
            "exp({})",
            odd[lane]
        );
    }
    for i in -900..=900 {
        let x = [
            i as f32 / 10.0,
            i as f32 / 7.0,
            -(i as f32) / 3.0,
            i as f32 * 1e-3,
        ];
        let v = F4::from_array(x).exp().to_array();
        for (lane, &x) in x.iter().enumerate() {
            assert_eq!(v[lane].to_bits(), x.exp_fast().to_bits(), "exp({x})");
        }
    }
}
