"""Whose complaint a text tells: a text written for someone else names them in the third person."""

from __future__ import annotations

import re

# A text written for someone else: it opens by naming the person with their age ("Mum's 66",
# "My father (77)", "Babam 72 yaşında") or says so ("writing for my dad", "annem için
# yazıyorum"). Then "she", "his leg", "my dad" name the person the text is about.
_RELATIVES = {
    "en": r"mum|mom|mam|mummy|mother|dad|daddy|father|husband|wife|partner|son|daughter|gran|granny|grandma|grandmother|"
    r"grandad|grandpa|grandfather|nan|nana|nanna|brother|sister|uncle|aunt|auntie|boyfriend|girlfriend|father in law|"
    r"mother in law|patient|resident|client|child|kid|boy|girl|friend|neighbour|neighbor",
    "tr": r"annem|babam|oglum|kizim|esim|kocam|karim|nenem|anneannem|babaannem|dedem|kayinpederim|kayinvalidem|"
    r"kayinbabam|kardesim|kiz kardesim|erkek kardesim|ablam|abim|agabeyim|teyzem|amcam|halam|dayim|hastam|komsum|arkadasim",
}
_PROXY = {
    "en": re.compile(
        rf"^\W*(?:\w+\W+){{0,6}}?(?:(?:my|our)\W+)?(?:{_RELATIVES['en']})(?:'s|s)?\W+(?:(?:is|was|aged|age|who is|turned)\W+)?\(?\d{{1,3}}(?!\w*\W*(?:%|mg|kg|km|miles?|mins?|minutes|hours?|days?|weeks?|months?|years? ago|yards?|metres?|meters?))"
        rf"|(?:writing|asking|posting|messaging|enquiring|here) (?:\w+ ){{0,2}}(?:for|about|on behalf of) (?:my|our) (?:\w+ )?(?:{_RELATIVES['en']})"
        rf"|^\W*(?:\w+\W+){{0,6}}?(?:worried|concerned|scared) about (?:my|our) (?:{_RELATIVES['en']})\W+(?:he|she)(?:'s| is) \d{{1,3}}"
        # the person named with their age before the relation: "My 19 yo son", "our 8 year old daughter"
        rf"|^\W*(?:\w+\W+){{0,4}}?(?:my|our)\W+\d{{1,3}}\W*(?:yo|y/?o|yrs?(?: old)?|years? old|year-old)\W+(?:{_RELATIVES['en']})(?!\w)"
        # a carer or nurse writing about the person they look after: "Carer for a 90 yr old lady",
        # "Community nurse re Mrs K, 84"
        rf"|^\W*(?:\w+\W+){{0,2}}?(?:carer|care worker|caregiver|nurse|paramedic)\W+(?:for|re|to|looking after|caring for)\W+(?:a|an|my|our|mrs|mr|ms|miss|this)(?!\w)"
    ),
    "tr": re.compile(
        rf"^\W*(?:\w+\W+){{0,8}}?(?:{_RELATIVES['tr']})\w*\W+(?:\w+\W+){{0,3}}?\d{{1,3}}\W+yas(?:inda|indaki|ında)"
        rf"|^\W*(?:\w+\W+){{0,6}}?\d{{1,3}}\W+yasindaki\W+(?:\w+\W+)?(?:{_RELATIVES['tr']})"
        rf"|(?:{_RELATIVES['tr']})\w*\W+(?:icin|adina) (?:yaziyorum|soruyorum|yazmak|sormak|danismak)|ben yaziyorum"
    ),
}
# A text that opens with a relative as its subject ("Dad collapsed ...", "My husband's foot is
# icy cold ...") and never speaks of the writer ("I", "me", "my" other than "my <relative>") tells
# of that relative.
_OPENS_WITH_RELATIVE = {
    "en": re.compile(rf"^\W*(?:\w+\W+){{0,2}}?(?:(?:my|our)\W+)?(?:{_RELATIVES['en']})(?:'s|s)?(?!\w)"),
    "tr": re.compile(rf"^\W*(?:\w+\W+){{0,2}}?(?:{_RELATIVES['tr']})\w*"),
}
# A sentence whose subject is a relative: it opens with one ("Dad ...", "And my mum's ...").
_RELATIVE_AS_SUBJECT = {
    "en": re.compile(rf"^\W*(?:(?:and|but|also|plus)\W+)?(?:(?:my|our)\W+)?(?:{_RELATIVES['en']})(?:'s|s)?(?!\w)"),
    # "Babam şeker hastası.", "Annemin de kanseri vardı.", "Ayrıca dedemde pıhtı olmuştu."
    "tr": re.compile(rf"^\W*(?:(?:ve|ayrica|bir de|hem)\W+)?(?:{_RELATIVES['tr']})\w*(?!\w)"),
}
_WRITER = {
    # a Turkish writer speaks of themself with "ben", a first-person verb ("hastayım",
    # "bilmiyorum", "geçirdim") or their own body part ("bacağım", "belimde", "uyluk arkam")
    "tr": re.compile(r"(?<!\w)(?:ben|benim|benimki|bende|bana|beni|bizim|biz)(?!\w)"
                     r"|(?<!\w)\w+(?:iyorum|uyorum|yorum|dim|dum|[pkcshft](?:tim|tum)|yim|yum|mistim|mustum|miyim|muyum)(?!\w)"
                     r"|(?<!\w)(?:(?:bacag|uylug|baldir|diz|ayag|sirt|gogs|karn|bel|kol)(?:im|um)|(?:kalca|popo|arka|kica)m)\w*"),
    "en": re.compile(rf"(?<!\w)(?:i|i'm|im|i've|ive|i'd|i'll|me|myself|mine|we|us)(?!\w)|(?<!\w)my (?!(?:\w+ )?(?:{_RELATIVES['en']})(?!\w))"),
}
# ... and goes on speaking of them ("he", "her leg"): a first line about a relative followed by
# the writer's own complaint in note form ("Mum has MS. Sore hamstring after football") is not.
_THIRD_PERSON = {
    "en": re.compile(r"(?<!\w)(?:he|she|he's|she's|his|her|him|hes|shes)(?!\w)"),
    # a body part with the third person's ending ("bacağı", "belinde", "kalçası"; not "arkası",
    # which follows the writer's own "uyluğumun"), or "o", "onun", "kendisi"
    "tr": re.compile(r"(?<!\w)(?:(?:bacag|uylug|baldir|diz|ayag|sirt|gogs|karn|bel|kol)|(?:kalca|popo|kica)s|(?:bacak|ayak)lar)(?:i|u)(?:n(?:d[ae]n?|[ae]|i|u|in|un)?)?(?!\w)"
                     r"|(?<!\w)(?:o|onun|ona|onu|kendisi|kendisinin)(?!\w)"),
}
# ... unless it tells of a clot the relative had: the family's history, typed as a risk.
_RELATIVES_CLOT = {
    "en": re.compile(r"(?<!\w)had (?:a |an )?(?:\w+ ){0,2}(?:clot|dvt|pe|embolism|thrombosis)(?!\w)"),
    "tr": re.compile(r"(?<!\w)(?:pihti|dvt|emboli|tromboz)\w*"),
}
# Context cues that still say "a relative" in such a text: family history, not the person.
FAMILY_HISTORY = re.compile(r"famil|runs in|aile")


def written_for_someone_else(norm: str, language: str) -> bool:
    """Whether the text is written about someone else (see `_PROXY`)."""
    if _PROXY[language].search(norm[:300]) is not None:
        return True
    opens = _OPENS_WITH_RELATIVE.get(language)
    return (opens is not None and opens.search(norm) is not None and _WRITER[language].search(norm) is None
            and _THIRD_PERSON[language].search(norm) is not None and _RELATIVES_CLOT[language].search(norm) is None)



def about_a_relative_only(sentence: str, language: str) -> bool:
    """Whether a sentence (normalised) opens with a relative as its subject and never names the
    writer ("Dad died of bowel cancer last year.", "Babam şeker hastası."): what it tells is the
    relative's. A sentence that only names a relative on the way ("visiting son in Australia,
    back 3 days") tells the writer's own."""
    subject = _RELATIVE_AS_SUBJECT.get(language)
    writer = _WRITER.get(language)
    return subject is not None and writer is not None and subject.search(sentence) is not None and writer.search(sentence) is None

