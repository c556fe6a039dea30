#!/usr/bin/env python3
"""Writes letters.txt beside itself: for each language a code page serves,
how often each pair of letters holding one beyond ASCII stands together in
that language's names, which is what the code-page guess weighs readings by.

The words are the names, places, firms and filler words of Faker's locales
(MIT licence), so the pairs are those of names as people write them. Faker
is only read here, never a dependency of handout:

    pip install faker==40.63.0
    python3 crates/content/src/roster/encoding/make_letters.py
"""

import ast
import re
from collections import Counter
from pathlib import Path

import faker

HERE = Path(__file__).resolve().parent
PROVIDERS = Path(faker.__file__).resolve().parent / "providers"
KINDS = ("person", "address", "company", "lorem")

# Each language, the code page its names are written in, and its Faker
# locales. The code pages' languages are listed in guess.rs.
LANGUAGES = {
    "en": ("cp1252", ["en_GB", "en_IE"]),
    "ga": ("cp1252", ["ga_IE"]),
    "fr": ("cp1252", ["fr_FR", "fr_CA", "fr_CH"]),
    "de": ("cp1252", ["de_DE", "de_AT", "de_CH"]),
    "es": ("cp1252", ["es_ES", "es_MX", "es_AR"]),
    "pt": ("cp1252", ["pt_PT", "pt_BR"]),
    "it": ("cp1252", ["it_IT"]),
    "nl": ("cp1252", ["nl_NL", "nl_BE"]),
    "da": ("cp1252", ["da_DK"]),
    "no": ("cp1252", ["no_NO"]),
    "sv": ("cp1252", ["sv_SE"]),
    "fi": ("cp1252", ["fi_FI"]),
    "is": ("cp1252", ["is_IS"]),
    "cs": ("cp1250", ["cs_CZ"]),
    "sk": ("cp1250", ["sk_SK"]),
    "pl": ("cp1250", ["pl_PL"]),
    "hu": ("cp1250", ["hu_HU"]),
    "ro": ("cp1250", ["ro_RO"]),
    "hr": ("cp1250", ["hr_HR"]),
    "sl": ("cp1250", ["sl_SI"]),
    "tr": ("cp1254", ["tr_TR"]),
    "ru": ("cp1251", ["ru_RU"]),
    "uk": ("cp1251", ["uk_UA"]),
    "bg": ("cp1251", ["bg_BG"]),
    "mk": ("cp1251", ["mk_MK"]),
    "el": ("cp1253", ["el_GR"]),
    "lv": ("cp1257", ["lv_LV"]),
    "lt": ("cp1257", ["lt_LT"]),
    "et": ("cp1257", ["et_EE"]),
}

# Romanian is written with the comma below; Windows-1250 has the cedilla,
# which is what a Romanian export in it holds.
CEDILLA = str.maketrans("șțȘȚ", "şţŞŢ")


def words(locale):
    """Every word of the locale's providers: runs of letters only."""
    found = set()
    for kind in KINDS:
        path = PROVIDERS / kind / locale / "__init__.py"
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if any(c in node.value for c in "{#%"):
                continue  # a format, not text
            for word in re.split(r"[^\w]+", node.value):
                if word and word.isalpha():
                    found.add(word.translate(CEDILLA))
    return found


def pairs(word):
    """The word's pairs of letters, lower case, with ^ and $ for its ends."""
    word = "^" + word.lower() + "$"
    return [word[i : i + 2] for i in range(len(word) - 1)]


def main():
    lines = [
        "# Pairs of letters in names, by language: written by make_letters.py from",
        f"# Faker {faker.VERSION} (MIT licence). A language's line gives how many pairs",
        "# its words hold; each line after it, a pair with a letter beyond ASCII",
        "# (^ and $ are a word's start and end) and how often it stands.",
    ]
    for language, (code_page, locales) in LANGUAGES.items():
        counts = Counter()
        for word in sorted(set().union(*(words(locale) for locale in locales))):
            try:
                word.encode(code_page)
            except UnicodeEncodeError:
                continue  # a letter the code page has not
            counts.update(pairs(word))
        lines.append(f"[{language}] {sum(counts.values())}")
        for pair, count in sorted(counts.items()):
            if not pair.isascii():
                lines.append(f"{pair} {count}")
    (HERE / "letters.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
