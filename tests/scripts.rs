//! Names with accents and in other scripts come back out of the PDF exactly.

use crate::util::{DATE, Paper, Test};

/// Renders a handout for `name` and asserts that the text holds it exactly;
/// returns the base names of the fonts used.
#[track_caller]
fn render_name(name: &str) -> Vec<String> {
    let out = Test::new()
        .args(["render", "--name", name, "--weeks", "20", "--date", DATE])
        .args(["-o", "name.pdf"])
        .run()
        .success();
    let pdf = out.pdf("name.pdf");
    pdf.assert_sound(Paper::A4);
    // The text around the name pins it down: nothing added, dropped or
    // decomposed into base letters and combining marks.
    pdf.text()
        .assert_has(&format!("Prepared for {name} · 20 weeks ·"));
    pdf.fonts()
        .iter()
        .map(|font| font.base_name().to_string())
        .collect()
}

/// Asserts that a Noto Sans face is among `fonts`.
#[track_caller]
fn assert_noto(fonts: &[String]) {
    assert!(
        fonts.iter().any(|font| font.starts_with("NotoSans")),
        "no NotoSans face among {fonts:?}"
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn vietnamese_name() {
    // Precomposed letters, as typed: ễ is U+1EC5, ị U+1ECB, Á U+00C1.
    let name = "Nguy\u{1EC5}n Th\u{1ECB} \u{C1}nh";
    assert_eq!(name, "Nguyễn Thị Ánh");
    render_name(name);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn greek_name_uses_noto_sans() {
    assert_noto(&render_name("Ελένη Παπαδοπούλου"));
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn cyrillic_name_uses_noto_sans() {
    assert_noto(&render_name("Анна Иванова"));
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn latin_accents() {
    render_name("Zoë Ní Bhriain-Øster");
}
