//! The data layer: what the lecture trains on. A word-list file is read in pieces
//! ([`parse`]) into the vocabulary ([`vocab`]) and the examples `xs`, `ys` of a
//! [`dataset`], whose count matrix `N` ([`n`]) is all the full-batch loss needs; the
//! [`context`] says how many characters an example sees before the one it predicts.
//!
//! Nothing here knows of a net: the model layer reads these types, never the other way.

pub mod context;
pub mod dataset;
pub mod n;
pub mod parse;
pub mod vocab;
