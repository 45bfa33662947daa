//! `N`, the lecture's count matrix: `N[i, j]` is how often character `j` follows context
//! `i` in a set of examples (for the bigram the context is one character, so `N` is V×V;
//! for a context of two, row `a·V + b`, V²×V). The counting model normalises it; the
//! neural net's full-batch loss and gradient depend on the data only through it.

use crate::error::{Error, Result};
use ndarray::Array2;
use std::sync::atomic::{AtomicU64, Ordering};

/// The count matrix `N` of a set of examples, with the row sums and total the fast path
/// needs.
#[derive(Debug, Clone, PartialEq)]
pub struct N {
    n: Array2<u32>,
    row_sums: Vec<u64>,
    total: u64,
    /// The rows with at least one example, ascending: a training step visits these
    /// alone, and a recount clears these alone (a 3-character context has 19,683 rows,
    /// a minibatch of 32 touches at most 32 of them).
    occurring: Vec<usize>,
    /// `N` as f32, row-major, for the training step's vector loops (a u32 → f32
    /// conversion per cell per step cost as much as the update itself). Exact for
    /// counts below 2^24.
    as_f32: Vec<f32>,
    /// Which counts these are: see [`N::generation`].
    generation: Generation,
}

/// A number no two different counts share: a new one for every `N` made and every
/// recount. Not part of the value (two `N`s of the same counts are equal whatever
/// their generations), so it compares equal always.
#[derive(Debug, Clone, Copy)]
struct Generation(u64);

impl Generation {
    fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl PartialEq for Generation {
    fn eq(&self, _: &Self) -> bool {
        true
    }
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
            occurring: Vec::new(),
            as_f32: Vec::new(),
            generation: Generation::next(),
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
            occurring: Vec::new(),
            as_f32: vec![0.0; contexts * v],
            generation: Generation::next(),
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
        // Only the rows counted last time hold anything: clearing them alone keeps a
        // minibatch's recount proportional to the batch, not to the matrix.
        self.generation = Generation::next();
        let v = self.n.ncols();
        for &row in &self.occurring {
            self.n.row_mut(row).fill(0);
            self.as_f32[row * v..(row + 1) * v].fill(0.0);
            self.row_sums[row] = 0;
        }
        self.occurring.clear();
        self.total = 0;
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
            if self.row_sums[x] == 0 {
                self.occurring.push(x);
            }
            self.row_sums[x] += 1;
            self.total += 1;
        }
        self.occurring.sort_unstable();
        for &row in &self.occurring {
            let counts = self.n.row(row);
            let out = &mut self.as_f32[row * v..(row + 1) * v];
            for (o, &c) in out.iter_mut().zip(counts) {
                *o = c as f32;
            }
        }
        Ok(())
    }

    fn update_sums(&mut self) {
        self.row_sums.clear();
        let rows = self.n.rows().into_iter();
        self.row_sums
            .extend(rows.map(|r| r.iter().map(|&c| u64::from(c)).sum::<u64>()));
        self.total = self.row_sums.iter().sum();
        self.occurring.clear();
        let occurring = self.row_sums.iter().enumerate().filter(|(_, &r)| r > 0);
        self.occurring.extend(occurring.map(|(i, _)| i));
        self.as_f32.clear();
        self.as_f32.extend(self.n.iter().map(|&c| c as f32));
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

    /// A number that changes whenever the counts may have: two calls that give the
    /// same number saw the same counts. What a trainer gathers from `N` (the side-by-side
    /// encoding's counts a context) is kept while it stays the same.
    pub fn generation(&self) -> u64 {
        self.generation.0
    }

    /// `N` in row-major order as f32 (exact below 2^24 examples a cell).
    pub(crate) fn as_f32(&self) -> &[f32] {
        &self.as_f32
    }

    /// How many examples start with each character (the row sums of `N`).
    pub fn row_sums(&self) -> &[u64] {
        &self.row_sums
    }

    /// The rows with at least one example (contexts that occur), ascending.
    pub fn occurring(&self) -> &[usize] {
        &self.occurring
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
    fn a_recount_is_a_new_generation_and_a_copy_the_same() {
        let mut n = N::from_examples(&[0, 1], &[1, 0], 2).unwrap();
        let copy = n.clone();
        assert_eq!(copy.generation(), n.generation());
        let other = N::from_examples(&[0, 1], &[1, 0], 2).unwrap();
        assert_ne!(other.generation(), n.generation());
        assert_eq!(other, n, "the generation is not part of the value");
        let before = n.generation();
        n.recount([(0, 1), (1, 0)]).unwrap();
        assert_ne!(n.generation(), before, "the same counts, but counted again");
        assert!(n.recount([(5, 0)]).is_err());
        assert_ne!(n.generation(), copy.generation());
    }

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
        assert_eq!(again.occurring(), [1]);
        // A recount clears what the last count left, and only rows that occur are listed.
        again.recount([(0, 0), (0, 1)]).unwrap();
        assert_eq!(again.matrix()[(1, 1)], 0);
        assert_eq!(
            (again.row_sums(), again.occurring()),
            (&[2, 0][..], &[0][..])
        );
        assert_eq!(again, N::from_examples(&[0, 0], &[0, 1], 2).unwrap());
        assert_eq!(again.as_f32(), [1.0, 1.0, 0.0, 0.0], "the f32 copy follows");
        assert_eq!(n.occurring(), [0, 1]);
    }
}
