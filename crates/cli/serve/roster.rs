//! A clinic day from a roster, in memory: the rows checked, each failed
//! row's error with its row number, then the day's handouts as one PDF to
//! print or as a zip of a PDF each and `manifest.csv`, the same files and
//! manifest as `handout batch` writes into a new folder.
//!
//! Nothing reaches the disk. The roster arrives whole (5 MB at most) and is
//! checked before a byte goes back, so a refusal has its own status; then
//! the handouts are made a few dozen at a time on all cores and streamed,
//! so memory stays flat however long the day.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use handout_content::{Date, Paper, RequestContext, Roster, RowError, parse_date};
use handout_render::{DocumentInfo, Fit, GlyphUse, RenderOptions};
use serde_json::json;
use tokio::sync::mpsc;

use super::App;
use super::api::{content_disposition, json_response};
use super::form::{Form, read_body};
use super::guard::Refusal;
use super::page::thousands;
use super::zip::ZipWriter;
use crate::batch::{Outcome, Record, draft_rows, file_names, manifest_of, parallel};
use crate::manifest::MANIFEST;

/// The most rows the page takes; `handout batch` takes any number.
pub const MAX_ROWS: usize = 2000;
/// The largest roster the page takes.
pub const MAX_ROSTER_BYTES: usize = 5 * 1024 * 1024;
/// How many handouts are made at once before they are streamed.
const CHUNK: usize = 32;

/// How the day's handouts are made: from the query of the upload.
struct Settings {
    /// The roster file's name, to say where a row is.
    origin: String,
    date: Date,
    paper: Option<Paper>,
    allow_draft: bool,
}

impl Settings {
    fn from_query(uri: &Uri) -> Result<Settings, Refusal> {
        let bad = |message: String| Refusal::new(StatusCode::BAD_REQUEST, message);
        let query = Form::from_urlencoded(uri.query().unwrap_or("").as_bytes()).map_err(bad)?;
        let date = match query.get("date") {
            Some(text) => parse_date("date", text).map_err(|error| bad(error.to_string()))?,
            None => super::api::today(),
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
        Ok(Settings {
            origin,
            date,
            paper,
            allow_draft: query.get("allow_draft") == Some("1"),
        })
    }
}

/// A roster with every row checked.
struct Checked {
    settings: Settings,
    roster: Roster,
    /// Each good row's fit; none for a failed row.
    fits: Vec<Option<Fit>>,
    errors: BTreeMap<usize, RowError>,
    /// Rows of a draft topic, by index, with the topic's name.
    drafts: BTreeMap<usize, String>,
    /// What the combined file's pages draw, when it is wanted.
    glyphs: GlyphUse,
}

impl Checked {
    fn context<'a>(&'a self, app: &'a App) -> RequestContext<'a> {
        RequestContext {
            paper: self.settings.paper,
            ..RequestContext::new(&app.library, &app.practice, self.settings.date)
        }
    }

    fn good(&self) -> Vec<usize> {
        (0..self.roster.rows.len())
            .filter(|index| self.fits[*index].is_some())
            .collect()
    }

    /// Why nothing may be made: rows of a draft without leave to print them.
    fn refusal(&self) -> Option<String> {
        let which = draft_rows(&self.drafts, &self.roster.rows)?;
        (!self.settings.allow_draft).then(|| {
            format!(
                "nothing was made: {which}; have a clinician who reads the language review it, \
                 or tick “Print rows whose leaflet is a draft”"
            )
        })
    }
}

/// Reads and checks a roster on the blocking pool: every row resolved and
/// fitted, and, for a combined file, laid out for its glyphs.
async fn check_roster(
    app: &Arc<App>,
    uri: &Uri,
    headers: &HeaderMap,
    body: Body,
    wants_glyphs: bool,
) -> Result<Checked, Refusal> {
    let settings = Settings::from_query(uri)?;
    let bytes = read_body(headers, body, MAX_ROSTER_BYTES, "the roster").await?;
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || check_blocking(&app, settings, &bytes, wants_glyphs))
        .await
        .map_err(|error| {
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("checking the roster failed: {error}"),
            )
        })?
}

