"""The translation catalogues, handled in pure Python (Babel), so no machine needs GNU gettext.

- `extract_messages()` finds every translatable string in our code, as Django's `makemessages` would:
  Python files through Babel's Python extractor with Django's keywords, templates through Django's own
  `templatize()` (the function `makemessages` uses to turn `{% translate %}`/`{% blocktranslate %}` into
  gettext calls) and then the same Python extractor.
- `update_catalogues()` merges them into `locale/<locale>/LC_MESSAGES/django.po` (new strings empty,
  vanished ones kept as obsolete), `compile_catalogues()` writes the `.mo` files Django reads, and
  `untranslated()` lists what a catalogue lacks (the test that keeps every string translated uses it).
"""

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from django.utils.translation.template import templatize

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"
DOMAIN = "django"
# Django's language codes and the locale directory names Django looks them up under (to_locale()).
LOCALES = {"zh-hant": "zh_Hant", "zh-hans": "zh_Hans"}
CATALOGUE_LOCALES = tuple(LOCALES.values())

# Our code: the apps and the project package (not migrations, whose strings nobody reads) and templates.
APPS = [
    "exchange_portal",
    "core",
    "participants",
    "placements",
    "selection",
    "portal",
    "coordination",
    "nominating",
    "hosting",
    "demo",
]
PYTHON_ROOTS = APPS
TEMPLATE_ROOTS = ["templates", *(f"{app}/templates" for app in APPS)]
SKIP_PARTS = {"migrations", "__pycache__", ".venv"}

# The keywords Django's makemessages passes to xgettext, in Babel's notation.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def _files(roots, suffixes):
    for root in roots:
        folder = BASE_DIR / root
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in suffixes and not SKIP_PARTS & set(path.relative_to(BASE_DIR).parts):
                yield path


def _messages_in(fileobj, keywords=KEYWORDS):
    """(lineno, message id or (singular, plural), context) for each call in Python source."""
    for lineno, funcname, messages, _comments in extract_python(fileobj, keywords, [], {}):
        spec = keywords[funcname] or (1,)
        context = None
        if isinstance(spec[0], tuple):
            context = messages[0]
            messages = messages[1:]
        if not isinstance(messages, tuple):
            messages = (messages,)
        messages = tuple(m for m in messages if m is not None)
        if not messages or not messages[0]:
            continue
        yield lineno, messages[0] if len(messages) == 1 else messages[:2], context


def extract_messages():
    """A Babel catalogue of every translatable string in our Python files and templates."""
    catalog = Catalog(project="Exchange Portal", charset="utf-8")
    for path in _files(PYTHON_ROOTS, {".py"}):
        with path.open("rb") as fileobj:
            for lineno, message, context in _messages_in(fileobj):
                catalog.add(message, locations=[(str(path.relative_to(BASE_DIR)), lineno)], context=context)
    for path in _files(TEMPLATE_ROOTS, {".html", ".txt", ".ics", ".svg"}):
        # templatize() blanks the markup but keeps its indentation, which Python's tokenizer rejects
        # (xgettext does not care); every gettext() call it writes sits on one line, so strip it.
        source = "\n".join(
            line.lstrip()
            for line in templatize(path.read_text(encoding="utf-8"), origin=str(path)).split("\n")
        )
        for lineno, message, context in _messages_in(io.BytesIO(source.encode("utf-8"))):
            catalog.add(message, locations=[(str(path.relative_to(BASE_DIR)), lineno)], context=context)
    return catalog


def po_path(locale):
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(locale):
    with po_path(locale).open("rb") as fileobj:
        return read_po(fileobj, locale=locale, domain=DOMAIN)


def update_catalogues(locales=CATALOGUE_LOCALES):
    """Merge the strings found in the code into each catalogue; returns {locale: untranslated count}."""
    template = extract_messages()
    counts = {}
    for locale in locales:
        path = po_path(locale)
        if path.exists():
            catalog = read_catalogue(locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(
                locale=locale,
                domain=DOMAIN,
                project="Exchange Portal",
                charset="utf-8",
                header_comment=f"# The Exchange Portal's {locale} catalogue: see docs/translations.md.",
                fuzzy=False,
            )
        catalog.update(
            template, no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False
        )
        with path.open("wb") as fileobj:
            write_po(fileobj, catalog, width=110, omit_header=False, ignore_obsolete=False)
        counts[locale] = len(untranslated(catalog, template))
    return counts


def compile_catalogues(locales=CATALOGUE_LOCALES):
    """Write the .mo file beside each .po (fuzzy entries left out, as msgfmt does)."""
    written = []
    for locale in locales:
        path = po_path(locale)
        catalog = read_catalogue(locale)
        mo = path.with_suffix(".mo")
        with mo.open("wb") as fileobj:
            write_mo(fileobj, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def untranslated(catalog, template=None):
    """The ids of strings in the code (`template`, extracted when not given) that `catalog` lacks, leaves
    empty or marks fuzzy."""
    template = template if template is not None else extract_messages()
    missing = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        strings = entry.string if entry is not None else None
        filled = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if entry is None or entry.fuzzy or not filled:
            missing.append(message.id)
    return missing
