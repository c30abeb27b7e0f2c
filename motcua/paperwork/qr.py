from __future__ import annotations

import segno


def qr_svg_data_uri(data: str, *, scale: int = 3) -> str:
    """A QR code as an SVG data URI, to embed in a PDF or a page (CSP allows `data:` images)."""
    return segno.make(data, error="m").svg_data_uri(scale=scale, border=1)
