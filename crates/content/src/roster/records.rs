//! Splits CSV bytes into records, keeping where each cell starts.
//!
//! Written for rosters rather than taken from a general CSV reader, because
//! a roster needs what such readers do not give:
//! - every line end counted alike: CRLF, LF and the CR of old Mac exports,
//!   mixed in one file too;
//! - the spreadsheet's row and column of every record and cell, so that a
//!   bad cell is named as the spreadsheet shows it: a note over several
//!   lines is still one row;
//! - a quote that never swallows the rows below it. A spreadsheet puts a
//!   line break inside a cell only within a quote it closes (Alt+Enter). A
//!   quote that is never closed, or that runs on over a line that looks
//!   like a row of its own, is an error on the row where it opened, and
//!   reading goes on from the line after that one, so every later row is
//!   still read as itself.
//!
//! Cells are bytes: a cell that is not UTF-8 is its row's problem, not the
//! file's.

/// One cell of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cell {
    /// The value: quotes removed, doubled quotes made single, line breaks
    /// inside a quoted cell made `\n`.
    pub bytes: Vec<u8>,
    /// Where the cell starts in the text.
    pub at: Position,
    /// Where the cell ends in the text (exclusive).
    pub end: usize,
}

/// A place in the text: its byte offset, line and the start of that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Position {
    /// Byte offset.
    pub offset: usize,
    /// Line, from 1.
    pub line: usize,
    /// Byte offset of the line's start.
    pub line_start: usize,
}

/// Why a record's cells cannot be trusted, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The spreadsheet column, from 1, of the cell whose quote ran past the
    /// record.
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
}

/// One record: the cells of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    /// The spreadsheet's row number, from 1 (the header's), counting every
    /// record, blank ones too, whatever lines its cells run over.
    pub row: usize,
    /// The line the record starts on, from 1.
    pub line: usize,
    /// The cells, in order.
    pub cells: Vec<Cell>,
    /// Set when a quote in the record ran past its end.
    pub problem: Option<Problem>,
}

/// Reads records one by one.
pub(crate) struct Reader<'a> {
    text: &'a [u8],
    delimiter: u8,
    at: Position,
    /// The header's number of cells, once known.
    columns: Option<usize>,
    /// Records read so far.
    rows: usize,
}

