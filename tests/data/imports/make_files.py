"""The corpus of nominations files: bad files, one per case the import must refuse (each with the message
it must produce), and good ones for a walk-through. The files target the demo (`make run`): most are
nominations to the call for the demo's "GBA second batch · Guangzhou 2027" (Nansha, 11 January to 9 April
2027), inviting the departments of CALL_QUOTAS; first-batch.xlsx holds the first GBA batch's ten officers
as the demo has them (that batch has no call).

Run `python tests/data/imports/make_files.py` from the project root to write the files again; the tests
read the committed files and check each case's message (tests/selection/imports/test_corpus.py)."""

import csv
import datetime
import io
import pathlib
import sys
import zipfile

import xlsxwriter

HERE = pathlib.Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parents[2]))

HEADERS = [
    "English name",
    "Chinese name",
    "Official e-mail",
    "Post title",
    "Rank",
    "Grade",
    "Home department",
    "Ranking",
    "Focus areas",
    "Host organisation",
    "Why this officer",
    "Endorsed by",
    "Endorser's post",
    "Endorsed on",
]
NANSHA = "Nansha District People's Government"
ENDORSED_ON = "2026-11-02"


def nomination(n, **changes):
    """A valid nomination for the demo's 2027 Guangzhou batch; `changes` replace cells by header."""
    row = {
        "English name": f"CHOW Mei-ling {n}" if n > 1 else "CHOW Mei-ling",
        "Chinese name": "周美玲",
        "Official e-mail": f"mlchow{n}@hyd.gov.hk",
        "Post title": "Senior Engineer (Roads) 2",
        "Rank": "Senior Engineer",
        "Grade": "Engineer",
        "Home department": "HyD",
        "Ranking": "",
        "Focus areas": "Technology development",
        "Host organisation": NANSHA,
        "Why this officer": "Leads the department's cross-boundary road projects.",
        "Endorsed by": "WONG Ka-ming",
        "Endorser's post": "Departmental Secretary",
        "Endorsed on": ENDORSED_ON,
    }
    row.update(changes)
    return [row[h] for h in HEADERS]


