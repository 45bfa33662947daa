//! The generators: the random numbers of the lecture, drawn here exactly as PyTorch
//! ([`torch`]: `W`, minibatches, samples, the page's split) and Python's `random`
//! ([`python`]: makemore's 80/10/10 shuffle) draw them, so that a notebook given the
//! same seeds sees the same numbers.

pub mod python;
pub mod torch;

pub use python::PythonRandom;
pub use torch::TorchGenerator;
