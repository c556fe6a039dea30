"""Reading grades of topic files by Python's textstat, to check handout's own.

Usage: python3 tests/readability.py FILE...

For each file it prints `FILE SMOG FK`: textstat 0.7.3's SMOG index and
Flesch-Kincaid grade, unrounded, over the text `handout check` measures:
the intro, then each item's lead and text read as one passage, with
{emergency} as the words printed when a practice gives no number, each
passage ending as a sentence.
"""

import sys
from importlib import metadata
import tomllib

import textstat

EMERGENCY = "your local emergency number"


def printed(path):
    with open(path, "rb") as file:
        topic = tomllib.load(file)
    passages = [topic["intro"].strip()]
    for section in topic["section"]:
        for item in section.get("item", []):
            text = (item["lead"].strip() + " " + item["text"].strip()).replace(
                "{emergency}", EMERGENCY
            )
            passages.append(text)
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
