"""The Swedish catalogue (locale/sv/LC_MESSAGES) is complete, compiled and consistent.

These checks need no GNU gettext: a fresh machine may lack it, which is why the
compiled django.mo is committed. They read both files with polib.

Refresh the catalogue after changing strings in the code or templates:

    .venv/bin/python manage.py makemessages -l sv --no-location \\
        --ignore=.venv --ignore=staticfiles --ignore=tests
    (translate the new entries, and review and unflag the fuzzy ones)
    .venv/bin/python manage.py compilemessages -l sv --ignore=.venv --ignore=staticfiles
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# A printf-style conversion: %(name)s, %(area).1f, %d, %-5s ... ("%%" is removed first).
CONVERSION = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]"
)


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _listing(msgids: list[str]) -> str:
    return "\n".join(f"  {msgid!r}" for msgid in msgids)


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str | None, str, str | None]:
    return (entry.msgctxt or None, entry.msgid, entry.msgid_plural or None)


def _value(entry: polib.POEntry | polib.MOEntry) -> str | tuple[tuple[int, str], ...]:
    if entry.msgid_plural:
        return tuple(sorted((int(n), text) for n, text in entry.msgstr_plural.items()))
    return entry.msgstr


def _texts(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return list(entry.msgstr_plural.values())
    return [entry.msgstr]


def _conversions(text: str, *, named_only: bool) -> Counter[str]:
    found = (m for m in CONVERSION.finditer(text.replace("%%", "")))
    return Counter(m.group(0) for m in found if m.group("name") is not None or not named_only)


def test_the_header_is_swedish_and_not_fuzzy(po):
    assert not po.metadata_is_fuzzy, "The header of django.po is marked fuzzy."
    assert po.metadata.get("Language") == "sv"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert po.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"


def test_every_entry_is_translated_and_none_is_fuzzy(po):
    live = [entry for entry in po if not entry.obsolete]
    untranslated = [entry.msgid for entry in live if not entry.translated() and not entry.fuzzy]
    fuzzy = [entry.msgid for entry in live if entry.fuzzy]
    problems = []
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated:\n{_listing(untranslated)}")
    if fuzzy:
        problems.append(f"{len(fuzzy)} fuzzy (review, then remove the flag):\n{_listing(fuzzy)}")
    assert not problems, f"{PO_PATH}:\n" + "\n".join(problems)


def test_the_compiled_catalogue_matches_the_po_file(po):
    mo = polib.mofile(str(MO_PATH))
    expected = {_key(entry): _value(entry) for entry in po.translated_entries()}
    compiled = {_key(entry): _value(entry) for entry in mo if entry.msgid}

    stale = sorted(
        key[1] for key in expected.keys() & compiled.keys() if expected[key] != compiled[key]
    )
    missing = sorted(key[1] for key in expected.keys() - compiled.keys())
    extra = sorted(key[1] for key in compiled.keys() - expected.keys())
    out_of_date = {
        "translated differently": stale,
        "not compiled yet": missing,
        "not translated (or fuzzy) in the .po": extra,
    }
    assert not any(out_of_date.values()), (
        f"{MO_PATH} is out of date: run "
        "`python manage.py compilemessages -l sv --ignore=.venv --ignore=staticfiles`.\n"
        + "\n".join(f"{what}: {msgids}" for what, msgids in out_of_date.items() if msgids)
    )


def test_translations_keep_the_placeholders_of_their_msgid(po):
    wrong = []
    for entry in po.translated_entries():
        python_format = "python-format" in entry.flags
        expected = _conversions(entry.msgid, named_only=not python_format)
        expected_plural = (
            _conversions(entry.msgid_plural, named_only=not python_format)
            if entry.msgid_plural
            else expected
        )
        for text in _texts(entry):
            got = _conversions(text, named_only=not python_format)
            # Each plural form carries the placeholders of msgid or of msgid_plural.
            if got not in (expected, expected_plural):
                wrong.append(f"{entry.msgid!r}: expected {dict(expected)}, got {dict(got)}")
    assert not wrong, "Placeholders differ from the msgid:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("msgid", "swedish"),
    [
        ("This is not an emergency service.", "Det här är ingen larmtjänst."),
        # Project catalogues win over allauth's own (LOCALE_PATHS is searched first);
        # allauth's Swedish for this one says "Already have an account? Then log in".
        (
            "If you have not created an account yet, then please "
            "%(link)ssign up%(end_link)s first.",
            "Har du inget konto än? %(link)sSkapa ett konto%(end_link)s först.",
        ),
    ],
)
def test_swedish_is_served_from_the_catalogue(msgid, swedish):
    with translation.override("sv"):
        assert translation.gettext(msgid) == swedish
