//! Training handed to another instance of the module, and its steps taken back: how the
//! page trains in a Web Worker while its own thread draws.
//!
//! The page's session stays the one that counts. [`Session::handoff`] gives a worker
//! what it needs to rebuild the session ([`Remote::new`]); the worker trains and, when
//! the page asks, sends a report ([`Remote::report`]): the steps taken, `W` and its
//! gradient after them, the learning rate and the minibatch generator.
//! [`Session::adopt_report`] takes the report as if the page had taken those steps
//! itself, bit for bit. A report says which state it was trained from (a fingerprint);
//! if the page's session has changed since (a reset, a new λ, anything), the report is
//! stale and nothing changes, so the page needs no list of what may change mid-run: it
//! hands the run off again. The worker keeps the words from one run to the next, so a
//! handoff carries them only when they are new to it: with millions of words, making
//! and rebuilding the list is a fraction of a second.

use super::Session;
use crate::data::dataset::Dataset;
use crate::error::{Error, Result};
use crate::files::model_file::ModelFile;
use crate::rng::TorchGenerator;
use crate::settings::LEARNING_RATE;
use crate::settings::MAX_STEPS;
use crate::DEFAULT_SEED;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::atomic::{AtomicU64, Ordering};

/// What a report starts with: its format and version.
const REPORT_MAGIC: &[u8; 4] = b"BLR1";

/// A number for a data set new to this instance of the module (see
/// [`Session::data_id`]).
pub(super) fn new_data_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The data set's number a worker says it has, as JavaScript sends it (`known_data` of
/// [`Session::handoff`]). A number that is not a whole one from 0 up is no data set's:
/// the words then go with the handoff.
pub fn known_data(number: Option<f64>) -> Option<u64> {
    number
        .filter(|n| n.fract() == 0.0 && *n >= 0.0)
        .map(|n| n as u64)
}

/// Everything a training run needs of a session, to rebuild it in another instance of
/// the module: the words (unless the worker has them), the model file (`W`, λ, steps,
/// split, the word trained on, context), the batch size and the minibatch generator.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Handoff {
    /// Which data set the words are ([`Session::data_id`]).
    pub data_id: u64,
    /// The session's fingerprint, in hexadecimal (JavaScript's numbers hold 53 bits): the
    /// rebuilt session must have the same, or its reports would never be taken.
    pub fingerprint: String,
    /// The data set's words, one a line; `None` when the worker has them from its last
    /// run.
    pub words: Option<String>,
    /// The model as exported, but for `W`, which travels as `w`.
    pub model: ModelFile,
    /// `W`, row-major, as little-endian bytes (a `Uint8Array` in JavaScript): as an array
    /// of numbers, the 3-character context's half a million took 44 ms to make.
    #[serde(with = "f32_bytes")]
    pub w: Vec<f32>,
    /// Examples per minibatch (0: full batch).
    pub batch_size: usize,
    /// The minibatch generator's state ([`TorchGenerator::to_words`]).
    pub batch_rng: Vec<u32>,
}

/// A report that was taken, or one trained from a state the session has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adopted {
    /// The report's steps are the session's now (how many).
    Steps(u64),
    /// The session changed after the report's run began: nothing was taken, and the run
    /// must be handed off again.
    Stale,
}

fn refused(reason: impl Into<String>) -> Error {
    Error::Handoff {
        reason: reason.into(),
    }
}

impl Session {
    /// The number of the session's data set, given when it was made or loaded and kept
    /// by copies: equal numbers, the same words (within this instance of the module).
    pub fn data_id(&self) -> u64 {
        self.data_id
    }

    /// What another instance of the module needs to train on from this state; the words
    /// are left out when it has them already (`known_data` is this data set's number).
    pub fn handoff(&self, known_data: Option<u64>) -> Handoff {
        // No newline after the last word: the text is then never longer than the file the
        // words came from, whose size was checked against the limit.
        let words = (known_data != Some(self.data_id))
            .then(|| self.data.words().collect::<Vec<_>>().join("\n"));
        let mut model = self.export();
        let w = std::mem::take(&mut model.w);
        Handoff {
            data_id: self.data_id,
            fingerprint: self.fingerprint_text(),
            words,
            model,
            w,
            batch_size: self.batch_size,
            batch_rng: self.batch_rng.to_words(),
        }
    }

    /// The session a [`Handoff`] describes, on `data` (its words). Its own bookkeeping,
    /// such as the code panel's note, starts afresh: only its training matters.
    fn from_handoff(data: Dataset, mut handoff: Handoff) -> Result<Self> {
        let mut session = Session::new(data, DEFAULT_SEED, handoff.model.l2)?;
        session.data_id = handoff.data_id;
        handoff.model.w = std::mem::take(&mut handoff.w);
        session.import(handoff.model)?;
        session.set_batch_size(handoff.batch_size as f64)?;
        session.batch_rng = TorchGenerator::from_words(&handoff.batch_rng)
            .ok_or_else(|| refused("its minibatch generator state is damaged"))?;
        if session.fingerprint_text() != handoff.fingerprint {
            // The words did not survive the trip as they were (a list the parser reads
            // differently the second time): better no worker than one whose every report
            // is stale.
            return Err(refused("the session rebuilt from it is not the page's"));
        }
        Ok(session)
    }

