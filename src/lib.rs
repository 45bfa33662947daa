//! # Bigram Lab
//!
//! The character-level bigram language model of Andrej Karpathy's makemore lecture
//! (part 1), as a library that builds natively and for WebAssembly, and reproduces
//! PyTorch's numbers: the same random `W` from the same seed, the same loss, gradient,
//! training curve and samples.
//!
//! The pieces, in the order the lecture meets them:
//! - [`parse`]: word-list files, read in pieces, become examples `xs`, `ys`;
//! - [`vocab`]: `stoi` / `itos`;
//! - [`n`]: the count matrix `N`; [`dataset`]: the examples with their `N`, split and
//!   minibatches;
//! - [`count_model`]: `P = (N + k) / row sums` and its loss;
//! - [`rng`]: a generator that draws PyTorch's numbers;
//! - [`model`]: the neural net `W`, with the O(V²) fast path used for training;
//! - [`trainer`]: the training loop with forward, backward and step fused per row, and
//!   rows no example reaches decayed lazily (what the page's frames and sweeps run),
//!   computed in [`lanes`], four-lane vectors (wasm SIMD), with [`kernels`]' `exp`;
//! - [`literal`]: the same net computed literally with one-hot `xenc @ W` (the reference);
//! - [`npy`]: `W` and `N` as NumPy's `.npy` files, out and back in;
//! - [`sample`]: drawing names; [`report`]: a word's per-bigram probabilities;
//! - [`session`]: the rules of a training session (what the page drives): data, `W`,
//!   steps, split, minibatches, the divergence rewind and the model file.
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

pub mod code;
pub mod concat;
pub mod context;
pub mod count_model;
pub mod dataset;
pub mod error;
pub mod kernels;
pub mod lanes;
pub mod literal;
pub mod model;
pub mod n;
pub mod npy;
pub mod parse;
pub mod pyrandom;
pub mod report;
pub mod rng;
pub mod sample;
pub mod session;
pub mod settings;
pub mod sweep;
pub mod trainer;
pub mod vocab;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use context::{Context, Encoding};
pub use count_model::CountModel;
pub use dataset::Dataset;
pub use error::{Error, Result};
pub use model::Net;
pub use n::N;
pub use parse::{DatasetBuilder, DEFAULT_NAMES, MAX_FILE_BYTES};
pub use report::{word_report, BigramRow, WordReport};
pub use rng::TorchGenerator;
pub use sample::sample_words;
pub use session::Session;
pub use vocab::{Vocab, MAX_VOCAB};

/// The lecture's seed.
pub const DEFAULT_SEED: u64 = 2_147_483_647;
