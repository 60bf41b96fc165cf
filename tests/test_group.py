"""Mentions -> entities, inside a document and across the corpus."""

import pytest

from entities import Text, to_frames
from entities.records import Mention
from entities.resolve.abbreviation import acronym
from entities.resolve.declension import surname_forms, surname_variants
from entities.resolve.document import group_mentions


def mention(normal, type_="PER", first="", middle="", last="", start=0):
    return Mention(start, start + len(normal), type_, normal, normal, first, middle, last)


# one case a line: the mentions in text order (TYPE:normal, PER as first/middle/last), then the
# groups they form, by position
GROUPING = """
PER:Игорь//Бабушкин PER://Бабушкин PER:Игорь// -> 0 0 0
PER:Игорь//Бабушкин PER:И.//Бабушкин -> 0 0
PER:Игорь//Бабушкин PER:Игорь/Петрович/ -> 0 0
PER:Мария//Захарова PER:Пётр//Захаров -> 0 1
PER:Татьяна//Овечкина PER://Овечкин -> 0 1
PER:Сергей//Иванов PER:Пётр//Иванов PER://Иванов -> 0 1 2
PER:Владимир/Владимирович/Путин PER:В./В./Путин PER://Путин -> 0 0 0
PER:Игорь//Бабушкин PER:Олег//Бабушкин -> 0 1
PER:Игорь//Бабушкин PER:П.//Бабушкин -> 0 1
ORG:Министерство иностранных дел ORG:МИД -> 0 0
ORG:Министерство внутренних дел ORG:МИД -> 0 1
LOC:Астраханская область LOC:Астрахань -> 0 1
LOC:Астраханская область LOC:астраханская область -> 0 0
LOC:Москва ORG:Москва -> 0 1
LOC:Королёв LOC:Королев -> 0 0
"""


def parse_mention(item, start):
    # 'PER:Игорь//Бабушкин' -> Mention of 'Игорь Бабушкин', first 'Игорь', last 'Бабушкин'
    type_, value = item.split(":", 1)
    if type_ != "PER":
        return mention(value, type_, start=start)
    first, middle, last = value.split("/")
    return mention(" ".join(_ for _ in (first, middle, last) if _), "PER", first, middle, last, start)


def split_items(left):
    # items start with TYPE: ; names inside may hold spaces
    items, current = [], ""
    for word in left.split():
        if word.split(":", 1)[0] in ("PER", "LOC", "ORG") and ":" in word:
            if current:
                items.append(current)
            current = word
        else:
            current += " " + word
    return [*items, current]


CASES = []
for line in GROUPING.strip().splitlines():
    left, right = line.split("->")
    mentions = [parse_mention(item, 100 * number) for number, item in enumerate(split_items(left))]
    CASES.append(pytest.param(mentions, [int(_) for _ in right.split()], id=left.strip()[:40]))


@pytest.mark.parametrize("mentions, groups", CASES)
def test_grouping(mentions, groups):
    grouped, entities = group_mentions(mentions)
    assert [m.entity_id for m in grouped] == groups
    assert len(entities) == len(set(groups))
    assert [e.n_mentions for e in entities] == [groups.count(_) for _ in sorted(set(groups))]


def test_a_first_name_and_another_patronymic_is_another_person():
    full = mention("Игорь Сергеевич Бабушкин", first="Игорь", middle="Сергеевич", last="Бабушкин")
    grouped, _entities = group_mentions([full, mention("Игорь Петрович", first="Игорь", middle="Петрович", start=50)])
    assert [m.entity_id for m in grouped] == [0, 1]
    same = mention("Игорь Петрович Бабушкин", first="Игорь", middle="Петрович", last="Бабушкин")
    grouped, _entities = group_mentions([same, mention("Игорь Петрович", first="Игорь", middle="Петрович", start=50)])
    assert [m.entity_id for m in grouped] == [0, 0]
    # a patronymic in another case is the same one: 'Наине Иосифовне' (its middle name left in the dative)
    full = mention("Наина Иосифовна Ельцина", first="Наина", middle="Иосифовна", last="Ельцина")
    grouped, _entities = group_mentions([full, mention("Наине Иосифовне", first="Наина", middle="Иосифовне", start=50)])
    assert [m.entity_id for m in grouped] == [0, 0]


