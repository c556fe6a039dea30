//! A zip archive written as it goes, for the page's roster download: each
//! file is stored whole (the PDFs are compressed inside already), with its
//! CRC and sizes in its local header, so nothing is written twice and the
//! archive can stream to the browser. Only the central directory, a few
//! dozen bytes a file, is held until the end.
//!
//! Names are UTF-8 (general purpose bit 11), as every current unzip reads
//! them. The archive stays within the classic format: under 65,535 files and
//! 4 GiB, which 2,000 handouts of well under 100 KB each never reach.

use std::io::{self, Write};

/// Bit 11 of the general purpose flags: the name is UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// "Version needed to extract": 1.0, for stored files.
const VERSION: u16 = 10;

/// A zip archive being written to `out`.
pub struct ZipWriter<W: Write> {
    out: W,
    /// Bytes written so far: the next local header's offset.
    offset: u64,
    /// The central directory's entries, written by [`ZipWriter::finish`].
    directory: Vec<u8>,
    files: u16,
    /// The files' date and time, in MS-DOS form.
    dos_time: u16,
    dos_date: u16,
}

impl<W: Write> ZipWriter<W> {
    /// An empty archive whose files are all dated `date`, at noon: the same
    /// input always makes the same bytes.
    pub fn new(out: W, date: jiff::civil::Date) -> ZipWriter<W> {
        // MS-DOS dates start in 1980.
        let year = u16::try_from(date.year()).unwrap_or(1980).clamp(1980, 2107);
        ZipWriter {
            out,
            offset: 0,
            directory: Vec::new(),
            files: 0,
            dos_time: 12 << 11,
            dos_date: ((year - 1980) << 9)
                | (u16::from(date.month().unsigned_abs()) << 5)
                | u16::from(date.day().unsigned_abs()),
        }
    }

    /// Adds a file.
    pub fn add(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
        let too_big = || io::Error::other("a zip archive of the classic format is full");
        let size = u32::try_from(data.len()).map_err(|_| too_big())?;
        let offset = u32::try_from(self.offset).map_err(|_| too_big())?;
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        self.files = self.files.checked_add(1).ok_or_else(too_big)?;
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let crc = crc.sum();

        let mut local = Vec::with_capacity(30 + name.len());
        put32(&mut local, 0x0403_4b50);
        put16(&mut local, VERSION);
        put16(&mut local, UTF8_NAMES);
        put16(&mut local, 0); // stored
        put16(&mut local, self.dos_time);
        put16(&mut local, self.dos_date);
        put32(&mut local, crc);
        put32(&mut local, size);
        put32(&mut local, size);
        put16(&mut local, name_len);
        put16(&mut local, 0); // no extra field
        local.extend_from_slice(name.as_bytes());
        self.out.write_all(&local)?;
        self.out.write_all(data)?;
        self.offset += local.len() as u64 + u64::from(size);

        let entry = &mut self.directory;
        put32(entry, 0x0201_4b50);
        put16(entry, VERSION);
        put16(entry, VERSION);
        put16(entry, UTF8_NAMES);
        put16(entry, 0);
        put16(entry, self.dos_time);
        put16(entry, self.dos_date);
        put32(entry, crc);
        put32(entry, size);
        put32(entry, size);
        put16(entry, name_len);
        put16(entry, 0); // extra field
        put16(entry, 0); // comment
        put16(entry, 0); // disk
        put16(entry, 0); // internal attributes
        put32(entry, 0o100_644 << 16); // a regular file, rw-r--r--
        put32(entry, offset);
        entry.extend_from_slice(name.as_bytes());
        Ok(())
    }

    /// Writes the central directory and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let too_big = || io::Error::other("a zip archive of the classic format is full");
        let start = u32::try_from(self.offset).map_err(|_| too_big())?;
        let length = u32::try_from(self.directory.len()).map_err(|_| too_big())?;
        let mut end = std::mem::take(&mut self.directory);
        put32(&mut end, 0x0605_4b50);
        put16(&mut end, 0);
        put16(&mut end, 0);
        put16(&mut end, self.files);
        put16(&mut end, self.files);
        put32(&mut end, length);
        put32(&mut end, start);
        put16(&mut end, 0); // no comment
        self.out.write_all(&end)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The archive's files as a reader finds them through the central
    /// directory: name, then bytes, each checked against its CRC.
    fn read(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
        let u16_at = |at: usize| u16::from_le_bytes([archive[at], archive[at + 1]]);
        let u32_at = |at: usize| {
            u32::from_le_bytes(archive[at..at + 4].try_into().expect("four bytes")) as usize
        };
        let end = archive.len() - 22;
        assert_eq!(u32_at(end), 0x0605_4b50, "the end record is last");
        let count = usize::from(u16_at(end + 10));
        let mut at = u32_at(end + 16);
        let mut files = Vec::new();
        for _ in 0..count {
            assert_eq!(u32_at(at), 0x0201_4b50);
            let crc = u32_at(at + 16) as u32;
            let size = u32_at(at + 20);
            let name_len = usize::from(u16_at(at + 28));
            let local = u32_at(at + 42);
            let name = String::from_utf8(archive[at + 46..at + 46 + name_len].to_vec())
                .expect("a UTF-8 name");
            let local_name_len = usize::from(u16_at(local + 26));
            let data_at = local + 30 + local_name_len;
            let data = archive[data_at..data_at + size].to_vec();
            let mut check = flate2::Crc::new();
            check.update(&data);
            assert_eq!(check.sum(), crc, "{name}'s CRC");
            files.push((name, data));
            at += 46 + name_len;
        }
        files
    }

    #[test]
    fn files_come_back_whole_in_order() {
        let date = jiff::civil::date(2026, 12, 2);
        let mut zip = ZipWriter::new(Vec::new(), date);
        zip.add("1001-Ana López.pdf", b"%PDF-1.7 one").unwrap();
        zip.add("manifest.csv", b"row,id\n").unwrap();
        let archive = zip.finish().unwrap();
        assert_eq!(
            read(&archive),
            [
                ("1001-Ana López.pdf".to_string(), b"%PDF-1.7 one".to_vec()),
                ("manifest.csv".to_string(), b"row,id\n".to_vec()),
            ]
        );
        // The same files make the same bytes.
        let mut again = ZipWriter::new(Vec::new(), date);
        again.add("1001-Ana López.pdf", b"%PDF-1.7 one").unwrap();
        again.add("manifest.csv", b"row,id\n").unwrap();
        assert_eq!(again.finish().unwrap(), archive);
    }
}
