"""Entity resolution: names pymorphy3 does not know, lone names, spellings, aliases, the key column,
the user's aliases, and the corpus tables."""

import csv
import io
import re
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner

import entities
from entities import Pipeline, to_frames
from entities.cli import cli
from entities.errors import InputError
from entities.records import Document, Mention
from entities.resolve.aliases import Alias, builtin, read_aliases, user_first
from entities.resolve.declension import declines_to
from entities.resolve.document import group_mentions
from entities.resolve.spelling import skeleton
from test_cli import ENTITIES

# one case a line: a text || what its mentions (as written) must be: A = B (one entity), A != B (two)
RESOLVED = """
Канцлер Олаф Шольц прилетел в Париж. Позиция Шольца ясна. || Олаф Шольц = Шольца
Олафом Шольцем довольны в Берлине. Шольц ответил. || Олафом Шольцем = Шольц
Премьер Японии Фумио Кисида заявил о переговорах. С Кисидой встретился министр. || Фумио Кисида = Кисидой
Кисида приехал в Токио. Премьер-министр Фумио Кисида заявил о переговорах. || Кисида = Фумио Кисида
Урсула фон дер Ляйен выступила в Брюсселе. Фон дер Ляйен заявила о санкциях. || Урсула фон дер Ляйен = Фон дер Ляйен
Биньямин Нетаньяху прибыл в Вашингтон. Нетаньягу встретился с конгрессменами. || Биньямин Нетаньяху = Нетаньягу
Жан-Клод Юнкер выступил в Страсбурге. Жан Клод Юнкер ответил журналистам. || Жан-Клод Юнкер = Жан Клод Юнкер
Актер Мэтт Деймон прилетел в Москву. Мэт Деймон дал интервью. || Мэтт Деймон = Мэт Деймон
Реджеп Тайип Эрдоган прибыл в Анкару. Эрдоган заявил о выборах. || Реджеп Тайип Эрдоган = Эрдоган
Ангела Меркель приехала в Москву. Ангелу Меркель встретили в аэропорту. || Ангела Меркель = Ангелу Меркель
Нарендра Моди прилетел в Дели. Моди выступил в парламенте. || Нарендра Моди = Моди
Хиллари Клинтон выступила в Нью-Йорке. Клинтон ответила на вопросы. || Хиллари Клинтон = Клинтон
Эммануэль Макрон прилетел в Берлин. Макрона встретили в аэропорту. Макроном довольны. || Эммануэль Макрон = Макрона = Макроном
Президент Джо Байден выступил в Вашингтоне. Байдена поддержали. || Джо Байден = Байдена
Виктор Орбан прибыл в Будапешт. Орбану позвонили из Брюсселя. || Виктор Орбан = Орбану
Марк Рютте прилетел в Гаагу. Рютте выступил на саммите. || Марк Рютте = Рютте
Сергей Иванов и Пётр Иванов прибыли в Москву. Иванов ответил журналистам. || Сергей Иванов != Пётр Иванов; Сергей Иванов != Иванов; Пётр Иванов != Иванов
Губернатор Игорь Бабушкин провёл совещание. Наталья Бабушкина выступила с докладом. Бабушкиной аплодировали. || Игорь Бабушкин != Бабушкиной; Игорь Бабушкин != Наталья Бабушкина
Игорь Бабушкин прибыл в Астрахань. Бабушкина встретили в аэропорту. || Игорь Бабушкин = Бабушкина
Мария Захарова выступила в Москве. Захаровой задали вопрос. || Мария Захарова = Захаровой
Губернатор Игорь Бабушкин провёл совещание. Игорь Петрович поблагодарил участников. || Игорь Бабушкин = Игорь Петрович
Делегация ФРГ прибыла в Германию. || ФРГ = Германию
РФ и Россия подписали документ с Китаем. || РФ = Россия
Представители КНР прибыли в Москву. Китай заявил протест. Китаю ответили. || КНР = Китай = Китаю
Соединённые Штаты и США ведут переговоры. || Соединённые Штаты = США
Делегация ОАЭ прибыла в Москву. Объединённые Арабские Эмираты подписали договор. || ОАЭ = Объединённые Арабские Эмираты
Северная Корея провела испытания. КНДР заявила о ракетах. || Северная Корея = КНДР
Делегация Великобритании прибыла в Москву. Британия ответила. || Великобритании = Британия
Представитель Белоруссии выступил. Беларусь заявила о протесте. || Белоруссии = Беларусь
Губернатор Подмосковья выступил. Московская область получит деньги. || Подмосковья = Московская область
Глава Чечни выступил. Чеченская Республика получит деньги. || Чечни = Чеченская Республика
Власти Татарстана заявили. Республика Татарстан получит деньги. || Татарстана = Республика Татарстан
Генсек НАТО выступил. Североатлантический альянс ответил. || НАТО = Североатлантический альянс
Эксперты ВОЗ предупредили. Всемирная организация здравоохранения выпустила доклад. || ВОЗ = Всемирная организация здравоохранения
ЕС ввел санкции. Евросоюз ответил на заявление. || ЕС = Евросоюз
Совет Европы принял резолюцию. Европейский совет собрался в Брюсселе. || Совет Европы != Европейский совет
Европейский союз принял решение. Совет Европы ответил. || Европейский союз != Совет Европы
Губернатор штата Джорджия приехал в Грузию. || Джорджия != Грузию
Делегация прибыла в Китай. Пекин ответил на заявление. || Китай != Пекин
Власти Москвы и России обсудили бюджет. || Москвы != России
Министр Франции прибыл в Париж. || Франции != Париж
Министерство финансов России подготовило поправки. Минфин внесёт их в правительство. || Министерство финансов = Минфин
Московский городской суд рассмотрел иск. Мосгорсуд отклонил его. || Московский городской суд = Мосгорсуд
Лидер Движения против нелегальной иммиграции выступил в суде. ДПНИ запрещено. || Движения против нелегальной иммиграции = ДПНИ
Шахматист Веселин Топалов прилетел в Софию. У Веселина Топалова нет претензий. || Веселин Топалов = Веселина Топалова
Спикер Джон Бенер выступил в конгрессе. Бонер заявил о бюджете. || Джон Бенер = Бонер
Делегация прибыла в Страну восходящего солнца. Япония ответила на заявление. || Страну восходящего солнца = Япония
"""  # noqa: E501 - one case a line


