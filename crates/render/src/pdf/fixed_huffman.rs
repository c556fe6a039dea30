//! A zlib stream of one deflate block with the fixed Huffman codes, for
//! the few hundred bytes of a page's personal lines and a handout's
//! cross-reference stream.
//!
//! zlib-rs clears a 128 KB hash table each time it starts a stream: 180,000
//! instructions, more than compressing a small stream takes, and a handout
//! has several. This compressor needs no table worth clearing. Its fixed
//! codes (RFC 1951, 3.2.6) cost nothing to describe, where a block with its
//! own codes spends some 60 bytes on them, so on streams this small its
//! output is within a few percent of zlib's at level 3. Every deflate
//! decoder reads it.

/// The most bytes it is given: all are in reach of a match (deflate's
/// window is 32 KB), and the Adler-32 sums need no reduction on the way
/// (zlib reduces every 5,552 bytes).
pub(super) const MOST: usize = 4096;

/// How many places the match finder remembers, by a hash of the three
/// bytes there: the last place each hash was seen.
const HASH_BITS: u32 = 11;

/// Each length code's least length, from 257 on, and its extra bits.
const LENGTHS: [(u16, u8); 29] = [
    (3, 0),
    (4, 0),
    (5, 0),
    (6, 0),
    (7, 0),
    (8, 0),
    (9, 0),
    (10, 0),
    (11, 1),
    (13, 1),
    (15, 1),
    (17, 1),
    (19, 2),
    (23, 2),
    (27, 2),
    (31, 2),
    (35, 3),
    (43, 3),
    (51, 3),
    (59, 3),
    (67, 4),
    (83, 4),
    (99, 4),
    (115, 4),
    (131, 5),
    (163, 5),
    (195, 5),
    (227, 5),
    (258, 0),
];

/// Each distance code's least distance, and its extra bits.
const DISTANCES: [(u16, u8); 30] = [
    (1, 0),
    (2, 0),
    (3, 0),
    (4, 0),
    (5, 1),
    (7, 1),
    (9, 2),
    (13, 2),
    (17, 3),
    (25, 3),
    (33, 4),
    (49, 4),
    (65, 5),
    (97, 5),
    (129, 6),
    (193, 6),
    (257, 7),
    (385, 7),
    (513, 8),
    (769, 8),
    (1025, 9),
    (1537, 9),
    (2049, 10),
    (3073, 10),
    (4097, 11),
    (6145, 11),
    (8193, 12),
    (12289, 12),
    (16385, 13),
    (24577, 13),
];

/// The shortest match worth a length and a distance.
const SHORTEST: usize = 3;

/// The longest match deflate has.
const LONGEST: usize = 258;

/// `bytes` compressed as a zlib stream. At most [`MOST`] bytes.
pub(super) fn compress(bytes: &[u8]) -> Vec<u8> {
    assert!(bytes.len() <= MOST, "{} bytes is too many", bytes.len());
    let mut bits = Bits {
        out: Vec::with_capacity(bytes.len() / 2 + 16),
        buffer: 0,
        count: 0,
    };
    // Deflate with a 32 KB window, no dictionary; the header's check bits
    // make it a multiple of 31.
    bits.out.extend_from_slice(&[0x78, 0x01]);
    // The last block, with the fixed codes.
    bits.put(0b011, 3);
    // The place after the last of each hash seen, 0 for none.
    let mut last = [0u16; 1 << HASH_BITS];
    let hash = |at: usize| {
        let three =
            u32::from(bytes[at]) | u32::from(bytes[at + 1]) << 8 | u32::from(bytes[at + 2]) << 16;
        (three.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
    };
    let mut at = 0;
    while at < bytes.len() {
        let mut length = 0;
        if at + SHORTEST <= bytes.len() {
            let key = hash(at);
            if let Some(from) = usize::from(last[key]).checked_sub(1) {
                let most = (bytes.len() - at).min(LONGEST);
                length = bytes[from..]
                    .iter()
                    .zip(&bytes[at..at + most])
                    .take_while(|(a, b)| a == b)
                    .count();
                if length >= SHORTEST {
                    bits.length(length);
                    bits.distance(at - from);
                }
            }
            last[key] = (at + 1) as u16;
        }
        if length >= SHORTEST {
            // Remember the places the match covers too.
            for inside in at + 1..(at + length).min(bytes.len() - 2) {
                last[hash(inside)] = (inside + 1) as u16;
            }
            at += length;
        } else {
            bits.symbol(u16::from(bytes[at]));
            at += 1;
        }
    }
    bits.symbol(256);
    bits.align();
    let mut out = bits.out;
    out.extend_from_slice(&adler32(bytes).to_be_bytes());
    out
}

/// The Adler-32 checksum zlib ends a stream with, of at most [`MOST`]
/// bytes.
fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a += u32::from(byte);
        b += a;
    }
    (b % 65521) << 16 | (a % 65521)
}

