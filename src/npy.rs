//! `W` and `N` as NumPy's `.npy` files, so that weights cross between the page and a
//! notebook: `np.load('W.npy')` gives the page's float32 numbers bit for bit, and a `W`
//! saved with `np.save('W.npy', W.detach().numpy())` comes back in.
//!
//! The format itself is [`ndarray_npy`]'s; this module holds the rules of what the page
//! takes: a float32 or float64 array, C order, of exactly the shape of the current `W`,
//! every number finite as a float32. Anything else is refused with a message that names
//! the shape wanted and what the file holds.

use crate::error::{Error, Result};
use crate::n::N;
use ndarray::{Array2, ArrayView2};
use ndarray_npy::npy::header::{Header, Layout};
use ndarray_npy::{ReadNpyError, ReadNpyExt, WriteNpyExt};

/// The bytes of a `.npy` file holding `w` (dtype `<f4`, C order, `w`'s shape).
pub fn write_weights(w: ArrayView2<f32>) -> Result<Vec<u8>> {
    write(&w.as_standard_layout())
}

/// The bytes of a `.npy` file holding the counts of `n` (dtype `<i4`, int32, as the
/// lecture's `torch.zeros((27, 27), dtype=torch.int32)`; contexts × V).
///
/// A count is at most the number of examples, and a word list of at most
/// [`crate::MAX_FILE_BYTES`] bytes has far fewer than 2^31 of them; a count past int32
/// is refused rather than wrapped all the same.
pub fn write_counts(n: &N) -> Result<Vec<u8>> {
    let counts = n.matrix();
    let mut out = Array2::<i32>::zeros(counts.raw_dim());
    for (o, &c) in out.iter_mut().zip(counts) {
        *o = i32::try_from(c).map_err(|_| Error::NpyWrite {
            reason: format!("a count of {c} does not fit an int32"),
        })?;
    }
    write(&out)
}

fn write(array: &impl WriteNpyExt) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    array.write_npy(&mut out).map_err(|e| Error::NpyWrite {
        reason: e.to_string(),
    })?;
    Ok(out)
}

/// The element types the page takes, by the `.npy` descriptor: float32 and float64, of
/// either byte order (ndarray-npy swaps big-endian ones).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Float {
    F32,
    F64,
}

impl Float {
    fn of(descr: Option<&str>) -> Option<Float> {
        match descr? {
            "<f4" | ">f4" => Some(Float::F32),
            "<f8" | ">f8" => Some(Float::F64),
            _ => None,
        }
    }
}

/// A shape as Python writes a tuple: `(27, 27)`, `(27,)`, `()`.
fn python_shape(shape: &[usize]) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// The largest `.npy` file that can hold `W` of `rows` × `v`: float64 numbers and room
/// for any header NumPy writes (a few hundred bytes; 64 KiB allowed). The page reads no
/// more of a file than this and one byte, so a huge file is refused unread.
pub fn max_file_bytes(rows: usize, v: usize) -> usize {
    rows.saturating_mul(v)
        .saturating_mul(8)
        .saturating_add(64 << 10)
}

/// Reads `W` of `rows` × `v` from the bytes of a `.npy` file: float32 as it is, float64
/// rounded to the nearest float32 (as NumPy's `astype(np.float32)` does). Refused, with
/// the expected shape and what the file holds, unless the file is a float32 or float64
/// array in C order of exactly that shape, with exactly its bytes, every value finite
/// as a float32.
pub fn read_weights(bytes: &[u8], rows: usize, v: usize) -> Result<Array2<f32>> {
    let refuse = |found: String| Error::NpyRefused {
        expected: format!(
            "a float32 or float64 array of shape {}, C order",
            python_shape(&[rows, v])
        ),
        found,
    };
    if bytes.len() > max_file_bytes(rows, v) {
        return Err(refuse(format!(
            "more bytes than any .npy file of shape {} takes",
            python_shape(&[rows, v])
        )));
    }
    let header = header_of(bytes).map_err(refuse)?;
    let descr = header.type_descriptor.as_string().map(String::as_str);
    let float = Float::of(descr);
    let mut wrong = Vec::new();
    if float.is_none() {
        wrong.push(match descr {
            Some(s) => format!("dtype '{}'", s.chars().take(16).collect::<String>()),
            None => "a structured dtype".to_string(),
        });
    }
    if header.shape != [rows, v] {
        wrong.push(if header.shape.len() <= 4 {
            format!("shape {}", python_shape(&header.shape))
        } else {
            format!("an array of {} dimensions", header.shape.len())
        });
    }
    if header.layout == Layout::Fortran {
        wrong.push("Fortran order".to_string());
    }
    let Some(float) = float.filter(|_| wrong.is_empty()) else {
        return Err(refuse(wrong.join(", ")));
    };
    // The header's shape is W's, so reading allocates no more than W takes.
    let read_error = |e: ReadNpyError| {
        refuse(match e {
            ReadNpyError::MissingData | ReadNpyError::Io(_) => format!(
                "too few bytes for shape {} (the file is cut short)",
                python_shape(&[rows, v])
            ),
            ReadNpyError::ExtraBytes(n) => format!(
                "{n} bytes more than shape {} needs",
                python_shape(&[rows, v])
            ),
            other => format!("data that cannot be read ({other})"),
        })
    };
    let (w, wide) = match float {
        Float::F32 => (Array2::<f32>::read_npy(bytes).map_err(read_error)?, None),
        Float::F64 => {
            let w64 = Array2::<f64>::read_npy(bytes).map_err(read_error)?;
            (w64.mapv(|x| x as f32), Some(w64))
        }
    };
    if let Some(((r, c), &x)) = w.indexed_iter().find(|(_, x)| !x.is_finite()) {
        let beyond_f32 = wide.is_some_and(|w64| w64[(r, c)].is_finite());
        return Err(refuse(if beyond_f32 {
            format!("a value beyond float32's range at [{r}, {c}]")
        } else {
            format!("a value that is not finite ({x}) at [{r}, {c}]")
        }));
    }
    Ok(w)
}

