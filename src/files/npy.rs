//! `W` and `N` as NumPy's `.npy` files, so that weights cross between the page and a
//! notebook: `np.load('W.npy')` gives the page's float32 numbers bit for bit, and a `W`
//! saved with `np.save('W.npy', W.detach().numpy())` comes back in.
//!
//! Files are written by [`ndarray_npy`], the ndarray ecosystem's own crate. This module
//! holds the rules of what the page takes back: a float32 or float64 array, C order, of
//! exactly the shape of the current `W`, every number finite as a float32. Anything
//! else is refused with a message that names the shape wanted and what the file holds.
//! (It reads the header itself: see [`read_weights`] for why.)

use crate::data::n::N;
use crate::error::{Error, Result};
use ndarray::{Array2, ArrayView2};
use ndarray_npy::WriteNpyExt;

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
/// either byte order (NumPy writes `<`, little-endian, on every common machine).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Float {
    F32,
    F64,
}

impl Float {
    /// The type and whether it is big-endian.
    fn of(descr: &str) -> Option<(Float, bool)> {
        match descr {
            "<f4" => Some((Float::F32, false)),
            ">f4" => Some((Float::F32, true)),
            "<f8" => Some((Float::F64, false)),
            ">f8" => Some((Float::F64, true)),
            _ => None,
        }
    }
}

/// A shape as Python writes a tuple: `(27, 27)`, `(27,)`, `()`.
fn python_shape(shape: &[u64]) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(u64::to_string).collect();
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
///
/// The header is read here rather than by ndarray-npy: its reader parses the header
/// with a general Python-literal parser (pest, big integers) that added 53 KB to the
/// gzipped wasm (309 → 362 KB) for a dictionary of three known keys. The tests hold
/// this reader to ndarray-npy's, file by file, damaged ones included.
pub fn read_weights(bytes: &[u8], rows: usize, v: usize) -> Result<Array2<f32>> {
    let refuse = |found: String| Error::NpyRefused {
        expected: format!(
            "a float32 or float64 array of shape {}, C order",
            python_shape(&[rows as u64, v as u64])
        ),
        found,
    };
    if bytes.len() > max_file_bytes(rows, v) {
        return Err(refuse(format!(
            "more bytes than any .npy file of shape {} takes",
            python_shape(&[rows as u64, v as u64])
        )));
    }
    if bytes.starts_with(MAGIC) && bytes.len() < MAGIC.len() + 4 {
        return Err(Error::NpyNoHeader);
    }
    let (header, data) = header_of(bytes).map_err(refuse)?;
    // More numbers than any file the page reads could hold: said as such, the shape
    // wanted beside it, rather than as one more shape that is not W's.
    let most = (max_file_bytes(rows, v) / 4) as u64;
    let numbers = (header.shape.iter()).try_fold(1u64, |n, &d| n.checked_mul(d));
    if header.shape.len() <= 4 && !matches!(numbers, Some(n) if n <= most) {
        return Err(Error::NpyShapeTooLarge {
            shape: python_shape(&header.shape),
            rows,
            v,
        });
    }
    let float = Float::of(&header.descr);
    let mut wrong = Vec::new();
    if float.is_none() {
        let descr: String = header.descr.chars().take(16).collect();
        wrong.push(format!("dtype '{descr}'"));
    }
    if header.shape != [rows as u64, v as u64] {
        wrong.push(if header.shape.len() <= 4 {
            format!("shape {}", python_shape(&header.shape))
        } else {
            format!("an array of {} dimensions", header.shape.len())
        });
    }
    if header.fortran_order {
        wrong.push("Fortran order".to_string());
    }
    let Some((float, big_endian)) = float.filter(|_| wrong.is_empty()) else {
        return Err(refuse(wrong.join(", ")));
    };
    let width = match float {
        Float::F32 => 4,
        Float::F64 => 8,
    };
    let needed = rows.saturating_mul(v).saturating_mul(width);
    if data.len() != needed {
        return Err(refuse(if data.len() < needed {
            format!(
                "too few bytes for shape {} (the file is cut short)",
                python_shape(&[rows as u64, v as u64])
            )
        } else {
            format!(
                "{} more than shape {} needs",
                crate::error::count((data.len() - needed) as u64, "byte"),
                python_shape(&[rows as u64, v as u64])
            )
        }));
    }
    let order = |b: &[u8], n: usize| -> [u8; 8] {
        let mut word = [0; 8];
        word[..n].copy_from_slice(b);
        if big_endian {
            word[..n].reverse();
        }
        word
    };
    let values: Vec<(f32, bool)> = match float {
        Float::F32 => (data.chunks_exact(4))
            .map(|b| {
                let [a, b, c, d, ..] = order(b, 4);
                (f32::from_le_bytes([a, b, c, d]), false)
            })
            .collect(),
        Float::F64 => (data.chunks_exact(8))
            .map(|b| {
                let x = f64::from_le_bytes(order(b, 8));
                (x as f32, x.is_finite())
            })
            .collect(),
    };
    if let Some(at) = values.iter().position(|(x, _)| !x.is_finite()) {
        let (r, c) = (at / v, at % v);
        let (x, was_finite) = values[at];
        return Err(refuse(if was_finite {
            format!("a value beyond float32's range at [{r}, {c}]")
        } else {
            format!("a value that is not finite ({x}) at [{r}, {c}]")
        }));
    }
    let w = values.into_iter().map(|(x, _)| x).collect();
    Array2::from_shape_vec((rows, v), w).map_err(|e| refuse(e.to_string()))
}