def resolved_cases():
    for line in RESOLVED.strip().splitlines():
        text, rule = line.split(" || ")
        yield pytest.param(text, rule, id=rule[:50])


@pytest.mark.parametrize("text, rule", list(resolved_cases()))
def test_resolution_in_a_document(nlp, text, rule):
    doc = nlp(text)
    entity = {mention.text: mention.entity_id for mention in doc.mentions}
    for clause in rule.split("; "):
        apart = " != " in clause
        names = clause.split(" != " if apart else " = ")
        assert all(name in entity for name in names), (names, [m.text for m in doc.mentions])
        ids = {entity[name] for name in names}
        assert len(ids) == (len(names) if apart else 1), (
            clause,
            [(m.text, m.normal, m.entity_id) for m in doc.mentions],
        )


NORMALS = """
Канцлер Олаф Шольц прилетел в Париж. Позиция Шольца ясна. | Шольца -> Шольц
Премьер Японии Фумио Кисида заявил о переговорах. С Кисидой встретился министр. | Кисидой -> Кисида
Ангела Меркель приехала в Москву. Ангелу Меркель встретили в аэропорту. | Ангелу Меркель -> Ангела Меркель
Нарендрой Моди довольны в Дели. | Нарендрой Моди -> Нарендра Моди
Реджепом Тайипом Эрдоганом довольны в Анкаре. | Реджепом Тайипом Эрдоганом -> Реджеп Тайип Эрдоган
Хиллари Клинтон выступила в Нью-Йорке. Клинтон ответила на вопросы. | Хиллари Клинтон -> Хиллари Клинтон
Биньямин Нетаньяху прибыл в Вашингтон. Нетаньяху встретился с конгрессменами. | Нетаньяху -> Нетаньяху
Урсула фон дер Ляйен выступила в Брюсселе. Фон дер Ляйен заявила о санкциях. | Фон дер Ляйен -> Фон дер Ляйен
Эммануэль Макрон прилетел в Берлин. Макрона встретили в аэропорту. | Макрона -> Макрон
Жан-Клод Юнкер выступил в Страсбурге. | Жан-Клод Юнкер -> Жан-Клод Юнкер
"""