/// The delimiter of the first line: `;` (Excel in much of Europe), tab
/// (Excel's "Unicode Text") or `,`, whichever appears most outside quotes.
pub(crate) fn detect_delimiter(text: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut tabs, mut quoted) = (0, 0, 0, false);
    for &b in text {
        match b {
            b'"' => quoted = !quoted,
            b'\r' | b'\n' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if tabs > commas && tabs > semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// How a quoted cell ended.
enum Quoted {
    /// Closed, and followed by a delimiter, a line end or the end.
    Closed,
    /// Closed on a later line, but followed there by more text.
    TextAfter,
    /// A line inside the quote holds a row's worth of delimiters.
    RowLike { delimiters: usize },
    /// Never closed.
    Unclosed,
}

impl<'a> Reader<'a> {
    /// A reader of `text` with cells separated by `delimiter`.
    pub fn new(text: &'a [u8], delimiter: u8) -> Reader<'a> {
        Reader {
            text,
            delimiter,
            at: Position {
                offset: 0,
                line: 1,
                line_start: 0,
            },
            columns: None,
            rows: 0,
        }
    }

    /// Sets the header's number of cells, which tells a quote that swallowed
    /// a row from a note written over several lines.
    pub fn set_columns(&mut self, columns: usize) {
        self.columns = Some(columns);
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at.offset).copied()
    }

    /// Steps over one line end (CRLF, LF or CR) at the current position.
    fn line_end(&mut self) {
        let text = self.text;
        let mut offset = self.at.offset;
        match text.get(offset) {
            Some(b'\r') if text.get(offset + 1) == Some(&b'\n') => offset += 2,
            Some(b'\r' | b'\n') => offset += 1,
            _ => return,
        }
        self.at = Position {
            offset,
            line: self.at.line + 1,
            line_start: offset,
        };
    }

    fn is_cell_end(&self, b: Option<u8>) -> bool {
        matches!(b, None | Some(b'\r' | b'\n')) || b == Some(self.delimiter)
    }

    /// Reads an unquoted cell up to its delimiter or line end.
    fn plain_cell(&mut self, bytes: &mut Vec<u8>) {
        let rest = &self.text[self.at.offset..];
        let delimiter = self.delimiter;
        let len = rest
            .iter()
            .position(|&b| b == delimiter || b == b'\r' || b == b'\n')
            .unwrap_or(rest.len());
        bytes.extend_from_slice(&rest[..len]);
        self.at.offset += len;
    }

    /// Reads a quoted cell from its opening quote.
    fn quoted_cell(&mut self, bytes: &mut Vec<u8>) -> Quoted {
        let threshold = self.columns.map(|columns| columns.saturating_sub(1).max(1));
        let mut spans = false;
        let mut delimiters = 0;
        let mut row_like = None;
        self.at.offset += 1;
        loop {
            match self.peek() {
                None => return Quoted::Unclosed,
                Some(b'"') if self.text.get(self.at.offset + 1) == Some(&b'"') => {
                    bytes.push(b'"');
                    self.at.offset += 2;
                }
                Some(b'"') => {
                    self.at.offset += 1;
                    break;
                }
                Some(b'\r' | b'\n') => {
                    self.line_end();
                    bytes.push(b'\n');
                    spans = true;
                    delimiters = 0;
                }
                Some(b) => {
                    if spans && b == self.delimiter {
                        delimiters += 1;
                        if threshold.is_some_and(|t| delimiters >= t) && row_like.is_none() {
                            row_like = Some(self.at.line_start);
                        }
                    }
                    bytes.push(b);
                    self.at.offset += 1;
                }
            }
        }
        if let Some(line_start) = row_like {
            let delimiters = self.text[line_start..]
                .iter()
                .take_while(|&&b| b != b'\r' && b != b'\n')
                .filter(|&&b| b == self.delimiter)
                .count();
            return Quoted::RowLike { delimiters };
        }
        if self.is_cell_end(self.peek()) {
            return Quoted::Closed;
        }
        if spans {
            return Quoted::TextAfter;
        }
        // `"Ana" Smith` on one line: read on as text, as spreadsheets do.
        self.plain_cell(bytes);
        Quoted::Closed
    }

    /// Starts reading again at the line after the one `quote` is on.
    fn resume_after(&mut self, quote: Position) {
        self.at = quote;
        let rest = &self.text[quote.offset..];
        let len = rest
            .iter()
            .position(|&b| b == b'\r' || b == b'\n')
            .unwrap_or(rest.len());
        self.at.offset += len;
        self.line_end();
    }
}

impl Iterator for Reader<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.at.offset >= self.text.len() {
            return None;
        }
        let line = self.at.line;
        self.rows += 1;
        let row = self.rows;
        let mut cells = Vec::new();
        // The first quote of the record that ran over a line end.
        let mut spanning = None;
        loop {
            let at = self.at;
            let mut bytes = Vec::new();
            let outcome = if self.peek() == Some(b'"') {
                let outcome = self.quoted_cell(&mut bytes);
                if self.at.line != at.line && spanning.is_none() {
                    spanning = Some(at);
                }
                outcome
            } else {
                self.plain_cell(&mut bytes);
                Quoted::Closed
            };
            let reason = match outcome {
                Quoted::Closed => None,
                Quoted::Unclosed => Some(
                    "this cell opens a quote (\") that is never closed, so the rows below \
                     would become part of it; add the closing \" where the cell ends"
                        .to_string(),
                ),
                Quoted::RowLike { delimiters } => Some(format!(
                    "the quote (\") that opens this cell runs on over a line that looks like \
                     a row of its own ({delimiters} '{}'); add the closing \" where the cell ends",
                    char::from(self.delimiter).escape_default()
                )),
                Quoted::TextAfter => Some(
                    "the quote (\") that opens this cell closes on a later line with more \
                     text after it; add the closing \" where the cell ends"
                        .to_string(),
                ),
            };
            if let Some(reason) = reason {
                return Some(self.give_up((row, line), cells, at, bytes, reason));
            }
            cells.push(Cell {
                bytes,
                at,
                end: self.at.offset,
            });
            match self.peek() {
                Some(b) if b == self.delimiter => self.at.offset += 1,
                _ => {
                    self.line_end();
                    break;
                }
            }
        }
        if let (Some(quote), Some(columns)) = (spanning, self.columns)
            && cells.len() > columns
        {
            let index = cells
                .iter()
                .position(|cell| cell.at == quote)
                .unwrap_or(cells.len() - 1);
            let reason = format!(
                "the quote (\") that opens this cell runs over a line end, and the row then \
                 has {} cells for {columns} columns; add the closing \" where the cell ends",
                cells.len()
            );
            let mut bytes = std::mem::take(&mut cells[index].bytes);
            cells.truncate(index);
            bytes.truncate(
                bytes
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap_or(bytes.len()),
            );
            return Some(self.give_up((row, line), cells, quote, bytes, reason));
        }
        Some(Record {
            row,
            line,
            cells,
            problem: None,
        })
    }
}

