//! What every request passes before it reaches a page or an endpoint.
//!
//! The server speaks plain HTTP on loopback and shows patient data, so it
//! trusts neither the network name a browser used nor the page that sent a
//! request:
//! - **Host**: only `127.0.0.1:PORT` and `localhost:PORT`. A site that points
//!   its own name at 127.0.0.1 (DNS rebinding) sends its own name, and is
//!   refused. A request in absolute form (`GET http://host/`) is for the
//!   host its target names, whatever its Host header says, and one with two
//!   Host headers is malformed (RFC 9112, 3.2).
//! - **Origin**: a POST must come from this server's own page: its `Origin`
//!   is this server, or, where a browser sends none, its `Sec-Fetch-Site` is
//!   `same-origin`. A post with neither is refused too.
//! - **Token**: the address the server prints carries a random token made at
//!   start, good for one opening. The first request that brings it is given
//!   an HttpOnly, SameSite=Strict cookie holding another random secret, and
//!   is redirected to the bare address, as Jupyter does; every request then
//!   needs the cookie, stylesheets and scripts included. So the address, in
//!   a terminal's scrollback or a browser's history, opens nothing once
//!   used, and another program or user on the computer cannot read a page.
//!   The address opened again in the browser that has the cookie, in a
//!   second tab, leads to the page; anywhere else it is refused with what to
//!   do: go back to that browser, or start the server again for a new
//!   address.
//!
//! Every response, refusals included, says not to store it, and pages carry
//! a Content-Security-Policy that allows nothing from anywhere else and no
//! inline script.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{Request, State};
use axum::http::uri::Scheme;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::App;

/// The page's Content-Security-Policy: its own scripts and styles only, no
/// inline script, no plugins, no framing, forms posted only to itself.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The query fields the page's address may carry, which the token's
/// exchange keeps: the leaflet chosen.
const LANDING_FIELDS: [&str; 3] = ["choice", "topic", "language"];

/// What the guard checks requests against.
#[derive(Debug)]
pub struct Guard {
    port: u16,
    /// The printed address's token: good for one opening.
    token: String,
    /// Whether the token has been exchanged for the cookie.
    opened: AtomicBool,
    /// The cookie's value: a secret of its own, never printed, so that the
    /// token, once used, opens nothing.
    session: String,
}

/// A request refused, with its status and a message for the person.
#[derive(Debug)]
pub struct Rejection {
    /// The status.
    pub status: StatusCode,
    /// What happened and what to do.
    pub message: String,
}

impl Rejection {
    /// A refusal with this status.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Rejection {
        Rejection {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let mut message = self.message;
        message.push('\n');
        (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response()
    }
}

impl Guard {
    /// A guard for the server on `port`, with a new random token and
    /// cookie.
    pub fn new(port: u16) -> std::io::Result<Guard> {
        Ok(Guard {
            port,
            token: random_secret()?,
            opened: AtomicBool::new(false),
            session: random_secret()?,
        })
    }

    /// The address to open: it carries the token.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.port, self.token)
    }

    /// The cookie's name: one per port, so that two servers on one computer
    /// do not overwrite each other's.
    fn cookie_name(&self) -> String {
        format!("handout-{}", self.port)
    }

    /// Whether `host` names this server.
    fn is_own_host(&self, host: &str) -> bool {
        let Some((name, port)) = host.rsplit_once(':') else {
            return false;
        };
        port == self.port.to_string()
            && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost"))
    }

