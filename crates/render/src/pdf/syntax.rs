//! PDF syntax: numbers as PDF writes them, hex strings, text strings,
//! objects, and compressed streams.

use std::cell::Cell;

use flate2::{Compress, Compression, FlushCompress, Status};
use lopdf::{Dictionary, Object, StringFormat};

use super::small_deflate;
use crate::page::Color;

/// Writes a number to three decimals at most, without trailing zeros, and a
/// space after it.
pub(super) fn number(out: &mut Vec<u8>, value: f32) {
    let thousandths = (value * 1000.0).round();
    // Below 4,000 the f32 nearest to a whole number of thousandths is within
    // a quarter of a thousandth of it, so formatting that f32 to three
    // decimals gives exactly those thousandths: write the integer's digits
    // instead of formatting the float, which took a fifth of a batch's
    // instructions. Anything larger (or not finite) takes the general path.
    if thousandths.abs() < 4_000_000.0 {
        let whole = thousandths as i32;
        if whole < 0 {
            out.push(b'-');
        }
        let whole = whole.unsigned_abs();
        digits(out, whole / 1000);
        let mut fraction = whole % 1000;
        if fraction != 0 {
            out.push(b'.');
            let mut places = 3;
            while fraction.is_multiple_of(10) {
                fraction /= 10;
                places -= 1;
            }
            let mut buffer = [b'0'; 3];
            for place in (0..places).rev() {
                buffer[place] = b'0' + (fraction % 10) as u8;
                fraction /= 10;
            }
            out.extend_from_slice(&buffer[..places]);
        }
        out.push(b' ');
        return;
    }
    number_formatted(out, value);
}

/// [`number`] through the float formatter, for any value.
fn number_formatted(out: &mut Vec<u8>, value: f32) {
    let rounded = (value * 1000.0).round() / 1000.0;
    let text = format!("{rounded:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    out.extend_from_slice(if text == "-0" { b"0" } else { text.as_bytes() });
    out.push(b' ');
}

/// Writes an integer's decimal digits.
fn digits(out: &mut Vec<u8>, mut value: u32) {
    let mut buffer = [0; 10];
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&buffer[start..]);
}

pub(super) fn color(out: &mut Vec<u8>, color: Color, operator: &[u8]) {
    for channel in [color.0, color.1, color.2] {
        number(out, f32::from(channel) / 255.0);
    }
    out.extend_from_slice(operator);
    out.push(b' ');
}

pub(super) fn hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)]);
        out.push(DIGITS[usize::from(byte & 15)]);
    }
}

/// Writes an object in PDF syntax (lopdf keeps its writer private).
pub(super) fn serialize(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(value) => out.extend_from_slice(if *value { b"true" } else { b"false" }),
        Object::Integer(value) => out.extend_from_slice(value.to_string().as_bytes()),
        Object::Real(value) => {
            number(out, *value);
            out.pop();
        }
        Object::Name(name) => {
            out.push(b'/');
            for &byte in name {
                // Delimiters, white space and non-ASCII are written as #xx.
                if byte.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&byte) {
                    out.push(byte);
                } else {
                    out.push(b'#');
                    hex(out, &[byte]);
                }
            }
        }
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            hex(out, bytes);
            out.push(b'>');
        }
        Object::String(bytes, StringFormat::Literal) => {
            out.push(b'(');
            for &byte in bytes {
                if matches!(byte, b'(' | b')' | b'\\') {
                    out.push(b'\\');
                }
                out.push(byte);
            }
            out.push(b')');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                serialize(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => serialize_dict(out, dict),
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set("Length", Object::Integer(stream.content.len() as i64));
            serialize_dict(out, &dict);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((id, generation)) => {
            out.extend_from_slice(format!("{id} {generation} R").as_bytes());
        }
    }
}

pub(super) fn serialize_dict(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        serialize(out, &Object::Name(key.clone()));
        out.push(b' ');
        serialize(out, value);
    }
    out.extend_from_slice(b">>");
}

/// A PDF text string: UTF-16BE with a byte-order mark.
pub(super) fn utf16_be(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xfe, 0xff];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

/// Compresses a stream's bytes, at zlib level 3: measured on a 200-row
/// batch, level 9 (printpdf's and lopdf's choice) spent a quarter of all
/// instructions compressing; level 3 cost 19% fewer instructions per handout
/// than level 6 for a file 1% larger, level 1 a file 17% larger.
pub(super) fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut deflater = Deflater {
        compressor: Some(thread_compressor()),
        few: Vec::new(),
        out: Vec::with_capacity(bytes.len() / 2 + 64),
    };
    deflater.push(bytes);
    deflater.finish()
}

/// Compresses the bytes of a stream made anew for each handout: with
/// [`small_deflate`] if they are few (see [`Deflater`]), else as
/// [`deflate`] does. A stream made once for many, such as a font's, is
/// worth zlib's few bytes less.
pub(super) fn deflate_one_off(bytes: &[u8]) -> Vec<u8> {
    match bytes.len() <= small_deflate::MOST {
        true => small_deflate::compress(bytes),
        false => deflate(bytes),
    }
}

/// Compresses a stream made once for many files but small, such as a
/// subset's ToUnicode map or the colour profile: with [`small_deflate`]
/// and codes of its own (as short as zlib's on these), sparing zlib's
/// start-up, which a one-handout process paid for each.
pub(super) fn deflate_small_shared(bytes: &[u8]) -> Vec<u8> {
    match bytes.len() <= small_deflate::MOST {
        true => small_deflate::compress_smaller(bytes),
        false => deflate(bytes),
    }
}

