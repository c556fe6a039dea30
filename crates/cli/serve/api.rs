//! The page, and the endpoints for one handout: the fit line and the
//! preview, which follow the form as it changes, and the PDF.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use handout_content::Handout;
use handout_content::{RawRequest, Request, RequestContext, RequestError, Topic};
use handout_render::{Fit, LongItem, RenderError, RenderOptions, SvgOptions};
use serde_json::json;

use super::App;
use super::form::{Form, field_of};
use super::guard::Rejection;
use super::page::{self, PageData};
use crate::today;
use handout_day::safe_stem;

/// The topic a query asks for (`choice=leg-cramps/es`, or `topic` and
/// `language`); the first there is, in English if it has English, when it
/// names none or one there is not.
fn chosen_topic<'a>(app: &'a App, query: &Form) -> Option<&'a Topic> {
    let (id, language) = match query
        .get("choice")
        .and_then(|choice| choice.split_once('/'))
    {
        Some((id, language)) => (Some(id), Some(language)),
        None => (query.get("topic"), query.get("language")),
    };
    app.library
        .topic(id, language)
        .ok()
        .or_else(|| app.library.topic(None, None).ok())
        .or_else(|| {
            let mut topics: Vec<&Topic> = app.library.topics().collect();
            topics.sort_by_key(|topic| (topic.language != "en", topic.id.clone()));
            topics.first().copied()
        })
}

/// `GET /`: the form for a topic, with its defaults ticked and their preview.
pub async fn index(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let query = Form::from_urlencoded(uri.query().unwrap_or("").as_bytes()).unwrap_or_default();
    let Some(topic) = chosen_topic(&app, &query) else {
        return Rejection::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "there is no topic that can be printed; run `handout topics` to see why",
        )
        .into_response();
    };
    let today = today();
    let defaults = RawRequest {
        topic: Some(topic.id.clone()),
        language: Some(topic.language.clone()),
        ..RawRequest::default()
    };
    let (fits, fit, preview) = match app.validate(&defaults, today) {
        Ok(request) => {
            let options = options_of(&request);
            match app.renderer.fit(&request.handout, &options) {
                Ok(fit) => {
                    let document = app.renderer.layout_fitted(&request.handout, &fit);
                    (
                        true,
                        fits_message(&fit, &request.handout),
                        Ok(app
                            .renderer
                            .write_svg_pages(&document, SvgOptions::default())),
                    )
                }
                Err(error) => (false, error.to_string(), Err(error.to_string())),
            }
        }
        Err(error) => (false, error.message.clone(), Err(error.message)),
    };
    Html(page::page(&PageData {
        library: &app.library,
        practice: &app.practice,
        topic,
        today,
        preview,
        fit,
        fits,
    }))
    .into_response()
}

/// `GET /app.css`.
pub async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", include_str!("app.css"))
}

/// `GET /app.js`.
pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", include_str!("app.js"))
}

fn asset(kind: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], text).into_response()
}

fn options_of(request: &Request<'_>) -> RenderOptions {
    RenderOptions {
        paper: request.paper,
        large_print: request.large_print,
    }
}

/// What the fit line says of a handout that fits: its pages and size, and
/// what large print left out.
fn fits_message(fit: &Fit, handout: &Handout<'_>) -> String {
    let body_pt = fit.body_size();
    let mut message = match fit.pages() {
        1 => format!("Fits on one page, text at {body_pt} pt."),
        pages => format!("Fits on {pages} pages, both sides of the sheet, text at {body_pt} pt."),
    };
    let mut notes: Vec<String> = LongItem::omitted_note(&fit.omitted(handout))
        .into_iter()
        .collect();
    if fit.more_info_left_out(handout) {
        notes.push(handout_render::MORE_INFO_LEFT_OUT.to_string());
    }
    for note in notes {
        let mut note = note.chars();
        let first = note.next().map(|c| c.to_uppercase().to_string());
        message.push(' ');
        message.push_str(&first.unwrap_or_default());
        message.push_str(note.as_str());
        message.push('.');
    }
    message
}

/// What the fit line says of a request that does not fit or is wrong, and
/// the field to point at.
fn trouble(error: &RenderError) -> serde_json::Value {
    match error {
        RenderError::DoesNotFit {
            over_mm,
            longest,
            note_chars,
            large_print,
        } => {
            let leads: Vec<&str> = longest.iter().map(|item| item.lead.as_str()).collect();
            // Rounded up, as `over_mm` is: a page a fraction of a millimetre
            // over must not read "Over by 0 mm", nor the two disagree.
            let over_mm = over_mm.ceil();
            let mut message = format!(
                "{}Over by {over_mm:.0} mm: untick one of {}",
                if *large_print {
                    "Both sides are full, even without the background items. "
                } else {
                    ""
                },
                leads.join(", ")
            );
            if note_chars.is_some() {
                message.push_str(", or shorten the note");
            }
            message.push('.');
            json!({ "fits": false, "over_mm": over_mm, "longest": leads, "message": message })
        }
        RenderError::Unprintable { .. } | RenderError::Overdrawn { .. } => {
            json!({ "fits": false, "message": error.to_string() })
        }
    }
}

