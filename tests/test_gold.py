"""Gold readers for `entities evaluate`: brat standoff, CoNLL / IOB2, the types maps, and FactRuEval's ties."""

from __future__ import annotations

import re

import pytest

from entities.errors import InputError
from entities.evaluation import conll, gold
from entities.evaluation.factru import read_document
from entities.evaluation.gold import COMMON_TYPES, GoldDocument, types_map
from entities.evaluation.readers import read_gold


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.write(text)
    return path


def spans(doc: GoldDocument) -> list[tuple[str, str]]:
    return [(doc.text[_.start : _.stop], _.type) for _ in doc.mentions]


# brat

BRAT_TEXT = "Игорь Бабушкин прибыл в Астрахань.\r\nЕго встретил МИД России."
BRAT_ANN = """\
T1\tPerson 0 14\tИгорь Бабушкин
T2\tGPE 24 33\tАстрахань
T3\tOrganization 49 59\tМИД России
T4\tCountry 53 59\tРоссии
R1\tLocated Arg1:T1 Arg2:T2
#1\tAnnotatorNotes T1\tгубернатор
A1\tNegated T3
"""


@pytest.fixture
def brat_dir(tmp_path):
    write(tmp_path / "brat" / "news" / "a.txt", BRAT_TEXT)
    write(tmp_path / "brat" / "news" / "a.ann", BRAT_ANN)
    write(tmp_path / "brat" / "b.txt", "Северная и Южная Корея.")
    write(tmp_path / "brat" / "b.ann", "T1\tLOC 0 8;17 22\tСеверная Корея\n")
    return tmp_path / "brat"


def test_brat_reads_text_bound_lines_with_the_default_map(brat_dir):
    docs = read_gold(brat_dir, "brat")
    assert [_.id for _ in docs] == ["b", "news/a"]
    # \r\n counts two characters: offsets index the text as written; Country is not in the default map
    assert spans(docs[1]) == [("Игорь Бабушкин", "PER"), ("Астрахань", "LOC"), ("МИД России", "ORG")]


def test_brat_collapses_discontinuous_fragments(brat_dir):
    assert spans(read_gold(brat_dir / "b.ann", "brat")[0]) == [("Северная и Южная Корея", "LOC")]


def test_brat_types_map_replaces_the_default(brat_dir):
    doc = read_gold(brat_dir / "news" / "a.txt", "brat", "Person=PER, country=loc")[0]
    assert spans(doc) == [("Игорь Бабушкин", "PER"), ("России", "LOC")]


@pytest.mark.parametrize("line", [
    "T1\tPerson 0\tИгорь",
    "T1\tPerson zero 14\tИгорь Бабушкин",
    "T1 Person 0 14 Игорь Бабушкин",
    "T1\tPerson 0 140\tИгорь Бабушкин",
])  # fmt: skip
def test_brat_malformed_line_names_file_and_line(tmp_path, line):
    write(tmp_path / "a.txt", BRAT_TEXT)
    write(tmp_path / "a.ann", f"T0\tPerson 0 5\tИгорь\n{line}\n")
    with pytest.raises(InputError, match=r"a\.ann:2: expected 'T1<TAB>TYPE START STOP"):
        read_gold(tmp_path, "brat")


def test_brat_counts_a_byte_order_mark_as_a_character(tmp_path):
    # as brat does: the BOM is U+FEFF at offset 0, and every offset after it counts it
    write(tmp_path / "a.txt", "\ufeffИгорь Бабушкин прибыл в Астрахань.")
    write(tmp_path / "a.ann", "T1\tPER 1 15\tИгорь Бабушкин\nT2\tLOC 25 34\tАстрахань\n")
    doc = read_gold(tmp_path, "brat")[0]
    assert doc.text[0] == "\ufeff"
    assert spans(doc) == [("Игорь Бабушкин", "PER"), ("Астрахань", "LOC")]


