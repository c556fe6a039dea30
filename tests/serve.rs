//! `handout serve`, spoken to over a plain socket: as its own page speaks
//! to it, and as another site, another name for the computer or another
//! program would. Each refusal is tried on its own, and each answer is
//! checked against what the command line makes from the same input.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::items::{self, PREVENTION, TREATMENT};
use crate::util::{DATE, Output, Paper, Test};

/// The roster whose rows are all good (see tests/batch.rs).
const GOOD_ROSTER: &[u8] = include_bytes!("fixtures/good-csv/roster.csv");
/// The roster with eight bad rows among eleven (see tests/batch.rs).
const BAD_ROWS: &[u8] = include_bytes!("fixtures/bad-rows/roster.csv");
/// A roster with a row in Spanish, whose built-in leaflet is a draft.
const DRAFT_ROSTER: &str = "name,weeks,language\nAna López,28,es\nBea Smith,30,en\n";
/// The built-in topic, for its midwives' hints.
const TOPIC: &str = include_str!("../content/leg-cramps.en.toml");

/// Ana's handout as the page's form posts it: the sections shown, two
/// prevention items (one not ticked by default) and one treatment item.
const ANA: &[(&str, &str)] = &[
    ("topic", "leg-cramps"),
    ("language", "en"),
    ("name", "Ana López"),
    ("weeks", "28"),
    ("date", DATE),
    ("shown", "prevention"),
    ("shown", "treatment"),
    ("pick.prevention", "walking"),
    ("pick.prevention", "support-belt"),
    ("pick.treatment", "warm-bath"),
];

/// The same handout as `handout render` takes it.
const ANA_ARGS: &[&str] = &[
    "--name",
    "Ana López",
    "--weeks",
    "28",
    "--date",
    DATE,
    "--prevention",
    "walking,support-belt",
    "--treatment",
    "warm-bath",
];

/// The form of a fresh page: the built-in topic and its defaults.
const DEFAULTS: &str = "topic=leg-cramps&language=en";

/// A running `handout serve --port 0 --no-open`, stopped when dropped.
pub struct Server {
    child: Child,
    port: u16,
    token: String,
    /// What it prints after its address, read until it ends.
    stdout: Option<JoinHandle<String>>,
    /// Keeps the folder it runs in.
    _folder: Test,
}

impl Server {
    /// Starts a server in `test`'s folder and waits for its address.
    fn start(test: &Test) -> Server {
        Server::start_with(test, &[])
    }

    /// Starts a server in `test`'s folder with `args` after its own, and
    /// waits for its address.
    pub fn start_with(test: &Test, args: &[&str]) -> Server {
        let mut command = test
            .clone()
            .args(["serve", "--port", "0", "--no-open"])
            .args(args.iter().copied())
            .command();
        Server::spawn(&mut command, test)
    }

    /// Runs `command`, which starts a server, and waits for its address.
    fn spawn(command: &mut std::process::Command, test: &Test) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("failed to run handout serve");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, receiver) = mpsc::channel();
        let stdout = std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
            let address = lines
                .by_ref()
                .find_map(|line| line.strip_prefix("    http://127.0.0.1:").map(String::from));
            let _ = sender.send(address);
            lines.map(|line| line + "\n").collect()
        });
        let address = receiver
            .recv_timeout(Duration::from_secs(60))
            .ok()
            .flatten();
        let Some(address) = address else {
            let _ = child.kill();
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = pipe.read_to_string(&mut stderr);
            }
            panic!("handout serve printed no address\nstderr:\n{stderr}");
        };
        let (port, token) = address
            .split_once("/?token=")
            .unwrap_or_else(|| panic!("odd address http://127.0.0.1:{address}"));
        Server {
            port: port.parse().expect("the port is a number"),
            token: token.to_string(),
            child,
            stdout: Some(stdout),
            _folder: test.clone(),
        }
    }

    /// Stops the server as Ctrl-C does, and returns its exit code and what
    /// it printed after its address, on stdout and stderr.
    #[cfg(unix)]
    fn interrupt(mut self) -> (Option<i32>, String) {
        let mut stderr = self.child.stderr.take().expect("stderr is piped");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let sent = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("failed to run kill");
        assert!(sent.success(), "kill -INT failed");
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("failed to wait") {
                break status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "handout serve did not stop on Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = self.stdout.take().expect("stdout is read").join();
        let printed = stdout.expect("stdout reader") + &stderr.join().expect("stderr reader");
        (status.code(), printed)
    }

    /// The address it printed, with its token.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.port, self.token)
    }

    /// A port that is not this server's.
    fn other_port(&self) -> u16 {
        if self.port == u16::MAX {
            self.port - 1
        } else {
            self.port + 1
        }
    }

    /// The cookie a browser holds after opening the printed address.
    fn cookie(&self) -> String {
        format!("handout-{}={}", self.port, self.token)
    }

    /// A GET as the page's browser sends it: its Host and its cookie.
    fn get(&self, target: &str) -> Request {
        Request {
            port: self.port,
            method: "GET".to_string(),
            target: target.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
            chunked: false,
        }
        .header("Host", &format!("127.0.0.1:{}", self.port))
        .header("Cookie", &self.cookie())
    }

    /// A request with a body, as the page sends it: also its Origin.
    fn post(&self, target: &str) -> Request {
        let mut request = self
            .get(target)
            .header("Origin", &format!("http://127.0.0.1:{}", self.port));
        request.method = "POST".to_string();
        request
    }

    /// A URL-encoded form posted by the page.
    fn form(&self, target: &str, form: &str) -> Request {
        self.post(target)
            .body("application/x-www-form-urlencoded", form.as_bytes())
    }

    /// A roster uploaded by the page, as the script sends it: the file's
    /// bytes, the rest in the query.
    fn roster(&self, endpoint: &str, query: &str, roster: &[u8]) -> Request {
        self.post(&format!("/api/batch/{endpoint}?{query}"))
            .body("application/octet-stream", roster)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(stdout) = self.stdout.take() {
            let _ = stdout.join();
        }
    }
}

/// One HTTP/1.1 request, sent on a connection of its own.
struct Request {
    port: u16,
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Whether the body goes in chunks, with no length said beforehand.
    chunked: bool,
}

impl Request {
    /// Sets a header, replacing one of the same name.
    fn header(self, name: &str, value: &str) -> Request {
        let mut request = self.without(name);
        request.headers.push((name.to_string(), value.to_string()));
        request
    }

    /// Leaves a header out.
    fn without(mut self, name: &str) -> Request {
        self.headers
            .retain(|(key, _)| !key.eq_ignore_ascii_case(name));
        self
    }

    /// Sets the body and its type.
    fn body(mut self, kind: &str, body: &[u8]) -> Request {
        self.body = body.to_vec();
        self.header("Content-Type", kind)
    }