    /// [`fingerprint`](Self::fingerprint) as the handoff carries it: hexadecimal text.
    fn fingerprint_text(&self) -> String {
        format!("{:016x}", self.fingerprint())
    }

    /// A digest of everything a step depends on or changes: `W` (and its shape), the step
    /// count, λ, the context, which training words (the data set's number and counts, the
    /// split, the word trained on, the batch size) and the minibatch generator. Equal on
    /// both sides of a handoff until one of them changes.
    fn fingerprint(&self) -> u64 {
        let mut h = Fnv::new();
        let (rows, cols) = self.net.w().dim();
        h.u64(rows as u64);
        h.u64(cols as u64);
        h.words(self.net.w().iter().map(|x| x.to_bits()));
        h.u64(self.steps);
        h.word(self.net.l2().to_bits());
        let context = self.net.context();
        h.u64(context.len() as u64);
        h.word(context.encoding() as u32);
        h.u64(self.batch_size as u64);
        h.words(self.batch_rng.to_words());
        let split = self.split.as_ref().map(|s| (s.percent, s.seed));
        h.bytes(format!("{split:?} {:?}", self.train_on_word()).as_bytes());
        h.u64(self.data_id);
        h.u64(self.data.word_count() as u64);
        h.u64(self.data.bigram_count() as u64);
        h.bytes(self.vocab_string().as_bytes());
        h.finish()
    }

    /// Takes a [`Remote::report`]: `W`, its gradient, the step count, the learning rate and
    /// the minibatch generator become the report's, as if the steps were taken here.
    /// A damaged report is refused with nothing changed; a stale one changes nothing.
    pub fn adopt_report(&mut self, bytes: &[u8]) -> Result<Adopted> {
        let report = Report::decode(bytes)?;
        // First: a report from before a new context is stale, not wrong.
        if report.base != self.fingerprint() {
            return Ok(Adopted::Stale);
        }
        let (rows, cols) = self.net.w().dim();
        if (report.rows, report.cols) != (rows, cols) {
            return Err(refused(format!(
                "its W is {}×{}, the session's {rows}×{cols}",
                report.rows, report.cols
            )));
        }
        if !matches!(self.steps.checked_add(report.steps), Some(steps) if steps <= MAX_STEPS) {
            return Err(refused("its step count is past what the page can count"));
        }
        let (w, grad) = self.net.w_and_grad_mut();
        let (w_bytes, grad_bytes) = report.values.split_at(4 * rows * cols);
        for (to, from) in [(w, w_bytes), (grad, grad_bytes)] {
            // Row-major on both sides (`W` is made in standard layout and kept so); read
            // straight from the bytes, once a frame, with no copy in between.
            for (t, b) in to.iter_mut().zip(from.chunks_exact(4)) {
                *t = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            }
        }
        self.net.after_step();
        self.batch_rng = report.batch_rng;
        self.stepped(report.lr, report.steps);
        Ok(Adopted::Steps(report.steps))
    }
}

/// The worker's side of a handed-off run: the session rebuilt from a [`Handoff`], and
/// the state of it that the page's session was at when the last report was made.
#[derive(Debug, Clone)]
pub struct Remote {
    session: Session,
    /// The page's number for the data set ([`Handoff::data_id`]).
    data_id: u64,
    /// The fingerprint of the state the next report's steps start from.
    base: u64,
    /// The step count there.
    base_steps: u64,
    /// The learning rate of the last step.
    lr: f32,
}

impl Remote {
    /// The run a handoff describes, about to train; the words come from `previous` (the
    /// run before, used up) when the handoff leaves them out.
    pub fn new(mut handoff: Handoff, previous: Option<Remote>) -> Result<Self> {
        let data = match handoff.words.take() {
            Some(words) => Dataset::from_bytes(words.as_bytes())?,
            None => previous
                .filter(|p| p.data_id == handoff.data_id)
                .map(|p| p.session.data)
                .ok_or_else(|| refused("it leaves out words the worker has not got"))?,
        };
        let data_id = handoff.data_id;
        let session = Session::from_handoff(data, handoff)?;
        Ok(Self {
            data_id,
            base: session.fingerprint(),
            base_steps: session.steps,
            session,
            lr: 0.0,
        })
    }

