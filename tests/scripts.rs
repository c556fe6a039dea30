//! Names with accents and in other scripts come back out of the PDF exactly.

use crate::util::{DATE, Output, Paper, Test};

/// Renders a sound A4 handout for `name`, as `name.pdf`.
#[track_caller]
fn render(name: &str) -> Output {
    let out = Test::new()
        .args(["render", "--name", name, "--weeks", "20", "--date", DATE])
        .args(["-o", "name.pdf"])
        .run()
        .success();
    out.pdf("name.pdf").assert_sound(Paper::A4);
    out
}

/// Renders a handout for `name` and asserts that the text holds it exactly;
/// returns the base names of the fonts used.
#[track_caller]
fn render_name(name: &str) -> Vec<String> {
    let out = render(name);
    let pdf = out.pdf("name.pdf");
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

/// A name in each script a clinic's roster may hold, with the face that
/// must set it.
const NAMES: [(&str, &str); 15] = [
    ("فاطمة الزهراء", "NotoNaskhArabic-Regular"),
    // The face draws "لله" as one glyph, which must not come back reversed.
    ("عبد الله", "NotoNaskhArabic-Regular"),
    ("عائشہ بی بی", "NotoNaskhArabic-Regular"),
    ("שרה לוי", "NotoSansHebrew-Regular"),
    ("王秀英", "NotoSansCJKsc-Regular"),
    ("김민지", "NotoSansCJKsc-Regular"),
    ("佐藤 さくら", "NotoSansCJKsc-Regular"),
    ("ਗੁਰਪ੍ਰੀਤ ਕੌਰ", "NotoSansGurmukhi-Regular"),
    ("সুমাইয়া আক্তার", "NotoSansBengali-Regular"),
    ("प्रिया शर्मा", "NotoSansDevanagari-Regular"),
    ("ધ્રુવી પટેલ", "NotoSansGujarati-Regular"),
    ("மீனா சுப்ரமணியம்", "NotoSansTamil-Regular"),
    ("สมศรี ใจดี", "NotoSansThai-Regular"),
    ("ሰላም ተስፋዬ", "NotoSansEthiopic-Regular"),
    ("Nguyễn Thị Ấu", "AtkinsonHyperlegibleNext-Regular"),
];

/// Whether a name is written right to left.
fn is_rtl(name: &str) -> bool {
    name.chars().any(|c| ('\u{590}'..'\u{900}').contains(&c))
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn every_script_prints_in_its_own_face_and_comes_back_out() {
    for (name, face) in NAMES {
        let out = render(name);
        let pdf = out.pdf("name.pdf");
        let fonts: Vec<String> = pdf
            .fonts()
            .iter()
            .map(|font| font.base_name().to_string())
            .collect();
        assert!(fonts.iter().any(|font| font == face), "{name}: {fonts:?}");
        let size = out.read("name.pdf").len();
        assert!(size < 60_000, "{name}: {size} bytes");
        // Poppler marks right-to-left text with embedding controls and puts
        // it back in text order; left-to-right text pins the name down
        // with the words around it.
        let text = pdf.text();
        if is_rtl(name) {
            let flat: String = text
                .raw
                .chars()
                .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}'))
                .collect();
            assert!(flat.contains(name), "{name} not in:\n{flat}");
        } else {
            text.assert_has(&format!("Prepared for {name} · 20 weeks ·"));
        }
    }
}

#[test]
fn a_character_no_face_has_is_named_with_its_code_point() {
    Test::new()
        .args(["render", "--name", "Ana ᚠ López", "--weeks", "20"])
        .args(["-o", "name.pdf"])
        .run()
        .code(1)
        .stderr_contains("cannot print 'ᚠ' (U+16A0) in the name: no bundled font has it");
}

#[test]
fn a_batch_names_the_row_and_the_text_that_cannot_be_printed() {
    let out = Test::batch(
        "name,weeks,midwife,note\n\
         Ana ᚠ López,28,Jo,\n\
         Bea,28,Jo ᚠ Smith,\n\
         Cai,28,Jo,Rest ᚠ well\n\
         Dee,28,Jo,\n",
    )
    .run()
    .code(1);
    for (row, place) in [(2, "the name"), (3, "the midwife's name"), (4, "the note")] {
        let line = format!(
            "roster.csv, row {row}: cannot print 'ᚠ' (U+16A0) in {place}: no bundled font has it"
        );
        assert!(
            out.stderr.contains(&line),
            "{line:?} not in:\n{}",
            out.stderr
        );
    }
    assert!(
        out.stderr.contains("1 written, 3 failed (rows 2, 3, 4)"),
        "{}",
        out.stderr
    );
}