    /// Sends the body in chunks, as a stream, with no Content-Length.
    fn chunked(mut self) -> Request {
        self.chunked = true;
        self
    }

    /// Sends the request and reads the whole response.
    #[track_caller]
    fn send(self) -> Response {
        let mut stream =
            TcpStream::connect(("127.0.0.1", self.port)).expect("failed to connect to the server");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("failed to set a timeout");
        let mut bytes = format!("{} {} HTTP/1.1\r\n", self.method, self.target).into_bytes();
        for (name, value) in &self.headers {
            bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        bytes.extend_from_slice(b"Connection: close\r\n");
        if self.chunked {
            bytes.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
            for chunk in self.body.chunks(16 * 1024) {
                bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                bytes.extend_from_slice(chunk);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
        } else {
            if self.method != "GET" || !self.body.is_empty() {
                bytes.extend_from_slice(
                    format!("Content-Length: {}\r\n", self.body.len()).as_bytes(),
                );
            }
            bytes.extend_from_slice(b"\r\n");
            bytes.extend_from_slice(&self.body);
        }
        // The server may answer, and close, before it has read a body it
        // refuses: writing from a thread lets the answer be read meanwhile.
        let mut writer = stream.try_clone().expect("failed to clone the socket");
        let writing = std::thread::spawn(move || {
            let _ = writer.write_all(&bytes);
        });
        let mut received = Vec::new();
        let read = stream.read_to_end(&mut received);
        let _ = writing.join();
        Response::parse(&received).unwrap_or_else(|why| {
            panic!(
                "{} {}: {why} (reading ended with {read:?}); received:\n{}",
                self.method,
                self.target,
                String::from_utf8_lossy(&received[..received.len().min(2000)])
            )
        })
    }
}

/// A response, read whole.
struct Response {
    status: u16,
    /// Each header's name, lowercase, and value, in order.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    /// Reads the status line, the headers and the body, whole: of its
    /// Content-Length, in chunks, or up to the end of the connection.
    fn parse(bytes: &[u8]) -> Result<Response, String> {
        let end = bytes
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .ok_or("no end of the headers")?;
        let head = std::str::from_utf8(&bytes[..end]).map_err(|_| "headers are not UTF-8")?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| format!("odd status line {status_line:?}"))?;
        let headers = lines
            .map(|line| {
                let (name, value) = line
                    .split_once(':')
                    .ok_or_else(|| format!("odd header {line:?}"))?;
                Ok((name.trim().to_ascii_lowercase(), value.trim().to_string()))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
        };
        let rest = &bytes[end + 4..];
        response.body = if response
            .header("transfer-encoding")
            .is_some_and(|value| value.eq_ignore_ascii_case("chunked"))
        {
            decode_chunks(rest)?
        } else if let Some(length) = response.header("content-length") {
            let length: usize = length.parse().map_err(|_| "odd Content-Length")?;
            if rest.len() != length {
                return Err(format!("{} bytes of a body of {length}", rest.len()));
            }
            rest.to_vec()
        } else {
            rest.to_vec()
        };
        Ok(response)
    }

    /// The first value of a header.
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as text.
    #[track_caller]
    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("the body is not UTF-8")
    }

    /// The body as JSON.
    #[track_caller]
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("the body is not JSON ({error}):\n{}", self.text()))
    }

    /// Asserts the status.
    #[track_caller]
    fn status(self, status: u16) -> Response {
        assert_eq!(
            self.status,
            status,
            "expected {status}; the body:\n{}",
            String::from_utf8_lossy(&self.body[..self.body.len().min(2000)])
        );
        self
    }

    /// Asserts the media type, parameters aside.
    #[track_caller]
    fn kind(self, kind: &str) -> Response {
        let got = self.header("content-type").unwrap_or_default();
        assert_eq!(got.split(';').next(), Some(kind), "Content-Type: {got}");
        self
    }

    /// Asserts a plain-text message for the person that holds `needle`.
    #[track_caller]
    fn says(self, needle: &str) -> Response {
        let response = self.kind("text/plain");
        assert!(
            response.text().contains(needle),
            "the message lacks {needle:?}:\n{}",
            response.text()
        );
        response
    }

    /// The file name a download is saved under: `filename*`, decoded.
    #[track_caller]
    fn file_name(&self) -> String {
        let disposition = self.header("content-disposition").unwrap_or_default();
        let encoded = disposition
            .split(';')
            .find_map(|part| part.trim().strip_prefix("filename*=UTF-8''"))
            .unwrap_or_else(|| panic!("no filename* in Content-Disposition: {disposition}"));
        decode_percent(encoded)
    }
}

