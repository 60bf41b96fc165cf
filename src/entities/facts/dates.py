"""Dates: the days, months, years, decades, centuries, periods and spans of time a text names.

A cheap trigger (a digit, a month, a small set of words) finds where a date may start, over the text in small
letters; the forms are matched there in one compiled pattern, the words before ('в', 'с', 'около') and after
('назад') join the span, and the first of the RULES that reads it gives its value:

    11 июня 2017 года -> 2017-06-11 day         в 1980-е -> 1980/1989 decade       XIX век -> 1801/1900 century
    июнь 2017 -> 2017-06 month                  с 5 по 7 мая 2024 года -> 2024-05-05/2024-05-07 day
    в конце марта 2019 года -> 2019-03-21/2019-03-31 day (the last third; начале, середине: the others)
    весной 2012 года -> 2012-03/2012-05 season  на прошлой неделе -> 2024-W18 week (an ISO week)
    два года -> P2Y year (a span of time: an ISO 8601 duration, no day)    ежегодно -> R/P1Y year
    17:44 Дек. 22, 2020 -> 2020-12-22 day (a header's: month first, the time left out)
    дек. 2020 -> 2020-12 month                  Dec 22, 2020 -> 2020-12-22 day (English: with a year only)

Relative dates are resolved against the document's date ('вчера', 'в прошлом году', 'в марте', 'два года
назад'; 'во вторник' is the last Tuesday on or before it, 'в прошлый вторник' the last one before it,
'в следующий вторник' the first after it) and kept with an empty value when the document has none; one
counted from a date the text named before ('в том же году', 'на следующий день', 'годом позже') has an empty
value either way.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from .extractor import DAY, INT, STR, Extractor, Passage, lazy
from .numeral import value_of

DAY_P, MONTH_P, YEAR_P, DECADE_P, CENTURY_P, WEEK_P, SEASON_P = (
    "day",
    "month",
    "year",
    "decade",
    "century",
    "week",
    "season",
)


@dataclass(frozen=True, slots=True)
class Date:
    """A date or period the text names: `value` ISO 8601 at the text's precision, `day` its first day."""

    sent_id: int
    start: int
    stop: int
    text: str  # document[start:stop]
    value: str  # '2017-06-11', '2017-06', '1980/1989', 'P2Y'; '' when relative and the document is not dated
    day: dt.date | None  # the first day of the value; None when value is '' or a duration
    precision: str  # day, month, year, decade, century, week, season


# the words ------------------------------------------------------------------------------------------------