/// What every `.npy` file starts with.
const MAGIC: &[u8] = b"\x93NUMPY";

/// What a `.npy` header says: the dtype's descriptor, the order and the shape.
#[derive(Debug, PartialEq)]
struct Header {
    descr: String,
    fortran_order: bool,
    shape: Vec<u64>,
}

/// The file's header and the bytes after it, or what the file holds instead of one.
fn header_of(bytes: &[u8]) -> std::result::Result<(Header, &[u8]), String> {
    if !bytes.starts_with(MAGIC) {
        return Err("no NumPy array (a .npy file starts with \\x93NUMPY)".into());
    }
    // Version 1 gives the header's length in 2 bytes, 2 and 3 in 4 (3: UTF-8 text).
    let length_bytes = match bytes.get(6..8) {
        Some([1, 0]) => 2,
        Some([2 | 3, 0]) => 4,
        _ => return Err("a .npy version other than 1.0, 2.0 or 3.0".into()),
    };
    let start = 8 + length_bytes;
    let cut = || "a .npy header that is cut short".to_string();
    let length = (bytes.get(8..start))
        .map(|b| {
            b.iter()
                .rev()
                .fold(0usize, |n, &x| (n << 8) | usize::from(x))
        })
        .ok_or_else(cut)?;
    let text = bytes.get(start..start + length).ok_or_else(cut)?;
    let damaged = |why: &str| format!("a damaged .npy header ({why})");
    let text = std::str::from_utf8(text).map_err(|_| damaged("not text"))?;
    let text = text
        .strip_suffix('\n')
        .ok_or_else(|| damaged("no final newline"))?;
    let header = parse_header(text).map_err(damaged)?;
    Ok((header, &bytes[start + length..]))
}

/// The header's dictionary as NumPy writes it, `{'descr': '<f4', 'fortran_order':
/// False, 'shape': (27, 27), }`: the three keys in any order, nothing else (NumPy's own
/// reader also refuses other keys), spaces anywhere between.
fn parse_header(text: &str) -> std::result::Result<Header, &'static str> {
    let mut p = Literal { rest: text };
    p.expect('{')?;
    let (mut descr, mut fortran_order, mut shape) = (None, None, None);
    while !p.eat('}') {
        let key = p.string()?;
        p.expect(':')?;
        match key {
            "descr" if descr.is_none() => {
                descr = Some(p.string().map_err(|_| "a dtype that is not a plain type")?);
            }
            "fortran_order" if fortran_order.is_none() => fortran_order = Some(p.boolean()?),
            "shape" if shape.is_none() => shape = Some(p.tuple()?),
            _ => return Err("a key other than descr, fortran_order and shape"),
        }
        if !p.eat(',') {
            p.expect('}')?;
            break;
        }
    }
    p.skip_space();
    if !p.rest.is_empty() {
        return Err("text after the dictionary");
    }
    match (descr, fortran_order, shape) {
        (Some(descr), Some(fortran_order), Some(shape)) => Ok(Header {
            descr: descr.to_string(),
            fortran_order,
            shape,
        }),
        _ => Err("descr, fortran_order or shape missing"),
    }
}