def test_canonical_is_the_fullest_and_surnames_take_its_gender():
    grouped, entities = group_mentions(
        [mention("Бабушкина", last="Бабушкина"), mention("Игорь Бабушкин", first="Игорь", last="Бабушкин", start=50)]
    )
    assert [(e.canonical, e.first, e.last, e.first_start) for e in entities] == [
        ("Игорь Бабушкин", "Игорь", "Бабушкин", 0)
    ]
    assert [(m.normal, m.last, m.entity_id) for m in grouped] == [
        ("Бабушкин", "Бабушкин", 0),
        ("Игорь Бабушкин", "Бабушкин", 0),
    ]


def test_a_surname_joins_by_its_written_form():
    # 'Захарову' normalized in the wrong gender still names Мария Захарова, and takes her gender
    full = mention("Мария Захарова", first="Мария", last="Захарова")
    alone = Mention(50, 58, "PER", "Захарову", "Захаров", "", "", "Захаров")
    grouped, _entities = group_mentions([full, alone])
    assert [m.entity_id for m in grouped] == [0, 0]
    assert (grouped[1].normal, grouped[1].last) == ("Захарова", "Захарова")


def test_helpers():
    assert acronym("Министерство иностранных дел") == "МИД"
    assert acronym("Организация по безопасности и сотрудничеству в Европе") == "ОБСЕ"
    assert surname_variants("Захарова") == {"захарова", "захаров"}
    assert surname_forms("Бабушкин") >= {"бабушкин", "бабушкина", "бабушкиным"}
    assert "бабушкиной" not in surname_forms("Бабушкин") and surname_forms("Шойгу") == {"шойгу"}
    assert "жуковская" in surname_variants("Жуковский")


def test_seed_article_entities(seed_doc):
    names = {e.canonical: e for e in seed_doc.entities}
    assert names["Игорь Бабушкин"].n_mentions == 4 and names["Ермек Кошербаев"].n_mentions == 2
    assert "Бабушкин" not in names and "Кошербаев" not in names
    assert names["Астраханская область"].n_mentions == 4
    assert names["Астрахань"].entity_id != names["Астраханская область"].entity_id
    by_text = {m.text: m for m in seed_doc.mentions}
    assert by_text["Бабушкина"].entity_id == names["Игорь Бабушкин"].entity_id
    assert by_text["Кошербаев"].entity_id == names["Ермек Кошербаев"].entity_id


def test_surname_gender_from_the_entity(nlp):
    doc = nlp("Официальный представитель МИД Мария Захарова выступила с брифингом. Захарову спросили о визите.")
    (entity,) = [e for e in doc.entities if e.type == "PER"]
    assert entity.canonical == "Мария Захарова" and entity.n_mentions == 2
    assert {m.normal for m in doc.mentions if m.type == "PER"} == {"Мария Захарова", "Захарова"}


CORPUS = [
    Text("Губернатор Игорь Бабушкин посетил Астрахань. Бабушкин осмотрел порт.", "a"),
    Text("Бабушкин провёл совещание в Астрахани.", "b"),
    Text("Сергей Иванов и Пётр Иванов приехали в Москву. Иванов выступил.", "c"),
    Text("Иванов прокомментировал решение.", "d"),
]


@pytest.fixture(scope="module")
def corpus_frames(nlp):
    return to_frames(nlp.pipe(CORPUS))


def test_corpus_entities_join_an_unambiguous_surname(corpus_frames):
    corpus = corpus_frames["corpus_entities"].set_index("canonical")
    assert corpus.loc["Игорь Бабушкин", ["n_documents", "first_doc_id"]].tolist() == [2, "a"]
    assert "Бабушкин" not in corpus.index  # joined: one Бабушкин in the corpus
    assert "Иванов" in corpus.index  # apart: two Ивановы in the corpus
    assert corpus.loc["Астрахань", "n_documents"] == 2
    entities = corpus_frames["entities"]
    ids = entities.set_index(["doc_id", "canonical"])["corpus_id"]
    assert ids["b", "Бабушкин"] == ids["a", "Игорь Бабушкин"]


def test_cooccurrences(corpus_frames):
    pairs = corpus_frames["cooccurrences"]
    keyed = {
        frozenset((row.canonical_a, row.canonical_b)): (row.n_sentences, row.n_documents) for row in pairs.itertuples()
    }
    assert keyed[frozenset(("Игорь Бабушкин", "Астрахань"))] == (2, 2)
    assert keyed[frozenset(("Сергей Иванов", "Пётр Иванов"))] == (1, 1)
    assert (pairs["corpus_id_a"] < pairs["corpus_id_b"]).all()
