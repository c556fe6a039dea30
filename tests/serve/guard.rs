//! Who may ask the server anything: the printed token and its cookie, the
//! Host and the Origin; the answers to unknown pages and methods; and the
//! headers every answer carries, refusals included.

use super::client::{Request, Response, send_raw};
use super::{ANA, DEFAULTS, Server, urlencoded};
use crate::util::{DATE, Test};

/// What every refusal of another address says to do.
const OPEN_THE_ADDRESS: &str = "open the address that `handout serve` printed";

#[test]
fn the_printed_address_is_exchanged_for_a_strict_cookie() {
    let server = Server::start(&Test::new());
    let (port, token) = (server.port, server.token.clone());

    // The address opened: a cookie with a secret of its own, never the
    // token, and the bare address, so that the token leaves the address bar.
    let opened = server.bare(&server.token_target()).send().status(303);
    assert_eq!(opened.header("location"), Some("/"));
    let cookie = server.keep_cookie(&opened);
    assert_eq!(
        opened.header("set-cookie"),
        Some(format!("{cookie}; HttpOnly; SameSite=Strict; Path=/").as_str())
    );
    // The cookie as the browser sends it back, among others.
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
            .bare(&format!("/?token={wrong}"))
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
        // The token is not the cookie's secret.
        Some(format!("handout-{port}={token}")),
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
        // An empty name.
        String::new(),
    ];
    // A rebound name gets no cookie, even with the token, and the token
    // is not spent: the midwife's own browser can still open it.
    for host in &hosts {
        let refused = server
            .bare(&server.token_target())
            .header("Host", host)
            .send()
            .status(421);
        assert_eq!(refused.header("set-cookie"), None, "Host: {host}");
    }
    let opened = server.bare(&server.token_target()).send().status(303);
    server.keep_cookie(&opened);
    for host in &hosts {
        server
            .get("/")
            .header("Host", host)
            .send()
            .status(421)
            .says(OPEN_THE_ADDRESS);
        server
            .form("/api/fit", DEFAULTS)
            .header("Host", host)
            .send()
            .status(421)
            .says(OPEN_THE_ADDRESS);
    }
    // No name at all, which no HTTP client leaves out: a bad request (RFC
    // 9112, 3.2).
    let answer = send_raw(
        port,
        format!(
            "GET / HTTP/1.1\r\nCookie: {}\r\nConnection: close\r\n\r\n",
            server.cookie()
        )
        .as_bytes(),
    );
    assert_eq!(answer.status, 400, "{}", answer.head);
    assert_eq!(
        answer.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(
        answer.text().contains(OPEN_THE_ADDRESS),
        "{}",
        answer.text()
    );

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
fn every_response_says_not_to_store_it() {
    let server = Server::start(&Test::new());
    let opened = server.bare(&server.token_target()).send().status(303);
    server.keep_cookie(&opened);
    let roster = b"name,weeks\nAna,28\n";
    let query = format!("date={DATE}&file=roster.csv");
    let too_large_form = "a".repeat(64 * 1024 + 1);
    let too_large_roster = vec![b'a'; 5 * 1024 * 1024 + 1];
    let too_many_rows = (0..2001).fold(String::from("name,weeks\n"), |roster, row| {
        roster + &format!("Patient {row},28\n")
    });
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
            "a preview that cannot be made",
            server
                .form("/api/preview", "topic=leg-cramps&weeks=99")
                .send()
                .status(422)
                .kind("application/json"),
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
            "a form too large",
            server
                .form("/handout", &too_large_form)
                .expect_continue()
                .send()
                .status(413),
        ),
        (
            "a form too large, in chunks",
            server
                .form("/handout", &too_large_form)
                .chunked()
                .send()
                .status(413),
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
            "a roster's wrong settings",
            server.roster("zip", "date=soon", roster).send().status(400),
        ),
        (
            "no roster at all",
            server.roster("check", &query, b"").send().status(422),
        ),
        (
            "a roster with no row that can be made",
            server
                .roster("zip", &query, b"name,weeks\nAna,99\n")
                .send()
                .status(422),
        ),
        (
            "a roster too large",
            server
                .roster("zip", &query, &too_large_roster)
                .expect_continue()
                .send()
                .status(413),
        ),
        (
            "a roster of too many patients",
            server
                .roster("combined", &query, too_many_rows.as_bytes())
                .send()
                .status(413),
        ),
        ("the token's exchange", opened),
        (
            "the printed address opened again in the same browser",
            server.get(&server.token_target()).send().status(303),
        ),
        (
            "the printed address opened again elsewhere",
            server.bare(&server.token_target()).send().status(403),
        ),
        ("no cookie", server.bare("/").send().status(403)),
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
            server
                .form(target, DEFAULTS)
                .method(method)
                .send()
                .status(405)
                .says("this address does not take that method");
        }
    }
    // Without the cookie, not even which pages there are.
    server
        .bare("/nope")
        .send()
        .status(403)
        .says("open that address");
}

