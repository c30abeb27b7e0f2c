"""The English catalog covers every string and the committed .mo is the compiled .po; the main screens
rendered in English carry none of their Vietnamese headings."""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field

import pytest
from django.conf import settings

CATALOG = settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES"


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def read_po(path) -> list[Entry]:
    """A small reader for .po files as gettext writes them: entries separated by blank lines; flags,
    msgctxt, msgid, msgid_plural, msgstr / msgstr[n], continued strings. Obsolete (#~) lines are skipped."""
    entries: list[Entry] = []
    blocks: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            blocks.append((number + 1, []))
        elif not line.startswith("#~"):
            if not blocks:
                blocks.append((number, []))
            blocks[-1][1].append(line)
    for start, lines in blocks:
        entry, target = Entry(start), None
        for line in lines:
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                text = ast.literal_eval(line)
            else:
                keyword, _, rest = line.partition(" ")
                text = ast.literal_eval(rest)
                target = ("msgstr", int(keyword[7:-1])) if keyword.startswith("msgstr[") else (keyword, 0)
                if target[0] == "msgstr":
                    entry.msgstr.setdefault(target[1], "")
                else:
                    setattr(entry, keyword, "")
            assert target is not None, f"line {start}: a string before any keyword"
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
        if lines and any(not line.startswith("#") for line in lines):
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    found = [e for e in read_po(CATALOG / "django.po") if e.msgid]
    assert len(found) > 1000, "the reader found too few entries: the catalog or the reader is broken"
    return found


def test_every_entry_is_translated(entries):
    missing = [f"line {e.line}: {e.msgid[:80]}" for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    assert missing == [], f"{len(missing)} untranslated entries:\n" + "\n".join(missing[:30])


def test_no_entry_is_fuzzy(entries):
    fuzzy = [f"line {e.line}: {e.msgid[:80]}" for e in entries if "fuzzy" in e.flags]
    assert fuzzy == [], f"{len(fuzzy)} fuzzy entries (check them, then remove the flag):\n" + "\n".join(fuzzy[:30])


def test_plural_entries_have_both_english_forms(entries):
    plurals = [e for e in entries if e.msgid_plural is not None]
    assert plurals, "the catalog has plural entries (e.g. “%(n)s hồ sơ”)"
    assert [e.msgid for e in plurals if sorted(e.msgstr) != [0, 1]] == []


def test_committed_mo_is_the_compiled_po(entries):
    with (CATALOG / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in entries:
        if e.msgid_plural is not None:
            got = [compiled.ngettext(e.msgid, e.msgid_plural, n) if e.msgctxt is None
                   else compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n) for n in (1, 2)]
            expected = [e.msgstr[0], e.msgstr[1]]
        else:
            got = [compiled.gettext(e.msgid) if e.msgctxt is None else compiled.pgettext(e.msgctxt, e.msgid)]
            expected = [e.msgstr[0]]
        if got != expected:
            stale.append(e.msgid[:80])
    assert stale == [], f"django.mo is older than django.po (run msgfmt); {len(stale)} differ:\n" + "\n".join(stale[:20])


# Headings and labels of the main screens; each must show in Vietnamese and be gone in English.
SCREENS = [
    (None, "/cong/", ["Cổng dịch vụ công", "Tra cứu hồ sơ", "Bảng công khai", "Thủ tục được quan tâm"],
     ["Public service portal", "Look up a dossier", "Popular procedures"]),
    ("specialist", "/mot-cua/xu-ly/", ["Hồ sơ cần xử lý", "Hạn xử lý", "Người xử lý", "Trang chính", "Đăng xuất"],
     ["Dossiers to handle", "Processing due", "Handler"]),
    ("clerk", "/mot-cua/tiep-nhan/", ["Tiếp nhận hồ sơ", "Sổ theo dõi hồ sơ", "Đăng xuất", "Cán bộ Một cửa"],
     ["Receive dossier", "Dossier tracking book"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "url", "vietnamese", "english"), SCREENS, ids=[s[1] for s in SCREENS])
def test_main_screens_in_english_carry_no_vietnamese_headings(client, request, persona, url, vietnamese, english):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    page_vi = client.get(url)
    assert page_vi.status_code == 200
    text_vi = page_vi.content.decode()
    assert [s for s in vietnamese if s not in text_vi] == [], "the sample no longer matches the Vietnamese page"

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page_en = client.get(url)
    assert page_en.status_code == 200
    text_en = page_en.content.decode()
    assert 'lang="en"' in text_en
    assert [s for s in vietnamese if s in text_en] == []
    assert [s for s in english if s not in text_en] == []
