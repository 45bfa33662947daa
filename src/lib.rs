//! # Bigram Lab
//!
//! The character-level bigram language model of Andrej Karpathy's makemore lecture
//! (part 1), as a library that builds natively and for WebAssembly, and reproduces
//! PyTorch's numbers: the same random `W` from the same seed, the same loss, gradient,
//! training curve and samples.
//!
//! The library comes in layers, each reading only those above it (the wasm facade
//! reads them all):
//! - [`data`]: word-list files, read in pieces ([`data::parse`]), become the
//!   vocabulary `stoi` / `itos` ([`data::vocab`]), the examples `xs`, `ys` of a
//!   [`data::dataset`] with their count matrix `N` ([`data::n`]), under a
//!   [`data::context`] of one or more characters;
//! - [`rng`]: the generators, PyTorch's ([`rng::torch`]) and Python's `random`
//!   ([`rng::python`]), drawing the lecture's numbers;
//! - [`model`]: the maths. The neural net `W` with the O(V²) fast path
//!   ([`model::net`]), the counting model `P = (N + k) / row sums`
//!   ([`model::count_model`]), one one-hot per character side by side
//!   ([`model::concat`]), the literal one-hot `xenc @ W` the rest is held to
//!   ([`model::literal`]), drawing names ([`model::sample`]), a word's per-bigram
//!   probabilities ([`model::report`]), one example's backward pass
//!   ([`model::backward_view`]), the gradient check ([`model::grad_check`]) and the
//!   forward pass as a graph with every node's `.grad` ([`model::graph`]);
//! - [`train`]: the training loop with forward, backward and step fused per row, and
//!   rows no example reaches decayed lazily ([`train::trainer`], what the page's frames
//!   and sweeps run), computed in four-lane vectors ([`train::lanes`], wasm SIMD) with
//!   [`train::kernels`]' `exp`, and the tuning sweeps ([`train::sweep`]);
//! - [`files`]: `W` and `N` as NumPy's `.npy` files ([`files::npy`]), the model file
//!   ([`files::model_file`]) and the PyTorch program of a run ([`files::code`]);
//! - [`session`]: the rules of a training session (what the page drives): data, `W`,
//!   steps, split, minibatches, the divergence rewind, imports, the worker's handoff;
//! - [`settings`]: every numeric setting's range, and [`error`]: every refusal's message;
//! - `wasm` (WebAssembly builds only): the facade the page calls, which converts types
//!   and holds no rule of its own.
//!
//! ```
//! use bigram_lab::{Net, Dataset};
//! let data = Dataset::from_bytes(b"emma\nolivia\nava\n").unwrap();
//! let mut net = Net::new(data.vocab().len(), 2147483647, 0.01).unwrap();
//! let before = net.forward(data.n()).unwrap();
//! for _ in 0..10 {
//!     net.backward(data.n()).unwrap();
//!     net.step(10.0).unwrap();
//! }
//! assert!(net.forward(data.n()).unwrap() < before);
//! ```

#![warn(missing_docs)]

pub mod data;
pub mod error;
pub mod files;
pub mod model;
pub mod rng;
pub mod session;
pub mod settings;
pub mod train;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use data::context::{Context, Encoding};
pub use data::dataset::Dataset;
pub use data::n::N;
pub use data::parse::{DatasetBuilder, DEFAULT_NAMES, MAX_FILE_BYTES};
pub use data::vocab::{Vocab, MAX_VOCAB};
pub use error::{Error, Result};
pub use model::count_model::CountModel;
pub use model::report::{word_report, BigramRow, WordReport};
pub use model::sample::sample_words;
pub use model::Net;
pub use rng::TorchGenerator;
pub use session::Session;

/// The lecture's seed.
pub const DEFAULT_SEED: u64 = 2_147_483_647;
