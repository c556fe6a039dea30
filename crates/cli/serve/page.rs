//! The one page: the handout form for a topic and language, with its
//! preview drawn on the server, so that it works as a plain form without
//! JavaScript; the script (`app.js`) only makes the fit line and the
//! preview follow the form as it changes, and runs the roster upload.

use std::fmt::Write as _;

use handout_content::{
    Date, Library, MAX_NAME_CHARS, MAX_NOTE_CHARS, Paper, Practice, SignOff, Topic, approve_command,
};

use super::roster::MAX_ROWS;

/// HTML-escapes text for an element or a quoted attribute. Characters no
/// HTML page may hold (control characters, noncharacters) become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || is_noncharacter(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Whether Unicode sets the character aside as never to be exchanged
/// (U+FDD0 to U+FDEF, and the last two of every plane).
fn is_noncharacter(c: char) -> bool {
    matches!(c, '\u{FDD0}'..='\u{FDEF}') || (c as u32 & 0xFFFE) == 0xFFFE
}

/// A count as people write it: 2,000.
pub fn thousands(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// What the page shows.
pub struct PageData<'a> {
    /// The topics there are.
    pub library: &'a Library,
    /// The practice's details.
    pub practice: &'a Practice,
    /// The topic the form is for.
    pub topic: &'a Topic,
    /// Today: the date a handout prints unless the midwife changes it.
    pub today: Date,
    /// The preview of the handout as the form starts, or why there is none.
    pub preview: Result<String, String>,
    /// The fit line as the form starts.
    pub fit: String,
    /// Whether the starting handout fits.
    pub fits: bool,
}

/// The language's own name, for the topic list.
fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "es" => "Español",
        "fr" => "Français",
        "de" => "Deutsch",
        "pt" => "Português",
        "it" => "Italiano",
        "pl" => "Polski",
        "ro" => "Română",
        "ar" => "العربية",
        "ur" => "اردو",
        "bn" => "বাংলা",
        "zh" => "中文",
        other => other,
    }
}

/// What the wording `tag` of a leaflet in `language` is called: the
/// country or region of a wording the page knows, its tag otherwise.
fn wording_name(tag: &str, language: &str) -> String {
    let region = tag.split_once('-').map_or("", |(_, region)| region);
    let place = match region.to_ascii_uppercase().as_str() {
        "" => return format!("Any country ({})", language_name(language)),
        "GB" => "the UK",
        "US" => "the US",
        "IE" => "Ireland",
        "AU" => "Australia",
        "CA" => "Canada",
        "ES" => "Spain",
        "419" => "Latin America",
        "MX" => "Mexico",
        _ => return tag.to_string(),
    };
    format!("{place} ({tag})")
}

/// The whole page.
pub fn page(data: &PageData<'_>) -> String {
    let topic = data.topic;
    let mut html = String::with_capacity(128 * 1024);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} – handout</title>\n\
         <link rel=\"stylesheet\" href=\"/app.css\">\n\
         <script src=\"/app.js\" defer></script>\n</head>\n<body>\n",
        escape(&topic.title)
    );
    header(&mut html, data.practice);
    html.push_str("<main>\n");
    topic_choice(&mut html, data);
    html.push_str("<div class=\"columns\">\n");
    handout_form(&mut html, data);
    html.push_str(
        "<section class=\"preview\" aria-labelledby=\"preview-heading\">\n\
         <h2 id=\"preview-heading\">Preview <span class=\"quiet\">as it prints</span></h2>\n",
    );
    actions(&mut html, data);
    let _ = write!(
        html,
        "<div id=\"preview\" class=\"page\">{}</div>\n</section>\n",
        match &data.preview {
            Ok(svg) => svg.clone(),
            Err(why) => format!("<p class=\"problem\">{}</p>", escape(why)),
        }
    );
    html.push_str("</div>\n");
    batch_form(&mut html, data);
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

fn header(html: &mut String, practice: &Practice) {
    let details: Vec<String> = [&practice.name, &practice.phone, &practice.address]
        .into_iter()
        .flatten()
        .map(|detail| escape(detail))
        .collect();
    let practice_line = if details.is_empty() {
        "No practice file was given, so handouts carry no practice's name or phone. Start \
         <code>handout serve --practice practice.toml</code> to add them."
            .to_string()
    } else {
        let mut line = details.join(" · ");
        if let Some(emergency) = &practice.emergency {
            let _ = write!(line, " · emergencies: {}", escape(emergency));
        }
        line
    };
    let _ = write!(
        html,
        "<header class=\"bar\">\n<h1 class=\"app\">Patient handout</h1>\n\
         <p class=\"practice\">{practice_line}</p>\n\
         <p class=\"private\">On this computer only: nothing you type is stored or sent anywhere.</p>\n\
         </header>\n"
    );
}

