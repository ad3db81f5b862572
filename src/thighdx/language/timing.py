"""How long the complaint has lasted, as readings of `symptoms_over_6_weeks`.

`durations` finds amounts and anchors of time; here each is kept only in a clause that tells of
the complaint (not of a cast, a trip or a medicine), and read present (over six weeks) or
absent (under).
"""

from __future__ import annotations

import re
from datetime import date

from thighdx.language.clauses import CLAUSE_FILLER, clause, clause_breaks, sentence
from thighdx.language.durations import Duration, find_durations, find_recent_onsets, over_six_weeks
from thighdx.language.lexicon import Lexicon, kb_background_findings, kb_complaint_findings
from thighdx.language.targets import Target

DURATION_ID = "symptoms_over_6_weeks"
# A long time "ago" is the complaint's onset only in a clause that says it began then
# ("it started three months ago"), not a past event ("three years ago I tore it").
ONSET_WORDS = {
    "en": re.compile(r"(?<!\w)(?:start\w*|began|begun|begin\w*|came on|come on|kicked off|flared|first (?:noticed|felt|started)|since)"),
    "tr": re.compile(r"(?<!\w)(?:basla\w*|beri|suruyor|devam)"),
}
# A short time "ago" is the onset when the clause tells of the complaint or the injury.
RECENT_ONSET_WORDS = {
    "en": re.compile(r"(?<!\w)(?:pull\w*|tore|torn|tear\w*|hurt\w*|injur\w*|strain\w*|did it|happened|felt|noticed|went|pain\w*|ach\w*|sore)"),
    "tr": re.compile(r"(?<!\w)(?:incit\w*|sakat\w*|cek\w*|kop\w*|zorla\w*|hisset\w*|fark et\w*|agri\w*|aci\w*|sanci\w*)"),
}
# An event the complaint follows: a short time "ago" of it bounds the complaint's own time
# ("came off my motorbike 2 weeks ago, now ...", "flew home 5 days ago").
EVENT_WORDS = {
    "en": re.compile(r"(?<!\w)(?:fell|fall\w*|slip\w*|crash\w*|came off|flew|flight|lift\w*|kick\w*|twist\w*|land\w*|ping\w*|twang\w*|"
                     r"trip\w*|tackle\w*|op|operation|surgery|birth|baby|section|born|stepped|bent|picked up|moved|ran|run)(?!\w)"),
    "tr": re.compile(r"(?<!\w)(?:dus\w*|kay\w*|kaza\w*|ucu\w*|ucak\w*|kaldir\w*|tekme\w*|burk\w*|ameliyat\w*|dogum\w*|dogur\w*|kos\w*)"),
}
# A duration in a clause about something else: a cast, an operation, a trip, a medicine.
OTHER_SUBJECT = {
    "en": re.compile(r"(?<!\w)(?:cast|plaster|surgery|operation|op|holiday|trip|flight|pill|tablets|medication|course of|antibiotics|steroids|pregnan\w*|baby)(?!\w)"),
    "tr": re.compile(r"(?<!\w)(?:alci\w*|ameliyat\w*|tatil\w*|ucak\w*|ilac\w*|hap\w*|kortizon\w*|hamile\w*|bebe\w*|dogum\w*)"),
}
# Words that tell a time is how long something has lasted ("been going on 3 months", "beş
# aydır orada"), a time to come, and a complaint called new.
LASTING_WORDS = {
    "en": re.compile(r"(?<!\w)(?:going on|gone on|ongoing|on and off|lasted|lasting|had (?:it|this|them))(?!\w)"),
    "tr": re.compile(r"(?<!\w)(?:orada|surekli|hala|gecmedi|gecmiyor|suruyor|devam|boyle|oyle)(?!\w)"),
}
FUTURE_WORDS = {
    "en": re.compile(r"(?<!\w)(?:appointment|booked|will|going to|next|tomorrow|due|\w+'ll)(?!\w)"),
    "tr": re.compile(r"(?<!\w)(?:randevu\w*|yarin|gelecek|haftaya|\w+(?:acag|eceg|acak|ecek)\w*)"),
}
NEW_WORDS = {
    "en": re.compile(r"(?<!\w)(?:new|recent\w*|sudden\w*|just (?:started|began|came)|out of (?:the )?blue)(?!\w)"),
    "tr": re.compile(r"(?<!\w)(?:yeni|aniden|birden\w*|ansizin)(?!\w)"),
}
# A history finding that tells the course of the complaint itself ("comes and goes"), not of
# something else: a time beside it is the complaint's.
COURSE_OF_THE_COMPLAINT = frozenset({"recurrent_episodes"})
# Symptoms that are not of the leg itself: their time is not the leg's.
NOT_OF_THE_LEG = frozenset({"bladder_dysfunction", "bowel_dysfunction", "sexual_dysfunction_new"})
AGO = re.compile(r"(?:ago|back|once)$")