/// The body of a response in chunks, put back together; an error if it
/// ends before its last, empty chunk.
fn decode_chunks(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|window| window == b"\r\n")
            .ok_or("a chunk's size line is cut off")?;
        let line = std::str::from_utf8(&rest[..line_end]).map_err(|_| "odd chunk size")?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size =
            usize::from_str_radix(size, 16).map_err(|_| format!("odd chunk size {line:?}"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if rest.len() < size + 2 || &rest[size..size + 2] != b"\r\n" {
            return Err(format!("a chunk of {size} bytes is cut off"));
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// URL-encodes form fields as a browser does.
fn urlencoded(fields: &[(&str, &str)]) -> String {
    let encode = |text: &str| {
        let mut out = String::new();
        for byte in text.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                    out.push(char::from(byte));
                }
                b' ' => out.push('+'),
                byte => out.push_str(&format!("%{byte:02X}")),
            }
        }
        out
    };
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes `%XX` escapes into UTF-8 text.
#[track_caller]
fn decode_percent(text: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = text.bytes();
    while let Some(byte) = rest.next() {
        if byte == b'%' {
            let hex: String = rest.by_ref().take(2).map(char::from).collect();
            bytes.push(u8::from_str_radix(&hex, 16).expect("a %XX escape"));
        } else {
            bytes.push(byte);
        }
    }
    String::from_utf8(bytes).expect("a UTF-8 file name")
}

/// Writes a response's body into the folder of `out`'s run, for the PDF
/// tools.
fn save(out: &Output, name: &str, response: &Response) {
    std::fs::write(out.path(name), &response.body).expect("failed to save a response");
}

/// The files of a zip archive, found through its central directory as an
/// unzip program finds them; each must be stored whole, its local header
/// must agree with the directory, and its CRC-32 must be right.
#[track_caller]
fn unzip(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
    let u16_at = |at: usize| usize::from(u16::from_le_bytes([archive[at], archive[at + 1]]));
    let u32_at = |at: usize| {
        u32::from_le_bytes(archive[at..at + 4].try_into().expect("four bytes")) as usize
    };
    assert!(
        archive.len() >= 22,
        "{} bytes are no zip archive",
        archive.len()
    );
    let end = archive.len() - 22;
    assert_eq!(u32_at(end), 0x0605_4b50, "no end record at the end");
    let count = u16_at(end + 10);
    let (length, start) = (u32_at(end + 12), u32_at(end + 16));
    assert_eq!(
        start + length,
        end,
        "the directory ends where the end record starts"
    );
    let mut files = Vec::new();
    let mut at = start;
    for _ in 0..count {
        assert_eq!(u32_at(at), 0x0201_4b50, "a directory entry at {at}");
        let (method, crc) = (u16_at(at + 10), u32_at(at + 16));
        let (packed, size) = (u32_at(at + 20), u32_at(at + 24));
        let (name_len, extra, comment) = (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let local = u32_at(at + 42);
        let name = &archive[at + 46..at + 46 + name_len];
        let name = String::from_utf8(name.to_vec()).expect("a UTF-8 name");
        assert!(
            name.is_ascii() || u16_at(at + 8) & 0x0800 != 0,
            "{name} is UTF-8 without saying so"
        );
        assert_eq!((method, packed), (0, size), "{name} is not stored whole");
        assert_eq!(u32_at(local), 0x0403_4b50, "{name}'s local header");
        assert_eq!(
            (u32_at(local + 14), u32_at(local + 22)),
            (crc, size),
            "{name}'s local header and directory entry disagree"
        );
        let local_name_len = u16_at(local + 26);
        assert_eq!(
            &archive[local + 30..local + 30 + local_name_len],
            name.as_bytes()
        );
        let data_at = local + 30 + local_name_len + u16_at(local + 28);
        let data = archive[data_at..data_at + size].to_vec();
        assert_eq!(crc32(&data) as usize, crc, "{name}'s CRC-32");
        files.push((name, data));
        at += 46 + name_len + extra + comment;
    }
    assert_eq!(
        at, end,
        "the directory holds {count} entries and nothing else"
    );
    files
}

/// Escapes text as the page does for an element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// CRC-32 as zip computes it (IEEE 802.3, reflected).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The root `<svg>` element's width and height in points, from its
/// `width`, `height` and `viewBox`, which must agree.
#[track_caller]
fn svg_size(svg: &str) -> (f64, f64) {
    assert!(
        svg.starts_with("<svg"),
        "not an SVG:\n{}",
        &svg[..svg.len().min(200)]
    );
    let tag = &svg[..svg.find('>').expect("the <svg> tag ends")];
    let attribute = |name: &str| {
        let start = tag
            .find(&format!(" {name}=\""))
            .unwrap_or_else(|| panic!("no {name} in {tag}"))
            + name.len()
            + 3;
        &tag[start..start + tag[start..].find('"').expect("a closing quote")]
    };
    let number = |text: &str| -> f64 {
        text.parse()
            .unwrap_or_else(|_| panic!("odd number {text:?} in {tag}"))
    };
    let view: Vec<f64> = attribute("viewBox").split(' ').map(number).collect();
    let width = number(attribute("width").strip_suffix("pt").expect("width in pt"));
    let height = number(
        attribute("height")
            .strip_suffix("pt")
            .expect("height in pt"),
    );
    assert_eq!(view.len(), 4, "{tag}");
    assert_eq!((view[0], view[1]), (0.0, 0.0), "{tag}");
    assert!(
        (view[2] - width).abs() < 0.01 && (view[3] - height).abs() < 0.01,
        "the viewBox and the size disagree: {tag}"
    );
    (width, height)
}

/// Asserts a size in points within a hundredth of a point.
#[track_caller]
fn assert_size(got: (f64, f64), want: (f64, f64), what: &str) {
    assert!(
        (got.0 - want.0).abs() < 0.01 && (got.1 - want.1).abs() < 0.01,
        "{what} is {} x {} pt, expected {} x {}",
        got.0,
        got.1,
        want.0,
        want.1
    );
}

/// Each row's number and message, as `handout batch` prints a failed row:
/// `roster.csv:ROW[:COLUMN]: MESSAGE`.
fn failed_rows(stderr: &str) -> Vec<(u64, String)> {
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix("roster.csv:"))
        .filter_map(|rest| {
            let (at, message) = rest.split_once(": ")?;
            let row = at.split(':').next()?.parse().ok()?;
            Some((row, message.to_string()))
        })
        .collect()
}

#[test]
fn the_printed_address_is_exchanged_for_a_strict_cookie() {
    let server = Server::start(&Test::new());
    let (port, token) = (server.port, server.token.clone());

    let open = |target: &str| server.get(target).without("cookie").send().status(303);
    // The address opened: a cookie, and the same address without the token.
    let opened = open(&format!("/?token={token}"));
    assert_eq!(opened.header("location"), Some("/"));
    assert_eq!(
        opened.header("set-cookie"),
        Some(format!("{}; HttpOnly; SameSite=Strict; Path=/", server.cookie()).as_str())
    );
    let opened = open(&format!("/?choice=leg-cramps/en&token={token}"));
    assert_eq!(opened.header("location"), Some("/?choice=leg-cramps/en"));
    // A path a browser would read as another site's address stays here.
    let opened = open(&format!("//evil.example/?token={token}"));
    assert_eq!(opened.header("location"), Some("/evil.example/"));
    // The cookie as the browser sends it back, among others.
    let cookie = opened
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    let page = server
        .get("/")
        .header("Cookie", &format!("theme=dark; {cookie}"))
        .send()
        .status(200)
        .kind("text/html");
    assert!(page.text().contains("<form id=\"handout\""));

    // A token from another start, or a part of this one.
    for wrong in [
        "0".repeat(token.len()),
        token[..token.len() - 1].to_string(),
    ] {
        let refused = server
            .get(&format!("/?token={wrong}"))
            .without("cookie")
            .send()
            .status(403)
            .says("open the address it printed last");
        assert_eq!(refused.header("set-cookie"), None);
        assert!(!refused.text().contains(&token), "{}", refused.text());
    }

    // Without the cookie, or with another server's or a wrong one, nothing:
    // not the page, its stylesheet and script, nor a post.
    let printed = format!("http://127.0.0.1:{port}/?token=");
    let cookies = [
        None,
        Some(format!("handout-{}={token}", server.other_port())),
        Some(format!("handout-{port}={}", "0".repeat(token.len()))),
        Some(format!("handout-{port}=")),
    ];
    for cookie in &cookies {
        let with = |request: Request| match cookie {
            Some(cookie) => request.header("Cookie", cookie),
            None => request.without("cookie"),
        };
        for target in ["/", "/app.css", "/app.js", "/?choice=leg-cramps/en"] {
            let refused = with(server.get(target))
                .send()
                .status(403)
                .says("open that address")
                .says(&printed);
            assert!(!refused.text().contains(&token), "{}", refused.text());
        }
        with(server.form("/api/fit", DEFAULTS))
            .send()
            .status(403)
            .says(&printed);
    }

    // With it, the assets.
    let css = server.get("/app.css").send().status(200).kind("text/css");
    assert!(!css.body.is_empty());
    let js = server
        .get("/app.js")
        .send()
        .status(200)
        .kind("text/javascript");
    assert!(!js.body.is_empty());
}

#[test]
fn requests_for_another_host_are_misdirected() {
    let server = Server::start(&Test::new());
    let port = server.port;
    let hosts = [
        format!("evil.example:{port}"),
        format!("127.0.0.1:{}", server.other_port()),
        format!("localhost:{}", server.other_port()),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "127.0.0.1".to_string(),
        "localhost".to_string(),
    ];
    for host in &hosts {
        server
            .get("/")
            .header("Host", host)
            .send()
            .status(421)
            .says("open the address that `handout serve` printed");
        server
            .form("/api/fit", DEFAULTS)
            .header("Host", host)
            .send()
            .status(421)
            .says("open the address that `handout serve` printed");
        // A rebound name gets no cookie, even with the token.
        let refused = server
            .get(&format!("/?token={}", server.token))
            .header("Host", host)
            .without("cookie")
            .send()
            .status(421);
        assert_eq!(refused.header("set-cookie"), None, "Host: {host}");
    }
    // No name at all.
    server
        .get("/")
        .without("host")
        .send()
        .status(421)
        .says("open the address that `handout serve` printed");

    // Its own two names.
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        server.get("/").header("Host", &host).send().status(200);
        let origin = format!("http://{host}");
        server
            .form("/api/fit", DEFAULTS)
            .header("Host", &host)
            .header("Origin", &origin)
            .send()
            .status(200);
    }
}