def test_brat_text_is_utf8_only(tmp_path):
    (tmp_path / "a.txt").write_bytes("Игорь прибыл.".encode("cp1251"))
    write(tmp_path / "a.ann", "T1\tPER 0 5\tИгорь\n")
    with pytest.raises(InputError, match=r"^\S*a\.txt: not UTF-8 text \(invalid .* at byte 0\)$"):
        read_gold(tmp_path, "brat")


@pytest.mark.parametrize("line, message", [
    # the BOM not counted: every span one character early
    ("T1\tPER 0 14\tИгорь Бабушкин",
     "span 0..14 of the text is '\\ufeffИгорь Бабушки', the line gives 'Игорь Бабушкин'"),
    ("T1\tPER 1 15\tИгорь Бабушкин прибыл",
     "span 1..15 of the text is 'Игорь Бабушкин', the line gives 'Игорь Бабушкин прибыл'"),
], ids=["bom-not-counted", "short-span"])  # fmt: skip
def test_brat_span_text_must_match_the_offsets(tmp_path, line, message):
    write(tmp_path / "a.txt", "\ufeffИгорь Бабушкин прибыл в Астрахань.")
    write(tmp_path / "a.ann", f"T0\tLOC 25 34\tАстрахань\n{line}\n")
    with pytest.raises(InputError) as error:
        read_gold(tmp_path, "brat")
    assert str(error.value) == f"{tmp_path / 'a.ann'}:2: {message}"


def test_brat_missing_text_is_an_input_error(tmp_path):
    write(tmp_path / "a.ann", BRAT_ANN)
    with pytest.raises(InputError, match=r"a\.txt: can not read \(No such file"):
        read_gold(tmp_path, "brat")


# CoNLL

CONLL = """\
# newdoc id = first
# sent_id = 1
# text = Игорь Бабушкин прибыл в Астрахань.
Игорь\tB-PER
Бабушкин\tI-PER
прибыл\tO
в\tO
Астрахань\tB-LOC
.\tO

# text = Его встретил МИД.
Его _ O
встретил _ O
МИД _ B-ORG
. _ O

-DOCSTART- -X- O O

Мэр O
Москвы B-GPE
Сергей B-PERSON
Собянин I-PERSON
# O
Новости B-MISC
"""


def test_conll_offsets_come_from_the_text_lines(tmp_path):
    first, second = read_gold(write(tmp_path / "a.conll", CONLL), "conll")
    assert first.id == "first"
    assert first.text == "Игорь Бабушкин прибыл в Астрахань.\nЕго встретил МИД."
    assert spans(first) == [("Игорь Бабушкин", "PER"), ("Астрахань", "LOC"), ("МИД", "ORG")]
    # no `# text =`: the tokens joined by spaces; '#' after the first token is a token; MISC is dropped
    assert (second.id, second.text) == ("a.conll:2", "Мэр Москвы Сергей Собянин # Новости")
    assert spans(second) == [("Москвы", "LOC"), ("Сергей Собянин", "PER")]


@pytest.mark.parametrize("tags, expected", [
    ("B-PER I-PER O B-LOC", "PER один два | LOC четыре"),
    ("B-PER B-PER I-PER O", "PER один | PER два три"),
    ("I-PER I-PER I-LOC O", "PER один два | LOC три"),  # IOB1, as conlleval reads it
    ("O I-ORG I-ORG I-ORG", "ORG два три четыре"),
    ("S-LOC B-ORG E-ORG I-ORG", "LOC один | ORG два три | ORG четыре"),  # BIOES
])  # fmt: skip
def test_conll_tags_to_spans(tmp_path, tags, expected):
    lines = [f"{word} {tag}" for word, tag in zip(["один", "два", "три", "четыре"], tags.split(), strict=True)]
    doc = read_gold(write(tmp_path / "a.iob", "\n".join(lines) + "\n"), "conll")[0]
    assert " | ".join(f"{kind} {text}" for text, kind in spans(doc)) == expected


