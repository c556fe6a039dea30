//! Words for the reader's country: British and American English (and
//! Spain's and Latin America's Spanish) from one topic file, chosen by
//! `--language`, the practice file or a roster's language column, and
//! recorded in the manifest.

use crate::util::{DATE, Test, read_manifest};

/// Words only the British wording prints, and words only the American one.
const BRITISH: &[&str] = &["Paracetamol.", "A&E", "Support stockings."];
const AMERICAN: &[&str] = &[
    "Acetaminophen.",
    "emergency room (ER)",
    "Compression stockings.",
    "Ask your midwife, doctor or pharmacist",
    "Ask your midwife or doctor before you take any supplement.",
];

/// The text of Ana's handout with `args`, every item picked that names a
/// regional term.
fn text_of(test: Test, args: &[&str]) -> crate::util::Text {
    test.args(["render", "--name", "Ana", "--date", DATE, "-o", "out.pdf"])
        .args(["--treatment", "pain-relief,herbal"])
        .args(args)
        .run()
        .success()
        .pdf("out.pdf")
        .text()
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn british_and_american_print_their_own_words_and_none_of_the_others() {
    let british = text_of(Test::new(), &["--language", "en-GB"]);
    let american = text_of(Test::new(), &["--language", "en-US"]);
    for words in BRITISH {
        british.assert_has(words);
        american.assert_lacks(words);
    }
    for words in AMERICAN {
        american.assert_has(words);
        british.assert_lacks(words);
    }
    for text in [&british, &american] {
        text.assert_lacks("acetaminophen)");
        text.assert_lacks("A&E or the ER");
        text.assert_lacks("Support hose");
    }
    // Each writes the date as its readers do.
    british.assert_has("Prepared for Ana · 25 November 2026");
    american.assert_has("Prepared for Ana · November 25, 2026");
    // Plain English keeps both names of the medicine and both places.
    let plain = text_of(Test::new(), &[]);
    plain.assert_has("Paracetamol (acetaminophen).");
    plain.assert_has("A&E or the ER");
}

#[test]
fn the_practice_chooses_its_wording_and_the_request_can_override_it() {
    let pdf = |test: Test, args: &[&str]| {
        test.args(["render", "--name", "Ana", "--date", DATE, "-o", "out.pdf"])
            .args(args)
            .run()
            .success()
            .read("out.pdf")
    };
    let american = pdf(Test::new(), &["--language", "en-US"]);
    let british = pdf(Test::new(), &["--language", "en-GB"]);
    let plain = pdf(Test::new(), &[]);
    assert_ne!(american, british);
    assert_ne!(plain, british);
    let practice = || Test::new().file("practice.toml", "wordings = [\"en-US\", \"es-419\"]\n");
    assert_eq!(pdf(practice(), &["--practice", "practice.toml"]), american);
    assert_eq!(
        pdf(
            practice(),
            &["--practice", "practice.toml", "--language", "en"]
        ),
        american,
        "plain `en` asks for the language, and the practice's wording of it prints"
    );
    assert_eq!(
        pdf(
            practice(),
            &["--practice", "practice.toml", "--language", "en-GB"]
        ),
        british
    );
}

#[test]
fn the_manifest_names_the_wording_of_each_row() {
    let roster =
        "name,weeks,language\nAna,28,en-US\nBea,30,en\nCas,31,en-GB\nDee,32,es-419\nEva,33,es\n";
    let out = Test::batch(roster)
        .file("practice.toml", "wordings = [\"en-GB\", \"es-ES\"]\n")
        .args(["--practice", "practice.toml", "--allow-draft"])
        .run()
        .success();
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    let wordings: Vec<(&str, &str)> = manifest
        .iter()
        .map(|row| (row["language"].as_str(), row["wording"].as_str()))
        .collect();
    assert_eq!(
        wordings,
        [
            ("en", "en-US"),
            ("en", "en-GB"),
            ("en", "en-GB"),
            ("es", "es-419"),
            ("es", "es-ES"),
        ]
    );
}

#[test]
fn a_practice_wording_that_is_no_wording_is_refused_where_it_is_written() {
    for (wordings, words) in [
        ("[\"en\"]", "wording 'en' names no region"),
        (
            "[\"en-GB\", \"en-US\"]",
            "wordings 'en-GB' and 'en-US' are of the same language",
        ),
        ("[\"english-GB\"]", "is not a language and a region"),
    ] {
        Test::new()
            .file(
                "practice.toml",
                format!("name = \"A\"\nwordings = {wordings}\n"),
            )
            .args(["render", "--practice", "practice.toml", "-o", "out.pdf"])
            .run()
            .code(2)
            .stderr_contains("practice.toml:2:")
            .stderr_contains(words);
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn spain_and_latin_america_print_their_own_words_and_none_of_the_others() {
    let spanish = |tag: &str| {
        Test::new()
            .args(["render", "--name", "Ana", "--date", DATE, "-o", "out.pdf"])
            .args([
                "--language",
                tag,
                "--note",
                "Hola.",
                "--midwife",
                "Jo Smith",
            ])
            .run()
            .success()
            .pdf("out.pdf")
            .text()
    };
    let spain = spanish("es-ES");
    let latin_america = spanish("es-419");
    spain.assert_has("Paracetamol.");
    spain.assert_has("Una nota de su matrona");
    spain.assert_has("Su matrona: Jo Smith");
    latin_america.assert_has("Acetaminofén.");
    latin_america.assert_has("Una nota de su partera");
    latin_america.assert_has("Su partera: Jo Smith");
    latin_america.assert_has("pregunte a su partera, médico o farmacéutico");
    spain.assert_lacks("partera");
    spain.assert_lacks("cetaminofén");
    latin_america.assert_lacks("matrona");
    latin_america.assert_lacks("Paracetamol");
    // Both are the draft they were: the footer says so.
    for text in [&spain, &latin_america] {
        text.assert_has("Borrador");
    }
}
