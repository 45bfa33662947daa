//! `N`, the lecture's count matrix: `N[i, j]` is how often character `j` follows context
//! `i` in a set of examples (for the bigram the context is one character, so `N` is V×V;
//! for a context of two, row `a·V + b`, V²×V). The counting model normalises it; the
//! neural net's full-batch loss and gradient depend on the data only through it.

use crate::error::{Error, Result};
use ndarray::Array2;

/// The count matrix `N` of a set of examples, with the row sums and total the fast path
/// needs.
#[derive(Debug, Clone, PartialEq)]
pub struct N {
    n: Array2<u32>,
    row_sums: Vec<u64>,
    total: u64,
}

impl N {
    /// Counts the pairs `(xs[k], ys[k])` into a V×V matrix. An index of V or more is an
    /// error (none is when the indices come from a [`crate::Vocab`] of size `v`).
    pub fn from_examples(xs: &[u8], ys: &[u8], v: usize) -> Result<Self> {
        if xs.len() != ys.len() {
            return Err(Error::ShapeMismatch {
                expected: format!("{} labels", xs.len()),
                found: format!("{}", ys.len()),
            });
        }
        let mut n = Self::empty(v);
        n.recount(xs.iter().copied().zip(ys.iter().copied()))?;
        Ok(n)
    }

    /// Wraps a count matrix already made (contexts × V, at least one column).
    pub fn from_matrix(n: Array2<u32>) -> Result<Self> {
        if n.ncols() == 0 {
            return Err(Error::ShapeMismatch {
                expected: "a count matrix with a column per character".into(),
                found: format!("{:?}", n.shape()),
            });
        }
        // Row-major storage lets the fast path read N as one slice.
        let n = if n.is_standard_layout() {
            n
        } else {
            n.as_standard_layout().into_owned()
        };
        let mut counts = Self {
            n,
            row_sums: Vec::new(),
            total: 0,
        };
        counts.update_sums();
        Ok(counts)
    }

    /// V×V zeros: the bigram count matrix of no examples.
    pub fn empty(v: usize) -> Self {
        Self::zeros(v, v)
    }

    /// `contexts`×V zeros.
    pub fn zeros(contexts: usize, v: usize) -> Self {
        Self {
            n: Array2::zeros((contexts, v)),
            row_sums: vec![0; contexts],
            total: 0,
        }
    }

    /// Counts bigrams `(x, y)` again into the same storage (no allocation per
    /// minibatch), under the rule of [`count`](Self::count).
    pub fn recount(&mut self, pairs: impl IntoIterator<Item = (u8, u8)>) -> Result<()> {
        self.count(pairs.into_iter().map(|(x, y)| (usize::from(x), y)))
    }

    /// Counts examples `(context row, next character)` into the same storage. One rule
    /// for every way of counting: an index outside the matrix is an error, and then `N`
    /// is left empty rather than half counted.
    pub fn count(&mut self, examples: impl IntoIterator<Item = (usize, u8)>) -> Result<()> {
        self.n.fill(0);
        let shape = self.n.dim();
        for (x, y) in examples {
            let Some(cell) = self.n.get_mut((x, usize::from(y))) else {
                self.n.fill(0);
                self.update_sums();
                return Err(Error::ShapeMismatch {
                    expected: format!("indices inside {}×{}", shape.0, shape.1),
                    found: format!("({x}, {y})"),
                });
            };
            *cell += 1;
        }
        self.update_sums();
        Ok(())
    }

    fn update_sums(&mut self) {
        self.row_sums.clear();
        let rows = self.n.rows().into_iter();
        self.row_sums
            .extend(rows.map(|r| r.iter().map(|&c| u64::from(c)).sum::<u64>()));
        self.total = self.row_sums.iter().sum();
    }

    /// The matrix itself.
    pub fn matrix(&self) -> &Array2<u32> {
        &self.n
    }

    /// `N` in row-major order.
    pub(crate) fn as_slice(&self) -> &[u32] {
        self.n
            .as_slice()
            .expect("from_matrix keeps N in standard layout")
    }

    /// How many examples start with each character (the row sums of `N`).
    pub fn row_sums(&self) -> &[u64] {
        &self.row_sums
    }

    /// How many examples in all.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// V, the number of columns (next characters).
    pub fn vocab_size(&self) -> usize {
        self.n.ncols()
    }

    /// The number of rows (contexts): V for the bigram, V² for a context of two.
    pub fn contexts(&self) -> usize {
        self.n.nrows()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_and_recounting_follow_one_rule() {
        let n = N::from_examples(&[0, 1, 1], &[1, 0, 0], 2).unwrap();
        assert_eq!(n.matrix()[(1, 0)], 2);
        assert_eq!((n.row_sums(), n.total()), (&[1, 2][..], 3));
        assert!(N::from_examples(&[0, 2], &[1, 0], 2).is_err());
        let mut again = n.clone();
        assert!(again.recount([(0, 1), (5, 0)]).is_err());
        assert_eq!(again, N::empty(2), "a refused recount leaves N empty");
        again.recount([(1, 1)]).unwrap();
        assert_eq!((again.matrix()[(1, 1)], again.total()), (1, 1));
    }
}