#[test]
fn posts_from_other_pages_are_refused() {
    let server = Server::start(&Test::new());
    let port = server.port;
    let other = server.other_port();
    let fit = |origin: Option<&str>, site: Option<&str>| {
        let mut request = server.form("/api/fit", DEFAULTS).without("origin");
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        if let Some(site) = site {
            request = request.header("Sec-Fetch-Site", site);
        }
        request.send()
    };
    let another_site = [
        (Some("http://evil.example".to_string()), None),
        (Some(format!("http://evil.example:{port}")), None),
        (Some(format!("http://127.0.0.1:{other}")), None),
        (Some(format!("https://127.0.0.1:{port}")), None),
        (Some("null".to_string()), None),
        // A script cannot forge Sec-Fetch-Site, but the Origin decides.
        (Some("http://evil.example".to_string()), Some("same-origin")),
        (None, Some("cross-site")),
        (None, Some("same-site")),
        (None, Some("none")),
    ];
    for (origin, site) in &another_site {
        fit(origin.as_deref(), *site)
            .status(403)
            .says("this post came from another site")
            .says("takes posts only from its own page");
    }
    fit(None, None)
        .status(403)
        .says("this post does not say which page sent it");

    // The page's own posts.
    let own = [
        (None, Some("same-origin")),
        (Some(format!("http://127.0.0.1:{port}")), None),
        (Some(format!("http://localhost:{port}")), None),
        (
            Some(format!("http://127.0.0.1:{port}")),
            Some("same-origin"),
        ),
    ];
    for (origin, site) in &own {
        let answer = fit(origin.as_deref(), *site).status(200).json();
        assert_eq!(answer["fits"], true, "{answer}");
    }

    // Every endpoint that takes a post.
    for target in [
        "/handout",
        "/api/fit",
        "/api/preview",
        "/api/batch/check",
        "/api/batch/combined",
        "/api/batch/zip",
    ] {
        server
            .form(target, DEFAULTS)
            .header("Origin", "http://evil.example")
            .send()
            .status(403)
            .says("this post came from another site");
    }
}

#[test]
fn oversized_bodies_are_refused() {
    let server = Server::start(&Test::new());
    // A form of 64 KB is read (and its note found too long); a byte more
    // is refused, its length said or not.
    let prefix = "topic=leg-cramps&note=";
    let form = format!("{prefix}{}", "a".repeat(64 * 1024 - prefix.len()));
    let answer = server.form("/api/fit", &form).send().status(200).json();
    assert_eq!(answer["field"], "note", "{answer}");
    let form = form + "a";
    for target in ["/api/fit", "/api/preview", "/handout"] {
        server
            .form(target, &form)
            .send()
            .status(413)
            .says("a form is larger than this page takes (64 KB at most)");
        server
            .form(target, &form)
            .chunked()
            .send()
            .status(413)
            .says("a form is larger than this page takes (64 KB at most)");
    }

    // A roster of 5 MB is read (one row, its note too long); a byte more
    // is refused.
    let prefix = "name,weeks,note\nAna,28,";
    let mut roster = prefix.as_bytes().to_vec();
    roster.resize(5 * 1024 * 1024 - 1, b'a');
    roster.push(b'\n');
    let query = format!("date={DATE}&file=roster.csv");
    let answer = server
        .roster("check", &query, &roster)
        .send()
        .status(200)
        .json();
    assert_eq!(answer["rows"], 1, "{answer}");
    assert_eq!(answer["failed"][0]["row"], 2, "{answer}");
    roster.push(b'\n');
    for endpoint in ["check", "combined", "zip"] {
        server
            .roster(endpoint, &query, &roster)
            .send()
            .status(413)
            .says("the roster is larger than this page takes");
        server
            .roster(endpoint, &query, &roster)
            .chunked()
            .send()
            .status(413)
            .says("the roster is larger than this page takes");
    }

    // More rows than the page takes: `handout batch` takes them.
    let mut roster = String::from("name,weeks\n");
    for row in 0..2001 {
        roster.push_str(&format!("Patient {row},28\n"));
    }
    for endpoint in ["check", "combined", "zip"] {
        server
            .roster(endpoint, &query, roster.as_bytes())
            .send()
            .status(413)
            .says("the roster has 2,001 patients, and this page takes up to 2,000")
            .says("`handout batch`");
    }
}