def with_durations(targets: list[Target], norm: str, lexicon: Lexicon, today: date | None) -> list[Target]:
    """Add `symptoms_over_6_weeks` read from computed durations (more than six weeks:
    present; less: absent) in a clause about the complaint; a computed duration replaces a
    lexicon match on the same words."""
    entry = next((e for e in lexicon.entries if e.id == DURATION_ID), None)
    if entry is None:
        return targets
    computed: list[Target] = []
    language = lexicon.language
    complaints = _complaint_spans(targets)
    for found in find_durations(norm, language, today):
        over = over_six_weeks(found.days)
        left, right = clause(norm, found.start, found.end, language)
        ago = AGO.search(norm[found.start : found.end]) is not None
        event_ago = not over and ago and bool(complaints) and EVENT_WORDS[language].search(norm, left, right) is not None
        if not event_ago and not _tells_of_complaint(norm, left, right, entry.clause_requires, complaints, (found.start, found.end)):
            # A short time tells the complaint is new when its sentence speaks of the complaint;
            # a time standing alone ("..., 4 weeks, ...", "2 weeks now.") is the time of the
            # complaint its sentence tells of, or the sentence before when it is one of its own.
            s_left, s_right = sentence(norm, found.start, found.end)
            alone = _standing_alone(norm, *_own_clause(norm, found, language), found, language)
            if alone and _standing_alone(norm, s_left, s_right, found, language):
                s_left = sentence(norm, max(0, s_left - 2), max(0, s_left - 1))[0]
            if (over and not alone) or not _tells_of_complaint(norm, s_left, s_right, entry.clause_requires, complaints, (found.start, found.end)):
                continue
        if OTHER_SUBJECT[language].search(norm, left, right) and not event_ago:
            continue
        if ago and not event_ago:
            onset = ONSET_WORDS[language].search(norm, left, right)
            if not onset and (over or not RECENT_ONSET_WORDS[language].search(norm, left, right)):
                continue
        computed.append(Target(found.start, found.end, DURATION_ID, not over, False, False))
    # An onset told as a moment ("yesterday", "on Saturday", "dün akşam", "3/52"), unless an
    # amount or anchor already dated the complaint as long-standing ("started on 2 January ...
    # today's the 20th of March": "today" is the present, not the onset).
    long_standing = any(not c.absent for c in computed)
    for found in ([] if long_standing else find_recent_onsets(norm, language)):
        if any(c.start < found.end and found.start < c.end for c in computed):
            continue
        over = over_six_weeks(found.days)
        left, right = clause(norm, found.start, found.end, language)
        if OTHER_SUBJECT[language].search(norm, left, right):
            continue
        # The moment must be told of the complaint: its sentence speaks of it.
        s_left, s_right = sentence(norm, found.start, found.end)
        if not _tells_of_complaint(norm, s_left, s_right, entry.clause_requires, complaints, (found.start, found.end)):
            continue
        computed.append(Target(found.start, found.end, DURATION_ID, not over, False, False, weak=True))
    if not computed and complaints:
        computed = _told_of_the_whole(norm, targets, lexicon, today)
    if not computed:
        return targets
    kept = [t for t in targets if t.fid != DURATION_ID or not any(c.start < t.end and t.start < c.end for c in computed)]
    return kept + computed


