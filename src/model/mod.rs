//! The model layer: the lecture's maths. The neural net `W` with its loss, gradient and
//! step ([`net`], whose items are re-exported here), the counting model it approaches
//! ([`count_model`]), the side-by-side encoding of a longer context ([`concat`](mod@concat)), the
//! literal one-hot computation the fast path is held to ([`literal`]), drawing names
//! ([`sample`]), a word's per-bigram probabilities ([`report`]), and the views that
//! teach the backward pass: one example's share of `W.grad` ([`backward_view`]), the
//! gradient checked against finite differences ([`grad_check`]) and the forward pass as
//! a graph, every node with its `.grad` for one example ([`graph`](mod@graph)).
//!
//! Everything here is a function of its arguments: which data and which `W` to use is
//! the session's decision.

pub mod backward_view;
pub mod concat;
pub mod count_model;
pub mod grad_check;
pub mod graph;
pub mod literal;
pub mod net;
pub mod report;
pub mod sample;

pub use net::{
    backward_any, backward_n, forward_any, forward_n, l2_penalty, loss_and_grad, softmax_rows,
    ExampleTrace, Net,
};
pub(crate) use net::{inv_total, l2_grad_scale, mean_loss};
