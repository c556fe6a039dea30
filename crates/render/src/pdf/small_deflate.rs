//! A zlib stream of one deflate block, for the few kilobytes of a
//! handout's own streams: its personal lines, the object stream of its
//! own objects, its cross-reference stream.
//!
//! zlib-rs clears a 128 KB hash table each time it starts a stream, and
//! builds its Huffman codes with a fixed cost: some 400,000 instructions
//! for a 3 KB stream, more than a handout's page takes to encode. This
//! compressor finds matches through tables sized to its input (at most
//! [`MOST`] bytes), and codes them with codes of their own (RFC 1951,
//! 3.2.7) or the fixed ones (3.2.6), whichever is shorter; its output is
//! within a few percent of zlib's at level 3. Every deflate decoder reads
//! it.

/// The most bytes it is given: all are in reach of a match (deflate's
/// window is 32 KB), places fit in a `u16`, and the Adler-32 sums need no
/// reduction on the way (zlib reduces every 5,552 bytes).
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

/// How many earlier places with the same hash the match finder tries.
const TRIES: usize = 4;

/// The longest match deflate has.
const LONGEST: usize = 258;

/// A literal byte, or a match: its length and distance.
#[derive(Debug, Clone, Copy)]
enum Token {
    Literal(u8),
    Match { length: u16, distance: u16 },
}

/// `bytes` compressed as a zlib stream. At most [`MOST`] bytes.
pub(super) fn compress(bytes: &[u8]) -> Vec<u8> {
    // Below a kilobyte, the fixed codes are rarely more than a few bytes
    // longer than a block's own, which cost 20,000 instructions or so to
    // make: a handout's own streams take them.
    compress_with(bytes, 1024)
}

/// [`compress`], but with codes of its own from 256 bytes, where those
/// are shorter: for a stream compressed once for many files, such as a
/// subset's ToUnicode map, which then takes as few bytes as zlib's.
pub(super) fn compress_smaller(bytes: &[u8]) -> Vec<u8> {
    compress_with(bytes, 256)
}

/// [`compress`], trying codes of its own from `own_codes_from` bytes.
fn compress_with(bytes: &[u8], own_codes_from: usize) -> Vec<u8> {
    assert!(bytes.len() <= MOST, "{} bytes is too many", bytes.len());
    let tokens = tokens(bytes);
    let mut literals = [0u32; 286];
    let mut distances = [0u32; 30];
    for token in &tokens {
        match *token {
            Token::Literal(byte) => literals[usize::from(byte)] += 1,
            Token::Match { length, distance } => {
                literals[257 + length_code(length).0] += 1;
                distances[distance_code(distance).0] += 1;
            }
        }
    }
    literals[256] = 1;
    let mut bits = Bits {
        out: Vec::with_capacity(bytes.len() / 2 + 64),
        buffer: 0,
        count: 0,
    };
    // Deflate with a 32 KB window, no dictionary; the header's check bits
    // make it a multiple of 31.
    bits.out.extend_from_slice(&[0x78, 0x01]);
    // A block's own codes cost some 60 bytes to describe: they are tried
    // only on inputs long enough to gain that back.
    let own = (bytes.len() >= own_codes_from).then(|| Codes::for_block(&literals, &distances));
    let fixed = &*FIXED;
    let cost = |codes: &Codes| {
        let literal: u64 = literals
            .iter()
            .zip(&codes.literal)
            .map(|(&n, &(_, length))| u64::from(n) * u64::from(length))
            .sum();
        let distance: u64 = distances
            .iter()
            .zip(&codes.distance)
            .map(|(&n, &(_, length))| u64::from(n) * u64::from(length))
            .sum();
        literal + distance
    };
    // The last block (bit 1), with its own codes (2) or the fixed ones (1);
    // extra bits cost the same either way.
    let codes = match &own {
        Some(own) if own.header_bits + cost(own) < cost(fixed) => {
            bits.put(0b101, 3);
            own.write_header(&mut bits);
            own
        }
        _ => {
            bits.put(0b011, 3);
            fixed
        }
    };
    for token in &tokens {
        match *token {
            Token::Literal(byte) => codes.literal(&mut bits, usize::from(byte)),
            Token::Match { length, distance } => {
                let (index, extra, extra_bits) = length_code(length);
                codes.literal(&mut bits, 257 + index);
                bits.put(extra, extra_bits);
                let (index, extra, extra_bits) = distance_code(distance);
                let (code, code_length) = codes.distance[index];
                bits.put(code, u32::from(code_length));
                bits.put(extra, extra_bits);
            }
        }
    }
    codes.literal(&mut bits, 256);
    bits.align();
    let mut out = bits.out;
    out.extend_from_slice(&adler32(bytes).to_be_bytes());
    out
}

