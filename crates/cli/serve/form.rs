//! The handout form as the browser sends it, URL-encoded by a plain form
//! post or JSON from the page's script, read strictly into one request.
//!
//! Fields: `topic`, `language`, `name`, `weeks`, `due_date`, `note`,
//! `midwife`, `date`, `paper`; `shown`, once for each section whose
//! checkboxes the form showed; and `pick.KEY`, once for each ticked item of
//! section KEY. A shown section with nothing ticked prints none of its
//! items; a section not shown prints its defaults.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use handout_content::{Choice, Part, Pick, RawRequest};

use super::guard::Rejection;

/// The largest form: a note is at most a few thousand bytes.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// A form's fields, in order, as name and value.
#[derive(Debug, Default)]
pub struct Form {
    fields: Vec<(String, String)>,
}

impl Form {
    /// Reads a form from a request's body, URL-encoded or JSON by its
    /// content type.
    pub async fn read(headers: &HeaderMap, body: Body) -> Result<Form, Rejection> {
        let bytes = read_body(headers, body, MAX_FORM_BYTES, "a form").await?;
        let kind = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let bad = |why: String| Rejection::new(StatusCode::BAD_REQUEST, why);
        if kind.starts_with("application/json") {
            Form::from_json(&bytes).map_err(bad)
        } else if kind.starts_with("application/x-www-form-urlencoded") {
            Form::from_urlencoded(&bytes).map_err(bad)
        } else {
            Err(Rejection::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "a form must be sent as application/x-www-form-urlencoded or application/json",
            ))
        }
    }

    /// Reads `a=1&b=2`: `+` is a space, `%XX` a byte; the bytes must be UTF-8.
    pub fn from_urlencoded(bytes: &[u8]) -> Result<Form, String> {
        let mut fields = Vec::new();
        for (index, pair) in bytes.split(|&b| b == b'&').enumerate() {
            if pair.is_empty() {
                continue;
            }
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            let decode = |part: &[u8]| {
                percent_decode(part).ok_or_else(|| {
                    format!(
                        "the form's field {} is not URL-encoded UTF-8 text",
                        index + 1
                    )
                })
            };
            fields.push((decode(name)?, decode(value)?));
        }
        Ok(Form { fields })
    }

    /// Reads a JSON object whose values are text, or lists of text for
    /// fields given more than once.
    pub fn from_json(bytes: &[u8]) -> Result<Form, String> {
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|error| format!("the form is not valid JSON: {error}"))?;
        let serde_json::Value::Object(object) = value else {
            return Err("the form must be a JSON object of fields".to_string());
        };
        let mut fields = Vec::new();
        for (name, value) in object {
            let mut push = |value: &serde_json::Value| match value {
                serde_json::Value::String(text) => {
                    fields.push((name.clone(), text.clone()));
                    Ok(())
                }
                _ => Err(format!("the form's field '{name}' must be text")),
            };
            match &value {
                serde_json::Value::Array(values) => values.iter().try_for_each(&mut push)?,
                value => push(value)?,
            }
        }
        Ok(Form { fields })
    }

    /// The first value of a field, trimmed; none when empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// Every value of a field.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The request the form makes.
    pub fn request(&self) -> RawRequest {
        let text = |name| self.get(name).map(str::to_string);
        let mut picks: Vec<Pick> = Vec::new();
        for key in self.all("shown") {
            if picks.iter().any(|pick| pick.section == key) {
                continue;
            }
            let ticked = self
                .fields
                .iter()
                .filter(|(name, _)| name.strip_prefix("pick.") == Some(key))
                .map(|(_, id)| id.as_str());
            // A section shown with nothing ticked prints nothing.
            let choice = match Choice::from_ids(ticked) {
                Choice::Defaults => Choice::Nothing,
                choice => choice,
            };
            picks.push(Pick::new(key, choice));
        }
        RawRequest {
            topic: text("topic"),
            language: text("language"),
            name: text("name"),
            weeks: text("weeks"),
            due_date: text("due_date"),
            note: text("note"),
            note_language: text("note_language"),
            midwife: text("midwife"),
            date: text("date"),
            paper: text("paper"),
            // A box left unticked sends nothing, which must say no: the page
            // ticks it where the practice's default is large print.
            large_print: Some(text("large_print").unwrap_or_else(|| "no".to_string())),
            // Likewise the pictures' box, on a page that shows it; a
            // request from elsewhere that leaves both out gets the
            // practice's choice.
            pictures: text("pictures_box").map(|_| text("pictures").is_some()),
            picks,
        }
    }
}