impl Reader<'_> {
    /// Ends a record whose quote at `quote` ran past it: the cells before
    /// the quote are kept (to name the row), the quoted cell only up to its
    /// first line end, and reading goes on from the line after the quote.
    fn give_up(
        &mut self,
        (row, line): (usize, usize),
        mut cells: Vec<Cell>,
        quote: Position,
        mut bytes: Vec<u8>,
        reason: String,
    ) -> Record {
        let problem = Problem {
            column: cells.len() + 1,
            message: reason,
        };
        bytes.truncate(
            bytes
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(bytes.len()),
        );
        self.resume_after(quote);
        cells.push(Cell {
            bytes,
            at: quote,
            end: self.at.offset,
        });
        Record {
            row,
            line,
            cells,
            problem: Some(problem),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, columns: usize) -> Vec<Record> {
        let mut reader = Reader::new(text.as_bytes(), detect_delimiter(text.as_bytes()));
        reader.set_columns(columns);
        reader.collect()
    }

    fn cells(record: &Record) -> Vec<String> {
        record
            .cells
            .iter()
            .map(|cell| String::from_utf8_lossy(&cell.bytes).into_owned())
            .collect()
    }

    #[test]
    fn every_kind_of_line_end_counts_one_line() {
        for text in [
            "a,b\nc,d\ne,f\n",
            "a,b\r\nc,d\r\ne,f\r\n",
            "a,b\rc,d\re,f\r",
            "a,b\r\nc,d\re,f\n",
            "a,b\nc,d\ne,f",
        ] {
            let records = read(text, 2);
            let lines: Vec<usize> = records.iter().map(|r| r.line).collect();
            assert_eq!(lines, [1, 2, 3], "{text:?}");
            let rows: Vec<usize> = records.iter().map(|r| r.row).collect();
            assert_eq!(rows, [1, 2, 3], "{text:?}");
            assert_eq!(cells(&records[2]), ["e", "f"], "{text:?}");
        }
    }

    #[test]
    fn quoted_cells_keep_delimiters_quotes_and_line_breaks() {
        let text = "name,note\n\"López, Ana\",\"She said \"\"hi\"\"\r\nthen left\"\nBea,ok\n";
        let records = read(text, 2);
        assert_eq!(records.len(), 3);
        assert_eq!(
            cells(&records[1]),
            ["López, Ana", "She said \"hi\"\nthen left"]
        );
        assert!(records[1].problem.is_none());
        assert_eq!((records[2].row, records[2].line), (3, 4));
    }

    #[test]
    fn an_unclosed_quote_fails_its_row_and_the_rows_below_are_read() {
        let text = "name,weeks,note\nAna,28,\"unterminated note\nBea,30,ok\nCas,31,fine\n";
        let records = read(text, 3);
        assert_eq!(records.len(), 4);
        let problem = records[1].problem.as_ref().unwrap();
        assert_eq!((records[1].row, problem.column), (2, 3));
        assert!(
            problem.message.contains("never closed"),
            "{}",
            problem.message
        );
        assert_eq!(cells(&records[1]), ["Ana", "28", "unterminated note"]);
        assert_eq!(cells(&records[2]), ["Bea", "30", "ok"]);
        assert_eq!((records[3].line, records[3].problem.is_none()), (4, true));
    }

    #[test]
    fn a_quote_over_a_row_like_line_fails_its_row() {
        // The quote closes, but only at the end of Cas's row.
        let text = "name,weeks,note\nAna,28,\"note\nBea,30,ok\nCas,31,fine\"\n";
        let records = read(text, 3);
        let problem = records[1].problem.as_ref().unwrap();
        assert_eq!((records[1].row, problem.column), (2, 3));
        assert!(problem.message.contains("(2 ',')"), "{}", problem.message);
        assert_eq!(cells(&records[2]), ["Bea", "30", "ok"]);
        assert_eq!(records[3].line, 4);
    }

    #[test]
    fn text_after_a_quote_closed_on_a_later_line_fails_its_row() {
        let text = "name,weeks,treatment,note,id\nAna,28,,\"note\nBea,\"x\"y,,ok,1\n";
        let records = read(text, 5);
        let problem = records[1].problem.as_ref().unwrap();
        assert_eq!((records[1].row, problem.column), (2, 4));
        assert_eq!(cells(&records[2])[0], "Bea");
    }

    #[test]
    fn a_note_over_several_lines_is_one_cell() {
        let text = "name,weeks,note\nAna,28,\"Rest.\n\nWalk, then stretch.\"\nBea,30,\n";
        let records = read(text, 3);
        assert_eq!(records.len(), 3);
        assert!(records[1].problem.is_none());
        assert_eq!(cells(&records[1])[2], "Rest.\n\nWalk, then stretch.");
        assert_eq!((records[2].row, records[2].line), (3, 5));
    }

    #[test]
    fn one_line_quotes_followed_by_text_read_on() {
        let records = read("name\n\"Ana\" Smith\n", 1);
        assert_eq!(cells(&records[1]), ["Ana Smith"]);
    }

    #[test]
    fn delimiters_are_detected_outside_quotes() {
        assert_eq!(detect_delimiter(b"name;weeks,x;y\n"), b';');
        assert_eq!(detect_delimiter(b"\"a;b;c\",weeks\n"), b',');
        assert_eq!(detect_delimiter(b"name\tweeks\tnote\r\n"), b'\t');
        assert_eq!(detect_delimiter(b"name\n;;;;\n"), b',');
    }
}