@pytest.mark.parametrize("text, mention, normal", [
    pytest.param(*(line.split(" | ")[0], *line.split(" | ")[1].split(" -> ")), id=line.split(" | ")[1])
    for line in NORMALS.strip().splitlines()
])  # fmt: skip
def test_normal_forms_of_names_pymorphy3_does_not_know(nlp, text, mention, normal):
    found = {m.text: m.normal for m in nlp(text).mentions}
    assert found[mention] == normal
    assert set(normal.lower().replace("-", "")) <= set(mention.lower().replace("-", "")) | set("аяйь")


@pytest.mark.parametrize("form, name, declines", [
    ("шольца", "шольц", True), ("шольцем", "шольц", True), ("кисидой", "кисида", True), ("кисиду", "кисида", True),
    ("игоря", "игорь", True), ("андрею", "андрей", True), ("марией", "мария", True), ("жуковского", "жуковский", True),
    ("жуковской", "жуковская", True), ("толстого", "толстой", True), ("путиным", "путин", True),
    ("шойгу", "шойгу", True), ("шойгуа", "шойгу", False), ("кисиды", "кисид", False), ("овечкин", "овечкина", False),
    ("ли", "ли", True), ("лиа", "ли", False), ("бута", "бут", True),
])  # fmt: skip
def test_declines_to(form, name, declines):
    assert declines_to(form, name) is declines


@pytest.mark.parametrize("one, other, type_, same", [
    ("Жан-Клод", "Жан Клод", "PER", True), ("Мэтт", "Мэт", "PER", True), ("Нетаньягу", "Нетаньяху", "PER", True),
    ("Фейсбук", "Фэйсбук", "ORG", True), ("Королёв", "Королев", "LOC", True), ("Гага", "Хаха", "LOC", False),
    ("Иванов", "Петров", "PER", False),
])  # fmt: skip
def test_one_spelling(one, other, type_, same):
    assert (skeleton(one, type_) == skeleton(other, type_)) is same


@pytest.mark.parametrize("type_, name, canonical, key", [
    ("LOC", "Китай", "Китай", "iso:CN"), ("LOC", "КНР", "Китай", "iso:CN"),
    ("LOC", "Китайская Народная Республика", "Китай", "iso:CN"), ("LOC", "США", "США", "iso:US"),
    ("LOC", "Соединённые Штаты", "США", "iso:US"), ("LOC", "соединенные штаты", "США", "iso:US"),
    ("LOC", "Америка", "США", "iso:US"), ("LOC", "ОАЭ", "ОАЭ", "iso:AE"),
    ("LOC", "Объединённые Арабские Эмираты", "ОАЭ", "iso:AE"), ("LOC", "ФРГ", "Германия", "iso:DE"),
    ("LOC", "РФ", "Россия", "iso:RU"), ("LOC", "Российская Федерация", "Россия", "iso:RU"),
    ("LOC", "Франция", "Франция", "iso:FR"), ("LOC", "Мьянма", "Мьянма", "iso:MM"),
    ("LOC", "Бирма", "Мьянма", "iso:MM"),
    ("LOC", "Подмосковье", "Московская область", "iso:RU-MOS"), ("LOC", "Чечня", "Чечня", "iso:RU-CE"),
    ("ORG", "ВОЗ", "ВОЗ", "org:WHO"), ("ORG", "Всемирная организация здравоохранения", "ВОЗ", "org:WHO"),
    ("ORG", "НАТО", "НАТО", "org:NATO"), ("ORG", "Североатлантический альянс", "НАТО", "org:NATO"),
    ("ORG", "Совет Европы", "Совет Европы", "org:COE"), ("ORG", "Европейский совет", "Европейский совет", "org:EUCO"),
    ("ORG", "Европейский союз", "Евросоюз", "org:EU"),
])  # fmt: skip
def test_builtin_aliases(type_, name, canonical, key):
    assert builtin().find(type_, name) == Alias(canonical, key)


