//! # Bigram Lab
//!
//! The character-level bigram language model of Andrej Karpathy's makemore lecture
//! (part 1), as a library that builds natively and for WebAssembly, and reproduces
//! PyTorch's numbers: the same random `W` from the same seed, the same loss, gradient,
//! training curve and samples.
//!
//! The pieces, in the order the lecture meets them:
//! - [`data`]: word lists, the examples `xs`, `ys` and the count matrix `N`;
//! - [`vocab`]: `stoi` / `itos`;
//! - [`count_model`]: `P = (N + k) / row sums` and its loss;
//! - [`rng`]: a generator that draws PyTorch's numbers;
//! - [`model`]: the neural net `W`, with the O(V²) fast path used for training;
//! - [`literal`]: the same net computed literally with one-hot `xenc @ W` (the reference);
//! - [`sample`]: drawing names; [`report`]: a word's per-bigram probabilities.
//!
//! ```
//! use bigram_lab::{BigramNet, Dataset};
//! let data = Dataset::from_bytes(b"emma\nolivia\nava\n").unwrap();
//! let mut net = BigramNet::new(data.vocab().len(), 2147483647, 0.01).unwrap();
//! let before = net.forward(data.counts()).unwrap();
//! for _ in 0..10 {
//!     net.backward(data.counts()).unwrap();
//!     net.step(10.0).unwrap();
//! }
//! assert!(net.forward(data.counts()).unwrap() < before);
//! ```

#![warn(missing_docs)]

pub mod count_model;
pub mod data;
pub mod error;
pub mod literal;
pub mod model;
pub mod report;
pub mod rng;
pub mod sample;
pub mod settings;
pub mod vocab;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use count_model::CountModel;
pub use data::{BigramCounts, Dataset, DatasetBuilder, DEFAULT_NAMES};
pub use error::{Error, Result};
pub use model::BigramNet;
pub use report::{word_report, BigramRow, WordReport};
pub use rng::TorchGenerator;
pub use sample::sample_words;
pub use vocab::{Vocab, MAX_VOCAB};

/// The lecture's seed.
pub const DEFAULT_SEED: u64 = 2_147_483_647;
