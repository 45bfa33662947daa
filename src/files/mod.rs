//! The files layer: what leaves the page and comes back. `W` and `N` as NumPy's `.npy`
//! files ([`npy`]), the model file with its validation ([`model_file`]), and the PyTorch
//! program that reproduces a run ([`code`]). Each format's rules live here; which state
//! a file is made from or replaces is the session's decision.

pub mod code;
pub mod model_file;
pub mod npy;