fn topic_choice(html: &mut String, data: &PageData<'_>) {
    let topic = data.topic;
    html.push_str(
        "<form id=\"topic-form\" class=\"topic\" method=\"get\" action=\"/\">\n\
         <label for=\"choice\">Leaflet</label>\n<select id=\"choice\" name=\"choice\">\n",
    );
    for entry in data.library.entries() {
        let Ok(other) = &entry.topic else { continue };
        let value = format!("{}/{}", other.id, other.language);
        let selected = other.id == topic.id && other.language == topic.language;
        // What the badges say of the chosen one, in brief.
        let draft = if other.review.is_draft() {
            " – draft"
        } else {
            match data.practice.sign_off(other) {
                SignOff::Lapsed(_) => " – approval lapsed",
                SignOff::NotApproved if data.practice.origin.is_some() => " – not approved",
                _ => "",
            }
        };
        let _ = writeln!(
            html,
            "<option value=\"{}\"{}>{} ({}){draft}</option>",
            escape(&value),
            if selected { " selected" } else { "" },
            escape(&other.title),
            escape(language_name(&other.language)),
        );
    }
    html.push_str("</select>\n<button type=\"submit\" class=\"no-script\">Show</button>\n");
    if topic.review.is_draft() {
        html.push_str(
            "<p class=\"badge draft\"><strong>Draft</strong> This translation has not been \
             reviewed by a clinician who reads the language. Its footer says “draft”; have it \
             checked before a patient is given it.</p>\n",
        );
    }
    approval_badge(html, data);
    if let Some(due) = topic
        .review
        .review_due
        .filter(|_| topic.review.is_overdue(data.today))
    {
        let _ = writeln!(
            html,
            "<p class=\"badge overdue\"><strong>Review overdue</strong> This leaflet was due \
             for clinical review on {due}.</p>"
        );
    }
    html.push_str("</form>\n");
}

/// Whether the practice's clinical lead approved the leaflet, as its
/// footer will say: a lapsed approval in the words every front end uses,
/// and no approval only for a practice with a practice file (without one
/// there is no lead to approve anything). A draft's own badge says enough.
fn approval_badge(html: &mut String, data: &PageData<'_>) {
    let topic = data.topic;
    if topic.review.is_draft() {
        return;
    }
    match data.practice.sign_off(topic) {
        SignOff::Approved(approval) => {
            let _ = writeln!(
                html,
                "<p class=\"badge approved\"><strong>Approved</strong> by {} on {}, for this \
                 practice; its footer says so.</p>",
                escape(&approval.by),
                approval.on
            );
        }
        SignOff::Lapsed(_) => {
            if let Some(warning) = data.practice.approval_warning(topic) {
                let _ = writeln!(
                    html,
                    "<p class=\"badge lapsed\"><strong>Approval lapsed</strong> {}</p>",
                    escape(&warning.to_string())
                );
            }
        }
        SignOff::NotApproved if data.practice.origin.is_some() => {
            let _ = writeln!(
                html,
                "<p class=\"badge unapproved\"><strong>Not approved</strong> The practice's \
                 clinical lead has not approved this leaflet, so its footer claims no \
                 approval. <code>{}</code> shows its whole text and the entry to add to the \
                 practice file.</p>",
                escape(&approve_command(topic))
            );
        }
        SignOff::NotApproved => {}
    }
}

