"""The Typst side of scripts/compare-typst; run it from there.

  compare-typst.py words TOPIC LABELS WORDS_JSON
      Writes the leaflet's words, as compare-typst.typ reads them, from a
      topic file and its labels: the plain "en" terms and the emergency
      fallback put into every lead and text, and the footer's version line
      made as handout makes it. Setup, not timed.

  compare-typst.py batch TEMPLATE FONTS ROSTER OUT DATE
      Sets every roster row with one typst.Compiler, reused for every row,
      and writes OUT/<id>.pdf: what is timed against `handout batch`. Each
      row's inputs are strings: name, weeks (reckoned from the due date when
      only that is given, as handout does), date, note, and the item ids of
      the prevention and treatment columns; and the style, counted up and
      the row compiled again while its page runs over to a second.
"""

import csv
import datetime
import json
import pathlib
import re
import sys
import tomllib


def words(topic_path, labels_path, words_path):
    with open(topic_path, "rb") as file:
        topic = tomllib.load(file)
    with open(labels_path, "rb") as file:
        labels = tomllib.load(file)
    labels.update(topic.get("labels", {}))

    fill = {key: term["en"] for key, term in topic.get("terms", {}).items()}
    fill["emergency"] = labels["emergency-fallback"]

    def filled(text):
        return re.sub(r"\{([a-z-]+)\}", lambda m: fill[m.group(1)], text)

    sections = []
    for section in topic["section"]:
        role = section["role"]
        if role not in ("info", "choose", "urgent"):
            raise SystemExit(f"{topic_path}: section role {role!r} is not info, choose or urgent")
        items = [
            {
                "id": item["id"],
                "aliases": item.get("aliases", []),
                "lead": filled(item["lead"]),
                "text": filled(item["text"]),
                "default": item.get("default", True),
                "shown-with": item.get("shown-with", []),
            }
            for item in section["item"]
        ]
        sections.append({"key": section["key"], "role": role, "heading": section["heading"], "items": items})

    def month_year(date):
        return labels["month-year"].replace("{month}", labels["months"][date.month - 1]).replace(
            "{year}", str(date.year)
        )

    # "Leaflet version 4 · checked against its sources December 2026 ·
    # review due December 2028", as the footer of a page with no practice.
    status = topic["status"]
    if status not in ("checked", "reviewed"):
        raise SystemExit(f"{topic_path}: status {status!r}: only checked and reviewed are made here")
    record = [
        labels["leaflet-version"].replace("{version}", str(topic["version"])),
        labels[status].replace("{date}", month_year(topic[f"{status}-on"])),
    ]
    if "review-due" in topic:
        record.append(labels["review-due"].replace("{date}", month_year(topic["review-due"])))

    leaflet = {
        "title": topic["title"],
        "intro": " ".join(topic["intro"].split()),
        "sections": sections,
        "labels": {key: labels[key] for key in (
            "prepared-for", "weeks", "one-week", "note", "midwife", "phone", "months", "date-format",
        )},
        "version-line": " · ".join(record),
    }
    pathlib.Path(words_path).write_text(json.dumps(leaflet, ensure_ascii=False, indent=1), encoding="utf-8")


# How many styles compare-typst.typ has, and how a PDF from Typst 0.15
# with one page says so in its page tree.
STYLES = 4
ONE_PAGE = b"/Type/Pages/Count 1/"


def batch(template, fonts, roster, out, date):
    import typst

    template = pathlib.Path(template)
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    today = datetime.date.fromisoformat(date)
    compiler = typst.Compiler(
        str(template), root=str(template.parent), font_paths=[fonts], ignore_system_fonts=True
    )
    with open(roster, newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            weeks = row["weeks"].strip()
            if not weeks and row["due_date"].strip():
                days_left = (datetime.date.fromisoformat(row["due_date"].strip()) - today).days
                weeks = str((280 - days_left) // 7)
            inputs = {
                "name": row["name"],
                "weeks": weeks,
                "date": date,
                "note": row["note"],
                "prevention": row["prevention"],
                "treatment": row["treatment"],
            }
            # The first style in which the page fits, as ours: the next
            # style only when a page ran over.
            for style in range(STYLES):
                inputs["style"] = str(style)
                pdf = compiler.compile(sys_inputs=inputs, pdf_standards=["a-2u", "ua-1"])
                if ONE_PAGE in pdf:
                    break
            (out / f"{row['id']}.pdf").write_bytes(pdf)


if __name__ == "__main__":
    commands = {"words": (words, 3), "batch": (batch, 5)}
    if len(sys.argv) < 2 or sys.argv[1] not in commands or len(sys.argv) != commands[sys.argv[1]][1] + 2:
        raise SystemExit(__doc__)
    commands[sys.argv[1]][0](*sys.argv[2:])