def _told_of_the_whole(norm: str, targets: list[Target], lexicon: Lexicon, today: date | None) -> list[Target]:
    """When no time is told in a clause about the complaint, a time told on its own or with a
    word of onset or of lasting dates it, if the times agree: a text about a pain that says
    "that was four days ago", "since the flight last week" or "been going on 3 months" dates the
    pain. Left out: a text whose words already tell a time; the length of something else ("an
    11-hour flight", "diabetic for 20 years", "worked as a nurse for 20 years"), whether named
    as such or, for an amount of time, in a sentence with a history or risk reading; a long time "ago" with no word of
    onset (a past event); a time to come ("appointment on Friday"); and a long time in a text
    that calls the complaint new. Times on both sides of six weeks say nothing."""
    language = lexicon.language
    if any(t.fid == DURATION_ID for t in targets):
        return []
    background = [(t.start, t.end) for t in targets if t.fid in kb_background_findings() and t.fid not in COURSE_OF_THE_COMPLAINT]
    complaints = _complaint_spans(targets)
    times: list[tuple[Duration, bool]] = []
    found_times = [(found, False) for found in find_durations(norm, language, today)]
    found_times += [(found, True) for found in find_recent_onsets(norm, language)]
    for found, moment in found_times:
        over = over_six_weeks(found.days)
        left, right = clause(norm, found.start, found.end, language)
        s_left, s_right = sentence(norm, found.start, found.end)
        ago = AGO.search(norm[found.start : found.end]) is not None
        if FUTURE_WORDS[language].search(norm, s_left, s_right):
            continue
        if not (moment or ago) and any(s_left <= s and e <= s_right for s, e in background):
            continue
        if not moment and not ago and OTHER_SUBJECT[language].search(norm, left, right):
            continue
        onset = ONSET_WORDS[language].search(norm, left, right) is not None
        if ago and over and not onset:
            continue
        told_with_complaint = any(s_left <= s and e <= s_right for s, e in complaints)
        lasting = (found.lasting and told_with_complaint) or LASTING_WORDS[language].search(norm, left, right) is not None
        alone = _standing_alone(norm, *_own_clause(norm, found, language), found, language)
        if not (moment or onset or lasting or alone or (ago and not over)):
            continue
        times.append((found, over))
    if not times or len({over for _, over in times}) > 1:
        return []
    found, over = min(times, key=lambda t: t[0].start)
    if over and NEW_WORDS[language].search(norm):
        return []
    return [Target(found.start, found.end, DURATION_ID, not over, False, False, weak=True)]


def _own_clause(norm: str, time: Duration, language: str) -> tuple[int, int]:
    """The clause a time stands in, without joining a fragment to its neighbour."""
    breaks = clause_breaks(norm, language)
    left = max((e for s, e in breaks if e <= time.start), default=0)
    right = min((s for s, e in breaks if s >= time.end), default=len(norm))
    return left, right


def _standing_alone(norm: str, left: int, right: int, time: Duration, language: str) -> bool:
    """Whether norm[left:right] holds nothing but the time and words that make no clause."""
    rest = (norm[left : time.start] + " " + norm[time.end : right]).split()
    return all(word.strip("'\"()-.,;:!?") in CLAUSE_FILLER[language] or not word.strip("'\"()-.,;:!?") for word in rest)


def _complaint_spans(targets: list[Target]) -> list[tuple[int, int]]:
    """Where the text names a symptom or a sign (not a risk factor or history)."""
    kinds = kb_complaint_findings()
    return [(t.start, t.end) for t in targets if t.fid in kinds and t.fid not in NOT_OF_THE_LEG and t.fid != DURATION_ID and not t.absent]


def _tells_of_complaint(norm: str, left: int, right: int, requires: re.Pattern[str] | None,
                        complaints: list[tuple[int, int]], time: tuple[int, int]) -> bool:
    """Whether norm[left:right], less the time's own words `time` ("this morning"), speaks of
    the complaint: the entry's own words for it, or any symptom or sign the lexicon found there."""
    if requires is None:
        return True
    masked = norm[:time[0]] + " " * (time[1] - time[0]) + norm[time[1]:]
    if requires.search(masked, left, right) is not None:
        return True
    return any(left <= s and e <= right for s, e in complaints)