fn check_blocking(
    app: &App,
    settings: Settings,
    bytes: &[u8],
    wants_glyphs: bool,
) -> Result<Checked, Refusal> {
    let roster = Roster::parse(
        &settings.origin,
        bytes,
        &app.practice.roster,
        &app.library.choose_keys(),
    )
    .map_err(|error| Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, error.to_string()))?;
    if roster.rows.len() > MAX_ROWS {
        return Err(Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the roster has {} patients, and this page takes up to {}; make the \
                 day's handouts with `handout batch`, which takes any number",
                thousands(roster.rows.len()),
                thousands(MAX_ROWS)
            ),
        ));
    }
    let mut checked = Checked {
        settings,
        fits: Vec::new(),
        errors: BTreeMap::new(),
        drafts: BTreeMap::new(),
        glyphs: GlyphUse::default(),
        roster,
    };
    let context = checked.context(app);
    let results = parallel(checked.roster.rows.len(), app.jobs, |index| {
        let row = &checked.roster.rows[index];
        let handout = checked.roster.request(row, &context)?.handout;
        let options = RenderOptions {
            paper: context.paper(),
        };
        let row_error =
            |error: handout_render::RenderError| checked.roster.row_error(row, error.to_string());
        let (fit, glyphs) = if wants_glyphs {
            let (fit, glyphs) = app
                .renderer
                .fit_with_glyphs(&handout, &options)
                .map_err(row_error)?;
            (fit, Some(glyphs))
        } else {
            (
                app.renderer.fit(&handout, &options).map_err(row_error)?,
                None,
            )
        };
        let draft = (!handout.draft.is_empty())
            .then(|| format!("{} ({})", handout.topic, handout.language));
        Ok((fit, glyphs, draft))
    });
    for (index, result) in results.into_iter().enumerate() {
        match result {
            Ok((fit, glyphs, draft)) => {
                checked.fits.push(Some(fit));
                if let Some(glyphs) = glyphs {
                    checked.glyphs.merge(glyphs);
                }
                if let Some(draft) = draft {
                    checked.drafts.insert(index, draft);
                }
            }
            Err(error) => {
                checked.fits.push(None);
                checked.errors.insert(index, error);
            }
        }
    }
    Ok(checked)
}

/// `POST /api/batch/check`: each row's error with its row number, and what
/// can be made, as JSON.
pub async fn check(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let checked = match check_roster(&app, &uri, &headers, body, false).await {
        Ok(checked) => checked,
        Err(refusal) => return refusal.into_response(),
    };
    let failed: Vec<_> = checked
        .errors
        .values()
        .map(|error| json!({ "row": error.line, "message": error.message }))
        .collect();
    let rows = checked.roster.rows.len();
    json_response(json!({
        "rows": rows,
        "ready": rows - checked.errors.len(),
        "failed": failed,
        "notes": checked.roster.notes,
        "drafts": draft_rows(&checked.drafts, &checked.roster.rows),
        "refused": checked.refusal(),
    }))
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

async fn download(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
    download: Download,
) -> Response {
    let wants_glyphs = download == Download::Combined;
    let checked = match ready(&app, &uri, &headers, body, wants_glyphs).await {
        Ok(checked) => checked,
        Err(refusal) => return refusal.into_response(),
    };
    let date = checked.settings.date;
    match download {
        Download::Combined => {
            let file = format!("clinic-day-{date}.pdf");
            stream(app, checked, "application/pdf", &file, write_combined)
        }
        Download::Zip => {
            let file = format!("handouts-{date}.zip");
            stream(app, checked, "application/zip", &file, write_zip)
        }
    }
}

/// A checked roster that may be made: not refused for drafts, and with a
/// row to make.
async fn ready(
    app: &Arc<App>,
    uri: &Uri,
    headers: &HeaderMap,
    body: Body,
    wants_glyphs: bool,
) -> Result<Checked, Refusal> {
    let checked = check_roster(app, uri, headers, body, wants_glyphs).await?;
    if let Some(refusal) = checked.refusal() {
        return Err(Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, refusal));
    }
    if checked.good().is_empty() {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no row of the roster can be made; check it to see each row's error",
        ));
    }
    Ok(checked)
}