#[test]
fn malformed_bodies_are_refused_with_a_reason() {
    let server = Server::start(&Test::new());
    for target in ["/api/fit", "/api/preview", "/handout"] {
        let json = |body: &str| {
            server
                .post(target)
                .body("application/json", body.as_bytes())
                .send()
        };
        json("{\"name\": ").status(400).says("not valid JSON");
        json("{\"name\": \"Ana\",}")
            .status(400)
            .says("not valid JSON");
        json("[\"name\"]")
            .status(400)
            .says("a JSON object of fields");
        json("{\"topic\": \"leg-cramps\", \"weeks\": 28}")
            .status(400)
            .says("the form's field 'weeks' must be text");
        json("{\"pick.prevention\": [\"walking\", null]}")
            .status(400)
            .says("the form's field 'pick.prevention' must be text");

        for (form, field) in [
            ("name=%ZZ", 1),
            ("name=%C3", 1),
            ("name=%4", 1),
            ("topic=leg-cramps&name=Ana%FF%FE", 2),
        ] {
            server.form(target, form).send().status(400).says(&format!(
                "the form's field {field} is not URL-encoded UTF-8 text"
            ));
        }

        for kind in ["text/plain", "multipart/form-data; boundary=x"] {
            server
                .post(target)
                .body(kind, DEFAULTS.as_bytes())
                .send()
                .status(415)
                .says("application/x-www-form-urlencoded or application/json");
        }
        let mut untyped = server.post(target);
        untyped.body = DEFAULTS.as_bytes().to_vec();
        untyped.send().status(415);
    }

    // The same form in either encoding is read alike.
    let form = server
        .form(
            "/api/fit",
            "topic=leg-cramps&weeks=28&shown=prevention&pick.prevention=walking",
        )
        .send()
        .status(200)
        .json();
    let json = server
        .post("/api/fit")
        .body(
            "application/json; charset=utf-8",
            br#"{"topic": "leg-cramps", "weeks": "28", "shown": ["prevention"],
                "pick.prevention": ["walking"]}"#,
        )
        .send()
        .status(200)
        .json();
    assert_eq!(form, json);
    assert_eq!(form["fits"], true, "{form}");

    // A roster's settings in its query.
    for (query, needle) in [
        (
            "date=2026-02-30&file=roster.csv",
            "date 2026-02-30: 30 February is not a date",
        ),
        ("date=soon", "date 'soon' is not written as YYYY-MM-DD"),
        ("date=2026-11-25&paper=a5", "paper 'a5' is not a4 or letter"),
        ("date=%ZZ", "not URL-encoded UTF-8 text"),
    ] {
        server
            .roster("check", query, GOOD_ROSTER)
            .send()
            .status(400)
            .says(needle);
    }
}

#[test]
fn every_response_says_not_to_store_it() {
    let server = Server::start(&Test::new());
    let roster = b"name,weeks\nAna,28\n";
    let query = format!("date={DATE}&file=roster.csv");
    let responses = [
        (
            "the page",
            server.get("/").send().status(200).kind("text/html"),
        ),
        (
            "the stylesheet",
            server.get("/app.css").send().status(200).kind("text/css"),
        ),
        (
            "the script",
            server
                .get("/app.js")
                .send()
                .status(200)
                .kind("text/javascript"),
        ),
        (
            "the fit",
            server
                .form("/api/fit", DEFAULTS)
                .send()
                .status(200)
                .kind("application/json"),
        ),
        (
            "the preview",
            server
                .form("/api/preview", DEFAULTS)
                .send()
                .status(200)
                .kind("image/svg+xml"),
        ),
        (
            "the handout",
            server
                .form("/handout", &urlencoded(ANA))
                .send()
                .status(200)
                .kind("application/pdf"),
        ),
        (
            "a handout that cannot be made",
            server
                .form("/handout", "weeks=99")
                .send()
                .status(422)
                .kind("text/html"),
        ),
        (
            "the roster's check",
            server
                .roster("check", &query, roster)
                .send()
                .status(200)
                .kind("application/json"),
        ),
        (
            "the roster's zip",
            server
                .roster("zip", &query, roster)
                .send()
                .status(200)
                .kind("application/zip"),
        ),
        (
            "the roster's PDF",
            server
                .roster("combined", &query, roster)
                .send()
                .status(200)
                .kind("application/pdf"),
        ),
        (
            "the token's exchange",
            server
                .get(&format!("/?token={}", server.token))
                .without("cookie")
                .send()
                .status(303),
        ),
        (
            "no cookie",
            server.get("/").without("cookie").send().status(403),
        ),
        (
            "another host",
            server
                .get("/")
                .header("Host", "evil.example")
                .send()
                .status(421),
        ),
        (
            "another site",
            server
                .form("/api/fit", DEFAULTS)
                .header("Origin", "http://evil.example")
                .send()
                .status(403),
        ),
        ("no such page", server.get("/nope").send().status(404)),
        ("a wrong method", server.get("/handout").send().status(405)),
        (
            "a bad form",
            server.form("/api/fit", "name=%ZZ").send().status(400),
        ),
        (
            "a wrong type",
            server
                .post("/api/fit")
                .body("text/plain", b"x")
                .send()
                .status(415),
        ),
    ];
    for (what, response) in &responses {
        assert_eq!(response.header("cache-control"), Some("no-store"), "{what}");
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{what}"
        );
        let is_pdf = response.header("content-type") == Some("application/pdf");
        if !is_pdf {
            let policy = response
                .header("content-security-policy")
                .unwrap_or_else(|| panic!("{what} has no Content-Security-Policy"));
            assert!(
                policy.starts_with("default-src 'self'")
                    && policy.contains("frame-ancestors 'none'")
                    && !policy.contains("'unsafe-"),
                "{what}: Content-Security-Policy: {policy}"
            );
        }
    }
}

#[test]
fn page_has_a_box_for_each_item_with_the_defaults_ticked() {
    let server = Server::start(&Test::new());
    let page = server.get("/").send().status(200);
    let html = page.text();
    for (key, section) in [("prevention", PREVENTION), ("treatment", TREATMENT)] {
        assert!(
            html.contains(&format!(
                "<input type=\"hidden\" name=\"shown\" value=\"{key}\">"
            )),
            "the form does not say it shows {key}"
        );
        for item in section {
            let control = format!("pick-{key}-{}", item.id);
            let input = format!(
                "<input type=\"checkbox\" id=\"{control}\" name=\"pick.{key}\" value=\"{}\"",
                item.id
            );
            let at = html
                .find(&input)
                .unwrap_or_else(|| panic!("no box for {}", item.id));
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            assert_eq!(tag.ends_with(" checked"), item.default, "{tag}");
            assert!(
                html.contains(&format!(
                    "<label for=\"{control}\" lang=\"en\">{}</label>",
                    item.lead
                )),
                "{} has no label with its lead",
                item.id
            );
        }
    }
    assert_eq!(
        html.matches("<details><summary>What it says").count(),
        items::all().count(),
        "one “What it says” for each item"
    );

    // Each midwife's hint, under its item.
    let mut id = "";
    let mut hints = 0;
    for line in TOPIC.lines() {
        if let Some(value) = line.strip_prefix("id = \"") {
            id = value.trim_end_matches('"');
        }
        if let Some(hint) = line.strip_prefix("midwife-hint = \"") {
            let hint = hint.trim_end_matches('"');
            let key = if PREVENTION.iter().any(|item| item.id == id) {
                "prevention"
            } else {
                "treatment"
            };
            let at = html
                .find(&format!("id=\"pick-{key}-{id}\""))
                .unwrap_or_else(|| panic!("no box for {id}"));
            let item = &html[at..at + html[at..].find("</li>").unwrap()];
            assert!(
                item.contains(&format!("For you:</span> {}</p>", escape(hint))),
                "{id}'s hint is missing:\n{item}"
            );
            hints += 1;
        }
    }
    assert!(hints > 0, "no midwife's hint found in the topic");

    // Every control is labelled: by its id, or inside its label.
    for opening in ["<input", "<select", "<textarea"] {
        for (at, _) in html.match_indices(opening) {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            if tag.contains("type=\"hidden\"") {
                continue;
            }
            let by_id = tag.split(" id=\"").nth(1).is_some_and(|rest| {
                let id = &rest[..rest.find('"').unwrap()];
                html.contains(&format!("<label for=\"{id}\""))
            });
            let before = html[..at].trim_end();
            let inside = before.ends_with("<label>") || before.ends_with("<label class=\"check\">");
            assert!(by_id || inside, "no label for {tag}");
        }
    }

    // Nothing the page's own policy would block: no inline script, handler
    // or style.
    for (at, _) in html.match_indices("<script") {
        let tag = &html[at..at + html[at..].find('>').unwrap()];
        assert!(tag.contains(" src=\"/"), "inline script: {tag}");
    }
    assert!(!html.contains(" style=\"") && !html.contains("<style"));
    for (at, _) in html.match_indices(" on") {
        let rest = &html[at + 3..];
        let name_len = rest.find(|c: char| !c.is_ascii_lowercase()).unwrap_or(0);
        assert!(
            name_len == 0 || !rest[name_len..].starts_with('='),
            "an inline handler: {}",
            html[at..].chars().take(40).collect::<String>()
        );
    }
}