    /// The session as trained so far.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// [`Session::train`] on the worker's copy.
    pub fn train(
        &mut self,
        lr: f32,
        max_steps: usize,
        go_on: impl FnMut() -> bool,
    ) -> Result<usize> {
        let done = self.session.train(lr, max_steps, go_on)?;
        if done > 0 {
            self.lr = lr;
        }
        Ok(done)
    }

    /// Steps taken since the last report.
    pub fn unreported(&self) -> u64 {
        self.session.steps - self.base_steps
    }

    /// The steps since the last report, for [`Session::adopt_report`]; `None` when there
    /// are none. With several learning rates among them, the report carries the last
    /// (the page then notes that the run is not one loop, as it would have itself).
    pub fn report(&mut self) -> Option<Vec<u8>> {
        let steps = self.unreported();
        if steps == 0 {
            return None;
        }
        let w = self.session.net.w();
        let grad = self.session.net.grad();
        let (rows, cols) = w.dim();
        let rng = self.session.batch_rng.to_words();
        let mut out = Vec::with_capacity(40 + 4 * (rng.len() + 2 * w.len()));
        out.extend_from_slice(REPORT_MAGIC);
        out.extend_from_slice(&self.base.to_le_bytes());
        out.extend_from_slice(&steps.to_le_bytes());
        out.extend_from_slice(&self.lr.to_le_bytes());
        for n in [rng.len(), rows, cols] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for word in rng {
            out.extend_from_slice(&word.to_le_bytes());
        }
        for x in w.iter().chain(grad.iter()) {
            out.extend_from_slice(&x.to_le_bytes());
        }
        self.base = self.session.fingerprint();
        self.base_steps = self.session.steps;
        Some(out)
    }
}

/// `Vec<f32>` as little-endian bytes through serde: `serialize_bytes`, which
/// serde-wasm-bindgen makes a `Uint8Array`.
mod f32_bytes {
    use super::{Deserializer, Serializer};
    use serde::de::{Error, SeqAccess, Visitor};

    pub fn serialize<S: Serializer>(values: &[f32], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values.iter().flat_map(|x| x.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f32>, D::Error> {
        let bytes = d.deserialize_byte_buf(Bytes)?;
        if bytes.len() % 4 != 0 {
            return Err(D::Error::custom("W's bytes are not whole numbers"));
        }
        Ok(bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }

    struct Bytes;

    impl<'de> Visitor<'de> for Bytes {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("bytes")
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }

        fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }

        // Formats without bytes (JSON) give a sequence of numbers.
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut out = Vec::new();
            while let Some(b) = seq.next_element()? {
                out.push(b);
            }
            Ok(out)
        }
    }
}

/// A report, read (its numbers checked, `W` and the gradient left as the bytes they are).
struct Report<'a> {
    base: u64,
    steps: u64,
    lr: f32,
    batch_rng: TorchGenerator,
    rows: usize,
    cols: usize,
    /// `W` then its gradient, row-major, as little-endian bytes.
    values: &'a [u8],
}

impl<'a> Report<'a> {
    fn decode(bytes: &'a [u8]) -> Result<Self> {
        let mut r = Reader(bytes);
        if r.take(4)? != REPORT_MAGIC {
            return Err(refused("it is not a training report"));
        }
        let base = r.u64()?;
        let steps = r.u64()?;
        let lr = f32::from_bits(r.u32()?);
        LEARNING_RATE
            .check(f64::from(lr))
            .map_err(|e| refused(e.to_string()))?;
        if steps == 0 {
            return Err(refused("it has no steps"));
        }
        let [rng_len, rows, cols] = [r.u32()?, r.u32()?, r.u32()?].map(|n| n as usize);
        let rng = (0..rng_len).map(|_| r.u32()).collect::<Result<Vec<_>>>()?;
        let batch_rng = TorchGenerator::from_words(&rng)
            .ok_or_else(|| refused("its minibatch generator state is damaged"))?;
        let len = rows
            .checked_mul(cols)
            .and_then(|n| n.checked_mul(8))
            .filter(|&n| n == r.0.len())
            .ok_or_else(|| refused("its W and gradient are not the size it says"))?;
        let values = r.take(len)?;
        Ok(Self {
            base,
            steps,
            lr,
            batch_rng,
            rows,
            cols,
            values,
        })
    }
}

/// Reads little-endian numbers off the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.0.len() < n {
            return Err(refused("it is cut short"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from(self.u32()?) | (u64::from(self.u32()?) << 32))
    }
}

/// FNV-1a over 32-bit words: a digest to notice change, not to resist tampering.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn word(&mut self, w: u32) {
        self.0 = (self.0 ^ u64::from(w)).wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn words(&mut self, ws: impl IntoIterator<Item = u32>) {
        for w in ws {
            self.word(w);
        }
    }

    fn u64(&mut self, x: u64) {
        self.word(x as u32);
        self.word((x >> 32) as u32);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.u64(bytes.len() as u64);
        self.words(bytes.iter().map(|&b| u32::from(b)));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests;