    /// Checks a request: `Ok(None)` lets it through, `Ok(Some(response))`
    /// answers it here (the token's exchange for the cookie).
    fn check(&self, request: &Request) -> Result<Option<Response>, Rejection> {
        let headers = request.headers();
        let own = format!(
            "http://127.0.0.1:{port}/ or http://localhost:{port}/",
            port = self.port
        );
        if !requested_host(request)?.is_some_and(|host| self.is_own_host(host)) {
            return Err(Rejection::new(
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "handout serve answers only at {own}, and this request was for another \
                     address; open the address that `handout serve` printed"
                ),
            ));
        }
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            self.check_origin(headers)?;
        }
        let token = request.uri().query().and_then(|query| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("token="))
        });
        if let Some(token) = token {
            if !same(token, &self.token) {
                return Err(Rejection::new(
                    StatusCode::FORBIDDEN,
                    "this address's token is not the one `handout serve` printed: it makes a \
                     new one each time it starts; open the address it printed last",
                ));
            }
            if !self.opened.swap(true, Ordering::AcqRel) {
                return Ok(Some(self.exchange(request.uri())));
            }
            // Opened again where the page is open, as in a second tab.
            if self.has_cookie(headers) {
                return Ok(Some(redirect(request.uri())));
            }
            return Err(Rejection::new(
                StatusCode::FORBIDDEN,
                "this address works only once, and it was opened already: go back to the \
                 browser window where the page is open (a new tab there opens it too); to use \
                 the page here instead, stop `handout serve` with Ctrl-C in its window and \
                 start it again, then open the new address it prints",
            ));
        }
        if !self.has_cookie(headers) {
            return Err(Rejection::new(
                StatusCode::FORBIDDEN,
                format!(
                    "this page needs the address `handout serve` printed, with its token \
                     (http://127.0.0.1:{}/?token=...); open that address, or, if it was \
                     opened already, go back to the browser window where it was, or start \
                     `handout serve` again for a new one",
                    self.port
                ),
            ));
        }
        Ok(None)
    }

    /// Refuses a post from anywhere but this server's own page.
    fn check_origin(&self, headers: &HeaderMap) -> Result<(), Rejection> {
        let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
        let refused = |why: &str| {
            Err(Rejection::new(
                StatusCode::FORBIDDEN,
                format!(
                    "{why}: handout serve takes posts only from its own page; open the address \
                     it printed and use the form there"
                ),
            ))
        };
        match (text("origin"), text("sec-fetch-site")) {
            (Some(origin), _) => match origin.strip_prefix("http://") {
                Some(host) if self.is_own_host(host) => Ok(()),
                _ => refused("this post came from another site"),
            },
            (None, Some("same-origin")) => Ok(()),
            (None, Some(_)) => refused("this post came from another site"),
            (None, None) => refused("this post does not say which page sent it"),
        }
    }

    /// Whether the request carries this server's cookie with its secret.
    fn has_cookie(&self, headers: &HeaderMap) -> bool {
        let name = self.cookie_name();
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(key, value)| key == name && same(value, &self.session))
    }

    /// The cookie for the request that brought the token first, and the
    /// redirect to the page, so that the token leaves the address bar and
    /// the history.
    fn exchange(&self, uri: &Uri) -> Response {
        let cookie = format!(
            "{}={}; HttpOnly; SameSite=Strict; Path=/",
            self.cookie_name(),
            self.session
        );
        let mut response = redirect(uri);
        if let Ok(cookie) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, cookie);
        }
        response
    }
}

/// The host a request is for: its target's, when the target is in absolute
/// form (`GET http://host/`), whatever its Host header says (RFC 9112,
/// 3.2.2); else its Host header's. `None` for a target of another scheme,
/// or no host at all; a request with two Host headers is refused as
/// malformed (RFC 9112, 3.2).
fn requested_host(request: &Request) -> Result<Option<&str>, Rejection> {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = hosts.next();
    if hosts.next().is_some() {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            "this request names its Host more than once, which no browser does; open the \
             address that `handout serve` printed",
        ));
    }
    let uri = request.uri();
    Ok(match uri.authority() {
        Some(authority) if uri.scheme() == Some(&Scheme::HTTP) => Some(authority.as_str()),
        Some(_) => None,
        // RFC 9112, 3.2: a request with neither is a bad request.
        None if host.is_none() => {
            return Err(Rejection::new(
                StatusCode::BAD_REQUEST,
                "this request does not say which address it is for (it has no Host), which \
                 every browser does; open the address that `handout serve` printed",
            ));
        }
        None => host.and_then(|value| value.to_str().ok()),
    })
}