#[test]
fn handout_is_the_pdf_the_command_line_makes() {
    let test = Test::new();
    let server = Server::start(&test);
    let response = server
        .form("/handout", &urlencoded(ANA))
        .send()
        .status(200)
        .kind("application/pdf");
    let disposition = response.header("content-disposition").unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(response.file_name(), format!("Ana-López-{DATE}.pdf"));

    let out = test
        .clone()
        .arg("render")
        .args(ANA_ARGS)
        .args(["-o", "cli.pdf"])
        .run()
        .success();
    save(&out, "served.pdf", &response);
    assert!(
        response.body == out.read("cli.pdf"),
        "the served PDF and `handout render`'s differ"
    );
    let pdf = out.pdf("served.pdf");
    pdf.assert_sound(Paper::A4);
    let text = pdf.text();
    text.assert_has("Prepared for Ana López · 28 weeks · 25 November 2026");
    items::assert_items(&text, PREVENTION, &["walking", "support-belt"]);
    items::assert_items(&text, TREATMENT, &["warm-bath"]);

    // Shown in the browser to print: the same file.
    let inline = server
        .form("/handout", &(urlencoded(ANA) + "&disposition=inline"))
        .send()
        .status(200);
    let disposition = inline.header("content-disposition").unwrap();
    assert!(disposition.starts_with("inline;"), "{disposition}");
    assert_eq!(inline.file_name(), format!("Ana-López-{DATE}.pdf"));
    assert!(inline.body == response.body);

    // A blank handout is named after its topic.
    let blank = server
        .form("/handout", &format!("{DEFAULTS}&date={DATE}"))
        .send()
        .status(200);
    assert_eq!(blank.file_name(), format!("leg-cramps-{DATE}.pdf"));

    // A form that cannot be printed: a page saying why, in the form's words.
    let weeks: Vec<(&str, &str)> = ANA
        .iter()
        .map(|&(name, value)| (name, if name == "weeks" { "99" } else { value }))
        .collect();
    let problem = server
        .form("/handout", &urlencoded(&weeks))
        .send()
        .status(422)
        .kind("text/html");
    assert!(
        problem.text().contains(
            "weeks: weeks must be 1 to 42 weeks, written like 28, 28+3, 28w3d or 28/40, \
             not &apos;99&apos;"
        ),
        "{}",
        problem.text()
    );
    // What the form said comes back escaped.
    let problem = server
        .form(
            "/handout",
            &urlencoded(&[("shown", "prevention"), ("pick.prevention", "<b>x</b>")]),
        )
        .send()
        .status(422);
    assert!(
        problem.text().contains("advice: ")
            && problem.text().contains("&lt;b&gt;x&lt;/b&gt;")
            && !problem.text().contains("<b>"),
        "{}",
        problem.text()
    );
}

