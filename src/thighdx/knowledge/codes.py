"""Checks on the codes a condition carries: SNOMED CT ids, WHO ICD-10 and ICD-10-CM codes.

Each function answers the problems it finds (an empty list when the code is well formed), so the
loader can report them with the file and the entry at fault.

- SNOMED CT: an identifier is 6 to 18 digits with no leading zero; its last digit is a Verhoeff
  check digit over the others, and the two digits before it are the partition identifier, which
  for a concept is 00 (short format) or 10 (long format, with a namespace)
  (SNOMED CT Technical Implementation Guide, section 6.7 "SCTID" and 6.7.2 "Partition-identifier").
- WHO ICD-10: a category of three characters (letter, two digits), optionally followed by a dot
  and a fourth character; the WHO version has no sixth or seventh character.
- ICD-10-CM: a code must be complete (billable). Two rules are enforced:
  every code in chapter 19 that starts with S needs its 7th character (ICD-10-CM Official
  Guidelines for Coding and Reporting, section I.C.19.a: "the appropriate 7th character is to be
  added to each code from category S..."; A initial, D subsequent, S sequela, and for fractures
  B, C, E-H, J, K, M, N, P, Q, R), with X placeholders for the empty positions; and a code may not
  be a subcategory that the CMS tabular list subdivides further (a known list, below, of the
  headers this knowledge base's conditions fall under, each with the complete codes beneath it).
"""

from __future__ import annotations

import re

# Verhoeff's dihedral-group tables (multiplication D5, permutation and inverse).
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

CONCEPT_PARTITIONS = {"00": "concept (short format)", "10": "concept (long format)"}
OTHER_PARTITIONS = {
    "01": "description", "02": "relationship", "11": "description", "12": "relationship",
}


def verhoeff_check_digit(digits: str) -> str:
    """The Verhoeff check digit to append to `digits`."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[(i + 1) % 8][int(ch)]]
    return str(_INV[c])


def verhoeff_valid(number: str) -> bool:
    """Whether the last digit of `number` is the Verhoeff check digit of the others."""
    if not number.isdigit():
        return False
    c = 0
    for i, ch in enumerate(reversed(number)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


def snomed_concept_problems(sctid: str) -> list[str]:
    """Problems with `sctid` as the identifier of a SNOMED CT concept."""
    if not re.fullmatch(r"[1-9][0-9]{5,17}", sctid):
        return [f"SNOMED CT id {sctid!r} is not 6 to 18 digits without a leading zero"]
    problems = []
    if not verhoeff_valid(sctid):
        problems.append(
            f"SNOMED CT id {sctid} fails its Verhoeff check digit "
            f"(expected {sctid[:-1]}{verhoeff_check_digit(sctid[:-1])} for these digits)"
        )
    partition = sctid[-3:-1]
    if partition not in CONCEPT_PARTITIONS:
        kind = OTHER_PARTITIONS.get(partition, "no known component")
        problems.append(
            f"SNOMED CT id {sctid} has partition identifier {partition} ({kind}), "
            "not a concept's (00 or 10)"
        )
    return problems


def icd10_who_problems(code: str) -> list[str]:
    """Problems with `code` as a WHO ICD-10 code (category or four-character subcategory)."""
    if not re.fullmatch(r"[A-Z][0-9]{2}(\.[0-9])?", code):
        return [(
            f"WHO ICD-10 code {code!r} is not a category (A00) or a four-character code (A00.0); "
            "longer codes belong to national modifications such as ICD-10-CM"
        )]
    return []


# 7th characters allowed in chapter 19 S-codes (ICD-10-CM Official Guidelines I.C.19.a and c.1).
_S_SEVENTH = set("ABCDEFGHJKMNPQRS")

# ICD-10-CM subcategories that the CMS tabular list subdivides further, so they are not billable.
# Each names the complete codes beneath it. Limited to the families this knowledge base uses.
CM_NOT_BILLABLE: dict[str, str] = {
    "G57.0": "G57.00, G57.01, G57.02 or G57.03 (laterality)",
    "G83": "G83.0-G83.9",
    "I26.9": "I26.90-I26.99",
    "I70.2": "I70.20x-I70.29x",
    "I70.21": "I70.211-I70.219 (laterality)",
    "I74": "I74.01-I74.9",
    "I82.4": "I82.40x-I82.4Zx",
    "I82.40": "I82.401-I82.409 (laterality)",
    "M48.0": "M48.00-M48.08",
    "M48.06": "M48.061 or M48.062",
    "M53": "M53.0-M53.9",
    "M53.2": "M53.2X1-M53.2X9",
    "M53.8": "M53.80-M53.88",
    "M54.3": "M54.30, M54.31 or M54.32 (laterality)",
    "M62.8": "M62.81-M62.89",
    "M66": "M66.0-M66.9",
    "M70.7": "M70.70, M70.71 or M70.72 (laterality)",
    "M76.8": "M76.81x-M76.89x",
    "M76.89": "M76.891, M76.892 or M76.899 (laterality)",
    "M79.1": "M79.10-M79.18",
    "M79.6": "M79.60x-M79.67x",
    "M79.65": "M79.651, M79.652 or M79.659 (laterality)",
    "S76": "S76.0-S76.9 with their 7th character",
    "S76.3": "S76.30-S76.39 with laterality and a 7th character",
    "S76.31": "S76.311-, S76.312- or S76.319- with a 7th character",
    "S76.39": "S76.391-, S76.392- or S76.399- with a 7th character",
}


def icd10_cm_problems(code: str) -> list[str]:
    """Problems with `code` as a complete, billable ICD-10-CM code."""
    if not re.fullmatch(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?", code):
        return [f"ICD-10-CM code {code!r} is not of the form A00, A00.0 ... A00.0000"]
    if code in CM_NOT_BILLABLE:
        return [
            f"ICD-10-CM {code} is a subcategory, not a complete code: use {CM_NOT_BILLABLE[code]}"
        ]
    compact = code.replace(".", "")
    if compact.startswith("S"):
        if len(compact) != 7:
            return [(
                f"ICD-10-CM {code} is an injury code (chapter 19, S) without its 7th character "
                "(A initial encounter, D subsequent, S sequela; X fills empty positions)"
            )]
        if compact[6] not in _S_SEVENTH:
            return [f"ICD-10-CM {code}: {compact[6]!r} is not a 7th character of chapter 19"]
    return []


def code_problems(system: str, code: str) -> list[str]:
    """Problems with `code` in `system` ("WHO ICD-10", "ICD-10-CM" or "SNOMED CT")."""
    if system == "SNOMED CT":
        return snomed_concept_problems(code)
    if system == "ICD-10-CM":
        return icd10_cm_problems(code)
    return icd10_who_problems(code)