@pytest.mark.parametrize("type_, name", [
    ("LOC", "Джорджия"), ("LOC", "Пекин"), ("LOC", "Вашингтон"), ("ORG", "Китай"), ("LOC", "НАТО"), ("LOC", "Осетия"),
])  # fmt: skip
def test_traps_link_to_nothing(type_, name):
    # the US state is not the country; a capital is not its country; a place is not a body
    assert builtin().find(type_, name) is None


def test_two_foreign_ministries_stay_apart():
    mentions = [Mention(0, 10, "ORG", "МИД России", "МИД России"), Mention(20, 31, "ORG", "МИД Украины", "МИД Украины")]
    assert [m.entity_id for m in group_mentions(mentions)[0]] == [0, 1]


def test_the_key_and_canonical_of_linked_entities(nlp):
    doc = nlp("Представители КНР прибыли в Москву. Китай заявил протест.")
    assert [(e.canonical, e.key, e.n_mentions) for e in doc.entities] == [
        ("Китай", "iso:CN", 2),
        ("Москва", "iso:RU-MOW", 1),
    ]
    assert [m.normal for m in doc.mentions] == ["КНР", "Москва", "Китай"]  # mentions keep their own normal form


def test_the_corpus_joins_by_key_and_by_lone_names_pymorphy3_does_not_know(nlp):
    texts = ["Канцлер Олаф Шольц прилетел в Париж.", "Позиция Шольца ясна.", "Представители КНР прибыли.",
             "Китай заявил протест.", "Сергей Иванов приехал.", "Пётр Иванов уехал.", "Иванов ответил."]  # fmt: skip
    frames = to_frames(nlp.pipe(texts))
    rows = frames["entities"][["doc_id", "canonical", "key", "corpus_id"]].values.tolist()
    corpus = {(doc_id, canonical): corpus_id for doc_id, canonical, _, corpus_id in rows}
    assert corpus["1", "Олаф Шольц"] == corpus["2", "Шолец"]  # pymorphy3's guess, but the written 'Шольца' declines so
    assert corpus["3", "Китай"] == corpus["4", "Китай"]
    assert len({corpus["5", "Сергей Иванов"], corpus["6", "Пётр Иванов"], corpus["7", "Иванов"]}) == 3
    linked = frames["corpus_entities"].set_index("canonical")
    assert linked.loc["Китай", ["key", "n_documents", "n_mentions"]].tolist() == ["iso:CN", 2, 2]
    assert linked.loc["Олаф Шольц", "key"] == "" and linked.loc["Олаф Шольц", "n_documents"] == 2


def test_the_corpus_joins_the_names_one_document_gives_an_entity_together():
    docs = [[body("Facebook"), body("Фэйсбук", start=20)], [body("Facebook")], [body("Фейсбук")],
            [person("Joshua Wolf", "Joshua", "Wolf"), person("Джошуа Вольф", "Джошуа", "Вольф", start=20)],
            [person("Joshua Wolf", "Joshua", "Wolf")], [body("Министерство финансов"), body("Минфин", start=30)],
            [body("Минфин")], [body("Министерство финансов США")]]  # fmt: skip
    found = []
    for number, mentions in enumerate(docs):
        grouped, named = group_mentions(mentions)
        found.append(Document(str(number), " " * 100, mentions=grouped, entities=named))
    rows = to_frames(found)["entities"][["doc_id", "canonical", "corpus_id"]].values.tolist()
    corpus = {(doc_id, canonical): corpus_id for doc_id, canonical, corpus_id in rows}
    assert corpus["0", "Фэйсбук"] == corpus["1", "Facebook"] == corpus["2", "Фейсбук"]
    assert corpus["3", "Джошуа Вольф"] == corpus["4", "Joshua Wolf"]
    # an acronym or a syllabic one is not a name of as many words: 'Минфин' alone may be anyone's
    assert corpus["5", "Министерство финансов"] != corpus["6", "Минфин"] != corpus["7", "Министерство финансов США"]