/// The matches and literals `bytes` is made of: at each place, the
/// longest match among the last [`TRIES`] places with the same hash, or
/// the byte.
fn tokens(bytes: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(bytes.len() / 2);
    // The place after the last of each hash seen, 0 for none; and for each
    // place, the place after the one before it with its hash.
    let mut last = [0u16; 1 << HASH_BITS];
    let mut before = vec![0u16; bytes.len()];
    let hash = |at: usize| {
        let three =
            u32::from(bytes[at]) | u32::from(bytes[at + 1]) << 8 | u32::from(bytes[at + 2]) << 16;
        (three.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
    };
    let remember = |at: usize, last: &mut [u16; 1 << HASH_BITS], before: &mut [u16]| {
        let key = hash(at);
        before[at] = last[key];
        last[key] = (at + 1) as u16;
    };
    let mut at = 0;
    while at < bytes.len() {
        let (mut length, mut distance) = (0, 0);
        if at + SHORTEST <= bytes.len() {
            let most = (bytes.len() - at).min(LONGEST);
            let mut next = last[hash(at)];
            for _ in 0..TRIES {
                let Some(from) = usize::from(next).checked_sub(1) else {
                    break;
                };
                // Only a place that matches one byte further can do better.
                if length >= SHORTEST && bytes[from + length] != bytes[at + length] {
                    next = before[from];
                    continue;
                }
                let found = match_length(bytes, from, at, most);
                if found > length {
                    (length, distance) = (found, at - from);
                    if found == most {
                        break;
                    }
                }
                next = before[from];
            }
            remember(at, &mut last, &mut before);
        }
        if length >= SHORTEST {
            tokens.push(Token::Match {
                length: length as u16,
                distance: distance as u16,
            });
            // Remember the places the match covers too.
            for inside in at + 1..(at + length).min(bytes.len() - 2) {
                remember(inside, &mut last, &mut before);
            }
            at += length;
        } else {
            tokens.push(Token::Literal(bytes[at]));
            at += 1;
        }
    }
    tokens
}

/// How many bytes from `from` on are the same as from `at` on, `most` at
/// most, compared eight at a time; `from` is before `at`.
fn match_length(bytes: &[u8], from: usize, at: usize, most: usize) -> usize {
    let word =
        |place: usize| u64::from_le_bytes(bytes[place..place + 8].try_into().expect("8 bytes"));
    let mut same = 0;
    while same + 8 <= most {
        let differ = word(from + same) ^ word(at + same);
        if differ != 0 {
            return same + (differ.trailing_zeros() / 8) as usize;
        }
        same += 8;
    }
    while same < most && bytes[from + same] == bytes[at + same] {
        same += 1;
    }
    same
}

/// Each match length's code, counted from 257, by length.
static LENGTH_CODES: [u8; LONGEST + 1] = {
    let mut codes = [0; LONGEST + 1];
    let mut index = 0;
    let mut length = SHORTEST;
    while length <= LONGEST {
        while index + 1 < LENGTHS.len() && LENGTHS[index + 1].0 as usize <= length {
            index += 1;
        }
        codes[length] = index as u8;
        length += 1;
    }
    codes
};

/// Each distance's code: by distance - 1 for the first 256, then by
/// (distance - 1) / 128, as zlib looks them up.
static DISTANCE_CODES: [u8; 512] = {
    let mut codes = [0; 512];
    let mut index = 0;
    let mut slot = 0;
    while slot < 512 {
        // The least distance this slot stands for.
        let distance = if slot < 256 {
            slot + 1
        } else {
            ((slot - 256) << 7) + 1
        };
        while index + 1 < DISTANCES.len() && DISTANCES[index + 1].0 as usize <= distance {
            index += 1;
        }
        codes[slot] = index as u8;
        slot += 1;
    }
    codes
};

/// A length's code (counted from 257), its extra bits' value and count.
fn length_code(length: u16) -> (usize, u32, u32) {
    let index = usize::from(LENGTH_CODES[usize::from(length)]);
    let (least, extra) = LENGTHS[index];
    (index, u32::from(length - least), u32::from(extra))
}

/// A distance's code, its extra bits' value and count.
fn distance_code(distance: u16) -> (usize, u32, u32) {
    let before = usize::from(distance - 1);
    let slot = if before < 256 {
        before
    } else {
        256 + (before >> 7)
    };
    let index = usize::from(DISTANCE_CODES[slot]);
    let (least, extra) = DISTANCES[index];
    (index, u32::from(distance - least), u32::from(extra))
}

/// The order a block's header gives the code lengths' own code lengths in.
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Deflate's fixed codes, made once.
static FIXED: std::sync::LazyLock<Codes> = std::sync::LazyLock::new(Codes::fixed);

/// A block's Huffman codes: each symbol's code, already reversed to be
/// written lowest bit first, and its length; and for codes of the
/// block's own, what its header says of them.
struct Codes {
    literal: Vec<(u32, u8)>,
    distance: Vec<(u32, u8)>,
    /// The header's code lengths, run-length coded: each symbol of the
    /// code lengths' own code, with its extra bits' value and count.
    runs: Vec<(usize, u32, u32)>,
    /// The code lengths' own code.
    lengths_code: Vec<(u32, u8)>,
    /// How many literal and length codes, distance codes and code length
    /// codes the header gives.
    counts: (usize, usize, usize),
    /// The header's size in bits.
    header_bits: u64,
}

impl Codes {
    /// Deflate's fixed codes.
    fn fixed() -> Codes {
        let mut lengths = [8u8; 288];
        lengths[144..256].fill(9);
        lengths[256..280].fill(7);
        Codes {
            literal: canonical(&lengths),
            distance: canonical(&[5; 30]),
            runs: Vec::new(),
            lengths_code: Vec::new(),
            counts: (0, 0, 0),
            header_bits: 0,
        }
    }

    /// Codes of a block's own for these symbol counts.
    fn for_block(literals: &[u32; 286], distances: &[u32; 30]) -> Codes {
        let literal = huffman_lengths(literals, 15);
        // Two distance codes at least, so that the code is complete for
        // every decoder, whether or not the block has a match.
        let mut distances = *distances;
        for count in distances.iter_mut().take(2) {
            *count = (*count).max(1);
        }
        let distance = huffman_lengths(&distances, 15);
        let used = |lengths: &[u8], least: usize| {
            lengths
                .iter()
                .rposition(|&length| length > 0)
                .map_or(least, |last| (last + 1).max(least))
        };
        let (literal_count, distance_count) = (used(&literal, 257), used(&distance, 1));
        let all: Vec<u8> = literal[..literal_count]
            .iter()
            .chain(&distance[..distance_count])
            .copied()
            .collect();
        let runs = run_lengths(&all);
        let mut counts = [0u32; 19];
        for &(symbol, _, _) in &runs {
            counts[symbol] += 1;
        }
        let lengths_lengths = huffman_lengths(&counts, 7);
        let lengths_count = CODE_LENGTH_ORDER
            .iter()
            .rposition(|&symbol| lengths_lengths[symbol] > 0)
            .map_or(4, |last| (last + 1).max(4));
        let lengths_code = canonical(&lengths_lengths);
        let header_bits = 14
            + 3 * lengths_count as u64
            + runs
                .iter()
                .map(|&(symbol, _, extra)| u64::from(lengths_code[symbol].1) + u64::from(extra))
                .sum::<u64>();
        Codes {
            literal: canonical(&literal),
            distance: canonical(&distance),
            runs,
            lengths_code,
            counts: (literal_count, distance_count, lengths_count),
            header_bits,
        }
    }

    /// Writes the block header that gives these codes.
    fn write_header(&self, bits: &mut Bits) {
        let (literal, distance, lengths) = self.counts;
        bits.put((literal - 257) as u32, 5);
        bits.put((distance - 1) as u32, 5);
        bits.put((lengths - 4) as u32, 4);
        for &symbol in &CODE_LENGTH_ORDER[..lengths] {
            bits.put(u32::from(self.lengths_code[symbol].1), 3);
        }
        for &(symbol, extra, extra_bits) in &self.runs {
            let (code, length) = self.lengths_code[symbol];
            bits.put(code, u32::from(length));
            bits.put(extra, extra_bits);
        }
    }

    fn literal(&self, bits: &mut Bits, symbol: usize) {
        let (code, length) = self.literal[symbol];
        bits.put(code, u32::from(length));
    }
}

/// Code lengths, in the header's run-length code: 16 repeats the last
/// length 3 to 6 times, 17 gives 3 to 10 zeros, 18 gives 11 to 138.
fn run_lengths(lengths: &[u8]) -> Vec<(usize, u32, u32)> {
    let mut runs = Vec::new();
    let mut at = 0;
    while at < lengths.len() {
        let length = lengths[at];
        let same = lengths[at..]
            .iter()
            .take_while(|&&other| other == length)
            .count();
        if length == 0 && same >= 11 {
            let n = same.min(138);
            runs.push((18, (n - 11) as u32, 7));
            at += n;
        } else if length == 0 && same >= 3 {
            runs.push((17, (same - 3) as u32, 3));
            at += same;
        } else if length != 0 && same >= 4 {
            // The length once, then repeats of it.
            runs.push((usize::from(length), 0, 0));
            let n = (same - 1).min(6);
            runs.push((16, (n - 3) as u32, 2));
            at += 1 + n;
        } else {
            runs.push((usize::from(length), 0, 0));
            at += 1;
        }
    }
    runs
}

/// Huffman code lengths for symbols counted `counts`, none longer than
/// `limit`: a symbol counted 0 gets none. Where the tree would be too deep,
/// the counts are halved (none below 1) and the tree built again. At
/// least two symbols get a length, so that the code is complete.
fn huffman_lengths(counts: &[u32], limit: u8) -> Vec<u8> {
    let mut counts = counts.to_vec();
    let used = counts.iter().filter(|&&count| count > 0).count();
    // A code needs two symbols: give the first unused ones a count.
    for _ in used..2 {
        let unused = counts
            .iter()
            .position(|&count| count == 0)
            .expect("two symbols at least");
        counts[unused] = 1;
    }
    loop {
        let lengths = tree_depths(&counts);
        if lengths.iter().all(|&length| length <= limit) {
            return lengths;
        }
        for count in counts.iter_mut().filter(|count| **count > 0) {
            *count = (*count / 2).max(1);
        }
    }
}

/// Each symbol's depth in a Huffman tree of `counts` (0 for a symbol
/// counted 0), ties broken by symbol, so the same counts give the same
/// depths.
///
/// The two least nodes are joined until one is left, a leaf before a
/// joined node of the same count and each kind in its order: the leaves
/// sorted by count and symbol, the joined nodes as they are made, which
/// is least first. Two queues give that order without a heap.
fn tree_depths(counts: &[u32]) -> Vec<u8> {
    // Nodes: the leaves, then each joined pair; each knows its parent.
    let mut parent: Vec<usize> = vec![usize::MAX; counts.len()];
    let mut leaves: Vec<(u64, usize)> = counts
        .iter()
        .enumerate()
        .filter(|&(_, &count)| count > 0)
        .map(|(symbol, &count)| (u64::from(count), symbol))
        .collect();
    leaves.sort_unstable();
    let mut joined: Vec<(u64, usize)> = Vec::with_capacity(leaves.len());
    let (mut leaf, mut next_joined) = (0, 0);
    let mut least = |joined: &[(u64, usize)]| {
        let take_leaf = leaves.get(leaf).is_some_and(|&(count, _)| {
            joined
                .get(next_joined)
                .is_none_or(|&(other, _)| count <= other)
        });
        if take_leaf {
            leaf += 1;
            leaves[leaf - 1]
        } else {
            next_joined += 1;
            joined[next_joined - 1]
        }
    };
    for _ in 1..leaves.len() {
        let (a, left) = least(&joined);
        let (b, right) = least(&joined);
        let node = parent.len();
        parent.push(usize::MAX);
        parent[left] = node;
        parent[right] = node;
        joined.push((a + b, node));
    }
    counts
        .iter()
        .enumerate()
        .map(|(symbol, &count)| {
            if count == 0 {
                return 0;
            }
            let (mut depth, mut node) = (0u8, symbol);
            while parent[node] != usize::MAX {
                node = parent[node];
                depth = depth.saturating_add(1);
            }
            depth
        })
        .collect()
}

/// The canonical code of each symbol for these lengths (RFC 1951, 3.2.2),
/// reversed to be written lowest bit first.
fn canonical(lengths: &[u8]) -> Vec<(u32, u8)> {
    let mut per_length = [0u32; 16];
    for &length in lengths {
        per_length[usize::from(length)] += 1;
    }
    per_length[0] = 0;
    let mut next = [0u32; 16];
    let mut code = 0;
    for bits in 1..16 {
        code = (code + per_length[bits - 1]) << 1;
        next[bits] = code;
    }
    lengths
        .iter()
        .map(|&length| {
            if length == 0 {
                return (0, 0);
            }
            let code = next[usize::from(length)];
            next[usize::from(length)] += 1;
            (code.reverse_bits() >> (32 - u32::from(length)), length)
        })
        .collect()
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
    /// Writes the `count` low bits of `value`, lowest first: 32 at most.
    /// The bits go out four bytes at a time.
    fn put(&mut self, value: u32, count: u32) {
        debug_assert!(count <= 32 && (count == 32 || value >> count == 0));
        self.buffer |= u64::from(value) << self.count;
        self.count += count;
        if self.count >= 32 {
            self.out
                .extend_from_slice(&(self.buffer as u32).to_le_bytes());
            self.buffer >>= 32;
            self.count -= 32;
        }
    }

    /// Writes the bits held back, the last byte padded with zeros.
    fn align(&mut self) {
        let bytes = self.count.div_ceil(8) as usize;
        self.out
            .extend_from_slice(&self.buffer.to_le_bytes()[..bytes]);
        self.buffer = 0;
        self.count = 0;
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

    #[test]
    fn a_kilobyte_or_more_gets_codes_of_its_own_and_keeps_up_with_zlib() {
        // Structure elements as an object stream holds them.
        let elements: Vec<u8> = (0..60u32)
            .flat_map(|n| {
                format!(
                    "<</Type/StructElem/S/LBody/P {} 0 R/Pg 11 0 R/K {}>>\n",
                    20 + n / 3,
                    n * 2 + 1
                )
                .into_bytes()
            })
            .collect();
        assert!(elements.len() > 1024 && elements.len() <= MOST);
        let ours = compress(&elements);
        assert_eq!(inflate(&ours), elements);
        // The block's type, after the two bytes of zlib's header: 2, codes
        // of its own (bits 1 and 2, after the last-block bit).
        assert_eq!(ours[2] & 0b111, 0b101, "a block with its own codes");
        let zlib = deflate(&elements).len();
        assert!(
            ours.len() <= zlib + zlib / 20,
            "{} against zlib's {zlib}",
            ours.len()
        );
    }

    proptest! {
        #[test]
        fn any_bytes_inflate_to_themselves(
            bytes in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), any::<u8>()], 0..MOST),
        ) {
            prop_assert_eq!(&inflate(&compress(&bytes)), &bytes);
            prop_assert_eq!(inflate(&compress_smaller(&bytes)), bytes);
        }
    }
}