fn handout_form(html: &mut String, data: &PageData<'_>) {
    let topic = data.topic;
    let practice = data.practice;
    let _ = write!(
        html,
        "<form id=\"handout\" class=\"handout\" method=\"post\" action=\"/handout\" \
         lang=\"en\">\n\
         <input type=\"hidden\" name=\"topic\" value=\"{}\">\n",
        escape(&topic.id),
    );
    // A leaflet with regional wordings lets the midwife choose one, the
    // practice's ticked; the form's language is then the wording's tag.
    if topic.wordings.is_empty() {
        let _ = writeln!(
            html,
            "<input type=\"hidden\" name=\"language\" value=\"{}\">",
            escape(&topic.language)
        );
    } else {
        let chosen = practice.wording_of(topic);
        html.push_str(
            "<fieldset class=\"wording\" aria-describedby=\"wording-help\">\
             <legend>Words for</legend>\n",
        );
        for index in 0..=topic.wordings.len() {
            let tag = topic.wording_tag(index);
            let _ = writeln!(
                html,
                "<label><input type=\"radio\" name=\"language\" value=\"{}\"{}> {}</label>",
                escape(tag),
                if index == chosen { " checked" } else { "" },
                escape(&wording_name(tag, &topic.language)),
            );
        }
        let example = topic.terms.first().map(|term| {
            let words: Vec<String> = term
                .words
                .iter()
                .map(|words| format!("“{words}”"))
                .collect();
            words.join(" or ")
        });
        let _ = writeln!(
            html,
            "<p id=\"wording-help\" class=\"help\">The words of the reader's country{}.</p>\
             </fieldset>",
            example.map_or_else(String::new, |example| format!(
                ", such as {}",
                escape(&example)
            ))
        );
    }
    let midwife = practice.midwife.as_deref().unwrap_or("");
    let paper = practice.paper.unwrap_or_default();
    let checked = |wanted: Paper| if paper == wanted { " checked" } else { "" };
    let _ = write!(
        html,
        "<fieldset class=\"patient\">\n<legend>Patient</legend>\n\
         <div class=\"field wide\"><label for=\"name\">Name</label>\
         <input id=\"name\" name=\"name\" type=\"text\" maxlength=\"{MAX_NAME_CHARS}\" \
         autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"name-help\">\
         <p id=\"name-help\" class=\"help\">Leave empty for a leaflet with a line to write on.</p></div>\n\
         <div class=\"field\"><label for=\"weeks\">Weeks</label>\
         <input id=\"weeks\" name=\"weeks\" type=\"text\" inputmode=\"numeric\" \
         autocomplete=\"off\" aria-describedby=\"weeks-help\">\
         <p id=\"weeks-help\" class=\"help\">28, 28+3 or 28w3d</p></div>\n\
         <div class=\"field\"><label for=\"due_date\">or due date</label>\
         <input id=\"due_date\" name=\"due_date\" type=\"date\" autocomplete=\"off\"></div>\n\
         <div class=\"field wide\"><label for=\"note\">Note from you</label>\
         <textarea id=\"note\" name=\"note\" rows=\"3\" maxlength=\"{MAX_NOTE_CHARS}\" \
         aria-describedby=\"note-help\"></textarea>\
         <p id=\"note-help\" class=\"help\">Printed in a box of its own; at most {MAX_NOTE_CHARS} characters.</p></div>\n\
         <div class=\"field\"><label for=\"note_language\">Language of the note</label>\
         <input id=\"note_language\" name=\"note_language\" type=\"text\" maxlength=\"35\" \
         autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"note_language-help\">\
         <p id=\"note_language-help\" class=\"help\">Only if it is not the leaflet's: ar, ur, pl…, so that a screen reader reads it in its own voice.</p></div>\n\
         <div class=\"field\"><label for=\"midwife\">Midwife</label>\
         <input id=\"midwife\" name=\"midwife\" type=\"text\" maxlength=\"{MAX_NAME_CHARS}\" \
         value=\"{}\" autocomplete=\"off\"></div>\n\
         <div class=\"field\"><label for=\"date\">Date</label>\
         <input id=\"date\" name=\"date\" type=\"date\" value=\"{}\" required></div>\n\
         <fieldset class=\"field paper\"><legend>Paper</legend>\
         <label><input type=\"radio\" name=\"paper\" value=\"a4\"{}> A4</label> \
         <label><input type=\"radio\" name=\"paper\" value=\"letter\"{}> Letter</label></fieldset>\n\
         <div class=\"field wide\"><label><input id=\"large_print\" name=\"large_print\" \
         type=\"checkbox\" value=\"yes\" aria-describedby=\"large_print-help\"{}> Large print</label>\
         <p id=\"large_print-help\" class=\"help\">Every word at 18 pt or more, on both sides of the sheet.</p></div>\n\
         <div class=\"field wide\"><input type=\"hidden\" name=\"pictures_box\" value=\"shown\">\
         <label><input id=\"pictures\" name=\"pictures\" type=\"checkbox\" value=\"yes\" \
         aria-describedby=\"pictures-help\"{}> Pictures</label>\
         <p id=\"pictures-help\" class=\"help\">A small picture beside each piece of advice that has one, in place of its bullet.</p></div>\n\
         </fieldset>\n",
        escape(midwife),
        data.today,
        checked(Paper::A4),
        checked(Paper::Letter),
        if practice.large_print == Some(true) {
            " checked"
        } else {
            ""
        },
        if practice.pictures == Some(false) {
            ""
        } else {
            " checked"
        },
    );
    let lang = escape(&topic.language);
    // The words the practice prints: its own country's terms.
    let wording = practice.wording_of(topic);
    let worded = |text: &str| escape(&topic.worded(text, wording));
    for section in topic.choose_sections() {
        let key = escape(&section.key);
        let _ = write!(
            html,
            "<fieldset id=\"section-{key}\" class=\"advice\">\n<legend lang=\"{lang}\">{}</legend>\n\
             <input type=\"hidden\" name=\"shown\" value=\"{key}\">\n<ul>\n",
            escape(&section.heading)
        );
        for item in section.pickable() {
            let id = escape(&item.id);
            let control = format!("pick-{key}-{id}");
            let _ = write!(
                html,
                "<li><div class=\"pick\"><input type=\"checkbox\" id=\"{control}\" \
                 name=\"pick.{key}\" value=\"{id}\"{}><label for=\"{control}\" lang=\"{lang}\">{}</label></div>\n\
                 <details><summary>What it says<span class=\"visually-hidden\">: {}</span></summary>\
                 <p lang=\"{lang}\">{}</p></details>\n",
                if item.default { " checked" } else { "" },
                worded(&item.lead),
                worded(&item.lead),
                worded(&item.text),
            );
            if let Some(hint) = &item.midwife_hint {
                let _ = writeln!(
                    html,
                    "<p class=\"hint\"><span class=\"hint-label\">For you:</span> {}</p>",
                    escape(hint)
                );
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ul>\n</fieldset>\n");
    }
    let always: Vec<String> = topic
        .sections
        .iter()
        .filter(|section| {
            !topic
                .choose_sections()
                .any(|choose| choose.key == section.key)
        })
        .map(|section| escape(&section.heading))
        .filter(|heading| !heading.is_empty())
        .collect();
    if !always.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"always\">Always printed: {}.</p>",
            always.join("; ")
        );
    }
    html.push_str("</form>\n");
}

