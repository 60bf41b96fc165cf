"""Sums of money: '5,2 млрд рублей' -> 5200000000.0 RUB, 'от 10 до 15 млн рублей' -> 10000000.0/15000000.0 RUB.

Two passes over a passage's text, both anchored on cheap triggers: sums in digits start at a digit or a
currency sign ('$1,5 млрд', '500 ₽', '3,04 млрд долларов США'); sums in words start at a currency word
('два миллиона долларов', 'полтора миллиарда рублей') and read their numerals backwards. A number with a
multiplier and no currency ('316 млн') counts when its sentence names a sum and no noun follows it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from .extractor import FLOAT, INT, STR, Extractor, Passage, lazy
from .numeral import NUMERAL, value_of


@dataclass(frozen=True, slots=True)
class Money:
    """A sum of money: offsets into the document, its amount (a range's low end) and ISO 4217 currency."""

    sent_id: int
    start: int
    stop: int
    text: str
    amount: float | None  # '5,2 млрд рублей' -> 5200000000.0; None: no number ('несколько миллионов евро')
    amount_to: float | None  # a range's high end: 'от 10 до 15 млн рублей' -> 15000000.0
    currency: str  # 'RUB', 'USD', ...; '' when it cannot be told ('у.е.', 'крон' alone)


CODES = r"(?:USD|EUR|RUB|RUR|GBP|CNY|JPY|CHF|KZT|UAH|BYN|BYR|CAD|AUD|HKD|SEK|NOK|PLN|TRY|INR)(?![A-Za-z])"
# a unit's pattern, its ISO 4217 code, its worth in that currency
UNITS = (
    (
        r"руб(?:л[а-яё]*|\.)?|р\.(?!\s(?:больше|меньше|выше|ниже|дороже|дешевле))|₽",
        "RUB",
        1.0,
    ),  # руб., р.; not 'в 2 р. больше'
    (r"коп(?:е(?:йк[а-яё]*|ек)|\.)", "RUB", 0.01),  # 50 копеек
    (r"долл(?:ар[а-яё]*|\.)?(?:\s(?:США|КША))?|\$", "USD", 1.0),  # долларов США, долл.
    (r"цент(?:а|ов|ы)?", "USD", 0.01),
    (r"[Ее]вро|€", "EUR", 1.0),
    (r"евроцент(?:а|ов|ы)?", "EUR", 0.01),
    (r"фунт[а-яё]*(?:\sстерлинг[а-яё]*)?(?!\s\d+\sунци)|£", "GBP", 1.0),  # фунтов стерлингов; not '8 фунтов 6 унций'
    (r"юан[а-яё]*|жэньминьби", "CNY", 1.0),
    (r"[ий]ен[аыу]?|¥", "JPY", 1.0),  # иен, йены; ¥ is read as the yen
    (r"тенге|₸", "KZT", 1.0),
    (r"гривн[аыуе]?|гривен|₴", "UAH", 1.0),
    (r"злот(?:ый|ых|ого|ые)", "PLN", 1.0),
    (r"рупи[йия]", "INR", 1.0),
    (r"лир[аыу]?|₺", "TRY", 1.0),
    (r"шекел[а-яё]*|₪", "ILS", 1.0),
    (r"дирхам(?:а|ов)?", "AED", 1.0),
    (r"вон|₩", "KRW", 1.0),
    (r"лари", "GEL", 1.0),
    (r"драм(?:а|ов)?", "AMD", 1.0),
    (r"сом(?:а|ов)?", "KGS", 1.0),
    (r"сум(?:а|ов)?", "UZS", 1.0),
    (r"манат(?:а|ов)?", "AZN", 1.0),
    (r"франк(?:а|ов|и)?", "CHF", 1.0),
    (r"крон[аыу]?", "", 1.0),  # Swedish, Norwegian, Danish, Czech: the adjective tells
    (r"песо", "", 1.0),
    (r"биткои?н(?:а|ов|ы)?|биткойн(?:а|ов|ы)?", "XBT", 1.0),  # not ISO 4217: the code in use
    (r"у\.\s?е\.", "", 1.0),  # conventional units: pegged to USD or EUR, which the text does not say
    (r"реал(?:а|ов)", "BRL", 1.0),
    (r"рэнд(?:а|ов)?", "ZAR", 1.0),
    (r"ринггит(?:а|ов)?", "MYR", 1.0),
    (r"динар(?:а|ов|ы)?|риал(?:а|ов|ы)?|риял(?:а|ов|ы)?", "", 1.0),  # many countries': the adjective tells
    (r"-(?:доллар|рубл[её]в|евров|фунтов|юан)[а-яё]*", "", 1.0),  # 100-долларовой: the stem tells, below
    (CODES, "", 1.0),  # 44,6 млрд USD: the code itself
)
UNIT_CODES = tuple((lazy(pattern), code, worth) for pattern, code, worth in UNITS)
ADJECTIVE_UNITS = {"-доллар": "USD", "-рубл": "RUB", "-евро": "EUR", "-фунт": "GBP", "-юан": "CNY"}
# 'гонконгских долларов' -> HKD: an adjective's stem and the currency it tells
ADJECTIVE_CODES = """
американск:USD гонконгск:HKD австралийск:AUD канадск:CAD сингапурск:SGD новозеландск:NZD тайваньск:TWD
ямайск:JMD зимбабвийск:ZWL либерийск:LRD намибийск:NAD фиджийск:FJD брунейск:BND бермудск:BMD багамск:BSD
барбадосск:BBD белизск:BZD гайанск:GYD тринидадск:TTD восточнокарибск:XCD шведск:SEK норвежск:NOK датск:DKK
чешск:CZK исландск:ISK эстонск:EEK швейцарск:CHF французск:FRF бельгийск:BEF конголезск:CDF российск:RUB
белорусск:BYN приднестровск:PRB советск:SUR египетск:EGP суданск:SDG сирийск:SYP ливанск:LBP мексиканск:MXN
аргентинск:ARS чилийск:CLP колумбийск:COP кубинск:CUP филиппинск:PHP уругвайск:UYU доминиканск:DOP индийск:INR
пакистанск:PKR индонезийск:IDR непальск:NPR шри-ланкийск:LKR турецк:TRY азербайджанск:AZN туркменск:TMT
молдавск:MDL румынск:RON киргизск:KGS кыргызск:KGS узбекск:UZS южнокорейск:KRW северокорейск:KPW бразильск:BRL
китайск:CNY японск:JPY украинск:UAH казахстанск:KZT польск:PLN израильск:ILS грузинск:GEL армянск:AMD
таджикск:TJS
"""
ADJECTIVES = dict(pair.split(":") for pair in ADJECTIVE_CODES.split())
SHARED = {"USD", "GBP", "CHF", "INR", "RUB", ""}  # a unit several countries name: an unknown adjective leaves it untold

MULTIPLIERS = (("тыс", 1e3), ("млн", 1e6), ("миллион", 1e6), ("млрд", 1e9), ("миллиард", 1e9),
               ("трлн", 1e12), ("триллион", 1e12))  # fmt: skip

SPACE = r"[^\S\n]"  # a space, non-breaking and thin ones too, not a line break
# 1 500 000; 5,2; $27.5; $635,000; not inside a word or a number ('Ту-154' goes on, below)
NUMBER = r"\d(?<![\w.,]\d)\d*(?:[ \u00a0\u2009\u202f]\d{3}(?!\d))*(?:[.,]\d+)*"
MULTIPLIER = r"(?:тыс(?:яч[а-яё]*|\.)?|млн\.?|млрд\.?|трлн\.?|(?:миллион|миллиард|триллион)[а-яё]*)(?![а-яё])"
SIGN = r"[$€£₽¥₸₴₺₪₩]"
ADJECTIVE = r"[а-яё-]+(?:ск|цк)(?:их|ого|ому|им|ими|ом|ий|ой|ая|ие|ую)"
UNIT = "|".join(pattern for pattern, _, _ in UNITS)
TO = r"(?:[-–—]|до)"
# 5,2 млрд рублей; 10–15 млн рублей; от 30 тыс. до 50 тыс. руб.; 100 млн гонконгских долларов; 500 ₽
REST = (
    rf"(?P<low>{NUMBER})(?:{SPACE}?(?P<low_by>{MULTIPLIER})(?P<more>(?:{SPACE}{NUMBER}{SPACE}?{MULTIPLIER})*))?"
    rf"(?:{SPACE}?(?P<to>{TO}){SPACE}?(?P<high_sign>{SIGN})?(?P<high>{NUMBER})(?:{SPACE}?(?P<high_by>{MULTIPLIER}))?)?"
    rf"(?:{SPACE}?(?:(?P<adjective>{ADJECTIVE}){SPACE})?(?P<unit>(?:{UNIT})(?![а-яё]))"
    rf"(?:{SPACE}(?P<cents>\d\d?){SPACE}?(?:коп(?:еек|ейк[аи]|\.)|(?:евро)?цент(?:а|ов)?)(?![а-яё]))?)?"
)
# two patterns, each led by a character class, so that the search skips the text between them fast
DIGITS = lazy(rf"{REST}(?(unit)|(?(low_by)|(?(high_by)|(?!))))")  # no unit: '316 млн' waits for its sentence
SIGNED = lazy(rf"(?P<sign>{SIGN}){SPACE}?{REST}")  # $1,5 млрд; €300; £22 млн
PAIR = lazy(rf"({NUMBER}){SPACE}?({MULTIPLIER})")
SIGN_PREFIX = {"US": "USD", "HK": "HKD", "NZ": "NZD", "A": "AUD", "C": "CAD", "S": "SGD"}  # HK$5 -> HKD
# the currency word a sum in words ends on
TRIGGER = lazy(r"руб|долл|евро|Евро|фунт|юан|гривн|гривен|тенге|иен|йен|крон|франк|цент")
UNIT_WORD = lazy(rf"(?:{UNIT})(?![а-яё])")

# 'почти семи миллиардам долларов', 'от нескольких десятков до нескольких сотен миллионов долларов'
WORDS = lazy(rf"(?<![а-яё])(?:{NUMERAL})(?:\s(?:{NUMERAL}|до|с))*\s(?:(?P<adjective>{ADJECTIVE})\s)?$", re.IGNORECASE)
# 'более 45 тысяч рублей', 'от 3 до 5 тысяч рублей': kept in the span
PREFIX = lazy(
    r"(?<![а-яё])(?:от|до|с|более(?:\sчем)?|менее|около|почти|свыше|примерно|порядка|приблизительно|"
    r"не\s(?:менее|более|меньше|больше)|(?:чуть|немногим)\s(?:более|больше|менее|меньше)|больше|меньше)\s$",
    re.IGNORECASE,
)
LOOK = 80  # how far back a sum in words or a prefix may start
# after a bare '316 млн': what does not make it a count of something else
ELLIPSIS = lazy(r"\s*(?:[()\[\],.;:!?—–-]|$)")
END = lazy(r"\s*(?:$|\n|[А-ЯЁA-Z«\"])")  # after 'тыс.': a sentence's end
# what a sum follows: 'обошлись в 930 тысяч.', 'стоимостью 5 млн,'
CUE = lazy(
    r"(?<![а-яё])(?:стои(?:т|л|ла|ли|ло|мость|мостью)|обо(?:шл|шел|шёл|йд)[а-яё]*|заплат[а-яё]*|выплат[а-яё]*|"
    r"заработ[а-яё]*|зарабатыва[а-яё]*|штраф[а-яё]*|прибыл[а-яё]*|выручк[а-яё]*|доход[а-яё]*|залог[а-яё]*|"
    r"взятк[а-яё]*|цен[аеуы]|сумм[аеуы]|бюджет[а-яё]*|расход[а-яё]*)"
    r"(?:\s?[—:-]|\s(?:в|за|по|на|около|более|почти|до|от))*\s$",
    re.IGNORECASE,
)
NOT_COUNTED = {"VERB", "ADP", "CCONJ", "SCONJ", "PUNCT", "PART", "ADV", "AUX"}
Span = tuple  # (start, stop, amount, amount_to, currency or None: a bare '316 млн')


def find_money(passage: Passage) -> list[Money]:
    """The sums of money a passage names, in their order, offsets into the document."""
    text = passage.text
    spans = list(digit_spans(text, SIGNED))
    spans += [span for span in digit_spans(text, DIGITS) if not inside(span[0], span[1], spans)]
    spans += [span for span in word_spans(text) if not inside(span[0], span[1], spans)]
    spans.sort()
    spans = [span for span in spans if span[4] is not None or alone(span, spans, passage)]
    starts = [sentence.start for sentence in passage.sentences]
    rows = [money(passage, starts, *span) for span in spans]
    return list(told(rows, [span[4] is None for span in spans]))


def money(passage: Passage, starts: list[int], start: int, stop: int, amount, amount_to, currency) -> Money:
    begin, end = passage.start + start, passage.start + stop
    sent_id = max(bisect_right(starts, begin) - 1, 0)
    return Money(sent_id, begin, end, passage.text[start:stop], cents(amount), cents(amount_to), currency or "")


def cents(amount: float | None) -> float | None:
    # 34.3 * 1e9 = 34299999999.999996 -> 34300000000.0
    return None if amount is None else round(amount, 2)


def told(rows: Sequence[Money], bare: Sequence[bool]) -> Iterator[Money]:
    # '368 млн рублей (около 5,8 млн долларов), второе место — 316 млн': RUB, its sentence's first sum's,
    # else the currency of the sum before it
    for index, row in enumerate(rows):
        if bare[index]:
            before = [other for other, alone in zip(rows[:index], bare[:index], strict=True) if not alone]
            same = [other.currency for other in before if other.sent_id == row.sent_id]
            row = replace(row, currency=same[0] if same else before[-1].currency if before else "")
        yield row


def inside(start: int, stop: int, spans: Sequence[Span]) -> bool:
    return any(other[0] < stop and start < other[1] for other in spans)


def digit_spans(text: str, pattern: re.Pattern) -> Iterator[Span]:
    # 'от 3 до 5 тысяч рублей' -> (.., 3000.0, 5000.0, 'RUB')
    for match in pattern.finditer(text):
        low_by, high_by = scale(match["low_by"] or match["high_by"]), scale(match["high_by"] or match["low_by"])
        low, high = number(match["low"], low_by), match["high"] and number(match["high"], high_by)
        currency, worth = unit(match["unit"] or match.groupdict().get("sign"), match["adjective"])
        start = match.start()
        if currency == "USD" and not match["unit"]:
            start, currency = signed(text, start)
        amount = (low * low_by + more(match["more"])) * worth + (int(match["cents"] or 0) / 100)
        amount_to = high * high_by * worth if high else None
        if match["high_sign"] and match["to"] != "до":  # '$0,91 — $1,02 млн': two sums, each with its sign
            yield prefixed(text, start), match.end("more" if match["low_by"] else "low"), amount, None, currency
            yield match.start("high_sign"), unstopped(text, match), amount_to, None, currency
        else:
            yield prefixed(text, start), unstopped(text, match), amount, amount_to, currency


def unstopped(text: str, match: re.Match) -> int:
    # '$1,5 млн.' at a sentence's end: the stop is the sentence's, not the sum's
    end = match.end()
    if match["unit"] or text[end - 1] != "." or not END.match(text, end):
        return end
    return end - 1


def more(words: str | None) -> float:
    # '28 миллиардов 400 миллионов': ' 400 миллионов' -> 400000000
    pairs = PAIR.findall(words or "")
    return sum(number(digits, scale(by)) * scale(by) for digits, by in pairs)


def signed(text: str, start: int) -> tuple[int, str]:
    # 'HK$5 млн' -> HKD, the span from 'HK'
    for letters, code in SIGN_PREFIX.items():
        at = start - len(letters)
        if at >= 0 and text.startswith(letters, at) and not (at and text[at - 1].isalpha()):
            return at, code
    return start, "USD"


def word_spans(text: str) -> Iterator[Span]:
    # 'два миллиона долларов' -> (.., 2000000.0, None, 'USD')
    for trigger in TRIGGER.finditer(text):
        at = trigger.start()
        word = UNIT_WORD.match(text, at)
        if not word or (at and text[at - 1].isalpha()):
            continue
        words = WORDS.search(text, max(at - LOOK, 0), at)
        if words:
            currency, worth = unit(word[0], words["adjective"])
            low, high = spoken_range(text[words.start() : words.start("adjective") if words["adjective"] else at])
            amount, amount_to = (low and low * worth), (high and high * worth)
            yield prefixed(text, words.start()), word.end(), amount, amount_to, currency


def prefixed(text: str, start: int) -> int:
    # 'более 45 тысяч рублей': the span starts at 'более'
    prefix = PREFIX.search(text, max(start - 25, 0), start)
    return prefix.start() if prefix else start


def number(digits: str, multiplied: float) -> float:
    # '1 500 000' -> 1500000; '5,2' -> 5.2; '$635,000' -> 635000; '1.500.000,50' -> 1500000.5
    digits = re.sub(r"\s", "", digits)
    marks = re.findall(r"[.,]", digits)
    if not marks:
        return float(digits)
    head, _, tail = digits.rpartition(marks[-1])
    if len(set(marks)) == 1 and (len(marks) > 1 or (len(tail) == 3 and multiplied == 1 and head != "0")):
        return float(re.sub(r"[.,]", "", digits))  # thousands
    return float(re.sub(r"[.,]", "", head) + "." + tail)


def scale(word: str | None) -> float:
    # 'млн' -> 1e6; 'тысяч' -> 1e3
    for stem, value in MULTIPLIERS:
        if word and word.startswith(stem):
            return value
    return 1.0


def unit(word: str | None, adjective: str | None) -> tuple[str | None, float]:
    # 'долларов США' -> USD; 'гонконгских', 'долларов' -> HKD; None: no unit (a bare '316 млн')
    if not word:
        return None, 1.0
    code, worth = next(((code, worth) for pattern, code, worth in UNIT_CODES if pattern.fullmatch(word)), ("", 1.0))
    code = next((told for stem, told in ADJECTIVE_UNITS.items() if word.startswith(stem)), code)
    if word.isupper() and word.isalpha():
        code = "RUB" if word == "RUR" else word
    if adjective:
        told = next((told for stem, told in ADJECTIVES.items() if adjective.lower().startswith(stem)), None)
        code = told if told is not None else ("" if code in SHARED else code)
    return code, worth


def spoken_range(words: str) -> tuple[float | None, float | None]:
    # 'четырех до пяти тысяч' -> 4000, 5000
    parts = re.split(r"\sдо\s", words.strip(), flags=re.IGNORECASE)
    low, high = spoken(parts[0]), spoken(parts[-1]) if len(parts) > 1 else None
    if low is not None and high is not None and scale(parts[0].split()[-1]) == 1.0:
        low *= scale(parts[-1].split()[-1])
    return low, high


def spoken(words: str) -> float | None:
    # 'двести пятьдесят тысяч' -> 250000; 'полтора миллиарда' -> 1.5e9; 'несколько миллионов' -> None
    total, current = 0.0, 0.0
    for word in words.lower().split():
        if word == "с":  # два с половиной
            continue
        value = value_of(word)
        if value is None:
            return None
        if value:
            current += value
        else:
            if not current and plural(word):
                return None  # 'миллиарды долларов'
            half = 0.5 if word.startswith("пол") else 1.0  # полмиллиона
            total += (current or 1) * scale(word.removeprefix("пол")) * half
            current = 0.0
    return total + current


def plural(word: str) -> bool:
    # 'миллионы', 'миллионов' -> True; 'миллиона', 'миллион' -> False
    return word.endswith(("ы", "ов", "ами", "ах"))


def alone(span: Span, spans: Sequence[Span], passage: Passage) -> bool:
    # '316 млн (около 5 млн долларов)': a bare number with a multiplier, after a sum in its sentence or the last
    start, stop = span[0], span[1]
    starts = [sentence.start for sentence in passage.sentences]
    index = bisect_right(starts, passage.start + start) - 1
    if index < 0:
        return False
    begin = passage.sentences[max(index - 1, 0)].start - passage.start
    end = passage.sentences[index].stop - passage.start
    cue = CUE.search(passage.text, max(start - 30, 0), start)  # 'обошлись в 930 тысяч.'
    if not cue and not any(other[4] is not None and begin <= other[0] < end for other in spans):
        return False
    return ended(passage.text, stop) or following(passage.sentences[index], passage.start + stop) in NOT_COUNTED


def ended(text: str, stop: int) -> bool:
    # '316 млн (около', '2,5 тыс. За взрослую': no noun follows
    return bool(ELLIPSIS.match(text, stop) or (text[stop - 1] == "." and END.match(text, stop)))


def following(sentence, at: int) -> str | None:  # sentence: a records.Sentence
    # the tag of the first token after `at`
    return next((token.pos for token in sentence.tokens if token.start >= at), None)


def figure(amount: float | None) -> str:
    # 5200000000.0 -> '5 200 000 000'; 150.5 -> '150.50'; None -> '?'
    if amount is None:
        return "?"
    return f"{amount:,.0f}".replace(",", " ") if amount == int(amount) else f"{amount:,.2f}".replace(",", " ")


def said(money: Money) -> str:
    """A sum as `entities show` says it: '10 000 000–15 000 000 RUB'."""
    ends = figure(money.amount) + ("" if money.amount_to is None else "–" + figure(money.amount_to))
    return f"{ends} {money.currency}".rstrip()


MONEY = Extractor(
    "money",
    Money,
    {"sent_id": INT, "start": INT, "stop": INT, "text": STR, "amount": FLOAT, "amount_to": FLOAT, "currency": STR},
    find_money,
    about="one row per sum of money the text names: its amount (a range's two ends) and ISO 4217 currency",
    label="MONEY",
    title=lambda money: said(money),
    colour="#c8f0c8",
    ink="#166534",
)