/// Starts `write` on the blocking pool and streams what it writes.
fn stream(
    app: Arc<App>,
    checked: Checked,
    kind: &'static str,
    file: &str,
    write: impl FnOnce(&App, &Checked, &mut Chunks) -> io::Result<()> + Send + 'static,
) -> Response {
    let (sender, receiver) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let mut out = Chunks {
            sender,
            buffer: Vec::with_capacity(Chunks::SIZE),
        };
        let result = write(&app, &checked, &mut out).and_then(|()| out.flush());
        if let Err(error) = result {
            // The browser sees the download fail rather than end short.
            let _ = out.sender.blocking_send(Err(error));
        }
    });
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (
                header::CONTENT_DISPOSITION,
                content_disposition("attachment", file),
            ),
        ],
        Body::from_stream(Received(receiver)),
    )
        .into_response()
}

/// Renders the good rows a chunk at a time on all cores; `each` takes them
/// in roster order. A row that fails now, which its check did not foresee,
/// is recorded as failed.
fn make_rows(
    app: &App,
    checked: &Checked,
    mut each: impl FnMut(
        usize,
        Result<(Vec<u8>, Record, handout_render::Document), String>,
    ) -> io::Result<()>,
) -> io::Result<()> {
    let context = checked.context(app);
    let good = checked.good();
    for chunk in good.chunks(CHUNK) {
        let made = parallel(chunk.len(), app.jobs, |position| {
            let index = chunk[position];
            let row = &checked.roster.rows[index];
            let handout = checked
                .roster
                .request(row, &context)
                .map_err(|error| error.message)?
                .handout;
            let fit = checked.fits[index].as_ref().expect("a good row has a fit");
            let document = app.renderer.layout_fitted(&handout, fit);
            let pdf = app.renderer.write_pdf(&document);
            let record = Record::of(&handout, &pdf, &app.library);
            Ok((pdf, record, document))
        });
        for (position, result) in made.into_iter().enumerate() {
            each(chunk[position], result)?;
        }
    }
    Ok(())
}

fn write_zip(app: &App, checked: &Checked, out: &mut Chunks) -> io::Result<()> {
    let files = file_names(&checked.roster.rows, None, checked.settings.date);
    let mut zip = ZipWriter::new(out, checked.settings.date);
    let mut outcomes = BTreeMap::new();
    for (index, error) in &checked.errors {
        outcomes.insert(*index, Outcome::Failed(error.message.clone()));
    }
    make_rows(app, checked, |index, made| {
        match made {
            Ok((pdf, record, _)) => {
                zip.add(&files[index], &pdf)?;
                outcomes.insert(index, Outcome::Written(record));
            }
            Err(message) => {
                outcomes.insert(index, Outcome::Failed(message));
            }
        }
        Ok(())
    })?;
    let manifest = manifest_of(&checked.roster.rows, &files, &outcomes);
    zip.add(MANIFEST, &manifest.into_bytes())?;
    zip.finish()?;
    Ok(())
}

fn write_combined(app: &App, checked: &Checked, out: &mut Chunks) -> io::Result<()> {
    let context = checked.context(app);
    let first = checked.good()[0];
    let handout = checked
        .roster
        .request(&checked.roster.rows[first], &context)
        .map_err(|error| io::Error::other(error.message))?
        .handout;
    let mut pdf = app
        .renderer
        .combined_pdf(out, &checked.glyphs, &DocumentInfo::of(&handout))?;
    let encoder = pdf.encoder();
    make_rows(app, checked, |_, made| match made {
        Ok((_, _, document)) => pdf.add(encoder.encode(&document)?),
        // A row the check passed fails only if the content changed under
        // it, which it cannot here; leave it out, as `handout batch` does.
        Err(_) => Ok(()),
    })?;
    pdf.finish()?;
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