@pytest.mark.parametrize("content, message", [
    ("Игорь B-PER\nБабушкин\n", r"a\.conll:2: expected a token and its tag, got 'Бабушкин'"),
    ("Игорь PER\n", r"a\.conll:1: expected a tag O, B-TYPE, I-TYPE, E-TYPE or S-TYPE, got 'PER'"),
    ("# text = Игорь прибыл\nИгорь B-PER\nуехал O\n", r"a\.conll:3: token 'уехал' is not in the sentence's text"),
])  # fmt: skip
def test_conll_malformed_line_names_file_and_line(tmp_path, content, message):
    write(tmp_path / "a.conll", content)
    with pytest.raises(InputError, match=message):
        read_gold(tmp_path, "conll")


def test_conll_directory_reads_conll_files_only(tmp_path):
    write(tmp_path / "x" / "b.iob2", "Москва B-LOC\n")
    write(tmp_path / "a.conll", "Путин B-PER\n")
    write(tmp_path / "notes.md", "Москва B-LOC\n")
    assert [(_.id, _.text) for _ in read_gold(tmp_path, "conll")] == [("a.conll", "Путин"), ("x/b.iob2", "Москва")]


# CoNLL-U: ID, FORM, LEMMA, UPOS, XPOS, FEATS, HEAD, DEPREL, DEPS, then the tag in the last column
CONLLU_ROWS = """\
# newdoc id = news-1
# sent_id = 1
# text = Сергей Лавров прибыл в Анкару, а Мевлют Чавушоглу — в Москву.
1 Сергей Сергей PROPN _ Animacy=Anim|Case=Nom|Gender=Masc|Number=Sing 3 nsubj _ B-PER
2 Лавров Лавров PROPN _ Animacy=Anim|Case=Nom|Gender=Masc|Number=Sing 1 flat:name _ I-PER
3 прибыл прибыть VERB _ Aspect=Perf|Gender=Masc|Mood=Ind|Number=Sing|Tense=Past 0 root _ O
4 в в ADP _ _ 5 case _ O
5 Анкару Анкара PROPN _ Animacy=Inan|Case=Acc|Gender=Fem|Number=Sing 3 obl _ B-LOC
6 , , PUNCT _ _ 8 punct _ O
7 а а CCONJ _ _ 8 cc _ O
8 Мевлют Мевлют PROPN _ Animacy=Anim|Case=Nom|Gender=Masc|Number=Sing 3 conj _ B-PER
9 Чавушоглу Чавушоглу PROPN _ Animacy=Anim|Case=Nom|Gender=Masc|Number=Sing 8 flat:name _ I-PER
10 — — PUNCT _ _ 12 punct _ O
8.1 прибыл прибыть VERB _ _ _ _ 3:conj O
11 в в ADP _ _ 12 case _ O
12 Москву Москва PROPN _ Animacy=Inan|Case=Acc|Gender=Fem|Number=Sing 8 orphan _ B-LOC
13 . . PUNCT _ _ 3 punct _ O

# sent_id = 2
1-2 Из-за _ _ _ _ _ _ _ O
1 Из из ADP _ _ 4 case _ O
2 за за ADP _ _ 1 fixed _ O
3 санкций санкция NOUN _ Animacy=Inan|Case=Gen|Gender=Fem|Number=Plur 5 obl _ O
4 Газпром Газпром PROPN _ Animacy=Inan|Case=Nom|Gender=Masc|Number=Sing 5 nsubj _ B-ORG
5 уходит уходить VERB _ Aspect=Imp|Mood=Ind|Number=Sing|Person=3|Tense=Pres 0 root _ O
"""
CONLLU = "\n".join("\t".join(_.split(" ")) if _[:1].isdigit() else _ for _ in CONLLU_ROWS.splitlines()) + "\n"


def test_conllu_reads_the_form_column(tmp_path):
    # the tokens are FORMs, found in `# text =`; the empty node 8.1 and the multiword token 1-2 are no words
    doc = read_gold(write(tmp_path / "ud" / "news.conllu", CONLLU), "conll")[0]
    first = "Сергей Лавров прибыл в Анкару, а Мевлют Чавушоглу — в Москву."
    assert (doc.id, doc.text) == ("news-1", f"{first}\nИз за санкций Газпром уходит")
    assert spans(doc) == [
        ("Сергей Лавров", "PER"),
        ("Анкару", "LOC"),
        ("Мевлют Чавушоглу", "PER"),
        ("Москву", "LOC"),
        ("Газпром", "ORG"),
    ]
    assert read_gold(tmp_path / "ud", "conll")[0] == doc