#[test]
fn fit_says_whether_it_fits_and_what_to_untick() {
    let server = Server::start(&Test::new());
    let fit = |form: &str| {
        server
            .form("/api/fit", form)
            .send()
            .status(200)
            .kind("application/json")
            .json()
    };
    let answer = fit(DEFAULTS);
    assert_eq!(answer["fits"], true, "{answer}");
    let size = answer["body_pt"].as_f64().expect("body_pt is a number");
    assert_eq!(
        answer["message"],
        format!("Fits on one page, text at {size} pt."),
        "{answer}"
    );

    // Every item ticked fits; with the longest note it does not. Without
    // the herbal products, neither, and the fit line must not name them.
    let note = "Rest well. ".repeat(60);
    let note = &note[..600];
    for left_out in [None, Some("herbal")] {
        let ticked: Vec<&items::Item> = items::all()
            .filter(|item| Some(item.id) != left_out)
            .collect();
        let mut fields: Vec<(&str, &str)> = vec![
            ("topic", "leg-cramps"),
            ("name", "Ana López"),
            ("shown", "prevention"),
            ("shown", "treatment"),
        ];
        for item in &ticked {
            let key = if PREVENTION.iter().any(|other| other.id == item.id) {
                "pick.prevention"
            } else {
                "pick.treatment"
            };
            fields.push((key, item.id));
        }
        if left_out.is_none() {
            let answer = fit(&urlencoded(&fields));
            assert_eq!(answer["fits"], true, "{answer}");
        }
        fields.push(("note", note));
        let answer = fit(&urlencoded(&fields));
        assert_eq!(answer["fits"], false, "{answer}");
        let message = answer["message"].as_str().unwrap();
        let over = answer["over_mm"].as_f64().expect("over_mm is a number");
        assert!(over >= 1.0, "{answer}");
        assert!(
            message.starts_with(&format!("Over by {over} mm: untick one of ")),
            "{answer}"
        );
        assert!(message.ends_with(", or shorten the note."), "{answer}");
        let longest = answer["longest"].as_array().expect("longest is a list");
        assert!(!longest.is_empty(), "{answer}");
        for lead in longest {
            let lead = lead.as_str().unwrap();
            assert!(
                ticked
                    .iter()
                    .any(|item| item.lead.trim_end_matches(['.', ':']) == lead),
                "{lead:?} is not the lead of a ticked item: {answer}"
            );
            assert!(message.contains(lead), "{answer}");
        }
    }

    // The form's mistakes, with the field to point at.
    for (form, field, needle) in [
        (
            "topic=leg-cramps&weeks=99",
            "weeks",
            "weeks must be 1 to 42",
        ),
        (
            "topic=leg-cramps&weeks=soon",
            "weeks",
            "weeks must be 1 to 42",
        ),
        (
            "topic=leg-cramps&due_date=2027-02-30",
            "due_date",
            "not a date",
        ),
        ("topic=leg-cramps&paper=a5", "paper", "a5"),
        (
            "topic=leg-cramps&shown=treatment&pick.treatment=hot-bath",
            "section-treatment",
            "did you mean 'warm-bath'?",
        ),
    ] {
        let answer = fit(form);
        assert_eq!(answer["fits"], false, "{form}: {answer}");
        assert_eq!(answer["field"], field, "{form}: {answer}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(needle), "{form}: {answer}");
    }
    let long = "a".repeat(601);
    let answer = fit(&format!("topic=leg-cramps&note={long}"));
    assert_eq!(answer["field"], "note", "{answer}");
}

#[test]
fn preview_is_an_svg_of_the_printed_page() {
    let test = Test::new();
    let server = Server::start(&test);
    let out = test
        .clone()
        .arg("render")
        .args(ANA_ARGS)
        .args(["--paper", "letter", "-o", "cli-letter.pdf"])
        .run()
        .success();
    for paper in [Paper::A4, Paper::Letter] {
        let form = format!("{}&paper={}", urlencoded(ANA), paper.arg());
        let pdf = server.form("/handout", &form).send().status(200);
        let name = format!("{}.pdf", paper.arg());
        save(&out, &name, &pdf);
        let printed = out.pdf(&name).info().page_size();
        assert_size(printed, paper.size(), "the PDF");
        if let Paper::Letter = paper {
            assert!(
                pdf.body == out.read("cli-letter.pdf"),
                "the served Letter PDF and `handout render --paper letter`'s differ"
            );
        }
        for scale in [
            "",
            "&px_per_pt=1.3888889",
            "&px_per_pt=0.25",
            "&px_per_pt=16",
        ] {
            let preview = server
                .form("/api/preview", &format!("{form}{scale}"))
                .send()
                .status(200)
                .kind("image/svg+xml");
            let svg = preview.text();
            assert_size(
                svg_size(svg),
                printed,
                &format!("the {paper:?} preview{scale}"),
            );
            assert!(svg.contains("Ana López"), "the preview lacks the name");
            assert!(svg.trim_end().ends_with("</svg>"));
        }
    }

    for scale in ["0", "0.2", "17", "-1", "abc", "NaN", "inf", "1,5"] {
        server
            .form("/api/preview", &format!("{DEFAULTS}&px_per_pt={scale}"))
            .send()
            .status(400)
            .says("px_per_pt must be a number from 0.25 to 16");
    }
    let answer = server
        .form("/api/preview", "topic=leg-cramps&weeks=99")
        .send()
        .status(422)
        .kind("application/json")
        .json();
    assert_eq!(answer["field"], "weeks", "{answer}");
}

#[test]
fn roster_check_reports_each_bad_row_as_handout_batch_does() {
    let test = Test::new().file("roster.csv", BAD_ROWS);
    let server = Server::start(&test);
    let query = format!("date={DATE}&file=roster.csv");
    let answer = server
        .roster("check", &query, BAD_ROWS)
        .send()
        .status(200)
        .kind("application/json")
        .json();
    // What `handout batch --check` says of a roster in the test's folder.
    let batch_check = |test: Test, file: &str| {
        test.args(["batch", file, "-o", "out", "--check", "--date", DATE])
            .run()
    };
    let out = batch_check(test.clone(), "roster.csv").code(1);
    let expected = failed_rows(&out.stderr);
    assert_eq!(expected.len(), 8, "stderr:\n{}", out.stderr);
    let failed: Vec<(u64, String)> = answer["failed"]
        .as_array()
        .expect("failed is a list")
        .iter()
        .map(|row| {
            let message = row["message"].as_str().expect("a message").to_string();
            (row["row"].as_u64().expect("a row number"), message)
        })
        .collect();
    assert_eq!(failed, expected);
    assert_eq!(answer["rows"], 11, "{answer}");
    assert_eq!(answer["ready"], 3, "{answer}");
    assert_eq!(answer["notes"], serde_json::json!([]));
    assert!(
        answer["drafts"].is_null() && answer["refused"].is_null(),
        "{answer}"
    );

    let answer = server
        .roster("check", &query, GOOD_ROSTER)
        .send()
        .status(200)
        .json();
    assert_eq!(answer["rows"], 4, "{answer}");
    assert_eq!(answer["ready"], 4, "{answer}");
    assert_eq!(answer["failed"], serde_json::json!([]));

    // A column it does not use: the note `handout batch` prints.
    let roster = "name,weeks,colour\nAna,28,red\n";
    let out = batch_check(test.clone().file("colour.csv", roster), "colour.csv").success();
    let notes: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|line| line.strip_prefix("note: colour.csv: "))
        .collect();
    assert_eq!(notes.len(), 1, "stderr:\n{}", out.stderr);
    let answer = server
        .roster("check", &query, roster.as_bytes())
        .send()
        .status(200)
        .json();
    assert_eq!(answer["notes"], serde_json::json!(notes), "{answer}");

    // Not a roster at all.
    server
        .roster("check", &query, b"")
        .send()
        .status(422)
        .kind("text/plain");
}

#[test]
fn roster_zip_holds_the_files_handout_batch_writes() {
    for (roster, code) in [(BAD_ROWS, 1), (GOOD_ROSTER, 0)] {
        let test = Test::new().file("roster.csv", roster);
        let server = Server::start(&test);
        let response = server
            .roster("zip", &format!("date={DATE}&file=roster.csv"), roster)
            .send()
            .status(200)
            .kind("application/zip");
        assert_eq!(response.file_name(), format!("handouts-{DATE}.zip"));
        let out = test
            .clone()
            .args(["batch", "roster.csv", "-o", "out", "--date", DATE])
            .run()
            .code(code);
        let files = unzip(&response.body);
        let mut names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
        names.sort();
        assert_eq!(names, out.list("out"));
        for (name, bytes) in &files {
            assert!(
                *bytes == out.read(&format!("out/{name}")),
                "{name} in the zip differs from `handout batch`'s"
            );
        }
    }
}

#[test]
fn roster_pdf_has_a_page_for_each_good_row() {
    let test = Test::new().file("roster.csv", BAD_ROWS);
    let server = Server::start(&test);
    let response = server
        .roster(
            "combined",
            &format!("date={DATE}&file=roster.csv"),
            BAD_ROWS,
        )
        .send()
        .status(200)
        .kind("application/pdf");
    assert_eq!(response.file_name(), format!("clinic-day-{DATE}.pdf"));
    let out = test
        .clone()
        .args(["batch", "roster.csv", "-o", "out", "--date", DATE])
        .args(["--combined", "all.pdf"])
        .run()
        .code(1);
    save(&out, "served.pdf", &response);
    let pdf = out.pdf("served.pdf");
    let info = pdf.info();
    assert_eq!(info.pages(), 3, "pdfinfo:\n{}", info.raw);
    pdf.assert_qpdf_clean();
    let text = pdf.text();
    let mut last = 0;
    for name in ["Ana López", "Gwen Hall", "Lou Moss"] {
        let prepared = format!("Prepared for {name} ·");
        let at = text
            .raw
            .find(&prepared)
            .unwrap_or_else(|| panic!("no {prepared:?} in:\n{}", text.raw));
        assert!(at >= last, "{name} is out of roster order");
        last = at;
    }
    text.assert_lacks("Bea Smith");
    assert!(
        response.body == out.read("all.pdf"),
        "the served PDF and `handout batch --combined`'s differ"
    );
}

