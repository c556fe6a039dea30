//! The tests' HTTP client: ureq, set up to send only the headers a test
//! gives and to hand back every answer as it came, refusals and redirects
//! included; and plain connections, for what no HTTP client sends.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::LazyLock;
use std::time::Duration;

use ureq::http::{self, HeaderMap};
use ureq::{Agent, AsSendBody, SendBody};

/// The one agent all tests share; it keeps no state between requests.
static AGENT: LazyLock<Agent> = LazyLock::new(|| {
    Agent::config_builder()
        // A refusal is an answer to check, not an error.
        .http_status_as_error(false)
        // The token's exchange redirects, and the redirect is what is checked.
        .max_redirects(0)
        // No header the test did not set: the server must judge a request
        // by what a browser or another program would send, nothing more.
        .user_agent("")
        .accept("")
        .accept_encoding("")
        // A connection of its own for each request, so that no request
        // rides on one that another request's answer closed.
        .max_idle_connections(0)
        // A server that stops answering fails the test instead of hanging it.
        .timeout_per_read(Some(Duration::from_secs(60)))
        .build()
        .into()
});

/// One HTTP/1.1 request to the server, sent on a connection of its own.
pub struct Request {
    port: u16,
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    /// Whether the body goes in chunks, with no length said beforehand.
    chunked: bool,
    /// Whether to ask the server to answer before the body is sent.
    expect_continue: bool,
}

impl Request {
    /// A request with no headers and no body.
    pub fn new(port: u16, method: &str, target: &str) -> Request {
        Request {
            port,
            method: method.to_string(),
            target: target.to_string(),
            headers: Vec::new(),
            body: None,
            chunked: false,
            expect_continue: false,
        }
    }

    /// Sets the method.
    pub fn method(mut self, method: &str) -> Request {
        self.method = method.to_string();
        self
    }

    /// Sets a header, replacing one of the same name.
    pub fn header(self, name: &str, value: &str) -> Request {
        let mut request = self.without(name);
        request.headers.push((name.to_string(), value.to_string()));
        request
    }

    /// Leaves a header out. ureq adds only the Host, from the address, and
    /// the body's length or chunking; to leave the Host out, see
    /// [`send_raw`].
    pub fn without(mut self, name: &str) -> Request {
        self.headers
            .retain(|(key, _)| !key.eq_ignore_ascii_case(name));
        self
    }

    /// Sets the body and its type.
    pub fn body(mut self, kind: &str, body: &[u8]) -> Request {
        self.body = Some(body.to_vec());
        self.header("Content-Type", kind)
    }

    /// Sends the body in chunks, as a stream, with no Content-Length.
    pub fn chunked(mut self) -> Request {
        self.chunked = true;
        self
    }

    /// Says `Expect: 100-continue` and waits for the server's word before
    /// sending the body, for a body the server refuses unread: ureq writes
    /// the whole body before it reads the answer, so a server that answers
    /// and closes first would leave it with a broken pipe instead of the
    /// answer. hyper says `100 Continue` only when the handler starts to
    /// read the body, so a refusal by the declared length comes back before
    /// any of the body is sent.
    pub fn expect_continue(mut self) -> Request {
        self.expect_continue = true;
        self.header("Expect", "100-continue")
    }

    /// Sends the request and reads the whole response.
    #[track_caller]
    pub fn send(self) -> Response {
        let what = format!("{} {}", self.method, self.target);
        let mut request = http::Request::builder()
            .method(self.method.as_str())
            .uri(format!("http://127.0.0.1:{}{}", self.port, self.target));
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let sent = match (&self.body, self.chunked) {
            (None, _) => self.run(request.body(())),
            (Some(body), false) => self.run(request.body(body.as_slice())),
            (Some(body), true) => {
                let mut reader = body.as_slice();
                self.run(request.body(SendBody::from_reader(&mut reader)))
            }
        };
        let mut response = sent.unwrap_or_else(|error| panic!("{what}: {error}"));
        let body = response
            .body_mut()
            .with_config()
            // Bodies are PDFs and zips of a whole clinic day.
            .limit(u64::MAX)
            .read_to_vec()
            .unwrap_or_else(|error| panic!("{what}: the body did not arrive whole: {error}"));
        Response {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body,
        }
    }

    fn run(
        &self,
        request: Result<http::Request<impl AsSendBody>, http::Error>,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        let request = request.expect("a well-formed request");
        let request = if self.expect_continue {
            // ureq's default wait is 1 s, after which it sends the body
            // anyway; a busy test machine can take longer to answer.
            AGENT
                .configure_request(request)
                .timeout_await_100(Some(Duration::from_secs(60)))
                .build()
        } else {
            request
        };
        AGENT.run(request)
    }
}

/// A response, read whole.
pub struct Response {
    /// The status code.
    pub status: u16,
    headers: HeaderMap,
    /// The body, its chunks put together.
    pub body: Vec<u8>,
}

impl Response {
    /// The value of a header the response may hold once at most.
    #[track_caller]
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.get_all(name).iter();
        let value = values.next()?;
        assert!(
            values.next().is_none(),
            "{name} is said more than once: {:?}",
            self.headers.get_all(name).iter().collect::<Vec<_>>()
        );
        Some(std::str::from_utf8(value.as_bytes()).expect("a UTF-8 header value"))
    }

    /// The body as text.
    #[track_caller]
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("the body is not UTF-8")
    }

    /// The body as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("the body is not JSON ({error}):\n{}", self.text()))
    }

    /// Asserts the status.
    #[track_caller]
    pub fn status(self, status: u16) -> Response {
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
    pub fn kind(self, kind: &str) -> Response {
        let got = self.header("content-type").unwrap_or_default();
        assert_eq!(got.split(';').next(), Some(kind), "Content-Type: {got}");
        self
    }

    /// Asserts a plain-text message for the person that holds `needle`.
    #[track_caller]
    pub fn says(self, needle: &str) -> Response {
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
    pub fn file_name(&self) -> String {
        let disposition = self.header("content-disposition").unwrap_or_default();
        let encoded = disposition
            .split(';')
            .find_map(|part| part.trim().strip_prefix("filename*=UTF-8''"))
            .unwrap_or_else(|| panic!("no filename* in Content-Disposition: {disposition}"));
        decode_percent(encoded)
    }
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

/// Opens a connection to the server, with reads that give up after a
/// minute rather than hang the test.
#[track_caller]
pub fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("failed to connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("failed to set a timeout");
    stream
}

/// An answer to a raw request, as it came.
pub struct Raw {
    /// The status code.
    pub status: u16,
    /// The status line and the headers.
    pub head: String,
    /// What came after the headers, chunked or not.
    pub body: Vec<u8>,
}

impl Raw {
    /// Reads an answer to its end: the server closes the connection after
    /// it, as the request asks with `Connection: close`.
    #[track_caller]
    pub fn read(stream: &mut TcpStream) -> Raw {
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .expect("failed to read the answer");
        let text = String::from_utf8_lossy(&answer);
        let Some(end) = text.find("\r\n\r\n") else {
            panic!("no end of the headers:\n{text}");
        };
        let head = text[..end].to_string();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("no status:\n{head}"));
        Raw {
            status,
            body: answer[end + 4..].to_vec(),
            head,
        }
    }

    /// The value of a header, if it is there.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then_some(value.trim())
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` as it is, byte for byte, on a connection of its own,
/// and reads the answer.
#[track_caller]
pub fn send_raw(port: u16, request: &[u8]) -> Raw {
    let mut stream = connect(port);
    stream
        .write_all(request)
        .expect("failed to send the request");
    Raw::read(&mut stream)
}