ALIASES = "alias,canonical,type\nВВП,Владимир Путин,PER\nНезалежная,Украина,LOC\nЭрэфия,Россия\n"


def test_the_user_s_aliases_come_first_and_take_a_known_key():
    aliases = user_first(read_aliases([["Незалежная", "Украина", "LOC"], ["ВВП", "Владимир Путин"]]))
    assert aliases.find("LOC", "Незалежная") == Alias("Украина", "iso:UA")
    assert aliases.find("PER", "ВВП") == Alias("Владимир Путин", "user:Владимир Путин")
    assert aliases.find("ORG", "ВВП") == Alias("Владимир Путин", "user:Владимир Путин")  # no type: any type
    mine = user_first(read_aliases([["Китай", "Поднебесная", "LOC"]]))
    assert mine.find("LOC", "КНР") == Alias("Китай", "iso:CN") and mine.find("LOC", "Китай").canonical == "Поднебесная"


@pytest.mark.parametrize("text, message", [
    ("alias,canonical\nВВП\n", "line 2: expected alias,canonical[,type], got 'ВВП'"),
    ("ВВП,Путин,PER,лишнее\n", "line 1: expected alias,canonical[,type]"),
    ("ВВП,Путин,ЛИЦО\n", "line 1: the type must be PER, LOC, ORG or empty, got 'ЛИЦО'"),
    (",Путин\n", "line 1: expected alias,canonical[,type]"),
])  # fmt: skip
def test_a_malformed_aliases_file_is_one_line_naming_the_line(tmp_path, text, message):
    path = tmp_path / "aliases.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        read_aliases(path)
    result = CliRunner().invoke(
        cli, ["extract", "-", "--out", str(tmp_path / "out"), "--aliases", str(path)], input="Москва"
    )
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and message.split(":")[0] in result.stderr