MONTHS = ("янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
ENGLISH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_WORDS = (
    "январ[ьяе]",
    "феврал[ьяе]",
    "март[ае]?",
    "апрел[ьяе]",
    "ма[йяе]",
    "июн[ьяе]",
    "июл[ьяе]",
    "август[ае]?",
    "сентябр[ьяе]",
    "октябр[ьяе]",
    "ноябр[ьяе]",
    "декабр[ьяе]",
)
SHORT_MONTHS = ("янв", "фев", "февр", "мар", "апр", "июн", "июл", "авг", "сен", "сент", "окт", "ноя", "нояб", "дек")
ENGLISH_MONTHS = (
    "jan(?:uary)?",
    "feb(?:ruary)?",
    "mar(?:ch)?",
    "apr(?:il)?",
    "may",
    "june?",
    "july?",
    "aug(?:ust)?",
    "sep(?:t(?:ember)?)?",
    "oct(?:ober)?",
    "nov(?:ember)?",
    "dec(?:ember)?",
)  # Dec 22, 2020, 22 Dec 2020, Dec 2020: only with a year, as wires write them
MONTH = rf"(?:{'|'.join(MONTH_WORDS)})(?!\w)"
SHORT_MONTH = rf"(?:{'|'.join(SHORT_MONTHS)})\.?(?!\w)"
ENGLISH_MONTH = rf"(?:{'|'.join(ENGLISH_MONTHS)})\.?(?!\w)"
ANY_MONTH = (  # one flat alternation: each branch starts with a letter, which a search skips to fast
    "(?:"
    + "|".join([rf"{_}(?!\w)" for _ in MONTH_WORDS] + [rf"{_}\.?(?!\w)" for _ in SHORT_MONTHS + ENGLISH_MONTHS])
    + ")"
)
WEEKDAYS = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень")
WEEKDAY = (
    r"(?:(?:понедельник|вторник|четверг)(?:а|у|ом|е|и)?|(?:пятниц|суббот)(?:а|у|ы|е|ей|ой)"
    r"|воскресень(?:е|я|ю|ем|ям)|(?:(?<=в )|(?<=на )|(?<=по )|(?<=прошлую )|(?<=минувшую )|(?<=следующую )"
    r"|(?<=эту )|(?<=прошедшую ))среду|сред[уаы](?=,?\s+\d))(?!\w)"
)
DAY_NUMBER = r"(?:3[01]|[12]\d|0?[1-9])"
YEAR_NUMBER = r"(?:1[0-9]\d\d|20\d\d|21\d\d)"
YEAR_WORD = r"(?:\s?(?:годах|годами|годам|годом|году|года|годы|годов|год|гг?\.?)(?!\w))"  # 2017 году, 2008г
DASH = r"\s?[-–—]\s?"
ORDINAL = r"(?:-(?:го|м|й|х|е))"  # 2017-м, 1945-го
DECADE_ORDINAL = r"(?:-?(?:е|х|ые|ых|ым|ыми)(?!\w))"  # 1980-е, 80-х
ROMAN = r"[IVXХ]{1,5}(?:-?(?:го|м|й))?"  # XIX, ХХ-го (the Cyrillic Х too)
CENTURY_WORD = r"\s?(?:век\w*|в\.|вв\.|столети\w*)"
DECADE_WORDS = (
    "двадцат",
    "тридцат",
    "сороков",
    "пятидесят",
    "шестидесят",
    "семидесят",
    "восьмидесят",
    "девяност",
    "нулев",
)
DECADE_WORD = rf"(?:{'|'.join(DECADE_WORDS)})(?:ые|ых|ым|ыми)"
NEAR = r"(?:эт\w*|прошл\w*|следующ\w*|минувш\w*|нынешн\w*|текущ\w*|будущ\w*|позапрошл\w*|предыдущ\w*|прошедш\w*)"
NEAR_UNIT = (
    r"(?:году|года|год|месяце|месяца|месяц|неделе|недели|неделю|сезоне|сезона|сезон|день|дня|дне|выходные|выходных"
    r"|век[еа]?|десятилети[ея]|летом|зимой|весной|осенью)"
)
SAME = r"(?:т(?:от|ом|ого|ой|у)|эт(?:от|ом|ого|ой|у))\s+же|т(?:от|ом|ого|ой|у)(?=\s+(?:день|дня|году|года|год))"
# в том же году, в тот день: a date the text named before
SPAN_NOUN = (
    r"(?:срок|заключени|период|перерыв|контракт|мандат|пребывани|запрет|опыт|стаж|мораторий|правлени|отсутстви"
    r"|войн|истори|карьер)"
)
COMPOUND = (
    r"(?:одно|двух|трех|трёх|четырех|четырёх|пяти|шести|семи|восьми|девяти|десяти|\w+надцати|двадцати|тридцати"
    r"|сорока|пятидесяти|ста)(?:летн|дневн|месячн|недельн|суточн|годичн)"
)  # пятилетний, трёхдневный: a span of time as an adjective
UNIT = (
    r"(?:годах|годами|годам|годом|году|года|год|лет|месяц\w*|недел[ьяюие]\w*|дн(?:я|ей|ям|ями|ях)|день"
    r"|сут(?:ки|ок|кам|ках)|десятилети\w*|столети\w*|век(?:а|ов|ам)?|полгода|полугод\w*|полвека)(?!\w)"
)
COUNT_WORD = (
    r"(?:од(?:ин|ного|ному|ним|на|ну|ной)|дв(?:а|е|ух|ум|умя)|тр(?:и|[её]х|[её]м|емя)"
    r"|четыр(?:е|[её]х|[её]м|ьмя)|пят[ьи]|шест[ьи]|сем[ьи]|вос[еь]м[иь]?|девят[ьи]|десят[ьи]"
    r"|\w+надцат[ьи]|двадцат[ьи]|тридцат[ьи]|сорока?|пятьдесят|шестьдесят|ст[оа]"
    r"|полтора|полутора|нескольк\w+|мног\w+|пар[уы]|двое|трое|четверо|десятк\w+|сот(?:ни|ен)|считанн\w+)(?!\w)"
)
COUNT = rf"(?:\d+(?:[.,]\d+)?|{COUNT_WORD})"
AROUND = (
    r"(?:(?:не\s+|чуть\s+|немногим\s+)?(?:более|менее|больше|меньше|свыше)(?:\s+чем)?|около|почти|примерно|порядка"
    r"|целых|всего|ещ[её]|уже|в\s+течени[еи]|на\s+протяжении|за|через|спустя|до|на|по|последни[ех]|ближайши[ех]"
    r"|следующи[ех]|первы[ех])"
)
AGO = r"(?:\s+(?:тому\s+)?назад|\s+спустя)"
EDGE = r"(?:начал[еау]|конц[еау]|середин[еыу]|перв(?:ой|ую)\s+половин[еуы]|втор(?:ой|ую)\s+половин[еуы])"
RELATIVE = r"(?:сегодняшн\w+|позавчера|вчера|сегодня|послезавтра|завтра)(?!\w)"
SEASON = r"(?:весн(?:ой|а|у|е|ы)|лет(?:ом|о|а|у)|осен(?:ью|ь|и)|зим(?:ой|а|у|е|ы))"
PREP = r"(?:(?:в|во|с|со|до|к|ко|на|по|от|за|около|после|начиная\s+с)\s+)+"

# the forms: a cheap trigger finds where one may start (a digit, a month, a relative word), then the forms are
# matched there, over the lowered text; the words before ('в', 'с', 'около') and after ('назад') join the span
DAY_MONTH = (
    rf"(?<!\d:){DAY_NUMBER}(?:{DASH}{DAY_NUMBER}|\s+(?:и|по|на)\s+{DAY_NUMBER})?"  # not 17:04 дек.
    rf"\s+(?:{MONTH}|{SHORT_MONTH}|{ENGLISH_MONTH}(?=\s+{YEAR_NUMBER}))"  # 22 Dec 2020, with its year
    rf"(?:(?:{DASH}|\s+по\s+){DAY_NUMBER}\s+{MONTH})?(?:\s+{YEAR_NUMBER}{YEAR_WORD}?)?"
)
BARE_UNIT = (
    r"(?:(?<=за )|(?<=на )|(?<=через )|(?<=спустя )|(?<=течение )|(?<=течении )|(?<=протяжении )|(?<=более )"
    r"|(?<=больше )|(?<=менее )|(?<=около )|(?<=примерно )|(?<=почти )|(?<=целую )|(?<=целый )|(?<=всю )"
    r"|(?<=весь )|(?<=последнюю )|(?<=последний )|(?<=последнее ))"
    r"(?:неделю|недели|года|год|месяца|месяц|сутки|десятилетия|десятилетий|десятилетие|полгода|полвека)(?!\w)"
)
FORMS = (
    rf"{DAY_NUMBER}\.[01]?\d\.(?:{YEAR_NUMBER}|\d\d)(?![\d.]\d)(?:\s?г\.|{YEAR_WORD})?",  # 11.06.2017
    rf"{DAY_NUMBER}/[01]?\d/{YEAR_NUMBER}(?![\d/])",  # 24/06/2016
    rf"{YEAR_NUMBER}-[01]\d-[0-3]\d(?![\d/-])",  # 2017-06-11
    rf"{DAY_MONTH}",  # 11 июня 2017 года, 5-7 мая, 5 по 7 мая
    rf"(?:{EDGE}\s+)?{MONTH}(?:{DASH}{MONTH})?"
    rf"(?:\s+(?:{YEAR_NUMBER}{ORDINAL}?{YEAR_WORD}?|{NEAR}\s+года"
    rf"|{DAY_NUMBER},?\s+{YEAR_NUMBER}(?!\d){YEAR_WORD}?))?",  # июнь 2017, в феврале этого года, Декабрь 22, 2020
    rf"(?:{EDGE}\s+)?(?:{SHORT_MONTH}|{ENGLISH_MONTH})"
    rf"\s+(?:{DAY_NUMBER},?\s+)?{YEAR_NUMBER}(?!\d){ORDINAL}?{YEAR_WORD}?",  # дек. 2020, Дек. 22, 2020, Dec 2020
    rf"(?:{EDGE}\s+)?(?:\d\d)?\d0{DECADE_ORDINAL}(?:\s+(?:годы|годах|годов|годам|гг\.?)(?!\w))?",  # 1980-е
    rf"(?:{EDGE}\s+)?{DECADE_WORD}(?:\s+год\w*)?(?:\s+\w+ого\s+века)?",  # девяностые годы двадцатого века
    rf"(?:{EDGE}\s+)?{YEAR_NUMBER}(?:(?:{DASH}|\s+(?:по|до)\s+)(?:{YEAR_NUMBER}|\d\d)(?!\d))?"
    rf"(?:{ORDINAL}|{YEAR_WORD})?(?![\w/]|-\w|[.,]\d)",  # 2017, 1979–1980 годы, 1994 по 2000 годы
    rf"{RELATIVE}",  # вчера
    rf"(?:{NEAR}\s+)?{WEEKDAY}",  # во вторник, в прошлую пятницу
    rf"(?:{EDGE}\s+)?(?:{NEAR}|{SAME})\s+(?:{NEAR_UNIT}|{MONTH})(?!\w)",  # в прошлом году, в следующем мае
    r"(?:последн|ближайш)\w+\s+(?:годы|лет|месяцы|месяцев|недели|недель|дни|дней|месяц|год|неделю|десятилетие)(?!\w)",
    r"(?:(?:разные|долгие|многие|те|эти)\s+|(?<=в ))годы(?!\w)",  # в годы войны, долгие годы
    rf"{SEASON}(?:\s+(?:{YEAR_NUMBER}{YEAR_WORD}?|{NEAR}\s+года))?(?!\w)",  # весной 2012 года
    rf"{COUNT}(?:\s+с\s+половиной)?\s+{UNIT}(?:\s+и\s+\d+\s+{UNIT})?(?:\s+\d+\s+{UNIT})?",  # два года
    rf"(?:год|месяц|неделю|недели|день|сутки|полгода|десятилетие)(?={AGO})",  # год назад
    r"(?:годом|месяцем|неделей|днем|днём)\s+(?:позже|позднее|ранее|раньше)",  # годом позже
    BARE_UNIT,  # за неделю
    r"(?:(?<=за )|(?<=через )|(?<=спустя ))день(?!\w)",  # за день до
    r"(?<=в )выходные|(?<=на )днях",
    rf"{COMPOUND}\w*",  # пятилетний срок
    rf"\d+-(?:летн|месячн|дневн|недельн|суточн)\w+(?=\s+{SPAN_NOUN})",  # 15-летний срок, not 42-летний Азамат
    r"ежегодн\w*|каждый\s+(?:год|день|месяц)(?!\w)|каждые\s+\w+\s+(?:лет|года|дня|дней|месяца|месяцев)(?!\w)",
    rf"{YEAR_NUMBER}/(?:{YEAR_NUMBER}|\d\d)(?![\d/])",  # сезон 2016/17
)
TRIGGERS = (
    "янв фев мар апр май мая мае июн июл авг сен окт ноя дек сегодня позавчера вчера завтра послезавтра понедельник"
    " вторник среду среда среды четверг пятниц суббот воскресень этот этом этого этой эту этим прошл прошедш минувш"
    " следующ нынешн текущ будущ позапрошл предыдущ тот том того той ту последн ближайш начал конц середин первой"
    " первую второй вторую двадцат тридцат сороков пятидесят шестидесят семидесят восьмидесят девяност нулев разные"
    " долгие многие те эти годы весн лет осен зим один одн два две двух двум три трех трём трем трёх тремя четыр"
    " пять пяти пятью шест сем восем восьм девят десят надцат одиннадцат двенадцат тринадцат четырнадцат пятнадцат"
    " шестнадцат семнадцат восемнадцат девятнадцат сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто сто"
    " ста полтор полутор нескольк мног пару пары двое трое четверо десятк сотни сотен считанн недел год месяц сутки"
    " день десятилети полгода полвека днем днём выходные днях ежегодн каждый каждые"
)  # the first words of the forms, where a date may start: one string, split where the trigger is built
ENGLISH_TRIGGER = "jan|feb|ma[ry]|apr|ju[nl]|aug|sep|oct|nov|dec"  # after the Russian ones: they come first


def trie(words: list[str]) -> str:
    # ['мая', 'мае', 'март'] -> 'ма(?:е|р|я)': one branch per letter, which the regex engine skips fast
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(root)


def _branches(node: dict) -> str:
    if "" in node:
        return ""
    found = [re.escape(char) + _branches(child) for char, child in sorted(node.items())]
    return found[0] if len(found) == 1 else "(?:" + "|".join(found) + ")"


TRIGGER = rf"\d|{trie(TRIGGERS.split())}|{ENGLISH_TRIGGER}"
SCAN = rf"(?<!\w)(?={TRIGGER})(?:{'|'.join(f'(?:{_})' for _ in FORMS)})"


@cache
def scanner() -> re.Pattern:
    # compiled on the first passage, not at import (10 ms)
    return re.compile(SCAN)


CENTURY_HINT = lazy(r"век|столет|вв?\.")
CENTURY_FORM = lazy(
    rf"{ROMAN}(?:{DASH}{ROMAN})?(?i:{CENTURY_WORD})(?!\w)"
)  # XIX век: over the text as written, the numerals in capitals
LEAD = lazy(rf"(?<!\w)(?:{PREP}|(?:(?:в|во|к|до)\s+)?{EDGE}\s+|(?:{AROUND}\s+)+)$")  # the words before a span
TAIL = lazy(rf"(?:{AGO}|\s+(?:ранее|позже|позднее))")
NOT_AFTER = lazy(r"(?:№|статьи|статья|стать[ею]|ст\.|пункт\w*|част[ьи]|номер\w*)\s*$")  # статья 228
NOT_BEFORE = lazy(
    r"[\s\xa0]*(?:%|процент|руб|долл|евро|доллар|\$|€|₽|тыс|млн|млрд|трлн|человек|км|м\b|кг|тонн|штук|раз\b"
    r"|мест|голос|метр|килограмм|экземпляр|случа|гектар|га\b|единиц|жител|сотрудник|участник|квартир|дом)"
    r"|[:,.]\d|-\d"
)  # 2017 рублей, 146 млн человек, 3:1 (a sum, a count, a score)
AGE_BEFORE = lazy(
    r"(?<!\w)(?:было|был|будет|исполнил\w*|исполня\w*|исполнит\w*|возраст\w*|младше|старше|моложе|дожил\w*|ему|ей|им"
    r"|сейчас|тогда|от\s+\d+)"
    r"[\s\xa0]+(?:бы\s+|уже\s+|почти\s+|всего\s+|около\s+)?$"
)  # ему было 64 года, в возрасте 12 лет: an age
AGE = lazy(rf"(?:в|с|со)\s+{COUNT}\s+(?:лет|года?)$")  # в 24 года, с 14 лет
YEARS_OF_AGE = lazy(rf"(?:\d{{1,3}}|{COUNT_WORD})\s+(?:лет|года?|году|годам)")  # 64 года
MONTH_ALONE = lazy(MONTH)
COMPOUND_AGE = lazy(rf"{COMPOUND}\w*")
PERSON_AFTER = lazy(
    r"\s+(?:[А-ЯЁ]|ребен|ребён|мальчик|девочк|дочь|дочер|сын|внук|внучк|мужчин|женщин|подрост|школьн|девушк|юнош"
    r"|малыш|сестр|брат|жител|граждан)"
)
JOIN = lazy(r"(?:,\s*|\s+[-–—]\s+|\s+)(?:(?:в|во)\s+)?")  # В воскресенье, 11 июня 2017 года
JOINABLE = lazy(
    r"(?:(?:в|во|на)\s+)?(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресен|вчера|сегодня"
    r"|завтра|весн|лет|осен|зим)"
)
SPACE = lazy(r"\s+")
FULL_YEAR = lazy(r"\d{4}")
TO = lazy(r"(?:по|до)\s", re.IGNORECASE)
FROM = lazy(r"(?:с|со|от)\s", re.IGNORECASE)
RANGE_GAP = lazy(r"\s?[-–—]\s?|\s+(?:по|до)\s+")  # сентябрь 2014 — январь 2015
DATIVE = ("NOUN", "PROPN", "PRON")
DIGIT = lazy(r"\d")
NAMED_AGE = lazy(r"(?:[А-ЯЁA-Z][\w-]+(?:,|\s[-–—])?|\d+,?\s+и)\s+$")  # Глазков 40 лет; 30, 20 и 19 лет
NAME_DATIVE = lazy(r"[А-ЯЁ][а-яё]+(?:ову|еву|ёву|ину|ыну|ской|цкой)\s+$")  # Кравцову 39 лет


class Page(NamedTuple):
    """A passage as the rules read it: its text lowered letter for letter, and where its sentences start."""

    passage: Passage
    low: str
    starts: list[int]  # the sentences' starts, in the document


def find_dates(passage: Passage) -> list[Date]:
    """The dates and periods a passage names, in order: offsets into the document, resolved to its date."""
    page = Page(passage, lowered(passage.text), [sentence.start for sentence in passage.sentences])
    dates = []
    for start, cut, stop in joined(passage.text, spans(page)):
        text = passage.text[start:stop]
        value, day, precision = read(text, passage.day) if cut is None else ranged(text, cut - start, passage.day)
        at = passage.start + start
        sent_id = max(bisect_right(page.starts, at) - 1, 0)
        dates.append(Date(sent_id, at, passage.start + stop, text, value, day, precision))
    return dates


def lowered(text: str) -> str:
    # the text in small letters, each letter where it was ('İ' lowers to two)
    low = text.lower()
    return low if len(low) == len(text) else "".join(_ if len(_.lower()) != 1 else _.lower() for _ in text)


def spans(page: Page) -> list[tuple[int, int]]:
    low = page.low
    found = [widened(low, *_.span()) for _ in scanner().finditer(low) if kept(page, *_.span())]
    if CENTURY_HINT.search(low):
        text = page.passage.text
        found += [
            widened(low, *_.span()) for _ in CENTURY_FORM.finditer(text) if not low[_.start() - 1 : _.start()].isalnum()
        ]
        found.sort()
    return found


def widened(low: str, start: int, stop: int) -> tuple[int, int]:
    # 'в' + '2017 году', 'около' + 'года' + 'назад'
    lead = LEAD.search(low, max(0, start - 40), start)
    tail = TAIL.match(low, stop)
    return (lead.start() if lead else start), (tail.end() if tail else stop)


def kept(page: Page, start: int, stop: int) -> bool:
    # 2017 рублей, статья 228, COVID-19, Ту-154, 1535 кроватей, ему 64 года, Марта: not dates
    low = page.low
    span = low[start:stop]
    if span.isdigit():
        return bare_year(page, start, stop)
    if YEARS_OF_AGE.fullmatch(span):
        return not age(page, start, stop)
    if COMPOUND_AGE.fullmatch(span):  # пятилетний срок; not шестилетний мальчик, двенадцатилетний Коля
        return PERSON_AFTER.match(page.passage.text, stop) is None
    if MONTH_ALONE.fullmatch(span):
        return LEAD.search(low, max(0, start - 40), start) is not None  # в марте; not 'бразильянка Марта'
    if "a" <= span[0] <= "z":
        return page.passage.text[start].isupper()  # Dec 2020, MAY 2020; not 'may 2020'
    return low[start - 1 : start] != "/"


def bare_year(page: Page, start: int, stop: int) -> bool:
    # (1994), в 2014; not 2017 рублей, статья 228, COVID-19, 1535 кроватей
    low = page.low
    if NOT_AFTER.search(low, max(0, start - 12), start) or NOT_BEFORE.match(low, stop):
        return False
    if start > 1 and low[start - 1] in "-/":
        return low[start - 2].isalpha()  # ЧМ-2018, Евро-2024: the year in a name; not 555-2017
    return not word_after(page, stop)


def age(page: Page, start: int, stop: int) -> bool:
    # ему было 64 года, в возрасте 12 лет, в 24 года, Кравцову 39 лет, (56 лет), на 85 году жизни
    low = page.low
    lead = LEAD.search(low, max(0, start - 40), start)
    near = low[max(0, start - 30) : lead.start() if lead else start]
    return bool(
        AGE_BEFORE.search(near)
        or (lead and AGE.match(low, lead.start(), stop))
        or dative_before(page, start)
        or NAME_DATIVE.search(page.passage.text, max(0, start - 30), start) is not None
        or (
            lead is None
            and NAMED_AGE.search(page.passage.text, max(0, start - 30), start)
            and not TAIL.match(low, stop)
        )
        or ((low[start - 1 : start] == "(" or low[start - 2 : start] == ", ") and low[stop : stop + 1] in ",)")
        or low.startswith(" жизни", stop)
    )


def token_at(page: Page, offset: int, before: bool):
    # the token starting at offset (or the last one ending before it), from the sentences' tokens
    at = page.passage.start + offset
    index = bisect_right(page.starts, at) - 1
    if index < 0:
        return None
    tokens = page.passage.sentences[index].tokens
    if before:
        return next((_ for _ in reversed(tokens) if _.stop <= at), None)
    return next((_ for _ in tokens if _.start >= at), None)


def word_after(page: Page, stop: int) -> bool:
    # 1535 кроватей, 2091 административный протокол
    token = token_at(page, stop, before=False)
    return token is not None and token.pos in ("NOUN", "ADJ") and token.start - page.passage.start - stop <= 1


def dative_before(page: Page, start: int) -> bool:
    # Кравцову 39 лет
    token = token_at(page, start, before=True)
    return token is not None and token.pos in DATIVE and token.feats.get("Case") == "Dat"


def joined(text: str, found: list[tuple[int, int]]) -> Iterator[tuple[int, int | None, int]]:
    # (start, cut, stop): 'с 2006' + ' до ' + 'конца 2007 года' -> one span, a range cut where its second end
    # starts; 'в воскресенье' + ', ' + '11 июня 2017 года' -> one span, not a range; '1994', '1997' stay two
    last: tuple[int, int | None, int] | None = None
    for start, stop in found:
        if last is not None and last[2] >= start:
            last = (last[0], last[1], max(last[2], stop))
            continue
        join = None if last is None else joins(text, (last[0], last[2]), (start, stop))
        if last is not None and join is not None:
            last = (last[0], start if join == RANGE and last[1] is None else last[1], stop)
            continue
        if last is not None:
            yield last
        last = (start, None, stop)
    if last is not None:
        yield last


RANGE, ONE = "range", "one"


def joins(text: str, first: tuple[int, int], second: tuple[int, int]) -> str | None:
    # RANGE: 'с 2006' + ' ' + 'по 2010 год', 'сентябрь 2014' + ' — ' + 'январь 2015';
    # ONE: 'в воскресенье' + ', ' + '11 июня 2017 года' (the date tells the day); None: two dates
    if FROM.match(text, *first) and TO.match(text, second[0]) and SPACE.fullmatch(text, first[1], second[0]):
        return RANGE  # с мая по сентябрь 2019 года
    digits = [DIGIT.search(text, *span) is not None for span in (first, second)]
    if all(digits):
        return RANGE if RANGE_GAP.fullmatch(text, first[1], second[0]) else None
    if any(digits) and JOIN.fullmatch(text, first[1], second[0]):
        word = text[slice(*(second if digits[0] else first))].lower()
        return ONE if JOINABLE.match(word) else None
    return None


# the values ----------------------------------------------------------------------------------------------


def ranged(text: str, cut: int, today: dt.date | None) -> tuple[str, dt.date | None, str]:
    # с 1 марта 2011 по декабрь 2015 -> 2011-03-01/2015-12; с мая по сентябрь 2019 года -> 2019-05/2019-09
    first, second = text[:cut], text[cut:]
    year = FULL_YEAR.search(second)
    if year and not FULL_YEAR.search(first):
        first += " " + year.group()  # the first end's year is the second's
    start, day, precision = read(first, today)
    stop = read(second, today)[0]
    if not start[:1].isdigit() or not stop[:1].isdigit():  # a date and a span of time: the date
        return start, day, precision
    return done(f"{start.split('/')[0]}/{stop.split('/')[-1]}", precision)


def read(text: str, today: dt.date | None) -> tuple[str, dt.date | None, str]:
    # the first rule that reads the span gives its value
    low = text.lower().replace("\xa0", " ").replace("ё", "е")
    for rule in RULES:
        reading = rule(low, today)
        if reading is not None:
            return reading
    return "", None, ""


def first_day(value: str) -> dt.date | None:
    # '2017-06' -> 2017-06-01, '1980/1989' -> 1980-01-01, 'P2Y' -> None
    head = value.split("/")[0]
    if not head or head.startswith(("P", "R")):
        return None
    if "-W" in head:
        return dt.date.fromisocalendar(int(head[:4]), int(head[6:]), 1)
    parts = [int(_) for _ in head.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def done(value: str, precision: str) -> tuple[str, dt.date | None, str]:
    # the value, its first day and precision; a period whose ends come in the wrong order names nothing
    start, _, stop = value.partition("/")
    if stop and stop[:1].isdigit() and stop[: len(start)] < start[: len(stop)]:
        return "", None, precision  # 12 по 7 марта
    return value, first_day(value) if value else None, precision


def month_number(word: str) -> int:
    # 'июня' -> 6, 'дек.' -> 12, 'december' -> 12
    return next(i for i, stems in enumerate(zip(MONTHS, ENGLISH_STEMS, strict=True), 1) if word.startswith(stems))


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def iso(year: int, month: int | None = None, day: int | None = None) -> str:
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
    if day is not None:
        text += f"-{day:02d}"
    return text


NUMERIC_DATE = lazy(r"(\d{1,2})[./](\d{1,2})[./](\d{2,4})")
ISO_DATE = lazy(r"(\d{4})-(\d\d)-(\d\d)")
DAYS_MONTH = lazy(
    rf"(\d{{1,2}})(?:(?:\s?[-–—]\s?|\s+(?:по|и|на)\s+)(\d{{1,2}}))?\s+({ANY_MONTH})"
    rf"(?:(?:\s?[-–—]\s?|\s+по\s+)(\d{{1,2}})\s+({MONTH}))?(?:\s+(\d{{4}}))?"
)
FROM_TO_DAYS = lazy(rf"(?:с|со)\s+(\d{{1,2}})(?:\s+({MONTH}))?\s+по\s+(\d{{1,2}})\s+({MONTH})(?:\s+(\d{{4}}))?")
SECOND_MONTH_YEAR = lazy(rf"\s?[-–—]\s?({MONTH})\s+(\d{{4}})")
DAY_YEAR = lazy(r"\d,?\s+\d{4}")  # a cheap test before MONTH_DAY's
MONTH_DAY = lazy(rf"({ANY_MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})")  # дек. 22, 2020
MONTH_YEAR = lazy(rf"({ANY_MONTH})(?:\s?[-–—]\s?({MONTH}))?(?:\s+(\d{{4}})|\s+({NEAR})\s+года)?")
YEARS = lazy(r"(?<!\d)(\d{4})(?:\s*(?:[-–—/]|по|до)\s*(\d{4}|\d\d)(?!\d))?")
DECADE = lazy(r"(\d\d)?(\d)0-")
WORD_DECADE = lazy(DECADE_WORD)
CENTURY = lazy(r"([ivxх]+)(?:\S*\s?[-–—]\s?([ivxх]+))?")
EDGE_WORD = lazy(r"(начал|конц|середин|перв\w+\s+половин|втор\w+\s+половин)")
PAST = lazy(r"прошл|минувш|прошедш")
NEXT = lazy(r"следующ|ближайш|будущ")
WEEKDAY_WORD = lazy(r"(понедельник|вторник|сред|четверг|пятниц|суббот|воскресень)")
NEAR_WORD = lazy(rf"({NEAR}|т(?:от|ом|ого|ой|у)(?:\s+же)?|эт\w+\s+же)\s+(\w+)")
COUNT_UNIT = lazy(rf"({COUNT})(\s+с\s+половиной)?\s+({UNIT})")  # два с половиной года


def by_numbers(low: str, today: dt.date | None):
    # 11.06.2017 -> 2017-06-11; 2017-06-11
    match = NUMERIC_DATE.search(low)
    if match:
        day, month, year = (int(_) for _ in match.groups())
        year = year + (2000 if year < 50 else 1900) if year < 100 else year
        return checked(year, month, day)
    match = ISO_DATE.search(low)
    if match:
        return checked(*(int(_) for _ in match.groups()))
    return None


def checked(year: int, month: int, day: int):
    try:
        return done(dt.date(year, month, day).isoformat(), DAY_P)
    except ValueError:
        return "", None, DAY_P


def by_day_month(low: str, today: dt.date | None):
    # 11 июня 2017 года -> 2017-06-11; с 5 по 7 мая -> 2024-05-05/2024-05-07 (the document's year)
    match = FROM_TO_DAYS.search(low)
    if match:
        first, first_month, last, month, year = match.groups()
        return days_between(int(first), first_month or month, int(last), month, year, today)
    match = MONTH_DAY.search(low) if DAY_YEAR.search(low) else None
    if match:
        month, day, year = match.groups()
        return days_between(int(day), month, int(day), month, year, today)
    match = DAYS_MONTH.search(low)
    if match is None:
        return None
    first, last, month, last_again, other_month, year = match.groups()
    if other_month:
        return days_between(int(first), month, int(last_again), other_month, year, today)
    if last:
        return days_between(int(first), month, int(last), month, year, today)
    return days_between(int(first), month, int(first), month, year, today)


def days_between(first: int, first_month: str, last: int, last_month: str, year: str | None, today: dt.date | None):
    if year is None and today is None:
        return "", None, DAY_P
    number = int(year) if year else today.year  # type: ignore[union-attr]
    try:
        start = dt.date(number, month_number(first_month), first)
        stop = dt.date(number, month_number(last_month), last)
    except ValueError:
        return "", None, DAY_P
    return done(start.isoformat() if start == stop else f"{start.isoformat()}/{stop.isoformat()}", DAY_P)


def by_month(low: str, today: dt.date | None):
    # июнь 2017 -> 2017-06; в марте -> the document's year; в ноябре-декабре -> 2024-11/2024-12
    match = MONTH_YEAR.search(low)
    if match is None:
        return None
    first, last, year, near = match.groups()
    if year:
        number = int(year)
    elif near:
        if today is None:
            return edged("", MONTH_P, EDGE_WORD.search(low))
        number = today.year + shift(near)
    elif today is None:
        return edged("", MONTH_P, EDGE_WORD.search(low))
    else:
        number = today.year + (1 if "следующ" in low or "будущ" in low else 0)
    value = iso(number, month_number(first))
    other = SECOND_MONTH_YEAR.search(low, match.end())  # сентябрь 2014 — январь 2015
    if other:
        value += "/" + iso(int(other.group(2)), month_number(other.group(1)))
    elif last:  # в декабре-январе: January of the next year
        value += "/" + iso(number + (month_number(last) < month_number(first)), month_number(last))
    return edged(value, MONTH_P, EDGE_WORD.search(low))


def by_decade(low: str, today: dt.date | None):
    # в 1980-е -> 1980/1989; в 80-е -> 1980/1989; девяностые годы -> 1990/1999
    match = DECADE.search(low)
    if match:
        century, tens = match.groups()
        first = int(century) * 100 + int(tens) * 10 if century else 1900 + int(tens) * 10
        if not century and int(tens) == 0:
            first = 2000
    else:
        word = WORD_DECADE.search(low)
        if word is None:
            return None
        index = next(i for i, stem in enumerate(DECADE_WORDS) if word.group().startswith(stem))
        first = 2000 if DECADE_WORDS[index] == "нулев" else 1920 + index * 10  # двадцатые -> 1920
    return edged(f"{first}/{first + 9}", DECADE_P, EDGE_WORD.search(low))


def by_century(low: str, today: dt.date | None):
    # XIX век -> 1801/1900
    if not CENTURY_HINT.search(low) or DIGIT.search(low):
        return None
    match = CENTURY.search(low.replace("х", "x"))  # ХХ: the Cyrillic letter as the numeral
    if match is None:
        return None
    first, last = (roman(_) if _ else None for _ in match.groups())
    if not first:
        return None
    value = f"{(first - 1) * 100 + 1:04d}/{(last or first) * 100:04d}"
    return edged(value, CENTURY_P, EDGE_WORD.search(low))


def roman(text: str) -> int:
    numbers = {"i": 1, "v": 5, "x": 10}
    total = 0
    for i, char in enumerate(text):
        number = numbers.get(char, 0)
        total += -number if i + 1 < len(text) and numbers.get(text[i + 1], 0) > number else number
    return total


def by_year(low: str, today: dt.date | None):
    # в 2017 году -> 2017; 1979–1980 годы -> 1979/1980; 1996—98 -> 1996/1998
    match = YEARS.search(low)
    if match is None:
        return None
    first, last = match.groups()
    if last is None:
        return edged(first, YEAR_P, EDGE_WORD.search(low))
    stop = int(last) if len(last) == 4 else int(first) // 100 * 100 + int(last)
    stop += 100 if stop < int(first) and len(last) == 2 else 0  # 1999—01 -> 1999/2001
    return done(f"{first}/{stop}", YEAR_P)


def by_relative_day(low: str, today: dt.date | None):
    # вчера -> the day before the document's; на сегодняшний день -> its day
    for word, days in (("позавчера", -2), ("вчера", -1), ("послезавтра", 2), ("завтра", 1), ("сегодня", 0)):
        if word in low:
            return shifted(today, days)
    return None


def shifted(today: dt.date | None, days: int):
    if today is None:
        return "", None, DAY_P
    return done((today + dt.timedelta(days=days)).isoformat(), DAY_P)


def by_weekday(low: str, today: dt.date | None):
    # во вторник -> the last Tuesday on or before the document's day; в следующий вторник -> after it
    match = WEEKDAY_WORD.search(low)
    if match is None:
        return None
    if today is None:
        return "", None, DAY_P
    weekday = next(i for i, stem in enumerate(WEEKDAYS) if match.group().startswith(stem))
    back = (today.weekday() - weekday) % 7
    if PAST.search(low):
        back = back or 7
    elif NEXT.search(low):
        back = back - 7 if back else -7
    return done((today - dt.timedelta(days=back)).isoformat(), DAY_P)


def by_near(low: str, today: dt.date | None):
    # в прошлом году -> the year before the document's; на этой неделе -> its ISO week; в том же году -> ''
    match = NEAR_WORD.search(low)
    if match is None:
        return None
    near, unit = match.groups()
    precision = unit_precision(unit)
    if precision is None:
        return None
    told = precision in (YEAR_P, MONTH_P, WEEK_P, SEASON_P, CENTURY_P)  # not 'на следующий день'
    if near.startswith("т") or "же" in near or today is None or not told:  # в тот день, в том же году
        return edged("", precision, EDGE_WORD.search(low))
    step = shift(near)
    if precision == CENTURY_P:  # в прошлом веке -> 1901/2000
        century = (today.year - 1) // 100 + 1 + step
        return edged(f"{(century - 1) * 100 + 1:04d}/{century * 100:04d}", CENTURY_P, EDGE_WORD.search(low))
    if precision in (YEAR_P, SEASON_P):
        return edged(iso(today.year + step), YEAR_P, EDGE_WORD.search(low))
    if precision == MONTH_P:
        month = today.year * 12 + today.month - 1 + step
        return edged(iso(month // 12, month % 12 + 1), MONTH_P, EDGE_WORD.search(low))
    if precision == WEEK_P:
        year, week, _ = (today + dt.timedelta(weeks=step)).isocalendar()
        return done(f"{year}-W{week:02d}", WEEK_P)
    return done((today + dt.timedelta(days=step)).isoformat(), DAY_P)


def shift(near: str) -> int:
    if near.startswith("позапрошл"):
        return -2
    if near.startswith(("прошл", "минувш", "предыдущ", "прошедш")):
        return -1
    if near.startswith(("следующ", "будущ")):
        return 1
    return 0


def unit_precision(unit: str) -> str | None:
    for stem, precision in (
        ("полгод", MONTH_P),
        ("полугод", MONTH_P),
        ("летом", SEASON_P),
        ("год", YEAR_P),
        ("лет", YEAR_P),
        ("месяц", MONTH_P),
        ("недел", WEEK_P),
        ("выходн", WEEK_P),
        ("десятилет", DECADE_P),
        ("д", DAY_P),
        ("сут", DAY_P),
        ("сезон", YEAR_P),
        ("век", CENTURY_P),
        ("столет", CENTURY_P),
        ("зим", SEASON_P),
        ("весн", SEASON_P),
        ("осен", SEASON_P),
    ):
        if unit.startswith(stem):
            return precision
    return None


def by_count(low: str, today: dt.date | None):
    # два года -> P2Y; 1 год 6 месяцев -> P1Y6M; три года назад -> the year three before the document's;
    # несколько дней -> ''
    pairs: list[tuple[float | None, str]] = [(amount(n, half), unit) for n, half, unit in COUNT_UNIT.findall(low)]
    if not pairs:
        bare = BARE_UNIT_WORD.search(low)  # за неделю, год назад
        if bare is None:
            return None
        pairs = [(None if bare.group().endswith("ий") else 1.0, bare.group())]  # в течение десятилетий: how many?
    parts = [in_units(count, unit) for count, unit in pairs]
    precision = parts[-1][1]
    if AGO_WORD.search(low):
        return ago_value(parts[0][0], parts[0][1], today) if len(parts) == 1 else ("", None, precision)
    if any(count is None for count, _ in parts):
        return "", None, precision
    return "P" + "".join(f"{count:g}{LETTERS[unit]}" for count, unit in parts), None, precision


def by_compound(low: str, today: dt.date | None):
    # пятилетний -> P5Y; трёхдневный -> P3D; 15-летний срок -> P15Y
    match = COMPOUND_WORD.search(low)
    if match is None:
        return None
    count = number(match.group(1))
    precision, letter = COMPOUND_UNITS[match.group(2)]
    return ("" if count is None else f"P{count:g}{letter}"), None, precision


def by_repeat(low: str, today: dt.date | None):
    # ежегодно -> R/P1Y (every year); каждые три года -> R/P3Y
    if "ежегодн" in low:
        return "R/P1Y", None, YEAR_P
    match = EVERY.match(low)
    if match is None:
        return None
    count = number(match.group(1)) if match.group(1) else 1.0
    precision = unit_precision(match.group(2)) or YEAR_P
    return ("" if count is None else f"R/P{count:g}{LETTERS[precision]}"), None, precision


def by_unit(low: str, today: dt.date | None):
    # в последние дни, на днях, в выходные: a time the text does not tell, at the precision of its unit
    match = ANY_UNIT.search(low)
    return None if match is None else ("", None, unit_precision(match.group()) or DAY_P)


def by_later(low: str, today: dt.date | None):
    # годом позже, днём ранее: counted from a date the text named before
    match = LATER.search(low)
    return None if match is None else ("", None, unit_precision(match.group(1)) or YEAR_P)


def amount(count: str, half: str) -> float | None:
    # 'два' -> 2, 'два с половиной' -> 2.5, 'несколько' -> None
    value = number(count)
    return value + 0.5 if value is not None and half else value


def in_units(count: float | None, unit: str) -> tuple[float | None, str]:
    # (2, 'десятилетия') -> (20, 'decade'); (1, 'полгода') -> (6, 'month'); (1, 'полвека') -> (50, 'year')
    if unit.startswith(("полгод", "полугод")):
        return (None if count is None else count * 6), MONTH_P
    if unit.startswith("полвек"):
        return (None if count is None else count * 50), YEAR_P
    precision = unit_precision(unit) or YEAR_P
    return (None if count is None else count * SCALE.get(precision, 1)), precision


FINER = {MONTH_P: DAY_P, YEAR_P: MONTH_P, DECADE_P: YEAR_P, CENTURY_P: YEAR_P}  # в конце марта: days of March
LETTERS = {YEAR_P: "Y", MONTH_P: "M", WEEK_P: "W", DAY_P: "D", DECADE_P: "Y", CENTURY_P: "Y"}
SCALE = {DECADE_P: 10, CENTURY_P: 100}
COMPOUND_WORD = lazy(r"(?<![\w-])(\d+|[а-яё]+?)-?(летн|дневн|месячн|недельн|суточн|годичн)")
COMPOUND_UNITS = {
    "летн": (YEAR_P, "Y"),
    "годичн": (YEAR_P, "Y"),
    "месячн": (MONTH_P, "M"),
    "недельн": (WEEK_P, "W"),
    "дневн": (DAY_P, "D"),
    "суточн": (DAY_P, "D"),
}
EVERY = lazy(r"кажд\w+\s+(?:(\w+)\s+)?(год|года|лет|день|дня|дней|месяц|месяца|месяцев)")
ANY_UNIT = lazy(r"(?<!\w)(?:год|лет|месяц|недел|выходн|дн|день|сут|десятилет|век|столет)")
LATER = lazy(r"(годом|месяцем|неделей|днем|днём)\s+(?:позже|позднее|ранее|раньше)")
AGO_WORD = lazy(r"назад|тому")
BARE_UNIT_WORD = lazy(r"(?:неделю|недели|года|год|месяца|месяц|сутки|день|десятилети\w+|полгода|полвека)(?!\w)")


def ago_value(count: float | None, precision: str, today: dt.date | None):
    if count is None or today is None or count != int(count):
        return "", None, DAY_P if precision == WEEK_P else precision
    steps = int(count)
    if precision == YEAR_P:
        return done(iso(today.year - steps), YEAR_P)
    if precision == MONTH_P:
        month = today.year * 12 + today.month - 1 - steps
        return done(iso(month // 12, month % 12 + 1), MONTH_P)
    if precision == WEEK_P:
        return shifted(today, -7 * steps)
    if precision == DAY_P:
        return shifted(today, -steps)
    return "", None, precision


def number(word: str) -> float | None:
    # '2' -> 2, 'полтора' -> 1.5, 'двадцати' -> 20, 'пятидесяти' -> 50, 'пару' -> 2, 'несколько' -> None
    digits = word.replace(",", ".")
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits)
    if word.startswith(("пар", "двое")):
        return 2
    if word.startswith(("трое",)):
        return 3
    if word.startswith(("четверо",)):
        return 4
    return value_of(word, None) or None  # a multiplier ('тысячи') counts no time


def by_season(low: str, today: dt.date | None):
    # весной 2012 года -> 2012-03/2012-05; зимой 2012 года -> 2011-12/2012-02; летом -> the document's year
    match = re.search(r"(весн|лет(?:ом|о|а|у)\b|осен|зим)", low)
    if match is None:
        return None
    year = re.search(r"\d{4}", low)
    near = re.search(NEAR, low)
    if year:
        number = int(year.group())
    elif today is None:
        return "", None, SEASON_P
    else:
        number = today.year + (shift(near.group()) if near else 0)
    first, last = {"в": (3, 5), "л": (6, 8), "о": (9, 11), "з": (12, 2)}[match.group(1)[0]]
    start = iso(number - 1 if first == 12 else number, first)
    return done(f"{start}/{iso(number, last)}", SEASON_P)


def edged(value: str, precision: str, edge: re.Match | None):
    # в конце марта -> the last third of March (2024-03-21/2024-03-31); в начале 2017 года -> 2017-01/2017-04
    if edge is None:
        return done(value, precision)
    if not value:  # в конце марта, the document not dated: the precision the value would have
        return "", None, FINER.get(precision, precision)
    first, last = value.split("/") if "/" in value else (value, value)
    part = edge.group(1)
    if precision == MONTH_P and len(first) == 7 and first == last:
        year, month = int(first[:4]), int(first[5:])
        ends = {"начал": (1, 10), "середин": (11, 20), "конц": (21, last_day(year, month))}
        halves = (1, 15) if part.startswith("перв") else (16, last_day(year, month))
        low, high = ends.get(part, halves)
        return done(f"{iso(year, month, low)}/{iso(year, month, high)}", DAY_P)
    if precision == YEAR_P and first == last:
        year = int(first)
        low, high = {"начал": (1, 4), "середин": (5, 8), "конц": (9, 12)}.get(
            part, (1, 6) if part.startswith("перв") else (7, 12)
        )
        return done(f"{iso(year, low)}/{iso(year, high)}", MONTH_P)
    if precision in (DECADE_P, CENTURY_P):
        start, stop = int(first), int(last)
        size = stop - start + 1
        third = size // 3
        low, high = {
            "начал": (start, start + third - 1),
            "середин": (start + third, stop - third),
            "конц": (stop - third + 1, stop),
        }.get(part, (start, start + size // 2 - 1) if part.startswith("перв") else (start + size // 2, stop))
        return done(f"{low:04d}/{high:04d}", YEAR_P)
    return done(value, precision)


Rule = Callable[[str, "dt.date | None"], "tuple[str, dt.date | None, str] | None"]
RULES: tuple[Rule, ...] = (
    by_numbers,
    by_day_month,
    by_month,
    by_season,
    by_century,
    by_decade,
    by_year,
    by_relative_day,
    by_weekday,
    by_compound,
    by_repeat,
    by_near,
    by_later,
    by_count,
    by_unit,
)

DATES = Extractor(
    "dates",
    Date,
    {"sent_id": INT, "start": INT, "stop": INT, "text": STR, "value": STR, "day": DAY, "precision": STR},
    find_dates,
    about="one row per date or period the text names: its ISO 8601 value at the text's precision "
    "('2017-06-11', '2017-06', '1980/1989', 'P2Y' for a span of time), its first day and the precision",
    label="DATE",
    title=lambda date: date.value or "(relative)",
    colour="#fce7f3",
    ink="#9d174d",
)
