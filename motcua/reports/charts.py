"""Monthly trend charts drawn on the server as SVG geometry (no script, no CDN): bars for the months,
a dashed line for the target. The template draws it with SVG presentation attributes and CSS classes
(the CSP forbids inline styles and scripts), and the numbers are also in the table beside it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import pgettext

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 320, 120, 28, 18, 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float | None
    css: str


def trend(months: list[dict], *, target: float | None, scale: float = 100.0, at_most: bool = False) -> dict:
    """`months`: [{"month": 1, "value": 72.5 or None}, …] → bars, target line and axis for the template."""
    plot_w, plot_h = WIDTH - PAD_LEFT - 4, HEIGHT - PAD_BOTTOM - PAD_TOP
    top = max([scale, *(m["value"] or 0 for m in months), target or 0])
    slot = plot_w / 12
    bars = []
    for item in months:
        value = item["value"]
        height = 0 if value is None else plot_h * value / top
        if value is None:
            css = "bar-empty"
        elif target is None:
            css = "bar"
        else:
            css = "bar-ok" if (value <= target if at_most else value >= target) else "bar-low"
        bars.append(Bar(x=round(PAD_LEFT + slot * (item["month"] - 1) + slot * 0.15, 1),
                        y=round(PAD_TOP + plot_h - height, 1), width=round(slot * 0.7, 1), height=round(height, 1),
                        label=pgettext("month on a chart axis", "T%(month)s") % {"month": item["month"]},
                        value=value, css=css))
    target_y = None if target is None else round(PAD_TOP + plot_h - plot_h * target / top, 1)
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "target_y": target_y, "target": target,
            "x0": PAD_LEFT, "x1": WIDTH - 4, "base_y": PAD_TOP + plot_h, "label_y": HEIGHT - 4,
            "top": round(top), "top_y": PAD_TOP + 8}