def test_aliases_through_the_command_and_the_pipeline(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,canonical,type\nКитайская сторона,Китай,LOC\nПолитбюро,ЦК КПК,ORG\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "Представители КНР прибыли в Москву. Китай заявил протест.", encoding="utf-8"
    )
    out = tmp_path / "out"
    done = subprocess.run([ENTITIES, "extract", str(tmp_path / "in"), "--out", str(out), "-q", "--aliases", str(path)],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    tables = entities.read_tables(out)
    assert tables["entities"][["canonical", "key"]].values.tolist() == [["Китай", "iso:CN"], ["Москва", "iso:RU-MOW"]]
    assert list(tables["corpus_entities"].columns) == ["corpus_id", "type", "canonical", "key", "n_documents",
                                                       "n_mentions", "first_doc_id"]  # fmt: skip
    assert Pipeline(aliases=path).options["aliases"] == read_aliases(path)


CHINA = "Представители КНР прибыли в Москву. Китай заявил протест."
ROME = [["Китай", "iso:CN"], ["Третий Рим", "user:Третий Рим"]]  # Москва by the user's canonical name


def extract_with_aliases(tmp_path, *options):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(CHINA, encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([ENTITIES, "extract", str(tmp_path / "in"), "--out", str(out), *options],
                          capture_output=True, text=True)  # fmt: skip
    return done, entities.read_tables(out)["entities"][["canonical", "key"]].values.tolist() if out.exists() else None


@pytest.mark.parametrize("header", ["name,target", "псевдоним,имя", "Name,Target,Type", "Alias,Canonical name"])
def test_a_header_of_any_names_is_not_an_alias(tmp_path, header):
    path = tmp_path / "aliases.csv"
    path.write_text(f"{header}\nМосква,Третий Рим\n", encoding="utf-8")
    done, found = extract_with_aliases(tmp_path, "--aliases", str(path))
    assert done.returncode == 0, done.stderr
    assert found == ROME
    assert f"entities: {path}: line 1 ({header}) taken as a header, not an alias\n" in done.stderr
    first = header.split(",")[0]
    assert all(read_aliases(path).find(type_, first) is None for type_ in ("PER", "LOC", "ORG"))


@pytest.mark.parametrize("text", [
    "ВВП,Владимир Путин\nНезалежная,Украина\n",  # no header: the first row is a link
    "незалежная,Украина\nВВП,Владимир Путин\n",  # a lower-case alias, but a name beside it
    "ввп,владимир путин\nнезалежная,украина\n",  # all in lower case: no row differs
    "ВВП,Владимир Путин,PER\nНезалежная,Украина,LOC\n",
    "Joshua Wolf,Джошуа Вольф\nFacebook,Meta\n",
])  # fmt: skip
def test_a_first_row_of_names_is_an_alias(text):
    aliases = read_aliases(list(csv.reader(io.StringIO(text))))
    assert len({alias.canonical for alias in aliases.names.values()}) == 2


def test_an_alias_given_twice_keeps_the_first_with_a_warning(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("Москва,Третий Рим\nКитайская сторона,Китай,LOC\nМосква,Белокаменная\nМосква,Третий Рим\n",
                    encoding="utf-8")  # fmt: skip
    done, found = extract_with_aliases(tmp_path, "--aliases", str(path), "--quiet")
    assert done.returncode == 0, done.stderr
    assert found == ROME
    assert done.stderr == (f"entities: {path}: 'Москва' is linked to 'Третий Рим' on line 1 and to 'Белокаменная' "
                           "on line 3; the first is kept\n")  # fmt: skip


@pytest.mark.parametrize("encoding, options", [
    ("cp1251", []),
    ("utf-8-sig", []),
    ("koi8-r", ["--aliases-encoding", "koi8-r"]),
    ("utf-16-le", ["--aliases-encoding", "UTF-16LE"]),
])  # fmt: skip
def test_an_aliases_file_in_another_encoding(tmp_path, encoding, options):
    path = tmp_path / "aliases.csv"
    path.write_bytes("псевдоним,имя\nМосква,Третий Рим\nКитайская сторона,Китай,LOC\n".encode(encoding))
    done, found = extract_with_aliases(tmp_path, "--aliases", str(path), *options)
    assert done.returncode == 0, done.stderr
    assert found == ROME and "taken as a header" in done.stderr


@pytest.mark.parametrize("options, message", [
    (["--aliases-encoding", "cp1251"], "--aliases-encoding needs --aliases"),
    (["--aliases", "{path}", "--aliases-encoding", "koi9"], "Invalid value for '--aliases-encoding': unknown encoding"),
    (["--aliases", "{path}"], "the aliases are binary data, not text"),
])  # fmt: skip
def test_aliases_encoding_errors_are_one_line(tmp_path, options, message):
    path = tmp_path / "aliases.csv"
    path.write_bytes("Москва,Третий Рим\n".encode("utf-16-le"))
    done, found = extract_with_aliases(tmp_path, *[_.format(path=path) for _ in options])
    assert done.returncode == 2 and found is None
    assert done.stderr.startswith("entities: error: ") and done.stderr.count("\n") == 1 and message in done.stderr


def test_the_key_column_is_empty_where_nothing_links(nlp):
    frames = to_frames([nlp("Губернатор Игорь Бабушкин прибыл в Астрахань.")])
    assert frames["entities"]["key"].tolist() == ["", ""] and frames["corpus_entities"]["key"].tolist() == ["", ""]
    assert pd.api.types.is_string_dtype(frames["entities"]["key"])


def person(normal, first="", last="", text=None, start=0):
    return Mention(start, start + len(text or normal), "PER", text or normal, normal, first, "", last)


@pytest.mark.parametrize("mentions, groups", [
    ([person("Joshua Wolf", "Joshua", "Wolf"), person("Джошуа Вольф", "Джошуа", "Вольф", start=20)], [0, 0]),
    ([person("Scott Horowitz", "Scott", "Horowitz"), person("Скотт Хоровитц", "Скотт", "Хоровитц", start=20),
      person("Хоровитц", last="Хоровитц", start=40)], [0, 0, 0]),
    ([person("Bernd Pischetsrieder", "Bernd", "Pischetsrieder"),
      person("Пишетсридер", last="Пишетсридер", start=30)], [0, 1]),
    # 'pl' both: too little
    ([Mention(0, 5, "ORG", "Apple", "Apple"), Mention(10, 15, "ORG", "Опель", "Опель")], [0, 1]),
    ([person("Реджеп Тайип Эрдоган", "Реджеп", "Эрдоган"),
      person("Реджеп Эрдоган", "Реджеп", "Эрдоган", start=30)], [0, 0]),
    ([person("Борис Николаевич Ельцин", "Борис", "Ельцин"), person("Борис Николаевич", "Борис", start=30)], [0, 0]),
    ([person("Сергей Иванов", "Сергей", "Иванов"), person("Пётр Иванов", "Пётр", "Иванов", start=20),
      person("Иванов", last="Иванов", start=40)], [0, 1, 2]),
    ([Mention(0, 15, "ORG", "Hewlett-Packard", "Hewlett-Packard"), Mention(20, 22, "ORG", "HP", "HP")], [0, 0]),
    ([Mention(0, 35, "ORG", "Министерство иностранных дел России", "Министерство иностранных дел России"),
      Mention(40, 50, "ORG", "МИД России", "МИД России")], [0, 0]),
    ([Mention(0, 35, "ORG", "Министерство иностранных дел России", "Министерство иностранных дел России"),
      Mention(40, 51, "ORG", "МИД Украины", "МИД Украины")], [0, 1]),
    ([Mention(0, 45, "ORG", "Объединённый фронт за демократию против диктатуры",
              "Объединённый фронт за демократию против диктатуры"),
      Mention(50, 54, "ORG", "ОФДД", "ОФДД")], [0, 0]),
    ([Mention(0, 10, "LOC", "Тоттенхэма", "Тоттенхэма"), Mention(20, 29, "LOC", "Тоттенхэм", "Тоттенхэм")], [0, 0]),
    ([Mention(0, 7, "ORG", "Газпром", "Газпром"), Mention(20, 33, "ORG", "Газпром нефть", "Газпром нефть")], [0, 1]),
])  # fmt: skip
def test_grouping_beyond_the_dictionary(mentions, groups):
    grouped, _entities = group_mentions(mentions)
    assert [m.entity_id for m in grouped] == groups


def body(text, normal=None, start=0, type_="ORG"):
    return Mention(start, start + len(text), type_, text, normal or text)


@pytest.mark.parametrize("mentions, groups", [
    # a name's case forms, word by word, whatever pymorphy3 made of them
    ([body("Большой театр"), body("Большим театром", "Больший театр", 20)], [0, 0]),
    ([body("Северная Корея", type_="LOC"), body("Южной Корее", "Южная Корея", 20, "LOC")], [0, 1]),
    # the name's adjective alone; not a noun's case form that ends like one
    ([body("Большой театр"), body("Большого", "Большое", 20)], [0, 0]),
    ([body("Мариинский театр"), body("Мариинского", "Мариинский", 20)], [0, 0]),
    ([body("Россия сегодня"), body("Россией", "Россия", 20)], [0, 1]),
    # syllabic abbreviations: the starts of the name's first words, two at least
    ([body("Министерство финансов"), body("Минфин", start=30)], [0, 0]),
    ([body("Министерство сельского хозяйства и пищевой промышленности"), body("Минсельхоз", start=60)], [0, 0]),
    ([body("Министерство образования и науки"), body("Минобрнауки", start=40)], [0, 0]),
    ([body("Московская областная дума"), body("Мособлдума", start=30)], [0, 0]),
    ([body("Газпром нефть"), body("Газпромбанк", start=20)], [0, 1]),
    ([body("Министерство финансов"), body("Министерство финансов США", start=30), body("Минфин", start=60)], [0, 1, 2]),
    # acronyms that keep their prepositions
    ([body("Движение против нелегальной иммиграции"), body("ДПНИ", start=40)], [0, 0]),
    ([body("Организация по безопасности и сотрудничеству в Европе"), body("ОБСЕ", start=60)], [0, 0]),
    # c before e, i, y sounds s
    ([body("Facebook"), body("Фэйсбук", start=20)], [0, 0]),
    ([body("Citibank"), body("Ситибанк", start=20)], [0, 0]),
    # one vowel misspelt inside a name of five letters or more; not an ending, not a short name
    ([body("Vestas"), body("Vistas", start=20)], [0, 0]),
    ([person("Джон Бенер", "Джон", "Бенер"), person("Бонер", last="Бонер", start=20)], [0, 0]),
    ([person("Луис Бенера", "Луис", "Бенера"), person("Бенеро", last="Бенеро", start=20)], [0, 1]),
    ([person("Ким Чен Ын", "Ким", "Ын"), person("Кем", last="Кем", start=20)], [0, 1]),
    ([body("Бавария", type_="LOC"), body("Боварию", "Боварию", 20, "LOC")], [0, 1]),
    # a full name that is a case form of another, either way round
    ([person("Веселин Топалов", "Веселин", "Топалов"),
      person("Веселина Топалова", "Веселина", "Топалова", start=20)], [0, 0]),
    ([person("Веселина Топалова", "Веселина", "Топалова"),
      person("Веселин Топалов", "Веселин", "Топалов", start=20)], [0, 0]),
    ([person("Наина Иосифовна", "Наина"), person("Наине Иосифовне", "Наине", start=20)], [0, 0]),
    ([person("Мария Петрова", "Мария", "Петрова"), person("Марк Петров", "Марк", "Петров", start=20)], [0, 1]),
    # a lone name that fits two people joins neither, whoever was named last
    ([person("Виктор Бут", "Виктор", "Бут"), person("Алла Бут", "Алла", "Бут", start=20),
      person("Бута", last="Бут", text="Бута", start=40)], [0, 1, 2]),
])  # fmt: skip
def test_more_grouping_beyond_the_dictionary(mentions, groups):
    grouped, _entities = group_mentions(mentions)
    assert [m.entity_id for m in grouped] == groups


def test_a_full_name_takes_the_nominative_the_text_writes():
    mentions = [
        person("Веселина Топалова", "Веселина", "Топалова"),
        person("Веселин Топалов", "Веселин", "Топалов", start=30),
    ]
    grouped, found = group_mentions(mentions)
    assert [m.normal for m in grouped] == ["Веселин Топалов", "Веселин Топалов"]
    assert [(e.canonical, e.first, e.last) for e in found] == [("Веселин Топалов", "Веселин", "Топалов")]
    # a spelling of the same name keeps its own: 'Сааакашвили' is a typo, not a case form
    mentions = [
        person("Михаил Сааакашвили", "Михаил", "Сааакашвили"),
        person("Михаил Саакашвили", "Михаил", "Саакашвили", start=30),
    ]
    assert [m.normal for m in group_mentions(mentions)[0]] == ["Михаил Сааакашвили", "Михаил Саакашвили"]


def test_a_place_is_named_by_the_form_the_others_decline_to():
    mentions = [Mention(0, 10, "LOC", "Тоттенхэма", "Тоттенхэма"), Mention(20, 29, "LOC", "Тоттенхэм", "Тоттенхэм")]
    assert [e.canonical for e in group_mentions(mentions)[1]] == ["Тоттенхэм"]


def test_a_lone_name_takes_the_part_it_is_in_its_own_script():
    grouped, entities = group_mentions([
        person("Gregory Chamitoff", "Gregory", "Chamitoff"),
        person("Грегори Чамитофф", "Грегори", "Чамитофф", start=20),
        person("Чамитоффа", first="Чамитоффа", text="Чамитоффа", start=40),
    ])  # fmt: skip
    assert [e.canonical for e in entities] == ["Грегори Чамитофф"]
    assert (grouped[2].normal, grouped[2].first, grouped[2].last) == ("Чамитофф", "", "Чамитофф")


def test_a_lone_name_keeps_its_own_spelling_of_the_same_name():
    grouped, _ = group_mentions([person("Михаил Сааакашвили", "Михаил", "Сааакашвили"),
                                 person("Саакашвили", last="Саакашвили", start=30)])  # fmt: skip
    assert [(m.normal, m.entity_id) for m in grouped] == [("Михаил Сааакашвили", 0), ("Саакашвили", 0)]