#[test]
fn roster_of_a_draft_is_made_only_when_allowed() {
    let test = Test::new().file("roster.csv", DRAFT_ROSTER);
    let server = Server::start(&test);
    let roster = DRAFT_ROSTER.as_bytes();
    let query = format!("date={DATE}&file=roster.csv");
    let refused = test
        .clone()
        .args(["batch", "roster.csv", "-o", "refused", "--date", DATE])
        .run()
        .code(2);
    let which = refused
        .stderr
        .lines()
        .find_map(|line| line.strip_prefix("error: nothing was made: "))
        .unwrap_or_else(|| panic!("stderr:\n{}", refused.stderr));
    assert!(which.starts_with("row 2 "), "{which}");

    let answer = server
        .roster("check", &query, roster)
        .send()
        .status(200)
        .json();
    assert_eq!(answer["drafts"], which, "{answer}");
    let message = answer["refused"].as_str().expect("refused says why");
    assert!(
        message.starts_with(&format!("nothing was made: {which}")),
        "{answer}"
    );
    for endpoint in ["combined", "zip"] {
        server
            .roster(endpoint, &query, roster)
            .send()
            .status(422)
            .says(&format!("nothing was made: {which}"));
    }

    // Allowed, the same files as `handout batch --allow-draft`.
    let allowed = format!("{query}&allow_draft=1");
    let answer = server
        .roster("check", &allowed, roster)
        .send()
        .status(200)
        .json();
    assert!(answer["refused"].is_null(), "{answer}");
    let response = server
        .roster("zip", &allowed, roster)
        .send()
        .status(200)
        .kind("application/zip");
    let out = test
        .clone()
        .args(["batch", "roster.csv", "-o", "out", "--date", DATE])
        .arg("--allow-draft")
        .run()
        .success();
    let files = unzip(&response.body);
    assert_eq!(files.len(), 3);
    for (name, bytes) in &files {
        assert!(
            *bytes == out.read(&format!("out/{name}")),
            "{name} in the zip differs from `handout batch --allow-draft`'s"
        );
    }
    let combined = server
        .roster("combined", &allowed, roster)
        .send()
        .status(200);
    save(&out, "served.pdf", &combined);
    let pdf = out.pdf("served.pdf");
    assert_eq!(pdf.info().pages(), 2);
    // The draft says so on its own page only.
    pdf.page_text(1)
        .assert_has("Draft: not yet clinically reviewed");
    pdf.page_text(2)
        .assert_lacks("Draft: not yet clinically reviewed");

    // A roster with no row that can be made.
    for endpoint in ["combined", "zip"] {
        server
            .roster(endpoint, &query, b"name,weeks\nAna,99\n")
            .send()
            .status(422)
            .says("no row of the roster can be made");
    }
}

#[test]
fn unknown_pages_and_methods_say_so() {
    let server = Server::start(&Test::new());
    for target in ["/nope", "/api", "/api/batch", "/handout/x", "/app.css/"] {
        server
            .get(target)
            .send()
            .status(404)
            .says("there is no such page; the form is at /");
        server
            .form(target, DEFAULTS)
            .send()
            .status(404)
            .says("there is no such page; the form is at /");
    }
    for target in ["/handout", "/api/fit", "/api/preview", "/api/batch/zip"] {
        server
            .get(target)
            .send()
            .status(405)
            .says("this address does not take that method; use the form at /");
    }
    for method in ["POST", "PUT", "DELETE"] {
        for target in ["/", "/app.css", "/app.js"] {
            let mut request = server.form(target, DEFAULTS);
            request.method = method.to_string();
            request
                .send()
                .status(405)
                .says("this address does not take that method");
        }
    }
    // Without the cookie, not even which pages there are.
    server
        .get("/nope")
        .without("cookie")
        .send()
        .status(403)
        .says("open that address");
}

#[cfg(unix)]
#[test]
fn nothing_a_patient_gave_is_stored_or_printed() {
    let test = Test::new();
    let server = Server::start(&test);
    let form = urlencoded(&[
        ("topic", "leg-cramps"),
        ("name", "Ana López"),
        ("weeks", "28"),
        ("note", "Quiet words for Ana alone."),
    ]);
    for target in ["/handout", "/api/fit", "/api/preview"] {
        server.form(target, &form).send().status(200);
    }
    let query = format!("date={DATE}&file=roster.csv");
    for endpoint in ["check", "combined", "zip"] {
        server.roster(endpoint, &query, BAD_ROWS).send().status(200);
    }

    let (code, printed) = server.interrupt();
    assert_eq!(code, Some(0), "printed:\n{printed}");
    assert!(
        printed.contains("nothing was stored"),
        "printed:\n{printed}"
    );
    for secret in [
        "Ana",
        "López",
        "Quiet words",
        "Gwen Hall",
        "Lou Moss",
        "0023",
    ] {
        assert!(
            !printed.contains(secret),
            "{secret:?} was printed:\n{printed}"
        );
    }
    let left: Vec<_> = std::fs::read_dir(test.dir())
        .expect("failed to list the server's folder")
        .map(|entry| entry.expect("an entry").file_name())
        .collect();
    assert!(left.is_empty(), "the server left {left:?} in its folder");
}

#[cfg(unix)]
#[test]
fn the_launcher_opens_the_page_with_the_practice_file_beside_it() {
    let test = Test::new()
        .file(
            "handout-serve.sh",
            include_str!("../scripts/handout-serve.sh"),
        )
        .file("practice.toml", crate::util::PRACTICE_EXAMPLE)
        .folder("bin");
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_handout"),
        test.dir().join("bin/handout"),
    )
    .expect("failed to link the program into bin/");
    // As a double-click runs it: the program found on the PATH the
    // launcher sets up, no display here, so no browser is started.
    let mut command = std::process::Command::new("sh");
    command
        .arg("handout-serve.sh")
        .current_dir(test.dir())
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", test.dir().join("bin").display()),
        )
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    let server = Server::spawn(&mut command, &test);
    let page = server.get("/").send().status(200).kind("text/html");
    assert!(page.text().contains("Riverside Midwifery Practice"));
    assert!(page.text().contains("value=\"Jo Smith\""));
}