/// Bits written first to last from each byte's lowest, as deflate packs
/// them.
struct Bits {
    out: Vec<u8>,
    buffer: u64,
    count: u32,
}

impl Bits {
    /// Writes the `count` low bits of `value`, lowest first.
    fn put(&mut self, value: u32, count: u32) {
        self.buffer |= u64::from(value) << self.count;
        self.count += count;
        while self.count >= 8 {
            self.out.push(self.buffer as u8);
            self.buffer >>= 8;
            self.count -= 8;
        }
    }

    /// Writes a Huffman code, which deflate packs from its highest bit.
    fn code(&mut self, code: u32, count: u32) {
        self.put(code.reverse_bits() >> (32 - count), count);
    }

    /// Writes a literal byte, a length's code or the block's end.
    fn symbol(&mut self, symbol: u16) {
        let symbol = u32::from(symbol);
        match symbol {
            0..=143 => self.code(0x30 + symbol, 8),
            144..=255 => self.code(0x190 + symbol - 144, 9),
            256..=279 => self.code(symbol - 256, 7),
            _ => self.code(0xC0 + symbol - 280, 8),
        }
    }

    fn length(&mut self, length: usize) {
        let index = LENGTHS.partition_point(|&(least, _)| usize::from(least) <= length) - 1;
        let (least, extra) = LENGTHS[index];
        self.symbol(257 + index as u16);
        self.put((length - usize::from(least)) as u32, u32::from(extra));
    }

    fn distance(&mut self, distance: usize) {
        let index = DISTANCES.partition_point(|&(least, _)| usize::from(least) <= distance) - 1;
        let (least, extra) = DISTANCES[index];
        self.code(index as u32, 5);
        self.put((distance - usize::from(least)) as u32, u32::from(extra));
    }

    /// Pads the last byte with zeros.
    fn align(&mut self) {
        if self.count > 0 {
            self.put(0, 8 - self.count);
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::syntax::{deflate, inflate};
    use super::*;

    #[test]
    fn what_it_compresses_inflates_to_itself() {
        let page = b"/P <</MCID 40>> BDC BT /F0 12.5 Tf 0.239 0.239 0.239 rg \
            42.52 760.22 Td [(\x00\x10\x00-)13 (\x00\x1f\x00+)]TJ ET\nEMC\n"
            .repeat(20);
        let cases: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"a".to_vec(),
            b"ab".to_vec(),
            b"abc".to_vec(),
            // Matches longer than their distance, and of every length
            // about the longest.
            vec![b'x'; 1000],
            [b"ab".repeat(129), b"c".to_vec()].concat(),
            (0..=255u8).cycle().take(MOST).collect(),
            page[..MOST.min(page.len())].to_vec(),
        ];
        for case in cases {
            assert_eq!(inflate(&compress(&case)), case, "{case:?}");
        }
        for length in 250..270 {
            let case = [vec![b'q'; length], b"!".to_vec(), vec![b'q'; length]].concat();
            assert_eq!(inflate(&compress(&case)), case);
        }
    }

    #[test]
    fn it_compresses_a_pages_lines_about_as_well_as_zlib() {
        let lines = b"/P <</MCID 6>> BDC BT /F0 12.5 Tf 0.239 0.239 0.239 rg 42.52 760.22 Td \
            [(\x00\x10\x00-)13 (\x00\x1f\x00+\x00\x1b\x00-)13 (\x00\x1f\x00\x1e)]TJ ET\nEMC\n\
            /P <</MCID 7>> BDC BT 177.57 760.22 Td [(\x00;)]TJ ET\nEMC\n\
            /P <</MCID 8>> BDC BT 186.57 760.22 Td [(\x00A)10 (\x00G\x006)10 (\x002)]TJ ET\nEMC\n";
        let ours = compress(lines).len();
        let zlib = deflate(lines).len();
        assert!(ours < lines.len() * 3 / 4, "{ours} of {}", lines.len());
        assert!(ours <= zlib + zlib / 5, "{ours} against zlib's {zlib}");
    }

    proptest! {
        #[test]
        fn any_bytes_inflate_to_themselves(
            bytes in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), any::<u8>()], 0..MOST),
        ) {
            prop_assert_eq!(inflate(&compress(&bytes)), bytes);
        }
    }
}
