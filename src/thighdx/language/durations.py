"""How long the complaint has lasted, computed from numbers and anchors in the text.

People state time as amounts ("for a couple of years", "iki aydır", "1,5 yıldır"), as an
onset some time ago ("two weeks ago", "üç ay önce başladı") or as an anchor that needs the
calendar ("since March", "back in February", "geçen yazdan beri"). Each is turned into a
number of days relative to `today`; the parser reads more than six weeks as
`symptoms_over_6_weeks` present and less as absent, in a clause about the complaint (the
lexicon entry's `clause_requires`). Runs on the normalised text (lower case, Turkish folded
to ASCII), so offsets are those of the text as written.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

SIX_WEEKS_DAYS = 42


class Duration(NamedTuple):
    start: int
    end: int
    days: float


_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "a couple of": 2, "couple of": 2, "a couple": 2,
    "a few": 3, "few": 3, "several": 4, "a number of": 3, "many": 6, "some": 3, "a good few": 4,
}
_TR_NUMBERS = {
    "bir": 1, "iki": 2, "uc": 3, "dort": 4, "bes": 5, "alti": 6, "yedi": 7, "sekiz": 8, "dokuz": 9, "on": 10,
    "on bir": 11, "on iki": 12, "on bes": 15, "yirmi": 20, "birkac": 3, "bir kac": 3, "kac": 3, "bir bucuk": 1.5, "yarim": 0.5,
}
_EN_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "wk": 7, "wks": 7, "fortnight": 14, "fortnights": 14, "month": 30,
             "months": 30, "mth": 30, "mths": 30, "year": 365, "years": 365, "yr": 365, "yrs": 365}
_TR_UNITS = {"gun": 1, "hafta": 7, "ay": 30, "yil": 365, "sene": 365}
_EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_TR_MONTHS = ["ocak", "subat", "mart", "nisan", "mayis", "haziran", "temmuz", "agustos", "eylul", "ekim", "kasim", "aralik"]
# The middle month of each season (northern hemisphere).
_EN_SEASONS = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1, "christmas": 12, "easter": 4, "new year": 1}
_TR_SEASONS = {"ilkbahar": 4, "bahar": 4, "yaz": 7, "sonbahar": 10, "kis": 1, "yilbasi": 1, "bayram": 6}


def _alternatives(words: object) -> str:
    return "|".join(sorted((re.escape(w).replace("\\ ", " +") for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


_DECIMAL = r"\d+(?:[.,]\d+)?"
_EN_NUM = rf"(?P<num>{_DECIMAL}|{_alternatives(_EN_NUMBERS)})"
_EN_UNIT = rf"(?P<unit>{_alternatives(_EN_UNITS)})"
_EN_AMOUNT = re.compile(
    rf"(?<!\w)(?:(?P<for>for|past|last|over|about|nearly|almost|around|more than|the past|the last|the better part of) +(?:the +)?(?:past +|last +)?)?"
    rf"{_EN_NUM}(?: and a half| and half)? +{_EN_UNIT}(?P<half> and a half)?(?: +(?P<ago>ago|back))?(?!\w)"
)
_EN_WORD_AMOUNT = re.compile(r"(?<!\w)(?:for|over) +(?P<what>months|years|donkey'?s years|yonks|ages now|a long time now)(?!\w)")
_EN_SINCE = re.compile(
    rf"(?<!\w)(?:since|from|back in|started in|began in|starting in|beginning of|end of) +(?:the +)?(?:(?:start|beginning|middle|end) +of +)?"
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)? +(?:of +)?)?(?P<month>{_alternatives(_EN_MONTHS)})(?: +(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)?(?!\w)"
)
_EN_SINCE_SEASON = re.compile(rf"(?<!\w)(?:since|from|back in|over) +(?P<last>last +|the +)?(?P<season>{_alternatives(_EN_SEASONS)})(?!\w)")
_EN_LONG = re.compile(r"(?<!\w)(?:since (?:i was a (?:kid|child|teenager)|childhood|my (?:teens|twenties|school days))|since last year|a year or (?:so|more))(?!\w)")

_TR_NUM = rf"(?P<num>{_DECIMAL}|{_alternatives(_TR_NUMBERS)})"
_TR_AMOUNT = re.compile(
    rf"(?<!\w){_TR_NUM}(?P<half> +bucuk)? +(?P<unit>gun|hafta|ay|yil|sene)"
    r"(?P<tail>d[iu]r|t[iu]r|[dt][ai]n +beri|[dt]en +beri|dan +beri|lik|l[iu]k|[ıi]? *boyunca| +boyunca| +once| +kadar once| +olu?yor| +oldu|(?:dir|dur)?)(?!\w)"
)
_TR_WORD_AMOUNT = re.compile(r"(?<!\w)(?P<what>aylardir|yillardir|senelerdir|haftalardir|aylarca|yillarca|uzun (?:zamandir|suredir))(?!\w)")
_TR_SINCE = re.compile(rf"(?<!\w)(?P<month>{_alternatives(_TR_MONTHS)})(?: +ayi)?(?:'?[dt][ae]n|'?[dt]an|ndan|nden|'?(?:in|un|nin|nun) +basindan) +beri(?!\w)")
_TR_SINCE_SEASON = re.compile(rf"(?<!\w)(?P<last>gecen +|gectigimiz +)?(?P<season>{_alternatives(_TR_SEASONS)})(?:d[ae]n|t[ae]n|ndan|ndan) +beri(?!\w)")
_TR_LONG = re.compile(r"(?<!\w)(?:cocuklugumdan beri|gencligimden beri|gecen (?:yildan|seneden) beri|(?:bir|1) (?:yili|seneyi) (?:askin|gecti))(?!\w)")


def _number(text: str, table: dict[str, float] | dict[str, int]) -> float | None:
    text = re.sub(r" +", " ", text)
    if text in table:
        return float(table[text])
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _since_month(month: int, day: int | None, today: date) -> float:
    year = today.year if (month, day or 1) <= (today.month, today.day) else today.year - 1
    try:
        anchor = date(year, month, day or 15)
    except ValueError:
        anchor = date(year, month, 15)
    return float(max(0, (today - anchor).days))


def _since_season(month: int, last: bool, today: date) -> float:
    """Days since the middle of the last such season (the one before, when `last` and it is
    the current one)."""
    year = today.year if month <= today.month else today.year - 1
    if last and year == today.year and abs(today.month - month) <= 1:
        year -= 1
    return float(max(0, (today - date(year, month, 15)).days))


def find_durations(norm: str, language: str, today: date | None = None) -> list[Duration]:
    """Every stated duration or time anchor, as days up to `today`."""
    today = today or date.today()
    found: list[Duration] = []
    if language == "tr":
        for match in _TR_AMOUNT.finditer(norm):
            tail = match.group("tail") or ""
            if not tail or "lik" in tail or "luk" in tail:
                continue  # "iki haftalık izin": a length, not how long it has lasted
            number = _number(match.group("num"), _TR_NUMBERS)
            if number is None:
                continue
            if match.group("half"):
                number += 0.5
            found.append(Duration(match.start(), match.end(), number * _TR_UNITS[match.group("unit")]))
        for match in _TR_WORD_AMOUNT.finditer(norm):
            what = match.group("what")
            days = 21.0 if what.startswith("hafta") else 120.0 if what.startswith("ay") else 400.0
            found.append(Duration(match.start(), match.end(), days))
        for match in _TR_SINCE.finditer(norm):
            month = _TR_MONTHS.index(match.group("month").split()[0]) + 1
            found.append(Duration(match.start(), match.end(), _since_month(month, None, today)))
        for match in _TR_SINCE_SEASON.finditer(norm):
            found.append(Duration(match.start(), match.end(), _since_season(_TR_SEASONS[match.group("season")], bool(match.group("last")), today)))
        for match in _TR_LONG.finditer(norm):
            found.append(Duration(match.start(), match.end(), 400.0))
        return found
    for match in _EN_AMOUNT.finditer(norm):
        if not match.group("for") and not match.group("ago"):
            continue  # "a two week holiday", "3 days a week": an amount, not the time so far
        if match.group("for") == "over" and not re.search(r"(?:past|last) +$", norm[match.start() : match.start("num")]):
            continue  # "came on over a few weeks": how it began, not how long it has lasted
        number = _number(match.group("num"), _EN_NUMBERS)
        if number is None:
            continue
        if match.group("half") or " and " in match.group(0).split(match.group("unit"))[0]:
            number += 0.5
        found.append(Duration(match.start(), match.end(), number * _EN_UNITS[match.group("unit")]))
    for match in _EN_WORD_AMOUNT.finditer(norm):
        what = match.group("what")
        days = 120.0 if what == "months" else 400.0 if what in ("years", "ages", "a long time") or "years" in what else 60.0
        found.append(Duration(match.start(), match.end(), days))
    for match in _EN_SINCE.finditer(norm):
        day = match.group("day") or match.group("day2")
        found.append(Duration(match.start(), match.end(), _since_month(_EN_MONTHS.index(match.group("month")) + 1, int(day) if day else None, today)))
    for match in _EN_SINCE_SEASON.finditer(norm):
        season = re.sub(r" +", " ", match.group("season"))
        found.append(Duration(match.start(), match.end(), _since_season(_EN_SEASONS[season], bool(match.group("last")), today)))
    for match in _EN_LONG.finditer(norm):
        found.append(Duration(match.start(), match.end(), 400.0))
    return found


def over_six_weeks(days: float) -> bool:
    return days > SIX_WEEKS_DAYS
