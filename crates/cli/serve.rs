//! `handout serve`: the same program as a page in the midwife's browser,
//! on her own computer.
//!
//! It binds 127.0.0.1 only, with no option to bind elsewhere: the page
//! carries patient data over plain HTTP. Every request passes the
//! [`guard`](guard::guard) (Host, Origin, the token's cookie, and the
//! headers every response carries). Nothing a patient's handout holds is
//! logged or written to disk: the server keeps no state but its topics, its
//! one-time token and its cookie's secret, and every response says not to
//! store it.
//!
//! One current-thread runtime answers requests; the fit line and the
//! preview take about a millisecond, so they run in place, and the roster's
//! work runs on the blocking pool, a few dozen rows at a time on all cores.
//! Its [`connections`] are taken only while files are left to take them
//! with, and nothing another program sends or leaves half-sent makes it
//! exit or keeps it from stopping.

mod api;
mod connections;
mod form;
mod guard;
mod page;
mod roster;

use std::future::Future as _;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use handout_content::{Library, Practice};
use handout_render::Renderer;

use crate::Failure;
use crate::args::ServeArgs;
use crate::files::Inputs;

use guard::{Guard, Rejection};

/// The port tried first; the next few are tried when it is taken and no
/// `--port` was given.
pub const DEFAULT_PORT: u16 = 8470;
const PORTS_TRIED: u16 = 10;

/// What every request shares.
#[derive(Debug)]
pub struct App {
    guard: Guard,
    library: Library,
    practice: Practice,
    renderer: Renderer,
    /// How many handouts to make at once for a roster.
    jobs: usize,
    /// The places for clinic days being made.
    days: roster::Days,
}

/// `handout serve`: serves the page until Ctrl-C.
pub fn serve(args: &ServeArgs) -> Result<u8, Failure> {
    let mut inputs = Inputs::default();
    let (practice, library) = crate::content::load(&args.content, &mut inputs)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|error| Failure::fatal(format!("failed to start the server: {error}")))?;
    runtime.block_on(async {
        let listener = bind(args.port).await?;
        let port = listener
            .local_addr()
            .map_err(|error| Failure::fatal(format!("failed to start the server: {error}")))?
            .port();
        let guard = Guard::new(port)
            .map_err(|error| Failure::fatal(format!("failed to make the page's token: {error}")))?;
        let url = guard.url();
        let app = Arc::new(App {
            guard,
            library,
            practice,
            renderer: Renderer::new(),
            jobs: std::thread::available_parallelism().map_or(1, usize::from),
            days: roster::Days::new(),
        });
        {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(
                stdout,
                "handout is ready. Open this address in your browser:\n\n    {url}\n\n\
                 It opens the page in one browser only. Keep this window open while you use \
                 the page; Ctrl-C stops it."
            );
            let _ = stdout.flush();
        }
        if !args.no_open {
            open_browser(&url);
        }
        connections::serve(listener, routes(app), shutdown()).await;
        eprintln!("handout serve stopped; nothing was stored.");
        Ok(0)
    })
}

/// Every page and endpoint, behind the guard.
fn routes(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(api::index))
        .route("/app.css", get(api::stylesheet))
        .route("/app.js", get(api::script))
        // Browsers ask for an icon; there is none, and that is no error.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/handout", post(api::handout))
        .route("/api/fit", post(api::fit))
        .route("/api/preview", post(api::preview))
        .route("/api/batch/check", post(roster::check))
        .route("/api/batch/combined", post(roster::combined))
        .route("/api/batch/zip", post(roster::zip))
        .fallback(|| async {
            Rejection::new(
                StatusCode::NOT_FOUND,
                "there is no such page; the form is at /",
            )
        })
        .method_not_allowed_fallback(|| async {
            Rejection::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "this address does not take that method; use the form at /",
            )
            .into_response()
        })
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            guard::guard,
        ))
        .with_state(app)
}

/// Binds 127.0.0.1 at `port`, or at the default port or one of the next
/// few when none is given.
async fn bind(port: Option<u16>) -> Result<tokio::net::TcpListener, Failure> {
    let ports = match port {
        Some(port) => port..=port,
        None => DEFAULT_PORT..=DEFAULT_PORT + PORTS_TRIED - 1,
    };
    let mut last = None;
    for port in ports.clone() {
        match tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await {
            Ok(listener) => return Ok(listener),
            Err(error) => last = Some(error),
        }
    }
    let error = last.expect("at least one port was tried");
    let which = match port {
        Some(port) => format!("port {port}"),
        None => format!("ports {} to {}", ports.start(), ports.end()),
    };
    let failure = Failure::fatal(format!("failed to listen on 127.0.0.1, {which}: {error}"));
    Err(match error.kind() {
        std::io::ErrorKind::AddrInUse => failure.with_hint(
            "another program uses it, perhaps another `handout serve`: use its page, or give \
             another port with --port",
        ),
        _ => failure,
    })
}

/// Waits for Ctrl-C (or SIGTERM on Unix); a second Ctrl-C while downloads
/// finish stops at once. What only waits, or has not been sent whole, is
/// not waited for (see [`connections`]).
async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate()).ok();
        let terminated = async {
            match &mut terminate {
                Some(terminate) => {
                    terminate.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
        let mut terminated = std::pin::pin!(terminated);
        std::future::poll_fn(|context| {
            if ctrl_c.as_mut().poll(context).is_ready()
                || terminated.as_mut().poll(context).is_ready()
            {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    eprintln!("stopping: finishing what the page asked for (Ctrl-C again stops at once)");
    tokio::spawn(async {
        let _ = tokio::signal::ctrl_c().await;
        std::process::exit(2);
    });
}

/// Opens the address in the default browser, when there is a screen to
/// show it on; otherwise the printed address is the way in.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        let display = ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()));
        if !display {
            eprintln!("note: no display was found, so no browser was opened");
            return;
        }
        std::process::Command::new("xdg-open")
    };
    let opened = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match opened {
        // Reaped when it ends, which is soon: it hands the address over.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(error) => {
            eprintln!("note: the browser could not be opened ({error}); open the address yourself");
        }
    }
}