/// A redirect to the page: always `/`, with only the fields of
/// [`LANDING_FIELDS`] from the query, and only when their values are plain
/// names. Nothing of the request's path is repeated: `/\evil.example/` or
/// `//evil.example/` would be another site's address to a browser.
fn redirect(uri: &Uri) -> Response {
    let is_plain = |value: &str| {
        !value.is_empty()
            && value.bytes().all(|byte| {
                byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'/')
            })
    };
    let kept: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| {
            pair.split_once('=')
                .is_some_and(|(name, value)| LANDING_FIELDS.contains(&name) && is_plain(value))
        })
        .collect();
    let location = if kept.is_empty() {
        "/".to_string()
    } else {
        format!("/?{}", kept.join("&"))
    };
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// 16 random bytes in hex: a token or a cookie's secret.
fn random_secret() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| std::io::Error::other(error.to_string()))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Compares a token in time that does not depend on where they differ.
fn same(given: &str, token: &str) -> bool {
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// The middleware: checks the request, then adds the headers every
/// response carries.
pub async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let mut response = match app.guard.check(&request) {
        Ok(None) => next.run(request).await,
        Ok(Some(response)) => response,
        Err(refusal) => refusal.into_response(),
    };
    let headers = response.headers_mut();
    let fixed = [
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // "no-referrer" would make Chromium send `Origin: null` on the
        // page's own form posts, which the guard refuses.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // A PDF is shown by the browser's own viewer, which a policy for pages
    // would only get in the way of.
    let is_pdf = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/pdf"));
    if !is_pdf {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_its_own_names_and_port_are_its_host() {
        let guard = Guard::new(8470).unwrap();
        assert!(guard.is_own_host("127.0.0.1:8470"));
        assert!(guard.is_own_host("localhost:8470"));
        assert!(guard.is_own_host("LocalHost:8470"));
        for host in [
            "127.0.0.1",
            "127.0.0.1:8471",
            "localhost",
            "evil.example:8470",
            "localhost.evil.example:8470",
            "127.0.0.1.nip.io:8470",
            "[::1]:8470",
            "",
        ] {
            assert!(!guard.is_own_host(host), "{host}");
        }
    }

    #[test]
    fn redirects_lead_to_the_page_alone() {
        let location = |target: &str| {
            let response = redirect(&target.parse::<Uri>().unwrap());
            response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_string()
        };
        for target in [
            "/?token=x",
            "//evil.example/?token=x",
            "/%5Cevil.example/?token=x",
            "/app.css?token=x",
            "/?choice=%2F%2Fevil.example&token=x",
            "/?next=//evil.example&token=x",
            "/?choice=&token=x",
        ] {
            assert_eq!(location(target), "/", "{target}");
        }
        assert_eq!(
            location("/x/?choice=leg-cramps/es&token=x&next=/y"),
            "/?choice=leg-cramps/es"
        );
        assert_eq!(
            location("/?topic=leg-cramps&language=es"),
            "/?topic=leg-cramps&language=es"
        );
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let (a, b) = (Guard::new(1).unwrap(), Guard::new(1).unwrap());
        assert_ne!(a.token, b.token);
        assert_ne!(a.token, a.session);
        assert_eq!(a.token.len(), 32);
        assert!(same(&a.token, &a.token));
        assert!(!same(&a.token[..31], &a.token));
        assert!(!same(&b.token, &a.token));
        // Only its last character changed, it is still another token.
        let mut last = a.token.clone();
        let changed = if last.ends_with('a') { 'b' } else { 'a' };
        last.pop();
        last.push(changed);
        assert!(!same(&last, &a.token));
    }
}