thread_local! {
    // A compressor's tables take longer to set up than a page takes to
    // compress: keep one per thread and reset it.
    static COMPRESSOR: Cell<Option<Box<Compress>>> = const { Cell::new(None) };
}

/// This thread's compressor, reset, to give back when done.
fn thread_compressor() -> Box<Compress> {
    match COMPRESSOR.take() {
        Some(mut compressor) => {
            compressor.reset();
            compressor
        }
        None => Box::new(Compress::new(Compression::new(3), true)),
    }
}

/// Compresses bytes given in parts into one zlib stream in memory. While
/// they are at most [`small_deflate::MOST`], it keeps them, and compresses
/// them with [`small_deflate`] when they end: resetting zlib's compressor
/// costs more than that takes. Past that, it borrows this thread's
/// compressor, and gives it back when dropped.
pub(super) struct Deflater {
    compressor: Option<Box<Compress>>,
    /// The bytes given, while there is no compressor.
    few: Vec<u8>,
    out: Vec<u8>,
}

impl Deflater {
    pub(super) fn new() -> Deflater {
        Deflater {
            compressor: None,
            few: Vec::new(),
            out: Vec::new(),
        }
    }

    /// Compresses the next part.
    pub(super) fn push(&mut self, bytes: &[u8]) {
        if self.compressor.is_none() {
            if self.few.len() + bytes.len() <= small_deflate::MOST {
                self.few.extend_from_slice(bytes);
                return;
            }
            self.compressor = Some(thread_compressor());
            self.out.reserve(1024);
            let few = std::mem::take(&mut self.few);
            self.run(&few, FlushCompress::None);
        }
        self.run(bytes, FlushCompress::None);
    }

    /// Ends the stream: its bytes.
    pub(super) fn finish(mut self) -> Vec<u8> {
        if self.compressor.is_none() {
            return small_deflate::compress(&self.few);
        }
        self.run(&[], FlushCompress::Finish);
        std::mem::take(&mut self.out)
    }

    fn run(&mut self, bytes: &[u8], flush: FlushCompress) {
        let compressor = self.compressor.as_mut().expect("kept until dropped");
        let start = compressor.total_in();
        loop {
            let consumed = usize::try_from(compressor.total_in() - start).unwrap_or(bytes.len());
            if self.out.len() == self.out.capacity() {
                self.out.reserve(self.out.capacity().max(1024));
            }
            let status = compressor
                .compress_vec(&bytes[consumed..], &mut self.out, flush)
                .expect("compressing to memory cannot fail");
            // Done when the stream has ended, or, for a part, when all of
            // it is taken and there was room for all the output.
            let done = match flush {
                FlushCompress::Finish => status == Status::StreamEnd,
                _ => {
                    compressor.total_in() - start == bytes.len() as u64
                        && self.out.len() < self.out.capacity()
                }
            };
            if done {
                return;
            }
        }
    }
}

impl Drop for Deflater {
    fn drop(&mut self) {
        if let Some(compressor) = self.compressor.take() {
            COMPRESSOR.set(Some(compressor));
        }
    }
}

/// What a zlib stream inflates to, for tests: it must be whole, and its
/// checksum right.
#[cfg(test)]
pub(super) fn inflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a whole zlib stream with a right checksum");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_given_in_parts_inflates_to_all_of_them() {
        // Parts that barely compress fill the output buffer in the middle
        // of a part; empty parts and one compressed in between, on the same
        // thread, must not disturb it.
        let mut state = 1u32;
        let mut noise = || {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        };
        let parts: Vec<Vec<u8>> = (0..40)
            .map(|part| match part % 3 {
                0 => (0..3_000).map(|_| noise()).collect(),
                1 => b"1 0 0 1 72 720 Tm ".repeat(200),
                _ => Vec::new(),
            })
            .collect();
        let mut deflater = Deflater::new();
        for (index, part) in parts.iter().enumerate() {
            deflater.push(part);
            if index == 20 {
                let between = deflate(b"another stream");
                assert_eq!(inflate(&between), b"another stream");
            }
        }
        assert_eq!(inflate(&deflater.finish()), parts.concat());
        // The thread's compressor, given back, starts the next stream anew.
        assert_eq!(inflate(&deflate(b"next")), b"next");
    }

    fn written(value: f32, write: fn(&mut Vec<u8>, f32)) -> String {
        let mut out = Vec::new();
        write(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_written_as_the_float_formatter_writes_them() {
        assert_eq!(written(0.0, number), "0 ");
        assert_eq!(written(-0.0001, number), "0 ");
        assert_eq!(written(-1.5, number), "-1.5 ");
        assert_eq!(written(841.8898, number), "841.89 ");
        assert_eq!(written(0.102, number), "0.102 ");
        assert_eq!(written(12.0, number), "12 ");
        // Every thousandth up to 100 either way, one in 31 up to 4,100 and
        // beyond, each a little off both ways, and values spread over the
        // whole range of f32 bit patterns.
        let mut values: Vec<f32> = Vec::new();
        let thousandths = (-100_000..=100_000_i32).chain((-4_100_000..4_100_000).step_by(31));
        for k in thousandths {
            let exact = k as f32 / 1000.0;
            values.extend([exact, exact + 0.0004, exact - 0.0004]);
        }
        let mut bits: u32 = 12345;
        for _ in 0..200_000 {
            bits = bits.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            values.push(f32::from_bits(bits));
        }
        for value in values.into_iter().filter(|value| value.is_finite()) {
            assert_eq!(
                written(value, number),
                written(value, number_formatted),
                "{value:e}"
            );
        }
    }
}
