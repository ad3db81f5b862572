"""A sentence tells a relative's history only when the relative is its subject and the writer is
not in it; the learned reader leaves an illness told so unread (unknown, for the interview to
ask), and never a risk of a clot such as a journey."""

from __future__ import annotations

import pytest

from thighdx.language import learned_reading, parse
from thighdx.language.experiencer import about_a_relative_only


@pytest.mark.parametrize(
    "sentence",
    ["dad died of bowel cancer last year.", "and my mum had gout for years.", "my brother's had diabetes since he was ten."],
)
def test_a_sentence_with_a_relative_as_subject_is_theirs(sentence: str) -> None:
    assert about_a_relative_only(sentence, "en")


@pytest.mark.parametrize(
    "sentence",
    [
        "visiting my son in australia, flew back 3 days ago.",
        "flew back from seeing my daughter on sunday.",
        "dad and i both have diabetes.",
    ],
)
def test_a_relative_named_on_the_way_leaves_the_sentence_the_writers(sentence: str) -> None:
    assert not about_a_relative_only(sentence, "en")


def test_risks_of_a_clot_are_never_dropped_as_a_relatives() -> None:
    assert "long_journey_recent" not in learned_reading.histories()


@pytest.mark.parametrize(
    ("text", "language", "history"),
    [
        ("Back of my thigh hurts. Mum had a DVT after her op.", "en", "recent_surgery_or_bed_rest"),
        ("Uyluğumun arkası ağrıyor, bacağım sızlıyor. Babam şeker hastası.", "tr", "diabetes"),
        ("Babamda siyatik vardı, ameliyat olmuştu. Bende de aynısı olmasından korkuyorum çünkü sol uyluk arkam sızlıyor.", "tr",
         "recent_surgery_or_bed_rest"),
    ],
)
def test_a_relatives_history_beside_the_writers_own_complaint_is_not_the_writers(text: str, language: str, history: str) -> None:
    assert history not in {m.id for m in parse(text, language)}


@pytest.mark.parametrize(
    ("text", "history"),
    [
        # a text that never names its writer is about the relative: their history is the patient's
        ("Annem meme kanseri, şu an kemoterapi görüyor. Son 10 gündür belinde ve iki bacağının arkasında ağrı var.", "active_cancer"),
        ("babam 58, sigara iciyor, kalbinde stent var. sol bacagi 1 saattir soguk ve beyaz.", "heart_or_vascular_disease"),
    ],
)
def test_a_text_about_a_relative_keeps_their_history(text: str, history: str) -> None:
    assert {m.id: m.choice_id for m in parse(text, "tr")}.get(history) == "present"


@pytest.mark.parametrize(
    "sentence",
    ["babam seker hastasi.", "annemin de kanseri vardi.", "ayrica dedemde pihti olmustu."],
)
def test_a_turkish_sentence_with_a_relative_as_subject_is_theirs(sentence: str) -> None:
    assert about_a_relative_only(sentence, "tr")


@pytest.mark.parametrize(
    "sentence",
    ["babam ve ben seker hastasiyiz.", "annem 70 yasinda, bacagim agriyor.", "annemle yuruyuse ciktim, bacagim koptu."],
)
def test_a_turkish_sentence_where_the_writer_speaks_is_the_writers(sentence: str) -> None:
    assert not about_a_relative_only(sentence, "tr")