/// The fit line and the buttons, beside the preview so that both stay in
/// sight; the buttons belong to the form by its id.
fn actions(html: &mut String, data: &PageData<'_>) {
    let _ = write!(
        html,
        "<div class=\"actions\">\n<p id=\"fit\" class=\"fit {}\" role=\"status\">{}</p>\n\
         <button type=\"submit\" form=\"handout\" name=\"disposition\" value=\"attachment\" \
         id=\"download\">Download PDF</button>\n\
         <button type=\"submit\" form=\"handout\" name=\"disposition\" value=\"inline\" \
         formtarget=\"_blank\" id=\"print\">Open to print</button>\n</div>\n",
        if data.fits { "fits" } else { "over" },
        escape(&data.fit)
    );
}

fn batch_form(html: &mut String, data: &PageData<'_>) {
    let paper = data.practice.paper.unwrap_or_default();
    let selected = |wanted: Paper| if paper == wanted { " selected" } else { "" };
    let _ = write!(
        html,
        "<section id=\"batch\" class=\"batch\" aria-labelledby=\"batch-heading\">\n\
         <h2 id=\"batch-heading\">A clinic day from a roster</h2>\n\
         <p>A roster is CSV from a spreadsheet or a records system, or TOML, with a header \
         row: name, and any of id, weeks or due date, note, midwife, topic, language and one \
         column per section of advice. Up to {} rows; for more, use \
         <code>handout batch</code>. Nothing is stored: the files come back to you.</p>\n\
         <noscript><p class=\"problem\">The roster needs JavaScript in this page. Without \
         it, use <code>handout batch</code>.</p></noscript>\n\
         <form id=\"batch-form\" class=\"batch-form\">\n\
         <div class=\"field wide\"><label for=\"roster\">Roster file</label>\
         <input id=\"roster\" name=\"roster\" type=\"file\" \
         accept=\".csv,.tsv,.txt,.toml,text/csv,text/plain\"></div>\n\
         <div class=\"field\"><label for=\"batch-date\">Date printed</label>\
         <input id=\"batch-date\" name=\"date\" type=\"date\" value=\"{}\"></div>\n\
         <div class=\"field\"><label for=\"batch-paper\">Paper</label>\
         <select id=\"batch-paper\" name=\"paper\"><option value=\"a4\"{}>A4</option>\
         <option value=\"letter\"{}>Letter</option></select></div>\n\
         <div class=\"field wide\"><label class=\"check\"><input id=\"allow-draft\" \
         name=\"allow_draft\" type=\"checkbox\" value=\"1\"> Print rows whose leaflet is a \
         draft (their footer says so)</label></div>\n\
         <div class=\"actions\"><button type=\"button\" id=\"batch-check\">Check roster</button>\n\
         <button type=\"button\" id=\"batch-combined\" disabled>Download one PDF to print</button>\n\
         <button type=\"button\" id=\"batch-zip\" disabled>Download zip: a PDF each and \
         manifest.csv</button></div>\n\
         <div id=\"batch-result\" role=\"status\"></div>\n</form>\n</section>\n",
        thousands(MAX_ROWS),
        data.today,
        selected(Paper::A4),
        selected(Paper::Letter),
    );
}

