"""Reading grades of topic files by Python's textstat, to check handout's own.

Usage: python3 tests/readability.py FILE...

For each file it prints `FILE SMOG FK`: textstat 0.7.3's SMOG index and
Flesch-Kincaid grade, unrounded, over the text `handout check` measures:
the intro, then each item's text (the urgent box's too), with {emergency}
as the words printed when a practice gives no number and each {term} in
the plain language's words, each passage ending
as a sentence. Headings and the title are left out, and so is a lead that
ends as a sentence does ("Rest."), which is a label; a lead that runs on
into its text ("Never massage a leg") is read with it.
"""

import sys
from importlib import metadata
import tomllib

import textstat

EMERGENCY = "your local emergency number"


def is_label(lead):
    return lead.rstrip().endswith((".", "!", "?"))


def printed(path):
    with open(path, "rb") as file:
        topic = tomllib.load(file)
    terms = {name: words[topic["language"]] for name, words in topic.get("terms", {}).items()}

    def worded(text):
        for name, words in terms.items():
            text = text.replace("{" + name + "}", words)
        return text.replace("{emergency}", EMERGENCY)

    passages = [topic["intro"].strip()]
    for section in topic["section"]:
        for item in section.get("item", []):
            text = item["text"].strip()
            if not is_label(item["lead"]):
                text = item["lead"].strip() + " " + text
            passages.append(worded(text))
    return "\n".join(p if p.endswith((".", "!", "?")) else p + "." for p in passages)


def main():
    version = metadata.version("textstat")
    if version != "0.7.3":
        sys.exit(f"textstat {version} is installed; these figures need 0.7.3")
    textstat.set_rounding(False)
    for path in sys.argv[1:]:
        text = printed(path)
        print(path, textstat.smog_index(text), textstat.flesch_kincaid_grade(text))


if __name__ == "__main__":
    main()
