"""Amounts in Vietnamese words, as written on receipts: `amount_in_words(1250000)` →
"Một triệu hai trăm năm mươi nghìn đồng"."""

from __future__ import annotations

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu"]


def _three(n: int, *, full: bool) -> list[str]:
    """Read 0..999. `full`: a group after a bigger one, so "không trăm" and "linh" are spelled out."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if ones and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if ones:
        if ones == 1 and tens >= 2:
            words.append("mốt")
        elif ones == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[ones])
    return words


def _below_billion(n: int, *, full: bool) -> list[str]:
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        leading = not words and not full
        words += _three(group, full=not leading)
        if SCALES[index]:
            words.append(SCALES[index])
    return words


def number_in_words(n: int) -> str:
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_in_words(-n)
    words: list[str] = []
    billions, rest = divmod(n, 1_000_000_000)
    if billions:
        words += [*number_in_words(billions).split(), "tỷ"]
    if rest:
        words += _below_billion(rest, full=bool(billions))
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    text = f"{number_in_words(int(amount))} đồng"
    return text[0].upper() + text[1:]
