//! Python's own `random` module, as far as makemore uses it: `random.seed(n)` and
//! `random.shuffle(words)`, so that the 80/10/10 split of the next lecture (and of the
//! exercises) holds the same words here as in a notebook. The engine is the same
//! Mersenne Twister as PyTorch's, seeded another way (`init_by_array`).

use super::torch::{TorchGenerator, N};

/// `random.Random(seed)`: only what `shuffle` needs.
#[derive(Debug, Clone)]
pub struct PythonRandom {
    engine: TorchGenerator,
}

impl PythonRandom {
    /// `random.seed(seed)` for a whole number ≥ 0: the seed cut into 32-bit words, least
    /// significant first (`0` is `[0]`), and the reference `init_by_array` of them.
    pub fn seed(seed: u64) -> Self {
        let key: Vec<u32> = if seed >> 32 == 0 {
            vec![seed as u32]
        } else {
            vec![seed as u32, (seed >> 32) as u32]
        };
        let mut mt = [0u32; N];
        mt[0] = 19_650_218;
        for i in 1..N {
            let prev = mt[i - 1];
            mt[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] =
                (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000; // the most significant bit: a non-zero state
        Self {
            engine: TorchGenerator::from_state(mt),
        }
    }

    /// `randbelow(n)` for 0 < n < 2^32: the top `bit_length(n)` bits of a 32-bit draw,
    /// drawn again until below `n`.
    pub fn randbelow(&mut self, n: u32) -> u32 {
        debug_assert!(n > 0);
        let k = 32 - n.leading_zeros();
        loop {
            let r = self.engine.next_u32() >> (32 - k);
            if r < n {
                return r;
            }
        }
    }

    /// `random.shuffle(items)`: for `i` from the end down to 1, swap with `randbelow(i + 1)`.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            // A word list fits in u32 (64 MiB of text).
            let j = self.randbelow((i + 1) as u32) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_as_cpython_does() {
        // CPython 3.11: random.seed(42); x = list(range(10)); random.shuffle(x)
        let mut x: Vec<u32> = (0..10).collect();
        PythonRandom::seed(42).shuffle(&mut x);
        assert_eq!(x, [7, 3, 2, 8, 5, 6, 9, 4, 0, 1]);
        let mut x: Vec<u32> = (0..10).collect();
        PythonRandom::seed((1 << 40) + 5).shuffle(&mut x);
        assert_eq!(
            x,
            [1, 2, 3, 6, 7, 0, 5, 4, 9, 8],
            "a seed of two 32-bit words"
        );
        let mut x: Vec<u32> = (0..10).collect();
        PythonRandom::seed(0).shuffle(&mut x);
        assert_eq!(x, [7, 8, 1, 5, 3, 4, 2, 0, 9, 6]);
    }
}
