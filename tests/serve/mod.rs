//! `handout serve`, spoken to over HTTP: as its own page speaks to it, and
//! as another site, another name for the computer or another program
//! would. Each refusal is tried on its own, and each answer is checked
//! against what the command line makes from the same input.
//!
//! Here: the running server and the inputs the tests share. The client is
//! in `client`; the tests are grouped by what they check.

mod bodies;
mod client;
mod connections;
mod guard;
mod handout;
mod large_print;
mod launch;
mod pictures;
mod roster;
mod wordings;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};
use std::sync::{OnceLock, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::util::{DATE, Output, Test};

use client::{Request, Response};

/// The roster whose rows are all good (see tests/batch.rs).
const GOOD_ROSTER: &[u8] = include_bytes!("../fixtures/good-csv/roster.csv");
/// The roster with eight bad rows among eleven (see tests/batch.rs).
const BAD_ROWS: &[u8] = include_bytes!("../fixtures/bad-rows/roster.csv");

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

/// The form of a fresh page: the built-in topic and its defaults.
const DEFAULTS: &str = "topic=leg-cramps&language=en";

/// A running `handout serve --port 0 --no-open`, stopped when dropped.
pub struct Server {
    child: Child,
    port: u16,
    token: String,
    /// The cookie the printed address was exchanged for, once it was.
    cookie: OnceLock<String>,
    /// What it prints after its address, read until it ends.
    stdout: Option<JoinHandle<String>>,
    /// Keeps the folder it runs in.
    _folder: Test,
}

impl Server {
    /// Starts a server in `test`'s folder and waits for its address.
    pub(crate) fn start(test: &Test) -> Server {
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

    /// Starts a server in `test`'s folder that may have at most `files`
    /// files open, as `ulimit -n` sets it: the shell lowers the limit, then
    /// becomes the server.
    #[cfg(unix)]
    pub fn start_with_files(test: &Test, files: u32) -> Server {
        let handout = test
            .clone()
            .args(["serve", "--port", "0", "--no-open"])
            .command();
        let mut command = std::process::Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
            .arg(handout.get_program())
            .args(handout.get_args())
            .current_dir(test.dir())
            .stdin(Stdio::null());
        for (name, value) in handout.get_envs() {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
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
            cookie: OnceLock::new(),
            child,
            stdout: Some(stdout),
            _folder: test.clone(),
        }
    }

    /// Stops the server as Ctrl-C does, and returns its exit code and what
    /// it printed after its address, on stdout and stderr.
    #[cfg(unix)]
    pub(crate) fn interrupt(self) -> (Option<i32>, String) {
        self.interrupt_within(Duration::from_secs(30))
    }

    /// Stops the server as one Ctrl-C does, failing the test if it has not
    /// stopped after `time`, and returns its exit code and what it printed
    /// after its address.
    #[cfg(unix)]
    pub(crate) fn interrupt_within(mut self, time: Duration) -> (Option<i32>, String) {
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
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("failed to wait") {
                break status;
            }
            if start.elapsed() > time {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "handout serve did not stop within {time:?} of Ctrl-C\nstderr:\n{}",
                    stderr.join().unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = self.stdout.take().expect("stdout is read").join();
        let printed = stdout.expect("stdout reader") + &stderr.join().expect("stderr reader");
        (status.code(), printed)
    }

    /// Whether it is still running.
    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("failed to wait").is_none()
    }

    /// The address it printed, with its token.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.port, self.token)
    }

    /// The path and query of the printed address.
    fn token_target(&self) -> String {
        format!("/?token={}", self.token)
    }

    /// A port that is not this server's.
    fn other_port(&self) -> u16 {
        if self.port == u16::MAX {
            self.port - 1
        } else {
            self.port + 1
        }
    }

    /// The cookie a browser holds after opening the printed address, as
    /// `name=value`: the address is opened for it the first time it is
    /// needed, as the token works once.
    fn cookie(&self) -> String {
        self.cookie
            .get_or_init(|| {
                let opened = self.bare(&self.token_target()).send().status(303);
                self.cookie_of(&opened)
            })
            .clone()
    }

    /// The cookie an answer sets, as `name=value`, checked to be this
    /// server's and not its token.
    #[track_caller]
    fn cookie_of(&self, opened: &Response) -> String {
        let cookie = opened
            .header("set-cookie")
            .expect("the printed address sets a cookie");
        let pair = cookie.split(';').next().unwrap_or_default().to_string();
        let (name, value) = pair.split_once('=').expect("a cookie is name=value");
        assert_eq!(name, format!("handout-{}", self.port), "{cookie}");
        assert!(
            value.len() >= 32 && value != self.token,
            "the cookie's value is no secret of its own: {cookie}"
        );
        pair
    }

    /// Remembers the cookie an answer to the printed address set, for a
    /// test that opened the address itself.
    #[track_caller]
    fn keep_cookie(&self, opened: &Response) -> String {
        let cookie = self.cookie_of(opened);
        assert!(
            self.cookie.set(cookie.clone()).is_ok(),
            "the printed address was opened twice"
        );
        cookie
    }

    /// A GET as a browser sends it before it has the cookie: its Host.
    fn bare(&self, target: &str) -> Request {
        Request::new(self.port, "GET", target).header("Host", &format!("127.0.0.1:{}", self.port))
    }

    /// A GET as the page's browser sends it: its Host and its cookie.
    pub(crate) fn get(&self, target: &str) -> Request {
        self.bare(target).header("Cookie", &self.cookie())
    }

    /// A request with a body, as the page sends it: also its Origin.
    fn post(&self, target: &str) -> Request {
        self.get(target)
            .method("POST")
            .header("Origin", &format!("http://127.0.0.1:{}", self.port))
    }

    /// A URL-encoded form posted by the page.
    fn form(&self, target: &str, form: &str) -> Request {
        self.post(target)
            .body("application/x-www-form-urlencoded", form.as_bytes())
    }

    /// A roster uploaded by the page, as the script sends it: the file's
    /// bytes, the rest in the query.
    pub(crate) fn roster(&self, endpoint: &str, query: &str, roster: &[u8]) -> Request {
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

/// URL-encodes form fields as a browser does. ureq encodes a form only as
/// it sends it (`send_form`), and the tests add to the encoded text and
/// send it with headers of their choosing.
/// The words of the preview the page shows for `form`: the text its SVG
/// describes itself with.
fn preview_words(server: &Server, form: &str) -> String {
    let svg = server
        .form("/api/preview", form)
        .send()
        .status(200)
        .kind("image/svg+xml")
        .text()
        .to_string();
    svg[svg.find("<desc>").unwrap()..svg.find("</desc>").unwrap()].to_string()
}

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

/// Writes a response's body into the folder of `out`'s run, for the PDF
/// tools.
fn save(out: &Output, name: &str, response: &Response) {
    std::fs::write(out.path(name), &response.body).expect("failed to save a response");
}