/// The form field a request's problem is in, for the page to point at.
pub fn field_of(part: &Part) -> Option<String> {
    Some(match part {
        Part::Content => return None,
        Part::Topic | Part::Language => "topic".to_string(),
        Part::Name => "name".to_string(),
        Part::Weeks => "weeks".to_string(),
        Part::DueDate => "due_date".to_string(),
        Part::Note => "note".to_string(),
        Part::NoteLanguage => "note_language".to_string(),
        Part::Midwife => "midwife".to_string(),
        Part::Date => "date".to_string(),
        Part::Paper => "paper".to_string(),
        Part::LargePrint => "large_print".to_string(),
        Part::Pick(key) => format!("section-{key}"),
    })
}

/// Decodes `%XX` and `+`; none for a bad escape or bytes that are not UTF-8.
fn percent_decode(part: &[u8]) -> Option<String> {
    let mut bytes = Vec::with_capacity(part.len());
    let mut rest = part.iter();
    while let Some(&byte) = rest.next() {
        bytes.push(match byte {
            b'+' => b' ',
            b'%' => {
                let high = (*rest.next()? as char).to_digit(16)?;
                let low = (*rest.next()? as char).to_digit(16)?;
                u8::try_from(high * 16 + low).ok()?
            }
            byte => byte,
        });
    }
    String::from_utf8(bytes).ok()
}

/// Reads a whole body of at most `limit` bytes; `what` names it in the
/// refusal of a larger one.
pub async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    what: &str,
) -> Result<Bytes, Rejection> {
    let too_large = || {
        Rejection::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "{what} is larger than this page takes ({} KB at most)",
                limit / 1024
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    // With the length checked, the one way left to fail is a body sent in
    // chunks that runs past the limit, or a connection that broke.
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        if declared.is_none() {
            too_large()
        } else {
            Rejection::new(
                StatusCode::BAD_REQUEST,
                format!("{what} was not received whole: {error}"),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded_fields_decode_strictly() {
        let form = Form::from_urlencoded(b"name=Ana+L%C3%B3pez&shown=prevention&pick.prevention=walking&pick.prevention=fluids&empty").unwrap();
        assert_eq!(form.get("name"), Some("Ana López"));
        assert_eq!(form.get("empty"), None);
        let request = form.request();
        assert_eq!(
            request.picks,
            [Pick::new(
                "prevention",
                Choice::Items(vec!["walking".into(), "fluids".into()])
            )]
        );
        for bad in [&b"name=%C3"[..], b"name=%zz", b"name=%4", b"name=%FF%FE"] {
            assert!(Form::from_urlencoded(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_shown_section_with_nothing_ticked_prints_none() {
        let form = Form::from_json(
            br#"{"shown": ["prevention", "treatment"], "pick.treatment": "warm-bath"}"#,
        )
        .unwrap();
        assert_eq!(
            form.request().picks,
            [
                Pick::new("prevention", Choice::Nothing),
                Pick::new("treatment", Choice::Items(vec!["warm-bath".into()]))
            ]
        );
        assert!(Form::from_json(br#"{"name": 3}"#).is_err());
        assert!(Form::from_json(br#"["name"]"#).is_err());
        assert!(Form::from_json(b"{\"name\": ").is_err());
    }
}