def csv_text(rows, headers=HEADERS, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def xlsx(sheets):
    """sheets: [(name, rows including the header row)]; a cell that is a ("formula", text) tuple is
    written as a real formula."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    workbook.set_properties({"created": datetime.datetime(2026, 12, 1, 9, 0)})  # the same bytes every run
    for name, rows in sheets:
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            if row is None:
                continue
            for c, value in enumerate(row):
                if isinstance(value, tuple):
                    sheet.write_formula(r, c, value[1])
                elif value != "":
                    sheet.write_string(r, c, value)
    workbook.close()
    return out.getvalue()


# (file name, what the import does, the message it must produce, set-up the test adds to the demo)
# what: "refused" = the file is refused at upload; "problems" = stored for preview, confirm impossible;
# "accepted" = imports cleanly (the message is a note on the preview, or "" for none).
CASES = [
    (
        "wrong-headers.csv",
        "refused",
        "Column C, “Emial”, is not a column of the template: did you mean",
        None,
    ),
    ("missing-headers.csv", "refused", "The column “Grade” is missing", None),
    ("empty.csv", "refused", "The file is empty.", None),
    ("headers-only.csv", "refused", "The file has the headers but no nominations below them.", None),
    ("not-a-spreadsheet.pdf", "refused", "This is not a spreadsheet.", None),
    ("word-document.docx", "refused", "This is not a spreadsheet.", None),
    ("old-excel.xls", "refused", "This is an old Excel (.xls) workbook", None),
    ("damaged.xlsx", "refused", "damaged", None),
    ("too-big.csv", "refused", "the limit is 5 MB", None),
    ("too-many-rows.csv", "refused", "The file has more than 5,000 nominations; the limit is 5,000.", None),
    ("latin-1.csv", "refused", "is not in UTF-8, UTF-16, Big5 or GB18030", None),
    ("utf-8.csv", "accepted", "", None),
    ("utf-8-bom.csv", "accepted", "", None),
    ("utf-16.txt", "accepted", "", None),
    ("big5.csv", "accepted", "The file was read as Big5 (Traditional Chinese) text", None),
    ("mixed-script-names.csv", "problems", "The English name contains Chinese characters.", None),
    (
        "latin-in-chinese-name.csv",
        "problems",
        "The Chinese name must be written in Chinese characters only.",
        None,
    ),
    ("spaces.csv", "accepted", "Spaces before or after the value were removed in 6 cells.", None),
    ("duplicate-rows.csv", "problems", "This row repeats row 2 exactly: delete one of them.", None),
    ("duplicate-emails.csv", "problems", "The same e-mail is on row 2", None),
    ("department-not-invited.csv", "problems", "CSB is not invited to nominate to this call.", None),
    ("over-quota.csv", "problems", "PlanD has used its quota of 2 nominees for this call.", None),
    ("ranking-taken.csv", "problems", "Another nominee of HyD already has ranking 1.", None),
    ("bad-ranking.csv", "problems", "“first” is not a ranking", None),
    ("unknown-department.csv", "problems", "“Highway Department” is not a bureau or department.", None),
    ("unknown-grade.csv", "problems", "“Enginer” is not a grade.", None),
    ("unknown-rank.csv", "problems", "“Senior Enginere” is not a rank of the Engineer grade.", None),
    (
        "rank-of-another-grade.csv",
        "problems",
        "“Senior Town Planner” is a rank of the Town Planner grade",
        None,
    ),
    ("unknown-host.csv", "problems", "“Nansha People's Government” is not a host organisation.", None),
    ("unknown-focus-area.csv", "problems", "“Urban planning” is not a focus area.", None),
    (
        "host-outside-municipality.csv",
        "problems",
        "Futian District People's Government is not in Guangzhou, the batch's city.",
        None,
    ),
    ("endorsed-in-future.csv", "problems", "The endorsement date cannot be in the future.", None),
    ("bad-date.csv", "problems", "“31/02/2027” is not a date", None),
    ("formula.csv", "problems", "The cell starts with “=”: formulas are not accepted.", None),
    ("formula.xlsx", "problems", "The cell starts with “=”: formulas are not accepted.", None),
    ("example-row.xlsx", "problems", "This is the template's example row: delete it.", None),
    ("blank-rows.xlsx", "accepted", "Rows 3 and 5 are empty and were skipped.", None),
    (
        "multiple-sheets.xlsx",
        "accepted",
        "The workbook has 2 sheets; “Nominations” was read: it is the first visible sheet",
        None,
    ),
    ("guangzhou-2027.xlsx", "accepted", "", None),
]
SUGGESTIONS = {
    "unknown-department.csv": "Did you mean Highways Department (HyD)?",
    "unknown-grade.csv": "Did you mean Engineer (Engr)?",
    "unknown-rank.csv": "Did you mean Senior Engineer?",
    "unknown-focus-area.csv": "Did you mean Town planning 城市規劃?",
}
# The call the files target: the tests (tests/selection/imports/conftest.py) open it for the 2027
# Guangzhou batch, inviting these departments with these quotas; CSB is not invited.
CALL_QUOTAS = {"HyD": 3, "PlanD": 2, "CMAB": 2, "DEVB": 2}


def good_rows():
    return [
        nomination(1),
        nomination(
            2,
            **{
                "English name": "AU-YEUNG Ka-lok",
                "Chinese name": "歐陽嘉樂",
                "Official e-mail": "klauyeung@pland.gov.hk",
                "Post title": "Town Planner (Nansha Liaison)",
                "Rank": "Town Planner",
                "Grade": "城市規劃師",
                "Home department": "規劃署",
                "Focus areas": "Town planning; Technology development",
            },
        ),
        nomination(
            3,
            **{
                "English name": "Maria DA SILVA",
                "Chinese name": "",
                "Official e-mail": "mdasilva@cmab.gov.hk",
                "Post title": "Senior Executive Officer (Greater Bay Area)",
                "Rank": "Senior Executive Officer",
                "Grade": "EO",
                "Home department": "CMAB",
                "Ranking": "1",
                "Host organisation": "",
                "Why this officer": "Coordinates the bureau's Greater Bay Area liaison.",
                "Endorsed by": "LEE Wai-man",
                "Endorser's post": "Principal Executive Officer",
            },
        ),
    ]


def files():
    """{file name: bytes} for every case and walk-through file."""
    good = good_rows()
    out = {}
    out["wrong-headers.csv"] = csv_text(
        good, [h if h != "Official e-mail" else "Emial" for h in HEADERS]
    ).encode()
    no_grade = [h for h in HEADERS if h != "Grade"]
    out["missing-headers.csv"] = csv_text(
        [[v for h, v in zip(HEADERS, r, strict=True) if h != "Grade"] for r in good], no_grade
    ).encode()
    out["empty.csv"] = b""
    out["headers-only.csv"] = csv_text([]).encode()
    out["not-a-spreadsheet.pdf"] = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document>Nominations</document>")
    out["word-document.docx"] = docx.getvalue()
    out["old-excel.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    out["damaged.xlsx"] = xlsx([("Nominations", [HEADERS, *good])])[:400]
    padding = "x" * 240
    big_rows = [nomination(n, **{"Why this officer": padding}) for n in range(1, 13_000)]
    out["too-big.csv"] = csv_text(big_rows).encode()
    out["too-many-rows.csv"] = csv_text([nomination(n) for n in range(1, 5002)]).encode()
    out["latin-1.csv"] = csv_text([nomination(1, **{"English name": "Zoë CHAN", "Chinese name": ""})]).encode(
        "latin-1"
    )
    out["utf-8.csv"] = csv_text(good).encode("utf-8")
    out["utf-8-bom.csv"] = csv_text(good).encode("utf-8-sig")
    # What Excel's "Unicode Text" gives: UTF-16 with a byte-order mark, separated by tabs.
    out["utf-16.txt"] = csv_text(good, delimiter="\t").encode("utf-16")
    out["big5.csv"] = csv_text(good).encode("big5hkscs")
    out["mixed-script-names.csv"] = csv_text([nomination(1, **{"English name": "CHOW 周美玲"})]).encode()
    out["latin-in-chinese-name.csv"] = csv_text([nomination(1, **{"Chinese name": "周Mei玲"})]).encode()
    out["spaces.csv"] = csv_text(
        [
            nomination(
                1,
                **{
                    "English name": "  CHOW   Mei-ling ",
                    "Official e-mail": " MLCHOW1@HYD.GOV.HK ",
                    "Rank": "senior engineer ",
                    "Grade": " engr",
                    "Home department": "  highways  department  ",
                    "Endorsed by": " WONG   Ka-ming ",
                },
            )
        ]
    ).encode()
    out["duplicate-rows.csv"] = csv_text([good[0], good[0]]).encode()
    out["duplicate-emails.csv"] = csv_text(
        [
            good[0],
            nomination(
                1, **{"English name": "CHOW Mei-ling (again)", "Official e-mail": "MLChow1@hyd.gov.hk"}
            ),
        ]
    ).encode()
    out["department-not-invited.csv"] = csv_text(
        [
            nomination(
                1,
                **{
                    "English name": "WONG Siu-fung",
                    "Chinese name": "黃兆豐",
                    "Official e-mail": "sfwong@csb.gov.hk",
                    "Post title": "Senior Executive Officer (Training)",
                    "Rank": "Senior Executive Officer",
                    "Grade": "EO",
                    "Home department": "CSB",
                },
            )
        ]
    ).encode()
    planners = [
        nomination(
            n,
            **{
                "English name": f"AU-YEUNG Ka-lok {n}",
                "Chinese name": "歐陽嘉樂",
                "Official e-mail": f"klauyeung{n}@pland.gov.hk",
                "Post title": "Town Planner",
                "Rank": "Town Planner",
                "Grade": "TP",
                "Home department": "PlanD",
            },
        )
        for n in (1, 2, 3)
    ]
    out["over-quota.csv"] = csv_text(planners).encode()
    out["ranking-taken.csv"] = csv_text(
        [nomination(1, **{"Ranking": "1"}), nomination(2, **{"Ranking": "1"})]
    ).encode()
    out["bad-ranking.csv"] = csv_text([nomination(1, **{"Ranking": "first"})]).encode()
    out["unknown-department.csv"] = csv_text(
        [nomination(1, **{"Home department": "Highway Department"})]
    ).encode()
    out["unknown-grade.csv"] = csv_text([nomination(1, **{"Grade": "Enginer"})]).encode()
    out["unknown-rank.csv"] = csv_text([nomination(1, **{"Rank": "Senior Enginere"})]).encode()
    out["rank-of-another-grade.csv"] = csv_text([nomination(1, **{"Rank": "Senior Town Planner"})]).encode()
    out["unknown-host.csv"] = csv_text(
        [nomination(1, **{"Host organisation": "Nansha People's Government"})]
    ).encode()
    out["unknown-focus-area.csv"] = csv_text([nomination(1, **{"Focus areas": "Urban planning"})]).encode()
    out["host-outside-municipality.csv"] = csv_text(
        [nomination(1, **{"Host organisation": "Futian District People's Government"})]
    ).encode()
    out["endorsed-in-future.csv"] = csv_text([nomination(1, **{"Endorsed on": "2099-01-04"})]).encode()
    out["bad-date.csv"] = csv_text([nomination(1, **{"Endorsed on": "31/02/2027"})]).encode()
    out["formula.csv"] = csv_text(
        [nomination(1, **{"Post title": '=HYPERLINK("http://example.invalid","Click")'})]
    ).encode()
    formula_row = nomination(1)
    formula_row[HEADERS.index("Post title")] = ("formula", '=CONCAT("Senior ","Engineer")')
    out["formula.xlsx"] = xlsx([("Nominations", [HEADERS, formula_row])])
    example = nomination(
        1,
        **{
            "English name": "CHAN Tai-man",
            "Chinese name": "陳大文",
            "Official e-mail": "tmchan@example.gov.hk",
        },
    )
    out["example-row.xlsx"] = xlsx([("Nominations", [HEADERS, example, good[1]])])
    out["blank-rows.xlsx"] = xlsx([("Nominations", [HEADERS, good[0], None, good[1], None, good[2]])])
    out["multiple-sheets.xlsx"] = xlsx(
        [("Nominations", [HEADERS, *good]), ("Notes", [["Sent by HyD on 1 December 2026"]])]
    )
    out["guangzhou-2027.xlsx"] = xlsx([("Nominations", [HEADERS, *good])])
    out["first-batch.xlsx"] = xlsx([("Nominations", [HEADERS, *first_batch_rows()])])
    return out


def first_batch_rows():
    """The first GBA batch's ten nominations as the demo holds them (all unchanged on import)."""
    from demo.first_batch import FIRST_BATCH_OFFICERS, FIRST_BATCH_PLACEMENTS

    grades = {
        "Senior Administrative Officer": "AO",
        "Administrative Officer": "AO",
        "Senior Executive Officer": "EO",
        "Senior Environmental Protection Officer": "EPO",
        "Senior Engineer": "Engr",
        "Senior Systems Manager": "AP",
        "Senior Town Planner": "TP",
        "Town Planner": "TP",
    }
    rows = []
    for account, name_en, name_zh, email, department, rank, post in FIRST_BATCH_OFFICERS:
        host, _area, focus, _role = FIRST_BATCH_PLACEMENTS[account]
        rows.append(
            [
                name_en,
                name_zh,
                email,
                post,
                rank,
                grades[rank],
                "OGCIO" if department == "DPO" else department,  # its name in December 2023
                "",
                "; ".join(focus),
                host,
                "",
                "WONG Ka-ming",
                "Departmental Secretary",
                "2023-11-01",
            ]
        )
    return rows


def main():
    for name, content in files().items():
        (HERE / name).write_bytes(content)
    print(f"Wrote {len(files())} files to {HERE}")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange_portal.settings")
    django.setup()
    main()
