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
    lasting: bool = False  # told as lasting until now ("iki aydır", "been like this for weeks")


_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "eighteen": 18,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "a couple of": 2, "couple of": 2, "a couple": 2,
    "a few": 3, "few": 3, "several": 4, "a number of": 3, "many": 6, "some": 3, "a good few": 4,
}
_TR_NUMBERS = {
    "bir": 1, "bi": 1, "iki": 2, "uc": 3, "dort": 4, "bes": 5, "alti": 6, "yedi": 7, "sekiz": 8, "dokuz": 9, "on": 10,
    "on bir": 11, "on iki": 12, "on bes": 15, "yirmi": 20, "otuz": 30, "kirk": 40, "elli": 50, "altmis": 60, "doksan": 90,
    "birkac": 3, "bir kac": 3, "kac": 3, "bir bucuk": 1.5, "yarim": 0.5,
}
# Units by their shape, so that the ways people spell them ("mnths", "wks", "yeras", "gn")
# read as the unit: the first letter tells which.
_EN_UNIT_SHAPES = (r"days?|dayz|dys?|w(?:ee|e|i)?k[sz]?|fort?nights?|months?|monthes|mnths?|mths?|monhts?|monts?|mnts?"
                   r"|y(?:ea|e|a|ae)?rs?|yeras|yaers")
_EN_UNIT_DAYS = {"d": 1, "w": 7, "f": 14, "m": 30, "y": 365}
_TR_UNIT_SHAPES = r"gun|gn|hafta|hfta|hft|hf|ay|yil|yl|sene|sne"
_TR_UNIT_DAYS = {"g": 1, "h": 7, "a": 30, "y": 365, "s": 365}


def unit_days(unit: str, language: str) -> int:
    """Days in a unit as written ("mnths", "wk", "hfta")."""
    return (_TR_UNIT_DAYS if language == "tr" else _EN_UNIT_DAYS)[unit[0]]


_EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_TR_MONTHS = ["ocak", "subat", "mart", "nisan", "mayis", "haziran", "temmuz", "agustos", "eylul", "ekim", "kasim", "aralik"]
# The middle month of each season (northern hemisphere).
_EN_SEASONS = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1, "christmas": 12, "easter": 4, "new year": 1}
_TR_SEASONS = {"ilkbahar": 4, "bahar": 4, "yaz": 7, "sonbahar": 10, "kis": 1, "yilbasi": 1, "bayram": 6}