#[test]
fn a_request_says_its_host_once_and_its_target_wins() {
    let server = Server::start(&Test::new());
    let port = server.port;
    let cookie = server.cookie();
    let own = format!("127.0.0.1:{port}");
    let send = |head: &str| {
        send_raw(
            port,
            format!("{head}Cookie: {cookie}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    };
    // A target in absolute form names the server asked for, whatever the
    // Host header says (RFC 9112, 3.2.2).
    let others = [
        format!("http://evil.example:{port}/"),
        format!("http://evil.example:{port}/?token={}", server.token),
        format!("http://localhost.evil.example:{port}/"),
        format!("http://127.0.0.1:{}/", server.other_port()),
        format!("https://127.0.0.1:{port}/"),
        format!("http://user@127.0.0.1:{port}/"),
        format!("http://127.0.0.1:{port}@evil.example/"),
    ];
    for target in &others {
        let answer = send(&format!("GET {target} HTTP/1.1\r\nHost: {own}\r\n"));
        assert_eq!(answer.status, 421, "{target}:\n{}", answer.head);
        assert!(
            answer.text().contains(OPEN_THE_ADDRESS),
            "{}",
            answer.text()
        );
        assert_eq!(answer.header("set-cookie"), None, "{target}");
    }
    // And one that names this server is answered, whatever the Host says.
    let answer = send(&format!(
        "GET http://{own}/app.css HTTP/1.1\r\nHost: evil.example:{port}\r\n"
    ));
    assert_eq!(answer.status, 200, "{}", answer.head);

    // Two Host headers are a malformed request, whichever comes first and
    // even when they agree.
    let evil = format!("evil.example:{port}");
    for (first, second) in [(&own, &evil), (&evil, &own), (&own, &own)] {
        for method in ["GET / HTTP/1.1", "GET http://127.0.0.1/ HTTP/1.1"] {
            let answer = send(&format!("{method}\r\nHost: {first}\r\nhost: {second}\r\n"));
            assert_eq!(
                answer.status, 400,
                "{method}, {first}, {second}:\n{}",
                answer.head
            );
            assert!(answer.text().contains("Host"), "{}", answer.text());
        }
    }
}

#[test]
fn the_printed_address_leads_only_to_this_page() {
    let server = Server::start(&Test::new());
    let (port, token) = (server.port, server.token.clone());
    // Paths a browser would read as another site's address, or as one
    // once it drops a tab or reads a backslash as a slash.
    let targets = [
        "/\\evil.example/",
        "//evil.example/",
        "/%5Cevil.example/",
        "/\t/evil.example",
        "/\\t/evil.example",
        "/%2F%2Fevil.example/",
        "/./\\evil.example/",
        "/\\\\evil.example",
        "/%09/evil.example",
        "/app.css",
        "/?choice=/\\evil.example",
        "/?next=//evil.example",
    ];
    let mut cookie = None;
    let mut redirected = 0;
    for target in targets {
        let separator = if target.contains('?') { '&' } else { '?' };
        let cookie_line = cookie
            .as_ref()
            .map(|cookie| format!("Cookie: {cookie}\r\n"))
            .unwrap_or_default();
        let answer = send_raw(
            port,
            format!(
                "GET {target}{separator}token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
                 {cookie_line}Connection: close\r\n\r\n"
            )
            .as_bytes(),
        );
        match answer.status {
            303 => {
                assert_eq!(answer.header("location"), Some("/"), "{target:?}");
                redirected += 1;
            }
            // Not a request-target at all, refused before the guard.
            400 => continue,
            status => panic!("{target:?}: {status}\n{}", answer.head),
        }
        if cookie.is_none() {
            let set = answer
                .header("set-cookie")
                .expect("the first opening sets the cookie");
            cookie = set.split(';').next().map(String::from);
        }
    }
    assert!(
        redirected >= 8,
        "only {redirected} of the paths were redirected"
    );
    // The leaflet the address chose is kept, and only if it is a leaflet's
    // name.
    let cookie = cookie.expect("the address was opened");
    let kept = server
        .bare(&format!(
            "/x/?choice=leg-cramps/es&next=//evil.example&token={token}"
        ))
        .header("Cookie", &cookie)
        .send()
        .status(303);
    assert_eq!(kept.header("location"), Some("/?choice=leg-cramps/es"));
}

/// What the refusal of a printed address opened a second time says.
const OPENED_ALREADY: &str = "works only once";

#[test]
fn the_printed_address_opens_the_page_once() {
    let server = Server::start(&Test::new());
    let opened = server.bare(&server.token_target()).send().status(303);
    server.keep_cookie(&opened);

    // Opened again in the browser that has the page, as in a second tab:
    // to the page, with nothing new.
    for target in [
        server.token_target(),
        format!("/app.js?token={}", server.token),
    ] {
        let again = server.get(&target).send().status(303);
        assert_eq!(again.header("location"), Some("/"), "{target}");
        assert_eq!(again.header("set-cookie"), None, "{target}");
    }
    // Opened anywhere else, by another browser or another program: refused,
    // saying what to do, and the page is not given away.
    for target in [
        server.token_target(),
        format!("/app.js?token={}", server.token),
    ] {
        let refused = server
            .bare(&target)
            .send()
            .status(403)
            .says(OPENED_ALREADY)
            .says("go back to the browser window")
            .says("start it again");
        assert_eq!(refused.header("set-cookie"), None, "{target}");
        assert!(
            !refused.text().contains(&server.token),
            "{}",
            refused.text()
        );
    }
    // The page itself goes on working where it was opened.
    server.get("/").send().status(200).kind("text/html");
}

#[test]
fn of_many_openings_at_once_one_gets_the_cookie() {
    let server = Server::start(&Test::new());
    let (port, target) = (server.port, server.token_target());
    let answers: Vec<Response> = std::thread::scope(|scope| {
        let openings: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    Request::new(port, "GET", &target)
                        .header("Host", &format!("127.0.0.1:{port}"))
                        .send()
                })
            })
            .collect();
        openings
            .into_iter()
            .map(|opening| opening.join().expect("an opening"))
            .collect()
    });
    let statuses: Vec<u16> = answers.iter().map(|answer| answer.status).collect();
    assert_eq!(
        statuses.iter().filter(|&&status| status == 303).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&status| status == 403).count(),
        7,
        "{statuses:?}"
    );
    let cookies = answers
        .iter()
        .filter(|answer| answer.header("set-cookie").is_some())
        .count();
    assert_eq!(cookies, 1);
}