fn request_trouble(error: &RequestError) -> serde_json::Value {
    json!({ "fits": false, "field": field_of(&error.part), "message": error.message })
}

/// `POST /api/fit`: whether the form's handout fits its page, by layout
/// alone, as JSON.
pub async fn fit(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let form = match Form::read(&headers, body).await {
        Ok(form) => form,
        Err(refusal) => return refusal.into_response(),
    };
    let answer = match app.validate(&form.request(), today()) {
        Ok(request) => match app.renderer.fit(&request.handout, &options_of(&request)) {
            Ok(fit) => json!({
                "fits": true,
                "body_pt": fit.body_size(),
                "pages": fit.pages(),
                "omitted": fit
                    .omitted(&request.handout)
                    .iter()
                    .map(|item| item.id.as_str())
                    .collect::<Vec<_>>(),
                "message": fits_message(&fit, &request.handout),
            }),
            Err(error) => trouble(&error),
        },
        Err(error) => request_trouble(&error),
    };
    json_response(answer)
}

/// `POST /api/preview`: the form's handout drawn as SVG from its laid-out
/// document. With `px_per_pt`, the glyphs sit on the screen's pixel grid at
/// that scale, as a PDF viewer puts them.
pub async fn preview(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let form = match Form::read(&headers, body).await {
        Ok(form) => form,
        Err(refusal) => return refusal.into_response(),
    };
    let scale = match form.get("px_per_pt").map(str::parse::<f32>) {
        None => None,
        Some(Ok(scale)) if (0.25..=16.0).contains(&scale) => Some(scale),
        Some(_) => {
            return Rejection::new(
                StatusCode::BAD_REQUEST,
                "px_per_pt must be a number from 0.25 to 16",
            )
            .into_response();
        }
    };
    let request = match app.validate(&form.request(), today()) {
        Ok(request) => request,
        Err(error) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                json_response(request_trouble(&error)),
            )
                .into_response();
        }
    };
    let document = match app.renderer.layout(&request.handout, &options_of(&request)) {
        Ok(document) => document,
        Err(error) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                json_response(trouble(&error)),
            )
                .into_response();
        }
    };
    let page = app
        .renderer
        .write_svg_pages(&document, SvgOptions { px_per_pt: scale });
    (
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        page,
    )
        .into_response()
}

/// `POST /handout`: the PDF, named from the patient and the date; shown in
/// the browser to print with `disposition=inline`, else downloaded. A form
/// that cannot be printed gets a page saying why.
pub async fn handout(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let form = match Form::read(&headers, body).await {
        Ok(form) => form,
        Err(refusal) => return refusal.into_response(),
    };
    let problem = |message: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(page::problem_page(&message)),
        )
            .into_response()
    };
    let request = match app.validate(&form.request(), today()) {
        Ok(request) => request,
        Err(error) => {
            let field = field_of(&error.part).unwrap_or_default();
            let label = match field.as_str() {
                "due_date" => "due date".to_string(),
                field if field.starts_with("section-") => "advice".to_string(),
                field => field.to_string(),
            };
            return problem(if label.is_empty() {
                error.message
            } else {
                format!("{label}: {}", error.message)
            });
        }
    };
    let rendered = match app.renderer.render(&request.handout, &options_of(&request)) {
        Ok(rendered) => rendered,
        Err(error) => return problem(error.to_string()),
    };
    let handout = &request.handout;
    let stem = match form.get("name") {
        Some(name) => format!("{name} {}", handout.date),
        None => format!("{} {}", handout.topic, handout.date),
    };
    let file = format!("{}.pdf", safe_stem(&stem, 96));
    let inline = form.get("disposition") == Some("inline");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(if inline { "inline" } else { "attachment" }, &file),
            ),
        ],
        rendered.pdf,
    )
        .into_response()
}

/// A JSON answer.
pub fn json_response(value: serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// `Content-Disposition` for a file name that may have any letters: an
/// ASCII fallback, and the name itself as RFC 6266 and 5987 say.
pub fn content_disposition(kind: &str, file: &str) -> HeaderValue {
    let ascii: String = file
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' && c != '%' => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::new();
    for byte in file.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => {
                encoded.push(char::from(byte));
            }
            byte => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    HeaderValue::from_str(&format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

impl App {
    /// Checks a request against the topics and the practice.
    pub fn validate(
        &self,
        raw: &RawRequest,
        today: handout_content::Date,
    ) -> Result<Request<'_>, RequestError> {
        raw.validate(&RequestContext::new(&self.library, &self.practice, today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_reach_the_browser_whole_and_in_ascii() {
        let value = content_disposition("attachment", "Ana-López-2026-12-02.pdf");
        assert_eq!(
            value.to_str().unwrap(),
            "attachment; filename=\"Ana-L_pez-2026-12-02.pdf\"; \
             filename*=UTF-8''Ana-L%C3%B3pez-2026-12-02.pdf"
        );
    }
}