/// The few Python literals a header holds, read from the front of `rest`.
struct Literal<'a> {
    rest: &'a str,
}

impl<'a> Literal<'a> {
    fn skip_space(&mut self) {
        // Python's whitespace between tokens on one line.
        self.rest = self.rest.trim_start_matches([' ', '\t', '\x0c']);
    }

    /// Takes `c` (after spaces) if it comes next.
    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn expect(&mut self, c: char) -> std::result::Result<(), &'static str> {
        if self.eat(c) {
            Ok(())
        } else {
            Err("not a Python dictionary")
        }
    }

    /// A string in single or double quotes, without escapes (no descriptor has any).
    fn string(&mut self) -> std::result::Result<&'a str, &'static str> {
        self.skip_space();
        let quote = (self.rest.chars().next())
            .filter(|&q| q == '\'' || q == '"')
            .ok_or("a key or dtype that is not a string")?;
        let body = &self.rest[1..];
        let end = body.find(quote).ok_or("an unfinished string")?;
        if body[..end].contains('\\') {
            return Err("a string with escapes");
        }
        self.rest = &body[end + 1..];
        Ok(&body[..end])
    }

    fn boolean(&mut self) -> std::result::Result<bool, &'static str> {
        self.skip_space();
        for (word, value) in [("True", true), ("False", false)] {
            if let Some(rest) = self.rest.strip_prefix(word) {
                self.rest = rest;
                return Ok(value);
            }
        }
        Err("fortran_order is not True or False")
    }

    /// A tuple of whole numbers: `()`, `(27,)`, `(27, 27)`.
    fn tuple(&mut self) -> std::result::Result<Vec<u64>, &'static str> {
        self.expect('(')
            .map_err(|_| "a shape that is not a tuple")?;
        let mut dims = Vec::new();
        while !self.eat(')') {
            self.skip_space();
            let digits = self.rest.len()
                - self
                    .rest
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .len();
            let dim = (self.rest[..digits].parse())
                .map_err(|_| "a shape that is not of whole numbers")?;
            dims.push(dim);
            self.rest = &self.rest[digits..];
            if !self.eat(',') {
                self.expect(')')
                    .map_err(|_| "a shape that is not a tuple")?;
                break;
            }
        }
        Ok(dims)
    }
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
        npy_dict(&dict, data)
    }

    /// A version 1.0 file with `dict` as its header, padded as NumPy pads it.
    fn npy_dict(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut header = dict.as_bytes().to_vec();
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
            // A header claiming 4 GiB in a file of a few bytes: refused, not allocated.
            (
                b"\x93NUMPY\x02\x00\xff\xff\xff\xff{".to_vec(),
                "a .npy header that is cut short",
            ),
            (
                b"\x93NUMPY\x07\x00\x00\x00".to_vec(),
                "a .npy version other than 1.0",
            ),
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
    fn a_shape_far_too_large_and_a_file_without_a_header_say_so() {
        let huge = npy("<f4", false, "(1099511627776, 27)", &[0; 16]);
        let err = read_weights(&huge, 27, 27).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the file's shape (1099511627776, 27) is far larger than W (27×27)"
        );
        let overflow = npy("<f4", false, "(18446744073709551615, 27)", &[]);
        assert_eq!(
            read_weights(&overflow, 27, 27).unwrap_err().to_string(),
            "the file's shape (18446744073709551615, 27) is far larger than W (27×27)"
        );
        for cut in [
            &b"\x93NUMPY"[..],
            b"\x93NUMPY\x01\x00",
            b"\x93NUMPY\x01\x00\x76",
        ] {
            let err = read_weights(cut, 27, 27).unwrap_err();
            assert_eq!(err.to_string(), "the file ends before its header");
        }
        // A shape merely not W's is said as before.
        let other = message(&npy("<f4", false, "(28, 27)", &[]), 27, 27);
        assert!(other.ends_with("this file holds shape (28, 27)"), "{other}");
        let one_more = message(&npy("<f4", false, "(1, 1)", &[0; 5]), 1, 1);
        assert!(
            one_more.ends_with("1 byte more than shape (1, 1) needs"),
            "{one_more}"
        );
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

    /// What ndarray-npy's own reader makes of `bytes` as a `rows` × `v` W in C order:
    /// the values as float32, or `None` when it refuses them or finds another shape.
    fn ndarray_npys(bytes: &[u8], rows: usize, v: usize) -> Option<Vec<f32>> {
        use ndarray_npy::ReadNpyExt;
        let ours = |a: ndarray::ArrayD<f32>| {
            (a.shape() == [rows, v] && a.is_standard_layout()).then(|| a.iter().copied().collect())
        };
        match ndarray::ArrayD::<f32>::read_npy(bytes) {
            Ok(a) => ours(a),
            Err(_) => ndarray::ArrayD::<f64>::read_npy(bytes)
                .ok()
                .and_then(|a| ours(a.mapv(|x| x as f32))),
        }
    }

    /// This module's reader takes exactly the files ndarray-npy's reads as such a W
    /// (finite ones), with the same numbers.
    fn agrees_with_ndarray_npy(bytes: &[u8], rows: usize, v: usize) {
        let theirs = ndarray_npys(bytes, rows, v).filter(|w| w.iter().all(|x| x.is_finite()));
        let ours = read_weights(bytes, rows, v)
            .ok()
            .map(|w| w.into_raw_vec_and_offset().0);
        let bits =
            |w: Option<Vec<f32>>| w.map(|w| w.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
        assert_eq!(
            bits(ours),
            bits(theirs),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }

    #[test]
    fn the_header_reader_agrees_with_ndarray_npys() {
        use ndarray_npy::WriteNpyExt;
        let values: Vec<f64> = vec![0.1, -2.5, 1e-40, 3.0, 1e30, 7.0];
        let mut files = Vec::new();
        let c64 = Array2::from_shape_vec((2, 3), values.clone()).unwrap();
        for a in [c64.clone(), c64.t().to_owned(), c64.reversed_axes()] {
            let mut out = Vec::new();
            a.write_npy(&mut out).unwrap();
            files.push(out);
            let mut out = Vec::new();
            a.mapv(|x| x as f32).write_npy(&mut out).unwrap();
            files.push(out);
        }
        let f32_data: Vec<u8> = (0..6)
            .flat_map(|i| (i as f32 * 0.5).to_le_bytes())
            .collect();
        let be_data: Vec<u8> = (0..6)
            .flat_map(|i| (i as f64 - 2.0).to_be_bytes())
            .collect();
        for dict in [
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
            "{'shape': (2,3), 'fortran_order': False, 'descr': '<f4'}",
            "{ \"descr\" : \"<f4\" , \"fortran_order\" : False , \"shape\" : ( 2 , 3 , ) }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}",
            "{'descr': '<f4', 'fortran_order': False}",
            "{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}",
            "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 3)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} x",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 99999999999999999999999)}",
            "['descr', '<f4']",
        ] {
            files.push(npy_dict(dict, &f32_data));
        }
        files.push(npy(">f8", false, "(2, 3)", &be_data));
        // Versions 2.0 and 3.0: a 4-byte header length.
        for version in [2u8, 3] {
            let mut file = npy("<f4", false, "(2, 3)", &f32_data);
            let len = u16::from_le_bytes([file[8], file[9]]);
            file[6] = version;
            file.splice(8..10, (u32::from(len)).to_le_bytes());
            files.push(file);
        }
        let taken = files
            .iter()
            .filter(|f| read_weights(f, 2, 3).is_ok())
            .count();
        assert_eq!(
            taken, 8,
            "float32 and float64 from ndarray-npy, 3 dicts, big-endian, v2, v3"
        );
        for file in &files {
            agrees_with_ndarray_npy(file, 2, 3);
        }
        // Damaged anywhere: still the same verdicts.
        for file in [&files[0], &files[1], &files[6], &files[files.len() - 1]] {
            for at in 0..file.len() {
                for flip in [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xa5, 0xff] {
                    let mut bad = file.clone();
                    bad[at] ^= flip;
                    agrees_with_ndarray_npy(&bad, 2, 3);
                }
            }
        }
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
