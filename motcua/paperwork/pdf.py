"""HTML templates → PDF through WeasyPrint, with the bundled Liberation Serif fonts embedded."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.template.loader import render_to_string

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Liberation Serif"
_FACES = [
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
    ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
]


@cache
def font_face_css() -> str:
    rules = []
    for filename, weight, style in _FACES:
        url = (FONT_DIR / filename).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    config = _font_config()
    fonts = CSS(string=font_face_css(), font_config=config)
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf(stylesheets=[fonts], font_config=config)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))
