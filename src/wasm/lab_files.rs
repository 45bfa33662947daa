//! What a [`Lab`] gives to files and takes from them: the model file, `W` and `N` as
//! `.npy`, the PyTorch program of the run with its word list, and new word lists.

use super::{to_js, Lab, Loader};
use crate::files::code::{pytorch_program, Form};
use crate::files::model_file::ModelFile;
use crate::settings::{parse_seed, SAMPLE_COUNT};
use crate::Dataset;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Lab {
    /// The model as a plain object for JSON.
    #[wasm_bindgen(js_name = exportModel)]
    pub fn export_model(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.export())
    }

    /// An upper bound on the length of [`export_model`](Self::export_model)'s JSON text
    /// (see [`crate::Session::export_chars_bound`]), known from the sizes alone.
    #[wasm_bindgen(getter, js_name = exportCharsBound)]
    pub fn export_chars_bound(&self) -> f64 {
        self.session.export_chars_bound() as f64
    }

    /// Takes an exported model (parsed JSON); refused with nothing changed unless valid.
    #[wasm_bindgen(js_name = importModel)]
    pub fn import_model(&mut self, model: JsValue) -> Result<(), JsError> {
        let file = ModelFile::read(serde_wasm_bindgen::Deserializer::from(model))?;
        Ok(self.session.import(file)?)
    }

    /// `W` as the bytes of a `.npy` file (float32, the context's shape).
    #[wasm_bindgen(js_name = exportWNpy)]
    pub fn export_w_npy(&self) -> Result<Vec<u8>, JsError> {
        Ok(self.session.w_npy()?)
    }

    /// The training data's counts `N` as the bytes of a `.npy` file (int32).
    #[wasm_bindgen(js_name = exportNNpy)]
    pub fn export_n_npy(&self) -> Result<Vec<u8>, JsError> {
        Ok(self.session.n_npy()?)
    }

    /// The most bytes of a `.npy` file worth reading for [`import_w_npy`](Self::import_w_npy).
    #[wasm_bindgen(getter, js_name = maxWNpyBytes)]
    pub fn max_w_npy_bytes(&self) -> f64 {
        self.session.max_w_npy_bytes() as f64
    }

    /// Takes `W` from the bytes of a `.npy` file; refused with nothing changed unless it
    /// fits the current data set and context.
    #[wasm_bindgen(js_name = importWNpy)]
    pub fn import_w_npy(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        Ok(self.session.import_w_npy(bytes)?)
    }

    /// The PyTorch program that reproduces this run from a Reset with `W` from `seed`,
    /// the learning rate `lr` (the steps' own once steps were taken) and `sample_count`
    /// names, its forward pass in `form`: `onehot`, `index` or `cross_entropy`. Plain text.
    pub fn code(
        &self,
        form: &str,
        seed: &str,
        lr: f32,
        sample_count: f64,
    ) -> Result<String, JsError> {
        let form = Form::parse(form)?;
        let sample_count = SAMPLE_COUNT.count(sample_count)?;
        let spec = self.session.run_spec(parse_seed(seed)?, lr, sample_count);
        Ok(pytorch_program(&spec, form))
    }

    /// The data set's words, one per line: the `names.txt` the Code panel's program reads.
    #[wasm_bindgen(js_name = wordsText)]
    pub fn words_text(&self) -> String {
        self.session.data().words_text()
    }

    /// Replaces the data set with a word list file's bytes and starts a new `W` from
    /// `seed`. On any error nothing changes.
    #[wasm_bindgen(js_name = loadWords)]
    pub fn load_words(&mut self, bytes: &[u8], seed: &str) -> Result<(), JsError> {
        let seed = parse_seed(seed)?;
        Ok(self.session.load(Dataset::from_bytes(bytes)?, seed)?)
    }

    /// Replaces the data set with what `loader` read; as [`load_words`](Self::load_words)
    /// otherwise. The loader is used up.
    #[wasm_bindgen(js_name = loadFrom)]
    pub fn load_from(&mut self, loader: Loader, seed: &str) -> Result<(), JsError> {
        let seed = parse_seed(seed)?;
        Ok(self.session.load(loader.finish()?, seed)?)
    }
}