@pytest.mark.parametrize("row, message", [
    ("1 Сергей B-PER", "expected CoNLL-U columns ID<TAB>FORM<TAB>...<TAB>TAG, got '1 Сергей B-PER'"),
    ("1\tB-PER", "expected CoNLL-U columns ID<TAB>FORM<TAB>...<TAB>TAG, got '1\\tB-PER'"),
    ("Сергей\tB-PER", "expected CoNLL-U columns ID<TAB>FORM<TAB>...<TAB>TAG, got 'Сергей\\tB-PER'"),
])  # fmt: skip
def test_conllu_malformed_line_names_file_and_line(tmp_path, row, message):
    write(tmp_path / "a.conllu", f"# text = Сергей прибыл\n{row}\n2\tприбыл\tприбыть\tVERB\t_\t_\t0\troot\t_\tO\n")
    with pytest.raises(InputError) as error:
        read_gold(tmp_path, "conll")
    assert str(error.value) == f"{tmp_path / 'a.conllu'}:2: {message}"


def test_gold_module_names_every_conll_suffix_and_both_brat_files():
    formats = {line.split()[0]: line for line in gold.__doc__.replace("\n            ", " ").splitlines()[3:6]}
    assert list(formats) == list(gold.GOLD_FORMATS)
    assert set(conll.CONLL_SUFFIXES) <= set(re.findall(r"\.\w+", formats["conll"]))
    assert "its .ann or its .txt" in formats["brat"]


# types maps and reading errors


def test_types_map_from_entries_and_files(tmp_path):
    assert types_map("PERSON=PER, gpe = loc,MISC=", "brat") == {"PERSON": "PER", "GPE": "LOC", "MISC": ""}
    path = write(tmp_path / "types.txt", "# OntoNotes\nPERSON=PER\nORG=ORG  # companies\n\nFAC=LOC\n")
    assert types_map(str(path), "conll") == {"PERSON": "PER", "ORG": "ORG", "FAC": "LOC"}
    assert types_map({"Person": "PER"}, "brat") == {"PERSON": "PER"}
    assert types_map(None, "conll") == COMMON_TYPES


@pytest.mark.parametrize("value, fmt, message", [
    ("PERSON=HUMAN", "brat", "expected TYPE=PER, TYPE=LOC, TYPE=ORG or TYPE= .dropped., got 'PERSON=HUMAN'"),
    ("PERSON", "conll", "got 'PERSON'"),
    ("Person=PER", "factru", "does not apply to factru"),
])  # fmt: skip
def test_types_map_errors(value, fmt, message):
    with pytest.raises(InputError, match=message):
        types_map(value, fmt)


def test_reading_errors(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        read_gold(tmp_path / "absent", "brat")
    with pytest.raises(InputError, match="unknown gold format 'xml'"):
        read_gold(tmp_path, "xml")
    with pytest.raises(InputError, match="no factru documents found"):
        read_gold(tmp_path, "factru")


# FactRuEval: equal spans of two objects


@pytest.mark.parametrize("ties, kind", [("first", "ORG"), ("tightest", "PER")])
def test_factru_ties_pick_the_first_object_or_the_tightest(tmp_path, ties, kind):
    # 'Мормоттан' is the org_name of the Org 'Музей Мормоттан' and the whole of the Person 'Мормоттан'
    write(tmp_path / "book_1.txt", "Музей Мормоттан открыт.")
    write(tmp_path / "book_1.spans", "1 org_descr 0 5 100 1\n2 org_name 6 9 101 1\n3 surname 6 9 101 1\n")
    write(tmp_path / "book_1.objects", "10 Org 1 2 # Музей Мормоттан\n11 Person 3 # Мормоттан\n")
    write(tmp_path / "book_1.coref", "")
    assert spans(read_document(tmp_path / "book_1", ties)) == [("Мормоттан", kind)]
