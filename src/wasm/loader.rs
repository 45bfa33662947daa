//! [`Loader`]: a word-list file read in pieces, for [`Lab::load_from`].

#[cfg(doc)]
use super::Lab;
use crate::{Dataset, DatasetBuilder};
use wasm_bindgen::prelude::*;

/// Reads a word list in pieces, so that the page can load a large file a chunk at a
/// time, showing progress and staying responsive in between; then
/// [`Lab::load_from`] takes it.
#[wasm_bindgen]
pub struct Loader {
    builder: DatasetBuilder,
}

#[wasm_bindgen]
impl Loader {
    /// An empty loader.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Loader {
        Loader {
            builder: DatasetBuilder::new(),
        }
    }

    /// The next piece of the file; fails at once on bytes that cannot be a word list.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        Ok(self.builder.push(chunk)?)
    }
}

impl Loader {
    /// The data set of the pieces read, using the loader up.
    pub(super) fn finish(self) -> crate::Result<Dataset> {
        self.builder.finish()
    }
}

impl Default for Loader {
    fn default() -> Self {
        Self::new()
    }
}
