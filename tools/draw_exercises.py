"""Draw the exercise illustrations: one stick-figure SVG for the start and one for the end position.

    .venv/bin/python tools/draw_exercises.py

Each pose is a few body points (hip, neck, and where each hand and foot goes); elbows and knees
are placed by two-bone geometry so every limb keeps its length. The SVG files are written to
src/thighdx/web/static/exercises/<id>-start.svg and <id>-end.svg, with the English alt text of
exercises.yaml as their <title> (the pages use the alt text in the person's language).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "thighdx" / "web" / "static" / "exercises"
EXERCISES = ROOT / "src" / "thighdx" / "knowledge" / "data" / "exercises.yaml"

W, H, FLOOR = 240, 160, 140
TORSO, THIGH, SHIN, UPPER, FORE, HEAD = 48.0, 34.0, 34.0, 26.0, 24.0, 10.0
INK, FAR, PROP, ACCENT = "#1f2933", "#8a96a3", "#7b8794", "#0b6bcb"
LYING = FLOOR - HEAD  # the torso's height when lying on the floor

P = tuple[float, float]


def _dir(angle: float) -> P:
    return math.cos(math.radians(angle)), math.sin(math.radians(angle))


def _add(a: P, b: P, k: float = 1.0) -> P:
    return a[0] + b[0] * k, a[1] + b[1] * k


def _joint(root: P, target: P, l1: float, l2: float, bend: str) -> tuple[P, P]:
    """The middle joint and the end point of a two-bone limb reaching for target."""
    dx, dy = target[0] - root[0], target[1] - root[1]
    d = math.hypot(dx, dy) or 1e-6
    d = max(abs(l1 - l2) + 1e-3, min(d, l1 + l2 - 1e-3))
    base = math.atan2(dy, dx)
    off = math.acos(max(-1.0, min(1.0, (l1 * l1 + d * d - l2 * l2) / (2 * l1 * d))))
    end = (root[0] + math.cos(base) * d, root[1] + math.sin(base) * d)
    options = [(root[0] + math.cos(base + s * off) * l1, root[1] + math.sin(base + s * off) * l1) for s in (1, -1)]
    axis = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}[bend]
    middle = max(options, key=lambda p: p[0] * axis[0] + p[1] * axis[1])
    return middle, end


def _line(points: list[P], colour: str, width: float = 5.0) -> str:
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}" '
            f'stroke-linecap="round" stroke-linejoin="round"/>')


def figure(pose: dict[str, Any]) -> list[str]:
    hip: P = pose["hip"]
    neck: P = pose["neck"] if "neck" in pose else _add(hip, _dir(pose.get("torso", -90)), TORSO)
    ux, uy = neck[0] - hip[0], neck[1] - hip[1]
    n = math.hypot(ux, uy)
    up = (ux / n, uy / n)
    head = _add(neck, _dir(math.degrees(math.atan2(up[1], up[0])) + pose.get("head_tilt", 0)), HEAD + 3)
    shoulder = _add(neck, up, -4)
    joints: dict[str, P] = {}
    limbs: dict[str, list[P]] = {}
    for limb, root, l1, l2 in (("leg", hip, THIGH, SHIN), ("arm", shoulder, UPPER, FORE)):
        for side in ("far", "near"):
            key = f"{side}_{limb}"
            spec = pose.get(key)
            if spec is None:
                continue
            if "mid" in spec:
                middle, end = spec["mid"], spec["end"]
            else:
                target = spec["to"]
                if isinstance(target, str):
                    target = joints[target]
                middle, end = _joint(root, target, l1, l2, spec.get("bend", "down"))
            joints[f"{side}_{'knee' if limb == 'leg' else 'elbow'}"] = middle
            joints[f"{side}_{'foot' if limb == 'leg' else 'hand'}"] = end
            joints[f"{side}_{'thigh' if limb == 'leg' else 'upper'}_mid"] = ((root[0] + middle[0]) / 2, (root[1] + middle[1]) / 2)
            limbs[key] = [root, middle, end]
    out = [_line(limbs[k], FAR) for k in ("far_arm", "far_leg") if k in limbs]
    out.append(_line([hip, neck], INK, 6))
    out += [_line(limbs[k], INK) for k in ("near_leg", "near_arm") if k in limbs]
    out.append(f'<circle cx="{head[0]:.1f}" cy="{head[1]:.1f}" r="{HEAD}" fill="#ffffff" stroke="{INK}" stroke-width="4"/>')
    face_angle = pose.get("face")
    if face_angle is not None:  # a short tick where the face looks
        tip = _add(head, _dir(face_angle), HEAD + 4)
        base = _add(head, _dir(face_angle), HEAD - 1)
        out.append(_line([base, tip], INK, 3))
    pose["_joints"] = joints
    return out


def props(pose: dict[str, Any]) -> list[str]:
    out = [f'<line x1="8" y1="{FLOOR + 2}" x2="{W - 8}" y2="{FLOOR + 2}" stroke="{PROP}" stroke-width="2"/>']
    for prop in pose.get("props", []):
        kind = prop[0]
        if kind == "mat":
            _, x1, x2 = prop
            out.append(f'<rect x="{x1}" y="{FLOOR - 2}" width="{x2 - x1}" height="4" rx="2" fill="#d9e2ec"/>')
        elif kind == "chair":  # seat at (x, y), seat going from x to x + 34, back on the left
            _, x, y = prop
            out.append(_line([(x, y - 42), (x, FLOOR), ], PROP, 3))
            out.append(_line([(x, y), (x + 34, y), (x + 34, FLOOR)], PROP, 3))
        elif kind == "rail":  # a chair back or rail to hold, top at (x, y)
            _, x, y = prop
            out.append(_line([(x, y), (x, FLOOR)], PROP, 3))
            out.append(_line([(x - 6, y), (x + 6, y)], PROP, 3))
        elif kind == "bike":
            _, x, y = prop  # seat
            out.append(_line([(x - 8, y), (x + 8, y)], PROP, 4))
            out.append(_line([(x, y), (x + 14, y + 38), (x + 56, y - 6), (x + 62, y - 10)], PROP, 3))
            out.append(_line([(x + 14, y + 38), (x + 10, FLOOR), (x + 60, FLOOR), (x + 56, y - 6)], PROP, 3))
            out.append(f'<circle cx="{x + 14}" cy="{y + 38}" r="10" fill="none" stroke="{PROP}" stroke-width="2"/>')
        elif kind == "weight":
            _, joint = prop
            hx, hy = pose["_joints"][joint]
            out.append(f'<rect x="{hx - 9:.1f}" y="{hy:.1f}" width="18" height="10" rx="3" fill="{PROP}"/>')
        elif kind == "roller":
            _, x = prop
            out.append(f'<circle cx="{x}" cy="{FLOOR - 9}" r="9" fill="#d9e2ec" stroke="{PROP}" stroke-width="2"/>')
        elif kind == "anchor":
            _, joint = prop
            hx, hy = pose["_joints"][joint]
            out.append(f'<rect x="{hx - 8:.1f}" y="{hy - 12:.1f}" width="16" height="8" rx="2" fill="{PROP}"/>')
    return out


def arrows(pose: dict[str, Any]) -> list[str]:
    out = []
    for a in pose.get("arrows", []):
        (x1, y1), (x2, y2) = a
        out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{ACCENT}" stroke-width="2.5" '
                   f'stroke-dasharray="5 3" marker-end="url(#arrow)"/>')
    return out


def svg(pose: dict[str, Any], title: str, ident: str) -> str:
    body = figure(pose)  # computes the joints the props may need
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
         f'aria-labelledby="{ident}-title">'),
        f'<title id="{ident}-title">{title}</title>',
        (f'<defs><marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto">'
         f'<path d="M0,0 L10,5 L0,10 z" fill="{ACCENT}"/></marker></defs>'),
        f'<rect width="{W}" height="{H}" fill="#ffffff"/>',
        *props(pose), *body, *arrows(pose),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


# --- poses -----------------------------------------------------------------------------------
# Lying: head on the left. Standing and sitting: facing right.

def supine(knees: str = "bent", **extra: Any) -> dict[str, Any]:
    pose: dict[str, Any] = {"hip": (130, LYING), "torso": 180, "props": [("mat", 40, 220)], "face": -90,
                            "near_arm": {"to": (134, FLOOR - 6), "bend": "up"},
                            "far_arm": {"to": (131, FLOOR - 8), "bend": "up"}}
    if knees == "bent":
        pose["near_leg"] = {"to": (172, FLOOR - 4), "bend": "up"}
        pose["far_leg"] = {"to": (168, FLOOR - 4), "bend": "up"}
    pose.update(extra)
    return pose


def standing(**extra: Any) -> dict[str, Any]:
    pose: dict[str, Any] = {"hip": (120, 72), "torso": -90, "face": 0,
                            "near_leg": {"to": (123, FLOOR - 2), "bend": "right"},
                            "far_leg": {"to": (117, FLOOR - 2), "bend": "right"},
                            "near_arm": {"to": (124, 92), "bend": "left"},
                            "far_arm": {"to": (116, 92), "bend": "left"}}
    pose.update(extra)
    return pose


def seated(**extra: Any) -> dict[str, Any]:
    pose: dict[str, Any] = {"hip": (102, 98), "torso": -90, "face": 0, "props": [("chair", 90, 104)],
                            "near_leg": {"mid": (136, 98), "end": (138, FLOOR - 2)},
                            "far_leg": {"mid": (132, 99), "end": (134, FLOOR - 2)},
                            "near_arm": {"to": (126, 96), "bend": "down"},
                            "far_arm": {"to": (122, 97), "bend": "down"}}
    pose.update(extra)
    return pose


def side_lying(**extra: Any) -> dict[str, Any]:
    pose: dict[str, Any] = {"hip": (128, LYING), "torso": 180, "face": 90, "props": [("mat", 40, 220)],
                            "far_arm": {"mid": (72, FLOOR - 4), "end": (60, 112)},  # bottom arm under the head
                            "near_arm": {"to": (112, FLOOR - 4), "bend": "up"}}
    pose.update(extra)
    return pose


def walking(phase: int) -> dict[str, Any]:
    s = 1 if phase == 0 else -1
    return standing(hip=(120, 74), torso=-88,
                    near_leg={"to": (120 + 22 * s, FLOOR - 2), "bend": "right"},
                    far_leg={"to": (120 - 22 * s, FLOOR - 2), "bend": "right"},
                    near_arm={"to": (122 - 18 * s, 92), "bend": "left" if s > 0 else "down"},
                    far_arm={"to": (122 + 18 * s, 92), "bend": "down"})


def bridge(feet: float = 172, **extra: Any) -> dict[str, Any]:
    pose = supine(hip=(126, 104), neck=(82, LYING), face=-90,
                  near_leg={"to": (feet, FLOOR - 4), "bend": "up"}, far_leg={"to": (feet - 4, FLOOR - 4), "bend": "up"},
                  arrows=[((126, 126), (126, 110))])
    pose.update(extra)
    return pose


POSES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "piriformis_stretch": (
        supine(),
        supine(near_leg={"mid": (118, 100), "end": (146, 92)},
               near_arm={"to": "near_knee", "bend": "down"}, far_arm={"to": "near_knee", "bend": "down"},
               arrows=[((150, 80), (128, 84))]),
    ),
    "glute_bridge": (supine(), bridge()),
    "askling_extender": (
        supine(far_leg={"to": (198, FLOOR - 5), "bend": "up"},
               near_leg={"to": (164, 98), "bend": "up"},
               near_arm={"to": (130, 106), "bend": "down"}, far_arm={"to": (127, 112), "bend": "down"}),
        supine(far_leg={"to": (198, FLOOR - 5), "bend": "up"},
               near_leg={"to": (150, 64), "bend": "up"},
               near_arm={"to": (130, 106), "bend": "down"}, far_arm={"to": (127, 112), "bend": "down"},
               arrows=[((170, 96), (160, 70))]),
    ),
    "askling_diver": (
        standing(),
        standing(hip=(118, 76), torso=-18, face=-10,
                 near_leg={"to": (124, FLOOR - 2), "bend": "right"},
                 far_leg={"to": (62, 70), "bend": "down"},
                 near_arm={"to": (212, 52), "bend": "up"}, far_arm={"to": (210, 58), "bend": "up"},
                 arrows=[((150, 22), (176, 40))]),
    ),
    "askling_glider": (
        standing(hip=(112, 74), props=[("rail", 160, 80)],
                 near_leg={"to": (118, FLOOR - 2), "bend": "right"}, far_leg={"to": (104, FLOOR - 2), "bend": "right"},
                 near_arm={"to": (158, 80), "bend": "down"}, far_arm={"to": (156, 82), "bend": "down"}),
        standing(hip=(104, 84), torso=-80, props=[("rail", 160, 80)],
                 near_leg={"to": (118, FLOOR - 2), "bend": "right"}, far_leg={"to": (48, FLOOR - 2), "bend": "up"},
                 near_arm={"to": (158, 80), "bend": "down"}, far_arm={"to": (156, 82), "bend": "down"},
                 arrows=[((96, FLOOR - 10), (60, FLOOR - 10))]),
    ),
    "nordic_hamstring_curl": (
        {"hip": (110, 100), "torso": -90, "face": 0, "props": [("mat", 40, 200), ("anchor", "near_foot")],
         "near_leg": {"mid": (110, FLOOR - 4), "end": (76, FLOOR - 4)},
         "far_leg": {"mid": (106, FLOOR - 4), "end": (72, FLOOR - 4)},
         "near_arm": {"to": (126, 68), "bend": "down"}, "far_arm": {"to": (124, 70), "bend": "down"}},
        {"hip": (136, 114), "torso": -38, "face": -20, "props": [("mat", 40, 200), ("anchor", "near_foot")],
         "near_leg": {"mid": (110, FLOOR - 4), "end": (76, FLOOR - 4)},
         "far_leg": {"mid": (106, FLOOR - 4), "end": (72, FLOOR - 4)},
         "near_arm": {"to": (196, 112), "bend": "up"}, "far_arm": {"to": (194, 116), "bend": "up"},
         "arrows": [((150, 64), (182, 96))]},
    ),
    "hamstring_isometric_heel_press": (
        supine(near_leg={"to": (184, FLOOR - 4), "bend": "up"}, far_leg={"to": (196, FLOOR - 5), "bend": "up"}),
        supine(near_leg={"to": (184, FLOOR - 4), "bend": "up"}, far_leg={"to": (196, FLOOR - 5), "bend": "up"},
               arrows=[((198, 124), (180, 124)), ((186, 112), (186, 128))]),
    ),
    "bridge_hold": (supine(near_leg={"to": (184, FLOOR - 4), "bend": "up"}, far_leg={"to": (180, FLOOR - 4), "bend": "up"}),
                    bridge(feet=184, hip=(128, 108))),
    "single_leg_bridge": (
        supine(far_leg={"to": (168, 108), "bend": "up"}),
        bridge(far_leg={"to": (192, 74), "bend": "up"}, near_leg={"to": (168, FLOOR - 4), "bend": "up"}),
    ),
    "romanian_deadlift": (
        standing(props=[("weight", "near_hand")], near_arm={"to": (124, 100), "bend": "left"},
                 far_arm={"to": (120, 100), "bend": "left"}),
        standing(hip=(98, 78), torso=-30, face=30, props=[("weight", "near_hand")],
                 near_leg={"to": (121, FLOOR - 2), "bend": "right"}, far_leg={"to": (117, FLOOR - 2), "bend": "right"},
                 near_arm={"to": (136, 106), "bend": "left"}, far_arm={"to": (132, 106), "bend": "left"},
                 arrows=[((84, 66), (70, 70))]),
    ),
    "walking_programme": (walking(0), walking(1)),
    "sciatic_nerve_slider": (
        seated(head_tilt=40, face=60),
        seated(head_tilt=-35, face=-45, near_leg={"to": (166, 96), "bend": "up"}, arrows=[((156, 128), (172, 106))]),
    ),
    "knee_to_chest": (
        supine(),
        supine(near_leg={"mid": (116, 98), "end": (142, 94)}, far_leg={"mid": (112, 100), "end": (138, 98)},
               near_arm={"to": "near_thigh_mid", "bend": "down"}, far_arm={"to": "near_thigh_mid", "bend": "down"}),
    ),
    "seated_forward_bend": (
        seated(),
        seated(neck=(140, 102), face=90, near_arm={"to": (140, FLOOR - 4), "bend": "right"},
               far_arm={"to": (136, FLOOR - 4), "bend": "right"}, arrows=[((130, 48), (150, 80))]),
    ),
    "pelvic_tilt": (
        supine(),
        supine(arrows=[((112, 112), (112, 126))]),
    ),
    "prone_on_elbows": (
        {"hip": (110, LYING), "torso": 0, "face": 90, "props": [("mat", 40, 220)],
         "near_leg": {"to": (40, LYING + 2), "bend": "up"}, "far_leg": {"to": (44, LYING + 4), "bend": "up"},
         "near_arm": {"to": (112, FLOOR - 4), "bend": "up"}, "far_arm": {"to": (116, FLOOR - 4), "bend": "up"}},
        {"hip": (110, LYING), "neck": (152, 104), "face": 10, "props": [("mat", 40, 220)],
         "near_leg": {"to": (40, LYING + 2), "bend": "up"}, "far_leg": {"to": (44, LYING + 4), "bend": "up"},
         "near_arm": {"mid": (150, FLOOR - 4), "end": (176, FLOOR - 4)},
         "far_arm": {"mid": (146, FLOOR - 4), "end": (172, FLOOR - 4)},
         "arrows": [((168, 82), (164, 70))]},
    ),
    "stationary_cycling": (
        {"hip": (104, 78), "torso": -70, "face": 10, "props": [("bike", 104, 80)],
         "near_leg": {"to": (126, 106), "bend": "right"}, "far_leg": {"to": (110, 128), "bend": "right"},
         "near_arm": {"to": (158, 72), "bend": "down"}, "far_arm": {"to": (156, 74), "bend": "down"}},
        {"hip": (104, 78), "torso": -70, "face": 10, "props": [("bike", 104, 80)],
         "near_leg": {"to": (110, 128), "bend": "right"}, "far_leg": {"to": (126, 106), "bend": "right"},
         "near_arm": {"to": (158, 72), "bend": "down"}, "far_arm": {"to": (156, 74), "bend": "down"}},
    ),
    "claudication_walking": (
        walking(0),
        standing(near_arm={"to": (126, 106), "bend": "left"}, face=0),
    ),
    "clamshell": (
        side_lying(near_leg={"mid": (160, FLOOR - 12), "end": (134, FLOOR - 6)},
                   far_leg={"mid": (158, FLOOR - 3), "end": (134, FLOOR - 2)}),
        side_lying(near_leg={"mid": (150, 100), "end": (132, FLOOR - 8)},
                   far_leg={"mid": (158, FLOOR - 3), "end": (134, FLOOR - 2)},
                   arrows=[((168, 120), (162, 100))]),
    ),
    "side_lying_hip_abduction": (
        side_lying(near_leg={"to": (196, LYING - 2), "bend": "up"}, far_leg={"mid": (158, FLOOR - 3), "end": (134, FLOOR - 2)}),
        side_lying(near_leg={"to": (186, 96), "bend": "up"}, far_leg={"mid": (158, FLOOR - 3), "end": (134, FLOOR - 2)},
                   arrows=[((204, 118), (196, 96))]),
    ),
    "bird_dog": (
        {"hip": (96, 98), "neck": (146, 96), "face": 60, "props": [("mat", 40, 210)],
         "near_leg": {"mid": (96, FLOOR - 4), "end": (62, FLOOR - 4)}, "far_leg": {"mid": (100, FLOOR - 4), "end": (66, FLOOR - 4)},
         "near_arm": {"to": (144, FLOOR - 4), "bend": "right"}, "far_arm": {"to": (148, FLOOR - 4), "bend": "right"}},
        {"hip": (96, 98), "neck": (146, 96), "face": 20, "props": [("mat", 40, 210)],
         "near_leg": {"to": (30, 96), "bend": "down"}, "far_leg": {"mid": (100, FLOOR - 4), "end": (66, FLOOR - 4)},
         "far_arm": {"to": (196, 90), "bend": "up"}, "near_arm": {"to": (144, FLOOR - 4), "bend": "right"},
         "arrows": [((196, 76), (214, 76)), ((40, 80), (24, 80))]},
    ),
    "figure_four_stretch": (
        seated(near_leg={"mid": (134, 84), "end": (140, 98)},
               near_arm={"to": (132, 88), "bend": "down"}, far_arm={"to": (128, 94), "bend": "down"}),
        seated(neck=(130, 56), face=30, near_leg={"mid": (134, 84), "end": (140, 98)},
               near_arm={"to": (136, 88), "bend": "down"}, far_arm={"to": (132, 94), "bend": "down"},
               arrows=[((118, 36), (140, 46))]),
    ),
    "gentle_hamstring_stretch": (
        seated(hip=(110, 96), near_leg={"to": (172, FLOOR - 4), "bend": "up"},
               near_arm={"to": (136, 96), "bend": "down"}, far_arm={"to": (132, 96), "bend": "down"}),
        seated(hip=(110, 96), neck=(140, 60), face=30, near_leg={"to": (172, FLOOR - 4), "bend": "up"},
               near_arm={"to": (152, 110), "bend": "down"}, far_arm={"to": (148, 110), "bend": "down"},
               arrows=[((124, 38), (146, 48))]),
    ),
    "hip_flexor_stretch": (
        {"hip": (112, 92), "torso": -90, "face": 0, "props": [("mat", 40, 210)],
         "near_leg": {"to": (150, FLOOR - 2), "bend": "up"},
         "far_leg": {"mid": (104, FLOOR - 4), "end": (70, FLOOR - 4)},
         "near_arm": {"to": (120, 94), "bend": "left"}, "far_arm": {"to": (116, 96), "bend": "left"}},
        {"hip": (124, 100), "torso": -88, "face": 0, "props": [("mat", 40, 210)],
         "near_leg": {"to": (150, FLOOR - 2), "bend": "up"},
         "far_leg": {"mid": (100, FLOOR - 4), "end": (66, FLOOR - 4)},
         "near_arm": {"to": (130, 100), "bend": "left"}, "far_arm": {"to": (126, 102), "bend": "left"},
         "arrows": [((112, 80), (130, 80))]},
    ),
    "light_active_recovery": (walking(1), walking(0)),
    "self_massage": (
        {"hip": (96, LYING - 4), "neck": (76, 88), "face": 20, "props": [("mat", 30, 220), ("roller", 112)],
         "near_leg": {"to": (166, FLOOR - 6), "bend": "up"}, "far_leg": {"to": (170, FLOOR - 4), "bend": "up"},
         "near_arm": {"mid": (64, 114), "end": (56, FLOOR - 4)}, "far_arm": {"mid": (66, 116), "end": (60, FLOOR - 4)}},
        {"hip": (80, LYING - 4), "neck": (58, 88), "face": 20, "props": [("mat", 30, 220), ("roller", 132)],
         "near_leg": {"to": (160, FLOOR - 6), "bend": "up"}, "far_leg": {"to": (164, FLOOR - 4), "bend": "up"},
         "near_arm": {"mid": (46, 114), "end": (40, FLOOR - 4)}, "far_arm": {"mid": (48, 116), "end": (44, FLOOR - 4)},
         "arrows": [((112, 110), (92, 110))]},
    ),
}


def main() -> int:
    data = yaml.safe_load(EXERCISES.read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    missing = []
    for exercise in data["exercises"]:
        ident = exercise["id"]
        if ident not in POSES:
            missing.append(ident)
            continue
        alt = exercise.get("alt") or {}
        for position, pose in zip(("start", "end"), POSES[ident], strict=True):
            title = (alt.get(position) or {}).get("en") or f"{exercise['name']['en']}: {position}"
            text = title.replace("&", "&amp;").replace("<", "&lt;")
            (OUT / f"{ident}-{position}.svg").write_text(svg(dict(pose), text, f"{ident}-{position}"), encoding="utf-8")
    if missing:
        print("no pose for:", ", ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
