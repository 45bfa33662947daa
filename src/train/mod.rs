//! The training layer: the lecture's loop made fast. The [`trainer`] fuses forward,
//! backward and step into one pass over the rows of `W` a step reaches, computed in
//! [`lanes`] (four-lane vectors, wasm SIMD) with [`kernels`]' `exp` and softmax; a
//! [`sweep`] trains one net per strength to tune on the dev words. The model layer's
//! step-by-step net stays the reference all of it is tested against.

pub mod kernels;
pub mod lanes;
pub mod sweep;
pub mod trainer;
