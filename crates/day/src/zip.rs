//! A zip archive written as it goes, for the web page's download of a day:
//! each file is stored whole (the PDFs are compressed inside already), with
//! its CRC and sizes in its local header, so nothing is written twice and
//! the archive can stream to the browser. Only the central directory, a few
//! dozen bytes a file, is held until the end.
//!
//! Names are UTF-8 (general purpose bit 11), as every current unzip reads
//! them. The archive stays within the classic format: under 65,535 files and
//! 4 GiB, which 2,000 handouts of well under 100 KB each never reach.
//!
//! Written here rather than with the `zip` crate: its streaming writer puts
//! each file's CRC and sizes in a data descriptor after the file (16 bytes
//! more a file, and readers that trust the local header see zeros), and it
//! brings 18 crates, a proc-macro among them, for what is 100 lines. The
//! tests read the archives back with the `zip` crate.

use std::io::{self, Write};

use handout_content::Date;

use crate::manifest::MANIFEST;
use crate::outcome::Stored;
use crate::sink::{Made, Sink, SinkError};

/// Bit 11 of the general purpose flags: the name is UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// "Version needed to extract": 1.0, for stored files.
const VERSION: u16 = 10;

/// A sink that adds each handout's PDF to a zip archive, under its file
/// name, and the day's manifest last.
pub struct ZipSink<W: Write> {
    zip: ZipWriter<W>,
}

impl<W: Write> ZipSink<W> {
    /// An empty archive written to `out`, its files dated `date`.
    pub fn new(out: W, date: Date) -> ZipSink<W> {
        ZipSink {
            zip: ZipWriter::new(out, date),
        }
    }

    /// Adds the manifest as `manifest.csv`, ends the archive and gives its
    /// output back.
    pub fn finish(mut self, manifest: &[u8]) -> io::Result<W> {
        self.zip.add(MANIFEST, manifest)?;
        self.zip.finish()
    }
}

impl<W: Write> Sink for ZipSink<W> {
    fn take(&mut self, made: &mut Made<'_>) -> Result<Option<Stored>, SinkError> {
        let pdf = made.pdf.as_deref().ok_or_else(|| {
            SinkError::Stopped(io::Error::other("the handout's PDF was not made"))
        })?;
        self.zip.add(made.file, pdf).map_err(SinkError::Stopped)?;
        Ok(Some(Stored::Written))
    }
}

/// A zip archive being written to `out`.
struct ZipWriter<W: Write> {
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
    fn new(out: W, date: Date) -> ZipWriter<W> {
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
    fn add(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
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
    fn finish(mut self) -> io::Result<W> {
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
    use std::io::{Cursor, Read};

    use super::*;

    /// The archive's files as the `zip` crate reads them through the
    /// central directory, each checked against its CRC: name, bytes, and
    /// whether it was stored whole with a name flagged UTF-8.
    fn read(archive: &[u8]) -> Vec<(String, Vec<u8>, bool)> {
        let mut zip = ::zip::ZipArchive::new(Cursor::new(archive)).unwrap();
        (0..zip.len())
            .map(|index| {
                let mut file = zip.by_index(index).unwrap();
                let stored = file.compression() == ::zip::CompressionMethod::Stored
                    && file.flags().as_u16() & UTF8_NAMES != 0;
                let name = String::from_utf8(file.name_raw().to_vec()).unwrap();
                let mut data = Vec::new();
                file.read_to_end(&mut data).unwrap();
                (name, data, stored)
            })
            .collect()
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
                (
                    "1001-Ana López.pdf".to_string(),
                    b"%PDF-1.7 one".to_vec(),
                    true
                ),
                ("manifest.csv".to_string(), b"row,id\n".to_vec(), true),
            ]
        );
        // Dated the day given, at noon.
        let mut reader = ::zip::ZipArchive::new(Cursor::new(&archive)).unwrap();
        let modified = reader.by_index(0).unwrap().last_modified().unwrap();
        assert_eq!(
            (
                modified.year(),
                modified.month(),
                modified.day(),
                modified.hour()
            ),
            (2026, 12, 2, 12)
        );
        // The same files make the same bytes.
        let mut again = ZipWriter::new(Vec::new(), date);
        again.add("1001-Ana López.pdf", b"%PDF-1.7 one").unwrap();
        again.add("manifest.csv", b"row,id\n").unwrap();
        assert_eq!(again.finish().unwrap(), archive);
    }
}
