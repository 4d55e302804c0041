"""Numbers written in Chinese: 十七, 二十三, 一百零五, 三千一百一十九."""

from __future__ import annotations

from gxaudit.formats.grammar import CHINESE_DIGITS

# ------------------------------------------------------------------ numbers

_CN_DIGITS = {**CHINESE_DIGITS, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """十七 → 17, 二十三 → 23, 一百零五 → 105, 三千一百一十九 → 3119; None if malformed."""
    if not text:
        return None
    if all(c in _CN_DIGITS for c in text):  # 一〇五 (digit by digit)
        if len(text) == 1:
            return _CN_DIGITS[text]
        return int("".join(str(_CN_DIGITS[c]) for c in text)) if len(text) <= 6 else None
    total, section, digit = 0, 0, None
    for c in text:
        if c in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[c] != 0 and digit != 0:
                return None  # two digits in a row: 十二二
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
        elif c == "万":
            section += digit or 0
            total += (section or 1) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


# A count: arabic or Chinese digits, then a counting word. Approximate figures