def _alternatives(words: object) -> str:
    return "|".join(sorted((re.escape(w).replace("\\ ", " +") for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


_DECIMAL = r"\d+(?:[.,]\d+)?"
_EN_NUM = rf"(?P<num>{_DECIMAL}|{_alternatives(_EN_NUMBERS)})"
_EN_UNIT = rf"(?P<unit>{_EN_UNIT_SHAPES})"
_EN_AMOUNT = re.compile(
    rf"(?<!\w)(?:(?P<for>for|past|last|over|about|nearly|almost|around|more than|the past|the last|the better part of|since|from|a good"
    r"|been(?: +(?:like (?:this|that)|this way|going on|on and off|at it|happening|there|sore|bad|painful|aching|hurting|a problem))?)"
    r" +(?:the +)?(?:(?:past|last|about|around|a good|like|roughly|maybe|approx\w*|at least|nearly|almost|close to|just over|well over|over|just under|probably) +)?)?"
    rf"{_EN_NUM}(?: and a half| and half)? +{_EN_UNIT}(?P<half> and a half)?"
    r"(?: +(?P<ago>ago|back|now|on|in|of (?:this|it|pain|the|my|that|sciatica|agony|pins|\w+ness|\w*ache|\w*aches"
    r"|(?!(?:training|running|rest|walking|cycling|swimming|working|sitting|travelling|traveling)\b)\w+ing)))?(?!\w)"
)
# Clinical shorthand and notes: "2d", "3wk", "6/12" aside, a number joined to a short unit
# ("4d L calf pain"), or an amount leading a note before the side or the body part ("4 days R
# post thigh pain", "3 weeks left buttock ache").
# (Years are left out: "64 yr M" is an age.)
_EN_SHORT_UNITS = {"d": 1, "dy": 1, "dys": 1, "wk": 7, "wks": 7, "w": 7, "mo": 30, "mos": 30, "mth": 30, "mths": 30}
_EN_SHORT = re.compile(r"(?<![\w/.])(?P<num>\d{1,3}) ?(?P<unit>d|dys?|wks?|w|mos?|mths?)(?!\w)(?! ?(?:old|per|a week|/))")
_EN_LEADING = re.compile(
    rf"(?<![\w/])(?P<num>\d+(?:[.,]\d+)?|{_alternatives(_EN_NUMBERS)}) +{_EN_UNIT}"
    r" +(?=(?:h/o +|hx +|history +(?:of +)?)?(?:l|r|lt|rt|left|right|bilat\w*|b/l|both|post\w*|posterior|worsening|increasing|progressive)(?!\w))"
)
# The place in a course told as an ordinal: "week 3", "wk 3", "3rd week of this", "day 10".
_EN_ORDINAL = re.compile(
    r"(?<!\w)(?:(?P<unit1>week|wk|day|month) +(?P<num1>\d{1,3})(?![\w/.,])"
    r"|(?:(?P<num2>\d{1,2})(?:st|nd|rd|th)|(?P<word2>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth))"
    r" +(?P<unit2>week|day|month) +(?:of|with|now|since|and))"
)
_ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
_ORDINAL_UNITS = {"week": 7, "wk": 7, "day": 1, "month": 30}
# A year as an anchor: "since 2022", "since the spring of 2021".
_EN_SINCE_YEAR = re.compile(r"(?<!\w)since +(?:(?:the +)?(?:\w+ +){0,3}(?:of|in) +)?(?P<year>(?:19|20)\d\d)(?!\w)")
_EN_WORD_AMOUNT = re.compile(r"(?<!\w)(?:for|over) +(?P<what>months|years|donkey'?s years|yonks|ages now|a long time now)(?!\w)")
_EN_SINCE = re.compile(
    rf"(?<!\w)(?:since|from|back in|(?:started|began|begun|starting|kicked off|came on) +(?:on|in|around|about)|beginning of|end of) +(?:the +)?(?:(?:start|beginning|middle|end) +of +)?"
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)? +(?:of +)?)?(?P<month>{_alternatives(_EN_MONTHS)})(?: +(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)?(?!\w)"
)
_EN_SINCE_SEASON = re.compile(
    rf"(?<!\w)(?:since|from|back in|over) +(?:(?P<last>last +|the +)?|(?:(?!since|and|but)\w+ +){{1,5}}?(?P<last2>last +|this past +))"
    rf"(?P<season>{_alternatives(_EN_SEASONS)})(?!\w)"
)
_EN_FELL = re.compile(r"(?<!\w)(?:(?:fell|falling|fallen)(?! (?:asleep|pregnant|in love|apart|behind|through|ill|sick|out with))|a fall|had a fall"
                     r"|fall (?:off|from|on|down|over|onto)|trip\w*|slip\w*|stumbl\w*|came off|went over)(?!\w)")
_EN_LONG = re.compile(
    r"(?<!\w)(?:since (?:i was a (?:kid|child|teenager)|childhood|my (?:teens|twenties|school days))|since (?:\w+ +){0,4}last year"
    r"|a year or (?:so|more)|(?:this|the) (?:past|last) year|since before (?:the )?(?:pandemic|covid|lockdown)|over the (?:past|last) year)(?!\w)"
)

# A unit standing for one of itself: "for the past month", "over the last fortnight", "all
# week", "since last month" (at most two months back, and most days less than six weeks); a
# bare "last month" is an event's date ("had an injection last month"), not the time so far.
_EN_PAST_UNIT = re.compile(
    r"(?<!\w)(?:(?:for|over|in|during|since) +(?:the +)?|the +)(?:past|last|previous) +(?P<unit>week|fortnight|month)(?!\w)"
    r"|(?<!\w)all +(?P<all>week)(?! +long\b)(?!\w)"
    r"|(?<!\w)since(?: +(?!since|and|but)\w+){1,5}? +last +(?P<since>week|fortnight|month)(?!\w)"
)
_TR_PAST_UNIT = re.compile(r"(?<!\w)(?:gecen|gectigimiz|onceki) +ay(?:dan|in +basindan|in +ortasindan) +(?:beri|bu yana)(?!\w)")

_TR_NUM = rf"(?P<num>{_DECIMAL}|{_alternatives(_TR_NUMBERS)})"
_TR_AMOUNT = re.compile(
    rf"(?<!\w){_TR_NUM}(?P<half> +bucuk)? +(?P<unit>{_TR_UNIT_SHAPES})"
    r"(?P<tail>(?P<lasting>d[iu]?r|t[iu]?r|[dt][aie]n +(?:beri|bu yana)|y?[iu] +(?:gecti|asti|buldu|gecmis\w*|devirdi))"
    r"|lik|l[iu]k|[ıi]? *boyunca| +boyunca| +once| +kadar once| +olu?yor| +oldu|)(?!\w)"
)
_TR_WORD_AMOUNT = re.compile(r"(?<!\w)(?P<what>aylardir|yillardir|senelerdir|haftalardir|aylarca|yillarca|uzun (?:zamandir|suredir))(?!\w)")
_TR_SINCE = re.compile(rf"(?<!\w)(?P<month>{_alternatives(_TR_MONTHS)})(?: +ayi)?(?:'?[dt][ae]n|'?[dt]an|ndan|nden|'?(?:in|un|nin|nun) +basindan) +beri(?!\w)")
_TR_SINCE_SEASON = re.compile(rf"(?<!\w)(?P<last>gecen +|gectigimiz +)?(?P<season>{_alternatives(_TR_SEASONS)})(?:d[ae]n|t[ae]n|ndan|ndan) +beri(?!\w)")
_TR_SINCE_YEAR = re.compile(r"(?<!\w)(?P<year>(?:19|20)\d\d)(?:'?(?:den|dan|ten|tan)) +(?:beri|bu yana)(?!\w)")
_TR_LONG = re.compile(r"(?<!\w)(?:cocuklugumdan beri|gencligimden beri|gecen (?:yildan|seneden) beri|(?:bir|1) (?:yili|seneyi) (?:askin|gecti))(?!\w)")


# An amount with no "for", "ago" or "-dır" is still the time so far when it stands as an item
# of its own, as notes and lists give it ("sciatica right leg 2 months, shooting", "2 weeks
# now", "had it 3 weeks in my leg", "sağ bacak ağrısı 3 hafta."): followed by the end of a
# clause or of the text, and not a time to come or a rate ("in 2 weeks", "3 days a week").
_BARE_AFTER = {
    "en": re.compile(r" *(?:$|[,.;:!?)\n]| (?:now|in|x|with|since|and|but|of (?:this|it|pain))(?!\w))"),
    "tr": re.compile(r" *(?:$|[,.;:!?)\n]| (?:oldu|ve|ama)(?!\w))"),
}
_BARE_BEFORE = {
    "en": re.compile(r"(?<!\w)(?:in|within|after|every|per|each|next|until|till|by|at|than|the|those|these|first|of|takes?|took|"
                     r"lasts?|lasted|wait|waiting|waited|another|extra|only|days?|weeks?|times?|hours?|once|twice|miles?|km|k)\W*$"),
    "tr": re.compile(r"(?<!\w)(?:her|icinde|sonra|sonraki|gelecek|once|ilk|son|baska|ek|haftada|ayda|gunde|yilda|kez|defa)\W*$"),
}


_RATE_BEFORE = re.compile(r"(?:days?|times?|hours?|hrs?|once|twice|nights?|sessions?|rides?|runs?|shifts?) *$")


def _bare_amount(norm: str, start: int, end: int, language: str) -> bool:
    if _BARE_AFTER[language].match(norm, end) is None or norm.startswith(("a ", "an "), start):
        return False
    return _BARE_BEFORE[language].search(norm, max(0, start - 12), start) is None


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
    if date(year, month, 15) > today:
        year -= 1  # "since Christmas" early in December: last year's
    return float(max(0, (today - date(year, month, 15)).days))


def find_durations(norm: str, language: str, today: date | None = None) -> list[Duration]:
    """Every stated duration or time anchor, as days up to `today`."""
    today = today or date.today()
    found: list[Duration] = []
    if language == "tr":
        for match in _TR_AMOUNT.finditer(norm):
            tail = match.group("tail") or ""
            if "lik" in tail or "luk" in tail or (not tail and not _bare_amount(norm, match.start(), match.end(), "tr")):
                continue  # "iki haftalık izin": a length, not how long it has lasted
            number = _number(match.group("num"), _TR_NUMBERS)
            if number is None:
                continue
            if match.group("half"):
                number += 0.5
            if re.search(r"(?:gecti|asti|buldu|gecmis\w*|devirdi)$", tail):
                number += 0.1  # "altı haftayı geçti": more than six weeks
            found.append(Duration(match.start(), match.end(), number * unit_days(match.group("unit"), "tr"), bool(match.group("lasting"))))
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
        for match in _TR_SINCE_YEAR.finditer(norm):
            found.append(Duration(match.start(), match.end(), _since_year(int(match.group("year")), today)))
        for match in _TR_PAST_UNIT.finditer(norm):
            found.append(Duration(match.start(), match.end(), 30.0))
        return found
    for match in _EN_AMOUNT.finditer(norm):
        if not match.group("for") and not match.group("ago") and not _bare_amount(norm, match.start(), match.end(), "en"):
            continue  # "a two week holiday", "3 days a week": an amount, not the time so far
        if _RATE_BEFORE.search(norm, max(0, match.start() - 8), match.start()):
            continue  # "5 days a week now": a rate
        if match.group("for") == "over" and not re.search(r"(?:past|last) +$", norm[match.start() : match.start("num")]):
            continue  # "came on over a few weeks": how it began, not how long it has lasted
        number = _number(match.group("num"), _EN_NUMBERS)
        if number is None:
            continue
        if match.group("half") or " and " in match.group(0).split(match.group("unit"))[0]:
            number += 0.5
        lasting = (match.group("for") or "").startswith("been") or (match.group("ago") or "") == "now"
        found.append(Duration(match.start(), match.end(), number * unit_days(match.group("unit"), "en"), lasting))
    for match in _EN_WORD_AMOUNT.finditer(norm):
        what = match.group("what")
        days = 120.0 if what == "months" else 400.0 if what in ("years", "ages", "a long time") or "years" in what else 60.0
        found.append(Duration(match.start(), match.end(), days))
    for match in _EN_SINCE.finditer(norm):
        day = match.group("day") or match.group("day2")
        found.append(Duration(match.start(), match.end(), _since_month(_EN_MONTHS.index(match.group("month")) + 1, int(day) if day else None, today)))
    for match in _EN_SINCE_SEASON.finditer(norm):
        season = re.sub(r" +", " ", match.group("season"))
        if season == "fall" and (match.group("last") or "").strip() == "the" and _EN_FELL.search(norm):
            continue  # "since the fall" in a text that tells of falling is the fall, not autumn
        found.append(Duration(match.start(), match.end(), _since_season(_EN_SEASONS[season], bool(match.group("last") or match.group("last2")), today)))
    for match in _EN_LONG.finditer(norm):
        found.append(Duration(match.start(), match.end(), 400.0))
    for match in _EN_SHORT.finditer(norm):
        found.append(Duration(match.start(), match.end(), float(match.group("num")) * _EN_SHORT_UNITS[match.group("unit")]))
    for match in _EN_LEADING.finditer(norm):
        if any(d.start <= match.start() < d.end for d in found):
            continue
        number = _number(match.group("num"), _EN_NUMBERS)
        if number is not None:
            found.append(Duration(match.start(), match.end(), number * unit_days(match.group("unit"), "en")))
    for match in _EN_ORDINAL.finditer(norm):
        unit = match.group("unit1") or match.group("unit2")
        word = match.group("word2")
        number = float(_ORDINAL_WORDS.index(word) + 1 if word else match.group("num1") or match.group("num2"))
        found.append(Duration(match.start(), match.end(), number * _ORDINAL_UNITS[unit]))
    for match in _EN_SINCE_YEAR.finditer(norm):
        found.append(Duration(match.start(), match.end(), _since_year(int(match.group("year")), today)))
    for match in _EN_PAST_UNIT.finditer(norm):
        if any(d.start < match.end() and match.start() < d.end for d in found):
            continue
        found.append(Duration(match.start(), match.end(), float(unit_days(match.group("unit") or match.group("all") or match.group("since"), "en"))))
    return found


def _since_year(year: int, today: date) -> float:
    """Days since the middle of a year named as an anchor (a year to come: none)."""
    if year > today.year:
        return 0.0
    return float(max(0, (today - date(year, 7, 1)).days)) if year < today.year else float(max(0, (today - date(year, 1, 1)).days) / 2)


def over_six_weeks(days: float) -> bool:
    return days > SIX_WEEKS_DAYS


# A recent onset told as a moment rather than an amount: "yesterday", "on Saturday", "since
# the weekend", "last week", "an hour ago", clinical shorthand "2/7" (days), "3/52" (weeks),
# "2/12" (months). Each is the complaint's age in days, so it says the complaint is new
# (under six weeks) unless an amount elsewhere says it is older.
_EN_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|wed|thurs|fri|sat|sun"
_EN_RECENT = re.compile(
    r"(?<!\w)(?:"
    r"(?P<day>(?<!than )yesterday|(?<!than )last night|since (?:this morning|this afternoon|this evening|this am|earlier today|today|tonight))"
    rf"|(?P<weekday>(?:(?:on|since|last|this past|this|by|from|until) +(?:{_EN_WEEKDAYS})(?!s\b)(?: +(?:night|nite|morning|evening|afternoon))?)"
    rf"|(?:{_EN_WEEKDAYS}) +(?:night|nite|morning|evening|afternoon))"
    r"|(?P<weekend>(?:since |over |at |on )?(?:the|last|this) +weekend|last week|since (?:this|last) week|earlier this week|the other day|this week)"
    r"|(?P<today>(?<!than )(?<!as )(?:today|2day|tonight|this (?:morning|evening|afternoon|am))"
    r"|(?<!every )(?<!each )(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?!s)(?: +(?:night|nite|morning|evening|afternoon|arvo|am|pm))?)"
    r"|(?P<hours>(?:a|an|one|half an?|\d+|a few|few|couple of|a couple of|two|three|ten|twenty|thirty) +(?:min|mins|minutes?|hours?|hrs?) +(?:ago|back|now)"
    r"|(?:came on|started|began|happened) +(?:\w+ +){0,2}(?:in|within|over) +(?:a few |about |\d+ )?(?:min|mins|minutes|seconds|an hour|hours)"
    r"|for +(?:the +(?:last|past) +)?(?:an|a few|\d+|two|three|four|five|six) +(?:hours?|hrs?)"
    r"(?! +(?:every|each|a day|at a time|after|afterwards|in the morning|or so|when|before|if)\b))"
    r"|(?P<later>(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|couple of|a couple of) +days? +(?:later|on|in|now))"
    r"|(?P<shorthand>(?:x ?)?(?P<n>\d{1,2}) ?/ ?(?P<per>52|12|7)(?![/.]?\d))"
    r")(?!\w)"
)
_TR_WEEKDAYS = "pazartesi|sali|carsamba|persembe|cuma|cumartesi|pazar"
_TR_RECENT = re.compile(
    r"(?<!\w)(?:"
    r"(?P<day>dunden beri|dun (?:aksam|gece|sabah|ogleden sonra)(?:dan|den|tan|ten) beri|bu (?:sabah|aksam|gece)(?:tan|dan|ten|den) beri|sabahtan beri|aksamdan beri|geceden beri)"
    rf"|(?P<weekday>(?:gecen|bu|gectigimiz) +(?:{_TR_WEEKDAYS})\w*|(?:{_TR_WEEKDAYS})(?: +gunu| +aksami| +gecesi| +sabahi)\w*|(?:{_TR_WEEKDAYS})(?:dan|den|ndan|nden|tan|ten) +beri)"
    r"|(?P<weekend>gecen +hafta\w*(?: +sonu\w*)?|(?:bu )?hafta +sonu(?:ndan beri)?|bu haftadan beri|bu hafta|gecenlerde|bu ay\w* (?:basindan )?beri)"
    r"|(?P<today>(?:dun|bugun|bu (?:sabah|aksam|gece|ogle)\w*|ertesi gun\w*|(?:simdi |bugun )?\d\. gun\w*)(?! +(?:gibi|kadar)))"
    r"|(?P<hours>(?:\d+|bir|iki|uc|dort|bes|on|yirmi|otuz|yarim|birkac|bir kac) +(?:saat|dakika)(?:dir|tir|tan beri|ten beri|dan beri| +once| +oldu| +gecti| +kadar once))"
    r"|(?P<later>(?:\d+|bir|iki|uc|dort|bes|birkac|bir kac) +gun +(?:gecti|oldu|sonra))"
    r")(?!\w)"
)
_RECENT_DAYS = {"day": 0.5, "weekday": 4.0, "weekend": 5.0, "hours": 0.1, "later": 3.0, "today": 1.0}


def find_recent_onsets(norm: str, language: str) -> list[Duration]:
    """Every recent onset told as a moment ("yesterday", "dün akşam", "on Saturday", "an hour
    ago", "5 days later", "2/7"), as days; clinical shorthand N/52 and N/12 may be long."""
    pattern = _TR_RECENT if language == "tr" else _EN_RECENT
    found: list[Duration] = []
    for match in pattern.finditer(norm):
        kind = next(k for k in ("day", "weekday", "weekend", "hours", "later", "shorthand", "today") if match.groupdict().get(k))
        if kind == "shorthand":
            number = int(match.group("n"))
            per = match.group("per")
            if number == 0 or (per == "7" and number > 7) or (per == "12" and number > 12):
                continue
            days = float(number * {"7": 1, "52": 7, "12": 30}[per])
        elif kind == "later":
            if _RATE_BEFORE.search(norm, max(0, match.start() - 8), match.start()):
                continue  # "9 hrs a day in the chair": a rate, not a moment
            later = _number(match.group(0).split()[0], _EN_NUMBERS if language == "en" else _TR_NUMBERS)
            days = float(later) if later is not None else 3.0
        else:
            days = _RECENT_DAYS[kind]
        found.append(Duration(match.start(), match.end(), days))
    return found
