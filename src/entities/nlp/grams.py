"""OpenCorpora grammemes (pymorphy3) <-> Universal Dependencies tags (slovnet).

Ported from natasha.morph.vocab, after kmike/russian-tagsets.
"""

from __future__ import annotations

OC_UD_POS = {
    "ADJF": "ADJ", "ADJS": "ADJ",
    "ADVB": "ADV", "COMP": "ADV",
    "VERB": "VERB", "GRND": "VERB", "INFN": "VERB", "PRTF": "VERB", "PRTS": "VERB",
    "NOUN": "NOUN", "NPRO": "PRON",
    "NUMR": "NUM", "NUMB": "NUM",
    "Apro": "DET", "CONJ": "CCONJ", "INTJ": "INTJ",
    "PART": "PRCL", "PNCT": "PUNCT", "PRCL": "PART", "PREP": "ADP",
}  # fmt: skip

# later pairs win the index: PRTS -> VerbForm=Part
OC_UD_FEATS = [
    ("Animacy", "anim", "Anim"), ("Animacy", "inan", "Inan"),
    ("Aspect", "impf", "Imp"), ("Aspect", "perf", "Perf"),
    ("Case", "ablt", "Ins"), ("Case", "accs", "Acc"), ("Case", "datv", "Dat"),
    ("Case", "gent", "Gen"), ("Case", "gen1", "Gen"), ("Case", "gen2", "Gen"),
    ("Case", "loct", "Loc"), ("Case", "loc2", "Loc"), ("Case", "nomn", "Nom"),
    ("Case", "voct", "Nom"),
    ("Degree", "COMP", "Cmp"), ("Degree", "Supr", "Sup"),
    ("Gender", "femn", "Fem"), ("Gender", "masc", "Masc"), ("Gender", "neut", "Neut"),
    ("Mood", "impr", "Imp"), ("Mood", "indc", "Ind"),
    ("Number", "plur", "Plur"), ("Number", "sing", "Sing"),
    ("NumForm", "NUMB", "Digit"),
    ("Person", "1per", "1"), ("Person", "2per", "2"), ("Person", "3per", "3"),
    ("Person", "excl", "2"), ("Person", "incl", "1"),
    ("Tense", "futr", "Fut"), ("Tense", "past", "Past"), ("Tense", "pres", "Pres"),
    ("Variant", "ADJS", "Brev"), ("Variant", "PRTS", "Brev"),
    ("VerbForm", "GRND", "Conv"), ("VerbForm", "INFN", "Inf"), ("VerbForm", "PRTF", "Part"),
    ("VerbForm", "PRTS", "Part"), ("VerbForm", "VERB", "Fin"),
    ("Voice", "actv", "Act"), ("Voice", "pssv", "Pass"),
    ("Abbr", "Abbr", "Yes"),
]  # fmt: skip

OC_UD_INDEX = {oc: (key, ud) for key, oc, ud in OC_UD_FEATS}


def ud_pos(tag) -> str:
    # rare pos are missing: PRED, ROMN
    return OC_UD_POS.get(tag.POS or "", "X")


def ud_feats(tag) -> dict[str, str]:
    feats = {}
    for gram in tag.grammemes:
        item = OC_UD_INDEX.get(gram)
        if item:
            feats[item[0]] = item[1]
    return feats


FORMATTED: dict[int, tuple] = {}  # id(feats) -> (feats, text): the tagger's few hundred dicts


def format_feats(feats) -> str:
    # {'Case': 'Gen', 'Animacy': 'Inan'} -> 'Animacy=Inan|Case=Gen'
    entry = FORMATTED.get(id(feats))
    if entry is not None and entry[0] is feats:
        return entry[1]
    text = "|".join(f"{key}={feats[key]}" for key in sorted(feats))
    if len(FORMATTED) < 4096:
        FORMATTED[id(feats)] = (feats, text)
    return text
