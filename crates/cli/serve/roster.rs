//! The page's clinic day: a roster checked, then made into one PDF to print
//! or a zip of a PDF each and `manifest.csv`, by the same engine as
//! `handout batch`, so the files, bytes, warnings and errors are the same.
//!
//! Nothing reaches the disk. The roster arrives whole (5 MB at most) and is
//! checked before a byte goes back, so a refusal has its own status; then
//! the engine makes the handouts on all cores and streams them, so memory
//! stays flat however long the day. [`DAYS_AT_ONCE`] days are checked or
//! made at once, as each takes every core and tens of megabytes; another
//! is asked to try again shortly (503).

use std::io::{self, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use handout_content::{Paper, Roster, parse_date};
use handout_day::{Checked, Day, DayOptions, ZipSink};
use serde_json::json;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};

use super::App;
use super::api::{content_disposition, json_response};
use super::form::{Form, read_body};
use super::guard::Rejection;
use super::page::thousands;

/// The most rows the page takes; `handout batch` takes any number.
pub const MAX_ROWS: usize = 2000;
/// The largest roster the page takes.
pub const MAX_ROSTER_BYTES: usize = 5 * 1024 * 1024;

/// How many clinic days are checked or made at once. Each runs on every
/// core, so a third would only wait, and holding its roster and handouts
/// as it waits, take memory.
pub const DAYS_AT_ONCE: usize = 2;

/// How many seconds the page is told to wait before it asks again.
const RETRY_AFTER_SECONDS: &str = "5";

/// How to ask for drafts anyway, on this page.
const DRAFT_HINT: &str = "have a clinician who reads the language review it, or tick “Print rows \
    whose leaflet is a draft”";

/// A roster upload: the file's name, to say where a row is, and how the
/// day is to be made, from the query.
struct Upload {
    origin: String,
    options: DayOptions,
}

impl Upload {
    fn from_query(uri: &Uri, app: &App, combined: bool) -> Result<Upload, Rejection> {
        let bad = |message: String| Rejection::new(StatusCode::BAD_REQUEST, message);
        let query = Form::from_urlencoded(uri.query().unwrap_or("").as_bytes()).map_err(bad)?;
        let today = crate::today();
        let date = match query.get("date") {
            Some(text) => parse_date("date", text).map_err(|error| bad(error.to_string()))?,
            None => today,
        };
        let paper = match query.get("paper") {
            Some(name) => Some(Paper::from_name(name).ok_or_else(|| {
                bad(format!(
                    "paper '{}' is not a4 or letter",
                    handout_content::excerpt(name)
                ))
            })?),
            None => None,
        };
        // The file's name says where a row is; only its last part is kept.
        let origin = query
            .get("file")
            .map(|name| name.rsplit(['/', '\\']).next().unwrap_or(name))
            .map(handout_content::excerpt)
            .unwrap_or_else(|| "roster".to_string());
        Ok(Upload {
            origin,
            options: DayOptions {
                paper,
                allow_draft: query.get("allow_draft") == Some("1"),
                jobs: app.jobs,
                combined,
                ..DayOptions::new(date, today)
            },
        })
    }
}

/// The places for clinic days being checked or made.
#[derive(Debug)]
pub struct Days(Arc<Semaphore>);

impl Days {
    /// [`DAYS_AT_ONCE`] places, all free.
    pub fn new() -> Days {
        Days(Arc::new(Semaphore::new(DAYS_AT_ONCE)))
    }

    /// A place for a day, held until it is dropped, or [`Busy`] when every
    /// place is taken.
    fn enter(&self) -> Result<OwnedSemaphorePermit, Busy> {
        Arc::clone(&self.0).try_acquire_owned().map_err(|_| Busy)
    }
}

/// Every place for a clinic day is taken: the answer asks the page to try
/// again shortly.
#[derive(Debug)]
struct Busy;

impl IntoResponse for Busy {
    fn into_response(self) -> Response {
        let mut busy = Rejection::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "a clinic day is being made already, and this page makes {DAYS_AT_ONCE} at a \
                 time; try again in a moment, when it is done"
            ),
        )
        .into_response();
        busy.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_SECONDS),
        );
        busy
    }
}