/// The file's header, or what the file holds instead of one.
fn header_of(bytes: &[u8]) -> std::result::Result<Header, String> {
    const MAGIC: &[u8] = b"\x93NUMPY";
    if !bytes.starts_with(MAGIC) {
        return Err("no NumPy array (a .npy file starts with \\x93NUMPY)".into());
    }
    // ndarray-npy allocates the length the header claims before reading it, and a
    // damaged file may claim up to 4 GiB: a claim past the file's end is refused here.
    let length_bytes = match bytes.get(6) {
        Some(1) => 2,
        Some(2 | 3) => 4,
        _ => return Err("a .npy version other than 1, 2 or 3".into()),
    };
    let claimed = (bytes.get(8..8 + length_bytes)).map(|b| {
        b.iter()
            .rev()
            .fold(0usize, |n, &x| (n << 8) | usize::from(x))
    });
    match claimed {
        Some(len) if 8 + length_bytes + len <= bytes.len() => {}
        _ => return Err("a .npy header that is cut short".into()),
    }
    Header::from_reader(&mut &bytes[..]).map_err(|e| format!("a damaged .npy header ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A .npy file as NumPy 1.x/2.x writes it: magic, version 1.0, the header padded
    /// with spaces to a multiple of 64 bytes and ending in a newline, then the data.
    fn npy(descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
        let dict = format!(
            "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
            if fortran { "True" } else { "False" }
        );
        let mut header = dict.into_bytes();
        while (10 + header.len() + 1) % 64 != 0 {
            header.push(b' ');
        }
        header.push(b'\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(data);
        out
    }

    fn le_f64(values: &[f64]) -> Vec<u8> {
        values.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    fn message(bytes: &[u8], rows: usize, v: usize) -> String {
        read_weights(bytes, rows, v).unwrap_err().to_string()
    }

    const EXPECTED_2X3: &str = "expected a float32 or float64 array of shape (2, 3), C order; \
                                this file holds";

    #[test]
    fn weights_round_trip_bit_for_bit_with_numpys_header() {
        let w =
            Array2::from_shape_vec((2, 3), vec![0.1f32, -1e-30, 3.4e38, -0.0, 1.0, 7.25]).unwrap();
        let bytes = write_weights(w.view()).unwrap();
        // What np.load reads: the magic, version 1.0, the dict, 64-byte alignment.
        assert!(bytes.starts_with(b"\x93NUMPY\x01\x00"));
        let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
        let header = std::str::from_utf8(&bytes[10..10 + header_len]).unwrap();
        assert!(header.contains("'descr': '<f4'"), "{header}");
        assert!(header.contains("'fortran_order': False"), "{header}");
        assert!(header.contains("'shape': (2, 3)"), "{header}");
        assert_eq!((10 + header_len) % 64, 0);
        let data: Vec<u8> = w.iter().flat_map(|x| x.to_le_bytes()).collect();
        assert_eq!(&bytes[10 + header_len..], &data[..]);
        let back = read_weights(&bytes, 2, 3).unwrap();
        assert!(back.iter().zip(&w).all(|(a, b)| a.to_bits() == b.to_bits()));
        // NumPy's own header (`'shape': (2, 3), }`) reads the same.
        let numpys = read_weights(&npy("<f4", false, "(2, 3)", &data), 2, 3).unwrap();
        assert_eq!(numpys, back);
    }

    #[test]
    fn float64_is_rounded_to_the_nearest_float32() {
        let values = [0.1f64, 1.0 / 3.0, -2.5, 0.0, 1e-40, 123_456_789.0];
        let w = read_weights(&npy("<f8", false, "(2, 3)", &le_f64(&values)), 2, 3).unwrap();
        let want: Vec<f32> = values.iter().map(|&x| x as f32).collect();
        assert_eq!(w.as_slice().unwrap(), &want[..]);
        // Big-endian files read too.
        let be: Vec<u8> = values.iter().flat_map(|x| x.to_be_bytes()).collect();
        let w = read_weights(&npy(">f8", false, "(2, 3)", &be), 2, 3).unwrap();
        assert_eq!(w.as_slice().unwrap(), &want[..]);
    }

    #[test]
    fn counts_are_int32_with_ns_shape() {
        let n = N::from_examples(&[0, 1, 1, 2], &[1, 0, 0, 2], 3).unwrap();
        let bytes = write_counts(&n).unwrap();
        let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
        let header = std::str::from_utf8(&bytes[10..10 + header_len]).unwrap();
        assert!(header.contains("'descr': '<i4'") && header.contains("'shape': (3, 3)"));
        let data: Vec<i32> = bytes[10 + header_len..]
            .chunks_exact(4)
            .map(|b| i32::from_le_bytes(b.try_into().unwrap()))
            .collect();
        assert_eq!(data, [0, 1, 0, 2, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn every_other_file_is_refused_with_the_shape_wanted() {
        let zeros = |n: usize| vec![0u8; n];
        for (bytes, found) in [
            (npy("<f4", false, "(2, 4)", &zeros(32)), "shape (2, 4)"),
            (npy("<f4", false, "(3, 2)", &zeros(24)), "shape (3, 2)"),
            (npy("<f4", false, "(6,)", &zeros(24)), "shape (6,)"),
            (npy("<f4", false, "()", &zeros(4)), "shape ()"),
            (
                npy("<f4", false, "(1, 2, 3)", &zeros(24)),
                "shape (1, 2, 3)",
            ),
            (npy("<i8", false, "(2, 3)", &zeros(48)), "dtype '<i8'"),
            (npy("<f2", false, "(2, 3)", &zeros(12)), "dtype '<f2'"),
            (
                npy("<i4", false, "(9,)", &zeros(36)),
                "dtype '<i4', shape (9,)",
            ),
            (npy("<f4", true, "(2, 3)", &zeros(24)), "Fortran order"),
            (
                npy("<f4", false, "(2, 3)", &zeros(20)),
                "too few bytes for shape (2, 3) (the file is cut short)",
            ),
            (
                npy("<f8", false, "(2, 3)", &zeros(47)),
                "too few bytes for shape (2, 3) (the file is cut short)",
            ),
            (
                npy("<f4", false, "(2, 3)", &zeros(28)),
                "4 bytes more than shape (2, 3) needs",
            ),
            (b"emma\nolivia\n".to_vec(), "no NumPy array"),
            (
                npy("<f8", false, "(2, 3)", &zeros(48 + (64 << 10))),
                "more bytes than any .npy file of shape (2, 3) takes",
            ),
            (Vec::new(), "no NumPy array"),
            (
                b"\x93NUMPY\x01\x00\xff".to_vec(),
                "a .npy header that is cut short",
            ),
            // A header claiming 4 GiB in a file of a few bytes: refused, not allocated.
            (
                b"\x93NUMPY\x02\x00\xff\xff\xff\xff{".to_vec(),
                "a .npy header that is cut short",
            ),
            (b"\x93NUMPY\x07\x00".to_vec(), "a .npy version other than"),
            (
                npy("<f4", false, "(2, 3", &zeros(24)),
                "a damaged .npy header",
            ),
        ] {
            let text = message(&bytes, 2, 3);
            assert!(
                text.starts_with(&format!("{EXPECTED_2X3} {found}")),
                "{found:?}: {text}"
            );
        }
    }

    #[test]
    fn non_finite_values_are_refused_with_their_place() {
        let mut values = [0.0f64; 6];
        values[4] = f64::NAN;
        let text = message(&npy("<f8", false, "(2, 3)", &le_f64(&values)), 2, 3);
        assert!(
            text.ends_with("a value that is not finite (NaN) at [1, 1]"),
            "{text}"
        );
        values[4] = 0.0;
        values[2] = 1e300; // finite as a float64, ∞ as a float32
        let text = message(&npy("<f8", false, "(2, 3)", &le_f64(&values)), 2, 3);
        assert!(
            text.ends_with("a value beyond float32's range at [0, 2]"),
            "{text}"
        );
        let mut data = vec![0u8; 24];
        data[0..4].copy_from_slice(&f32::NEG_INFINITY.to_le_bytes());
        let text = message(&npy("<f4", false, "(2, 3)", &data), 2, 3);
        assert!(text.ends_with("not finite (-inf) at [0, 0]"), "{text}");
    }

    #[test]
    fn arbitrary_bytes_are_refused_without_a_panic() {
        // Every prefix of a good file, and the good file with each byte flipped.
        let good = npy("<f4", false, "(2, 3)", &[0u8; 24]);
        for cut in 0..good.len() {
            assert!(read_weights(&good[..cut], 2, 3).is_err(), "cut at {cut}");
        }
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0xa5;
            // A flipped data byte is a fine file; the point is that nothing panics.
            let _ = read_weights(&bad, 2, 3);
        }
    }
}
