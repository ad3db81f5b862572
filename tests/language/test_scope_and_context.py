"""A duration, an exercise event, normal urine, "faint" and a negation's reach past a comma:
each finding is read only where the words are about it."""

from __future__ import annotations

import pytest

from thighdx.language import parse


def found(text: str, language: str = "en") -> dict[str, str]:
    return {m.id: m.choice_id for m in parse(text, language)}


CASES = [
    # (language, text, expected subset, ids that must not appear)
    ("en", "I've been on prednisolone for two years.", {}, ("symptoms_over_6_weeks",)),
    ("en", "I've run for ten years.", {}, ("symptoms_over_6_weeks",)),
    ("en", "The pain has been there for two months.", {"symptoms_over_6_weeks": "present"}, ()),
    ("en", "Pain in my thigh, for three months now.", {"symptoms_over_6_weeks": "present"}, ()),
    ("en", "I've been building up my mileage over the past few weeks.", {}, ("gradual_onset",)),
    ("en", "Did a 20-mile charity walk on Saturday. Two days on, the backs of both thighs ache.",
     {"onset_after_unaccustomed_exercise": "present"}, ()),
    ("en", "First spin class in years yesterday, today my hamstrings are killing me.",
     {"onset_after_unaccustomed_exercise": "present"}, ()),
    ("en", "Ran my first half marathon at the weekend.", {"onset_after_unaccustomed_exercise": "present"}, ()),
    ("en", "My wee looks normal.", {"dark_urine_after_exercise": "absent"}, ()),
    ("en", "Urine is a normal colour.", {"dark_urine_after_exercise": "absent"}, ()),
    ("en", "Pee's fine.", {"dark_urine_after_exercise": "absent"}, ()),
    ("en", "My pee is dark brown like cola.", {"dark_urine_after_exercise": "present"}, ()),
    ("en", "No swelling, numbness in my foot.", {"leg_swelling_one_side": "absent", "numbness_or_tingling": "present"}, ()),
    ("en", "No bruising, numbness started yesterday.", {"numbness_or_tingling": "present"}, ()),
    ("en", "No swelling, numbness or tingling.", {"leg_swelling_one_side": "absent", "numbness_or_tingling": "absent"}, ()),
    ("en", "No swelling, numbness or tingling in my foot.", {"numbness_or_tingling": "absent"}, ()),
    ("en", "Denies numbness, tingling or weakness.", {"numbness_or_tingling": "absent", "leg_weakness": "absent"}, ()),
    ("en", "There's a faint ache at the back of my thigh.", {}, ("fainting_or_racing_heart", "getting_better")),
    ("en", "I have a faint bruise.", {"bruising_back_of_thigh": "present"}, ("fainting_or_racing_heart",)),
    ("en", "I fainted this morning.", {"fainting_or_racing_heart": "present"}, ()),
    ("en", "I nearly passed out.", {"fainting_or_racing_heart": "present"}, ()),
    ("en", "I felt faint when I stood up.", {"fainting_or_racing_heart": "present"}, ()),
    ("en", "I can't fall asleep because of the pain.", {}, ("direct_blow_or_fall", "numbness_or_tingling")),
    ("en", "My foot keeps falling asleep.", {"numbness_or_tingling": "present"}, ()),
    ("en", "I took the lift to the office.", {}, ("onset_after_lifting_or_bending",)),
    ("en", "I hurt it lifting a heavy box.", {"onset_after_lifting_or_bending": "present"}, ()),
    ("en", "I popped to the shops.", {}, ("popping_sensation",)),
    ("en", "I felt a pop in my hamstring.", {"popping_sensation": "present"}, ()),
    ("en", "The temperature outside was freezing.", {}, ("fever_or_chills",)),
    ("en", "I've had a temperature of 38.", {"fever_or_chills": "present"}, ()),
    ("tr", "İki yıldır kortizon kullanıyorum.", {}, ("symptoms_over_6_weeks",)),
    ("tr", "On yıldır koşuyorum.", {}, ("symptoms_over_6_weeks",)),
    ("tr", "İki aydır ağrım var.", {"symptoms_over_6_weeks": "present"}, ()),
    ("tr", "Yıllardır futbol oynuyorum ama uyluğumun arkası üç aydır ağrıyor.", {"symptoms_over_6_weeks": "present"}, ()),
    ("tr", "Hafta sonu ilk defa 20 km yürüdüm, iki gündür arka bacaklarım ağrıyor.",
     {"onset_after_unaccustomed_exercise": "present", "symptoms_over_6_weeks": "absent"}, ()),
    ("tr", "Hafta sonu ilk yarı maratonumu koştum.", {"onset_after_unaccustomed_exercise": "present"}, ()),
    ("tr", "İdrarım normal renkte.", {"dark_urine_after_exercise": "absent"}, ("bladder_dysfunction",)),
    ("tr", "Çişimin rengi normal.", {"dark_urine_after_exercise": "absent"}, ()),
    ("tr", "Antrenmandan sonra idrarım kola renginde.", {"dark_urine_after_exercise": "present"}, ()),
    ("tr", "Ateş gibi yanıyor.", {}, ("fever_or_chills",)),
    ("tr", "Bacağımı düz kaldırınca ağrı iniyor.", {"positive_straight_leg_raise": "present"}, ("onset_after_lifting_or_bending",)),
]


@pytest.mark.parametrize(("language", "text", "expected", "absent_ids"), CASES)
def test_scope_and_context(language: str, text: str, expected: dict[str, str], absent_ids: tuple[str, ...]) -> None:
    result = found(text, language)
    for fid, choice in expected.items():
        assert result.get(fid) == choice, (text, result)
    for fid in absent_ids:
        assert fid not in result, (text, result)