/// An upload received: how the day is to be made, and the roster's bytes.
async fn receive(
    app: &App,
    uri: &Uri,
    headers: &HeaderMap,
    body: Body,
    combined: bool,
) -> Result<(Upload, Bytes), Rejection> {
    let upload = Upload::from_query(uri, app, combined)?;
    let bytes = read_body(headers, body, MAX_ROSTER_BYTES, "the roster").await?;
    Ok((upload, bytes))
}

/// Reads the roster and checks every row with the engine, then runs
/// `then` on the checked day: on a blocking thread, as the work is.
fn check_day<T>(
    app: &App,
    upload: Upload,
    bytes: &[u8],
    then: impl FnOnce(Checked<'_>) -> T,
) -> Result<T, Rejection> {
    let roster = read_roster(app, &upload.origin, bytes)?;
    let day = Day::new(&app.library, &app.practice, &app.renderer, upload.options)
        .map_err(|error| Rejection::new(StatusCode::UNPROCESSABLE_ENTITY, error.to_string()))?;
    Ok(then(day.check(roster, &|| {})))
}

/// A blocking task's failure, as the page hears of it.
fn failed(error: impl std::fmt::Display) -> Rejection {
    Rejection::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("making the day's handouts failed: {error}"),
    )
}

/// A roster the page takes: one that reads, of at most [`MAX_ROWS`] rows.
fn read_roster(app: &App, origin: &str, bytes: &[u8]) -> Result<Roster, Rejection> {
    let roster = Roster::parse(
        origin,
        bytes,
        &app.practice.roster,
        &app.library.choose_keys(),
    )
    .map_err(|error| Rejection::new(StatusCode::UNPROCESSABLE_ENTITY, error.to_string()))?;
    if roster.rows.len() > MAX_ROWS {
        return Err(Rejection::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the roster has {} patients, and this page takes up to {}; make the day's \
                 handouts with `handout batch`, which takes any number",
                thousands(roster.rows.len()),
                thousands(MAX_ROWS)
            ),
        ));
    }
    Ok(roster)
}

/// `POST /api/batch/check`: what the engine says of the roster, as JSON:
/// each row's error with its row number and its line as `handout batch`
/// prints it, the notes on how the file was read, the warnings, and the
/// refusal, if nothing may be made.
pub async fn check(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (upload, bytes) = match receive(&app, &uri, &headers, body, false).await {
        Ok(received) => received,
        Err(refusal) => return refusal.into_response(),
    };
    let place = match app.days.enter() {
        Ok(place) => place,
        Err(busy) => return busy.into_response(),
    };
    let app = Arc::clone(&app);
    let answer = tokio::task::spawn_blocking(move || {
        let _place = place;
        check_day(&app, upload, &bytes, |checked| {
            let roster = checked.roster();
            // "row" is the row as the roster numbers it, as batch's summary
            // gives it; the error may name a line inside it.
            let failed: Vec<_> = checked
                .failed_rows()
                .zip(checked.errors())
                .map(|(row, error)| {
                    json!({ "row": row.line, "message": error.message, "line": error.to_string() })
                })
                .collect();
            let warnings: Vec<String> =
                checked.warnings().iter().map(ToString::to_string).collect();
            // How the file was read, then what the engine notes of the day.
            let notes: Vec<String> = roster
                .notes
                .iter()
                .cloned()
                .chain(checked.notes().iter().map(ToString::to_string))
                .collect();
            json!({
                "rows": roster.rows.len(),
                "ready": checked.ready(),
                "failed": failed,
                "notes": notes,
                "warnings": warnings,
                "drafts": checked.drafts().map(ToString::to_string),
                "refused": checked.refusal().map(|refusal| format!("{refusal}; {DRAFT_HINT}")),
            })
        })
    })
    .await
    .unwrap_or_else(|error| Err(failed(error)));
    match answer {
        Ok(answer) => json_response(answer),
        Err(refusal) => refusal.into_response(),
    }
}

/// `POST /api/batch/combined`: every good row's handout, in roster order,
/// as one PDF to print, streamed as it is made.
pub async fn combined(
    state: State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    download(state, uri, headers, body, Download::Combined).await
}

/// `POST /api/batch/zip`: a zip of each good row's PDF, named as
/// `handout batch` names it, and `manifest.csv`, streamed as made.
pub async fn zip(state: State<Arc<App>>, uri: Uri, headers: HeaderMap, body: Body) -> Response {
    download(state, uri, headers, body, Download::Zip).await
}

