//! The server's connections: more than it may open files for, requests
//! that never finish arriving, and Ctrl-C among them. Each test holds its
//! connections open from here, as another program on the computer could.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::client::connect;
use super::{GOOD_ROSTER, Server};
use crate::util::{DATE, Test};

/// How long the server may take to close a connection that has not sent a
/// whole request head: its time limit, and a margin for a busy machine.
const HEAD_CLOSED_WITHIN: Duration = Duration::from_secs(30);

/// Opens `count` connections that send nothing.
fn silent(server: &Server, count: usize) -> Vec<TcpStream> {
    (0..count).map(|_| connect(server.port)).collect()
}

/// The start of a request's head, without its end.
fn half_a_head(server: &Server) -> String {
    format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nCookie: {}\r\n",
        server.port,
        server.cookie()
    )
}

/// Opens a connection and sends the start of a request's head, never its
/// end.
fn half_head(server: &Server) -> TcpStream {
    let mut stream = connect(server.port);
    stream
        .write_all(half_a_head(server).as_bytes())
        .expect("failed to send half a head");
    stream
}

/// Waits until the server closes `stream`, and returns how long it took;
/// fails the test if it is still open after `limit`.
#[track_caller]
fn closed_after(mut stream: TcpStream, limit: Duration) -> Duration {
    let start = Instant::now();
    stream
        .set_read_timeout(Some(limit))
        .expect("failed to set a timeout");
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(error) => panic!("the connection was still open after {limit:?}: {error}"),
    }
    start.elapsed()
}

#[cfg(unix)]
#[test]
fn connections_beyond_the_open_file_limit_wait_and_the_page_still_answers() {
    // 64 files: a few for the program itself, the rest for connections.
    let mut server = Server::start_with_files(&Test::new(), 64);
    let cookie = server.cookie();
    // Each connection the server takes is a file; these are three times
    // what it may open.
    let idle = silent(&server, 200);
    let page = server
        .get("/")
        .header("Cookie", &cookie)
        .send()
        .status(200)
        .kind("text/html");
    assert!(page.text().contains("<form id=\"handout\""));
    assert!(server.is_running(), "the server stopped under load");
    // And again, with the connections still open.
    server.get("/app.css").send().status(200);
    assert!(server.is_running(), "the server stopped under load");
    let (code, printed) = server.interrupt_within(Duration::from_secs(10));
    assert_eq!(code, Some(0), "printed:\n{printed}");
    drop(idle);
}

#[cfg(unix)]
#[test]
fn half_sent_heads_beyond_the_open_file_limit_do_not_shut_the_page_out() {
    let mut server = Server::start_with_files(&Test::new(), 64);
    let head = half_a_head(&server);
    let started: Vec<TcpStream> = (0..150)
        .map(|_| {
            let mut stream = connect(server.port);
            // The server may have closed it already, to make room.
            let _ = stream.write_all(head.as_bytes());
            stream
        })
        .collect();
    let answer = server
        .form("/api/fit", super::DEFAULTS)
        .send()
        .status(200)
        .json();
    assert_eq!(answer["fits"], true, "{answer}");
    assert!(server.is_running(), "the server stopped under load");
    drop(started);
}

#[test]
fn a_request_head_that_never_ends_is_closed_in_time() {
    let server = Server::start(&Test::new());
    let head = half_head(&server);
    // Nothing at all is a head that never ends too.
    let nothing = connect(server.port);
    let took = closed_after(head, Duration::from_secs(60));
    assert!(
        took < HEAD_CLOSED_WITHIN,
        "half a request head was kept for {took:?}"
    );
    let took = closed_after(nothing, Duration::from_secs(60));
    assert!(
        took < HEAD_CLOSED_WITHIN,
        "a connection that sent nothing was kept for {took:?}"
    );
    // The server is none the worse for it.
    server.get("/").send().status(200);
}

#[cfg(unix)]
#[test]
fn one_ctrl_c_stops_the_server_with_requests_half_sent() {
    let server = Server::start(&Test::new());
    let _nothing = connect(server.port);
    let _head = half_head(&server);
    // A whole head, and a tenth of the body it announces.
    let mut body = connect(server.port);
    let request = format!(
        "POST /api/fit HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {}\r\n\
         Origin: http://127.0.0.1:{port}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n\
         topic=leg-",
        server.cookie(),
        port = server.port,
    );
    body.write_all(request.as_bytes())
        .expect("failed to send half a request");
    // A request that has been answered, on a connection kept open.
    let mut kept = connect(server.port);
    let request = format!(
        "GET /app.css HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nCookie: {}\r\n\r\n",
        server.port,
        server.cookie()
    );
    kept.write_all(request.as_bytes())
        .expect("failed to send a request");
    let mut start = [0u8; 12];
    kept.read_exact(&mut start)
        .expect("failed to read an answer");
    assert_eq!(&start, b"HTTP/1.1 200");
    // Time for the server to read what was sent.
    std::thread::sleep(Duration::from_millis(300));

    let (code, printed) = server.interrupt_within(Duration::from_secs(5));
    assert_eq!(code, Some(0), "printed:\n{printed}");
    assert!(
        printed.contains("nothing was stored"),
        "printed:\n{printed}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_lets_a_download_under_way_finish() {
    let server = Server::start(&Test::new());
    let mut download = connect(server.port);
    let request = format!(
        "POST /api/batch/zip?date={DATE}&file=roster.csv HTTP/1.1\r\n\
         Host: 127.0.0.1:{port}\r\nCookie: {}\r\nOrigin: http://127.0.0.1:{port}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        server.cookie(),
        GOOD_ROSTER.len(),
        port = server.port,
    );
    download
        .write_all(request.as_bytes())
        .and_then(|()| download.write_all(GOOD_ROSTER))
        .expect("failed to send the roster");
    // Its first bytes: the day has been checked and is being made.
    let mut start = [0u8; 12];
    download
        .read_exact(&mut start)
        .expect("failed to read the answer");
    assert_eq!(&start, b"HTTP/1.1 200");
    let _idle = connect(server.port);

    let (code, printed) = server.interrupt_within(Duration::from_secs(60));
    assert_eq!(code, Some(0), "printed:\n{printed}");
    let mut rest = Vec::new();
    download
        .read_to_end(&mut rest)
        .expect("failed to read the download");
    // The zip came whole: its chunks end with the last chunk, and its end
    // record is there.
    assert!(
        rest.ends_with(b"\r\n0\r\n\r\n"),
        "the download was cut short"
    );
    assert!(
        rest.windows(4).any(|window| window == b"PK\x05\x06"),
        "the zip has no end record"
    );
}