/// A short page for a handout that could not be made from a form posted
/// without the script: what is wrong, and the way back.
pub fn problem_page(message: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>The handout could not be made – handout</title>\n\
         <link rel=\"stylesheet\" href=\"/app.css\">\n</head>\n<body>\n<main class=\"narrow\">\n\
         <h1>The handout could not be made</h1>\n<p class=\"problem\">{}</p>\n\
         <p>Go back to the form (your browser's Back button keeps what you typed), correct \
         it and try again.</p>\n<p><a href=\"/\">Start a new handout</a></p>\n</main>\n\
         </body>\n</html>\n",
        escape(message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The badges of the built-in English for `practice`.
    fn badges(practice: &Practice) -> Vec<String> {
        let library = Library::builtin();
        let topic = library.topic(Some("leg-cramps"), Some("en")).unwrap();
        let data = PageData {
            library: &library,
            practice,
            topic,
            today: jiff::civil::date(2026, 12, 6),
            preview: Err(String::new()),
            fit: String::new(),
            fits: true,
        };
        let mut html = String::new();
        topic_choice(&mut html, &data);
        html.lines()
            .filter(|line| line.contains("class=\"badge") || line.contains("<option"))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_page_says_whether_the_practice_approved_the_leaflet() {
        // No practice file, no lead: nothing to say.
        let none = badges(&Practice::default());
        assert!(!none.iter().any(|line| line.contains("approv")), "{none:?}");

        let practice = Practice::parse("practice.toml", "").unwrap();
        let not = badges(&practice);
        assert!(
            not.iter().any(|line| line
                .starts_with("<p class=\"badge unapproved\"><strong>Not approved</strong>")
                && line.contains("<code>handout approve leg-cramps --language en</code>")),
            "{not:?}"
        );
        assert!(
            not.iter()
                .any(|line| line.contains("(English) – not approved</option>")),
            "{not:?}"
        );

        let entry = |sha256: &str| {
            format!(
                "[[approval]]\ntopic = \"leg-cramps\"\nlanguage = \"en\"\nversion = 2\n\
                 sha256 = \"{sha256}\"\nby = \"the Lead Midwife\"\non = 2026-12-06\n"
            )
        };
        let sha256 = Library::builtin()
            .sha256_of("leg-cramps", "en")
            .unwrap()
            .to_string();
        let practice = Practice::parse("practice.toml", &entry(&sha256)).unwrap();
        let approved = badges(&practice);
        assert!(
            approved.iter().any(|line| line
                == "<p class=\"badge approved\"><strong>Approved</strong> by the Lead Midwife \
                    on 2026-12-06, for this practice; its footer says so.</p>"),
            "{approved:?}"
        );

        let practice = Practice::parse("practice.toml", &entry(&"0".repeat(64))).unwrap();
        let lapsed = badges(&practice);
        let warning = practice
            .approval_warning(Library::builtin().topic(None, None).unwrap())
            .unwrap();
        assert!(
            lapsed.iter().any(|line| *line
                == format!(
                    "<p class=\"badge lapsed\"><strong>Approval lapsed</strong> {}</p>",
                    escape(&warning.to_string())
                )),
            "{lapsed:?}"
        );
        assert!(
            lapsed
                .iter()
                .any(|line| line.contains("(English) – approval lapsed</option>")),
            "{lapsed:?}"
        );
    }

    #[test]
    fn counts_have_thousands_separated() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(2000), "2,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn escape_leaves_no_markup() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&apos;x&apos;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        // What no HTML page may hold is replaced, and nothing else.
        assert_eq!(
            escape("a\u{1}b\u{9f}c\u{FFFE}\u{FDD0}\tZoë"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}\tZoë"
        );
    }
}