/// What a roster's download is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Download {
    Combined,
    Zip,
}

/// Checks the roster, then, if the day may be made, streams what the
/// engine makes of it: a refusal has its own status, since nothing has been
/// sent yet.
async fn download(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
    download: Download,
) -> Response {
    let combined = download == Download::Combined;
    let (upload, bytes) = match receive(&app, &uri, &headers, body, combined).await {
        Ok(received) => received,
        Err(refusal) => return refusal.into_response(),
    };
    let place = match app.days.enter() {
        Ok(place) => place,
        Err(busy) => return busy.into_response(),
    };
    let (sender, receiver) = mpsc::channel(4);
    let (ready, started) = oneshot::channel();
    let app = Arc::clone(&app);
    // The day is checked and made on the blocking pool; this waits only
    // for the check's verdict, then streams what is made.
    let making = tokio::task::spawn_blocking(move || {
        check_day(&app, upload, &bytes, |checked| {
            may_be_made(&checked)?;
            let _ = ready.send(checked.options().date);
            let mut out = Chunks {
                sender,
                buffer: Vec::with_capacity(Chunks::SIZE),
            };
            let result = match download {
                Download::Combined => make_combined(checked, &mut out),
                Download::Zip => make_zip(checked, &mut out),
            };
            // The day is made; its place is given up before its last bytes
            // go, so that a browser that has them all finds it free.
            drop(place);
            if let Err(error) = result.and_then(|()| out.flush()) {
                // The browser sees the download fail rather than end short.
                let _ = out.sender.blocking_send(Err(error));
            }
            Ok(())
        })?
    });
    let date = match started.await {
        Ok(date) => date,
        // Refused, or failed, before a byte was made.
        Err(_) => {
            let refusal = match making.await {
                Ok(Err(refusal)) => refusal,
                Ok(Ok(())) => failed("it ended before it began"),
                Err(error) => failed(error),
            };
            return refusal.into_response();
        }
    };
    let (kind, file) = match download {
        Download::Combined => ("application/pdf", format!("clinic-day-{date}.pdf")),
        Download::Zip => ("application/zip", format!("handouts-{date}.zip")),
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (
                header::CONTENT_DISPOSITION,
                content_disposition("attachment", &file),
            ),
        ],
        Body::from_stream(Received(receiver)),
    )
        .into_response()
}

/// Whether a checked day may be made: not refused for drafts, and with a
/// row to make.
fn may_be_made(checked: &Checked<'_>) -> Result<(), Rejection> {
    if let Some(refusal) = checked.refusal() {
        return Err(Rejection::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{refusal}; {DRAFT_HINT}"),
        ));
    }
    if checked.ready() == 0 {
        return Err(Rejection::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no row of the roster can be made; check it to see each row's error",
        ));
    }
    Ok(())
}

/// The day as one PDF, written to `out` as the engine makes it.
fn make_combined(checked: Checked<'_>, out: &mut Chunks) -> io::Result<()> {
    let mut pdf = checked.combined_pdf(out)?;
    let made = checked.make(&mut [&mut pdf], &|| {});
    if let Some((_, error)) = made.stopped().first() {
        return Err(io::Error::new(error.kind(), error.to_string()));
    }
    pdf.finish()?;
    Ok(())
}

/// The day as a zip of its files and its manifest, written to `out` as
/// the engine makes it.
fn make_zip(checked: Checked<'_>, out: &mut Chunks) -> io::Result<()> {
    let mut zip = ZipSink::new(out, checked.options().date);
    let made = checked.make(&mut [&mut zip], &|| {});
    if let Some((_, error)) = made.stopped().first() {
        return Err(io::Error::new(error.kind(), error.to_string()));
    }
    zip.finish(&made.manifest().into_bytes())?;
    Ok(())
}

/// What a stream writes: bytes gathered into chunks and sent to the
/// response as the browser takes them.
struct Chunks {
    sender: mpsc::Sender<io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl Chunks {
    const SIZE: usize = 64 * 1024;

    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(Self::SIZE),
        ));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the browser went away"))
    }
}

impl Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= Self::SIZE {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The chunks as a stream, for the response's body.
struct Received(mpsc::Receiver<io::Result<Bytes>>);

impl futures_core::Stream for Received {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(context)
    }
}
