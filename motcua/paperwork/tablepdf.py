"""Long tables → PDF with fpdf2, for documents of thousands of rows (the tracking book) that WeasyPrint
lays out too slowly: WeasyPrint keeps a box per cell and took 162 s and 2.6 GB of peak memory for a
10,000-row book; this writer wraps each cell's text itself (greedy, on spaces, with the font's glyph
widths cached per character), draws the text lines and the cell rules straight onto the page and
starts a new page, with the column header row again, when the next row does not fit.

The page has the heading of Nghị định 30/2020 (agency on the left; the national title, motto and
place/date on the right; the document title), like `paperwork/nd30.html`, and the same bundled
Liberation Serif faces, embedded (subset) in the file."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from motcua.paperwork.pdf import FONT_DIR

FAMILY = "LiberationSerif"
_STYLES = {"": "LiberationSerif-Regular.ttf", "B": "LiberationSerif-Bold.ttf",
           "I": "LiberationSerif-Italic.ttf", "BI": "LiberationSerif-BoldItalic.ttf"}
PT = 25.4 / 72  # millimetres per point


@dataclass(frozen=True)
class Heading:
    """The Nghị định 30/2020 heading and the lines under the title."""

    agency_name: str
    place: str
    issued_on: dt.date
    title: str
    form_number: str = ""  # "BM.06", bold, right-aligned under the heading
    form_basis: str = ""  # "(Ban hành kèm theo …)", italic after the form number
    period: str = ""  # centred, italic, under the title
    notice: str = ""  # boxed, bold, under the period


class _Widths(dict):
    """Character → its width (mm) in one face and size, measured by fpdf2 on first use."""

    def __init__(self, pdf, style: str, size: float):
        super().__init__()
        self.pdf, self.style, self.size = pdf, style, size

    def __missing__(self, ch: str) -> float:
        pdf = self.pdf
        current = (pdf.font_style, pdf.font_size_pt)
        pdf.set_font(FAMILY, self.style, self.size)
        width = self[ch] = pdf.get_string_width(ch)
        pdf.set_font(FAMILY, *current)
        return width


class _Codes(dict):
    """Code point → its bytes in a text string of one embedded (subset, two-byte) font, escaped, as
    `TTFFont.encode_text` writes them, for `str.translate`; "" for a character the font lacks (fpdf2
    lists those in a warning when writing the file)."""

    def __init__(self, font):
        super().__init__()
        self.font = font

    def __missing__(self, code: int) -> str:
        picked = self.font.subset.pick(code)
        value = self[code] = "" if picked is None else self.font.escape_text(chr(picked))
        return value


class TablePdf:
    """One landscape (or portrait) A4 document: `heading`, then a table of `widths` (mm) written row by
    row with `row(values)`, then free paragraphs; `output()` gives the PDF bytes."""

    def __init__(self, columns: Sequence[str], widths: Sequence[float], *, landscape: bool = True,
                 size: float = 9.0, margins: tuple[float, float, float, float] = (15, 15, 12, 15)):
        from fpdf import FPDF

        self.pdf = pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
        pdf.set_compression(True)
        for style, filename in _STYLES.items():
            pdf.add_font(FAMILY, style, str(FONT_DIR / filename))
        left, top, right, bottom = margins
        pdf.set_margins(left, top, right)
        pdf.set_auto_page_break(False)
        pdf.set_line_width(0.2)
        self.left, self.top, self.bottom = left, top, pdf.h - bottom
        self.width = pdf.w - left - right
        scale = self.width / sum(widths)
        self.widths = [w * scale for w in widths]
        self.columns = list(columns)
        self.size = size
        self.pad = 1.0
        self.line_height = size * PT * 1.15
        self._widths: dict[tuple[str, float], _Widths] = {}
        self._codes: dict[tuple[str, float], _Codes] = {}
        self.y = top
        self.rows = 0
        self.page_no = 0

    # text measuring and wrapping

    def _use(self, style: str, size: float) -> _Widths:
        """Set the font; its glyph widths (mm, by character)."""
        self.pdf.set_font(FAMILY, style, size)
        if (style, size) not in self._widths:
            self._widths[(style, size)] = _Widths(self.pdf, style, size)
        return self._widths[(style, size)]

    @staticmethod
    def _text_width(text: str, cache: _Widths) -> float:
        return sum(map(cache.__getitem__, text))

    def wrap(self, text: str, width: float, cache: dict[str, float]) -> list[str]:
        """`text` in lines no wider than `width` (mm): breaks at spaces, and inside a word only when the
        word alone is wider than the column. Control characters become spaces; text is composed (NFC), so
        a name typed with combining marks prints with the precomposed Vietnamese letters."""
        text = str(text)
        if not text.isprintable():
            text = "".join(ch if ch.isprintable() else " " for ch in text)
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        words = text.split()
        if not words:
            return []
        space = self._text_width(" ", cache)
        lines: list[str] = []
        line, line_width = "", 0.0
        for word in words:
            word_width = self._text_width(word, cache)
            if line and line_width + space + word_width <= width:
                line, line_width = f"{line} {word}", line_width + space + word_width
                continue
            if line:
                lines.append(line)
            line, line_width = word, word_width
            while line_width > width and len(line) > 1:
                taken, cut = 0.0, 0
                for cut, ch in enumerate(line):  # noqa: B007 - cut is used after the loop
                    if taken + cache[ch] > width:
                        break
                    taken += cache[ch]
                cut = max(cut, 1)
                lines.append(line[:cut])
                line = line[cut:]
                line_width = self._text_width(line, cache)
        lines.append(line)
        return lines

    # page parts

    def paragraph(self, text: str, *, style: str = "", size: float = 11.0, align: str = "L",
                  box: bool = False, space_after: float = 2.0) -> None:
        """Free text across the page width (wrapped), on a new page when it does not fit."""
        cache = self._use(style, size)
        pad = 1.5 if box else 0.0
        lines = self.wrap(text, self.width - 2 * pad, cache)
        height = size * PT * 1.25
        total = len(lines) * height + 2 * pad
        if self.y + total > self.bottom:
            self._new_page(header=False)
        if box:
            self.pdf.rect(self.left, self.y, self.width, total)
        for i, line in enumerate(lines):
            self._place(line, self.left + pad, self.width - 2 * pad, self.y + pad + i * height, height, align, cache)
        self.y += total + space_after

    def _place(self, line: str, x: float, width: float, y: float, height: float, align: str,
               cache: dict[str, float]) -> None:
        if align != "L":
            free = width - self._text_width(line, cache)
            x += free / 2 if align == "C" else free
        self.pdf.text(x, y + height * 0.78, line)

    def _rule(self, centre: float, length: float) -> None:
        self.pdf.line(centre - length / 2, self.y + 0.6, centre + length / 2, self.y + 0.6)
        self.y += 1.6

    def heading(self, heading: Heading) -> None:
        """The Nghị định 30/2020 heading (agency | nation), the title and the lines under it, on page 1."""
        self._new_page(header=False)
        pdf, top = self.pdf, self.y
        left_width, right_width = self.width * 0.4, self.width * 0.6
        left_centre, right_centre = self.left + left_width / 2, self.left + left_width + right_width / 2
        height = 12 * PT * 1.3
        cache = self._use("B", 12)
        for line in self.wrap(heading.agency_name.upper(), left_width - 4, cache):
            self._place(line, self.left, left_width, self.y, height, "C", cache)
            self.y += height
        self._rule(left_centre, left_width * 0.35)
        agency_bottom = self.y
        self.y = top
        for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
            self._place(text, self.left + left_width, right_width, self.y, height, "C", cache)
            self.y += height
        self._rule(right_centre, right_width * 0.6)
        day = heading.issued_on
        place = f"{heading.place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"
        self._place(place, self.left + left_width, right_width, self.y, height, "C", self._use("I", 12))
        self.y = max(self.y + height, agency_bottom) + 5
        self.paragraph(heading.title.upper(), style="B", size=14, align="C", space_after=1)
        if heading.form_number:
            number_cache, basis_cache = self._use("B", 10), self._use("I", 10)
            basis = f" – {heading.form_basis}" if heading.form_basis else ""
            width = self._text_width(heading.form_number, number_cache) + self._text_width(basis, basis_cache)
            x = self.left + max(self.width - width - 1, 0)
            pdf.set_font(FAMILY, "B", 10)
            pdf.text(x, self.y + 10 * PT, heading.form_number)
            pdf.set_font(FAMILY, "I", 10)
            pdf.text(x + self._text_width(heading.form_number, number_cache), self.y + 10 * PT, basis)
            self.y += 10 * PT * 1.4 + 1.5
        if heading.period:
            self.paragraph(heading.period, style="I", size=12, align="C", space_after=2)
        if heading.notice:
            self.paragraph(heading.notice, style="B", size=11, box=True, space_after=3)
        self.header_row()

    def _new_page(self, *, header: bool) -> None:
        self.pdf.add_page()
        self.page_no += 1
        self.y = self.top
        footer = f"Trang {self.page_no}"
        self.pdf.set_font(FAMILY, "", 9)
        self.pdf.text(self.left + self.width - self.pdf.get_string_width(footer), self.bottom + 8, footer)
        if header:
            self.header_row()

    def header_row(self) -> None:
        self._row(self.columns, style="B", align="C")

    def _encoded(self, style: str) -> _Codes:
        if (style, self.size) not in self._codes:
            self._codes[(style, self.size)] = _Codes(self.pdf.current_font)
        return self._codes[(style, self.size)]

    def _row(self, values: Sequence, *, style: str = "", align: str = "L") -> None:
        """One table row: the cells' lines and rules written as one piece of the page's content stream
        (the operators `FPDF.text`, `rect` and `line` write, without their per-call overhead: 400,000 text
        calls were half the time of a 20,000-row book). Relies on fpdf2 2.8.9's `_out`,
        `_set_font_for_page` and the font's `subset.pick`, as pinned in pyproject.toml."""
        cache = self._use(style, self.size)
        pad, line_height = self.pad, self.line_height
        cells = [self.wrap("" if value is None else str(value), width - 2 * pad, cache)
                 for value, width in zip(values, self.widths, strict=True)]
        height = max(len(lines) for lines in cells) * line_height + 2 * pad
        if self.y + height > self.bottom and self.y > self.top:
            self._new_page(header=True)
            self.pdf.set_font(FAMILY, style, self.size)
        pdf, k, page_height = self.pdf, self.pdf.k, self.pdf.h
        if not pdf.current_font_is_set_on_page:
            pdf._out(pdf._set_font_for_page(pdf.current_font, pdf.font_size_pt))
        codes = self._encoded(style)
        parts: list[str] = []
        x, y = self.left, self.y
        for lines, width in zip(cells, self.widths, strict=True):
            for i, line in enumerate(lines):
                left = x + pad
                if align != "L":
                    free = width - 2 * pad - self._text_width(line, cache)
                    left += free / 2 if align == "C" else free
                baseline = y + pad + line_height * i + self.size * PT * 0.9
                parts.append(f"BT {left * k:.2f} {(page_height - baseline) * k:.2f} Td ({line.translate(codes)}) Tj ET")
            x += width
        top, bottom = (page_height - y) * k, (page_height - y - height) * k
        parts.append(f"{self.left * k:.2f} {top:.2f} {self.width * k:.2f} {-height * k:.2f} re S")
        x = self.left
        for width in self.widths[:-1]:
            x += width
            parts.append(f"{x * k:.2f} {top:.2f} m {x * k:.2f} {bottom:.2f} l S")
        pdf._out(" ".join(parts))
        self.y += height

    def row(self, values: Sequence) -> None:
        self._row(values)
        self.rows += 1

    def full_width_row(self, text: str) -> None:
        """One cell across the table (the "no rows" line)."""
        cache = self._use("", self.size)
        lines = self.wrap(text, self.width - 2 * self.pad, cache)
        height = len(lines) * self.line_height + 2 * self.pad
        for i, line in enumerate(lines):
            self.pdf.text(self.left + self.pad, self.y + self.pad + self.line_height * i + self.size * PT * 0.9, line)
        self.pdf.rect(self.left, self.y, self.width, height)
        self.y += height

    def output(self) -> bytes:
        return bytes(self.pdf.output())
