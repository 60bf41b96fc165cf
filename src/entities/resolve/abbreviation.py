"""What a name is abbreviated to: acronyms ('МИД' of 'Министерство иностранных дел', 'ДПНИ' keeping
its prepositions) and syllabic words ('Минфин' of 'Министерство финансов', 'Мосгорсуд')."""

from __future__ import annotations

from .spelling import fold

INITIAL_SKIP = {
    "и", "по", "в", "на", "для", "с", "о", "об", "при", "за", "к", "от", "из", "де", "фон", "ван", "против", "под",
    "над", "без", "через", "между", "до", "у", "а", "или", "of", "the", "and", "for",
}  # fmt: skip
CONJUNCTIONS = {"и", "а", "или", "and", "of", "the"}  # what an acronym that keeps its prepositions skips: 'ДПНИ'
SYLLABLE = 3  # the shortest start of a word in a syllabic abbreviation: 'Мин|фин', 'Мос|гор|суд'


def acronym(normal: str, skip: set[str] = INITIAL_SKIP) -> str:
    # 'Министерство иностранных дел' -> 'МИД'; 'Движение против нелегальной иммиграции' -> 'ДНИ', and,
    # skipping conjunctions only, 'ДПНИ'
    words = [word for word in normal.replace("-", " ").split() if word.lower() not in skip]
    return "".join(word[0] for word in words if word[0].isalpha()).upper()


def is_acronym(normal: str) -> bool:
    return len(normal) > 1 and normal.isupper() and normal.isalpha()


def acronym_forms(normal: str) -> set[str]:
    """What a multiword name is abbreviated to: 'Министерство иностранных дел России' -> 'МИДР', and, a
    dependent genitive after it, 'МИД России'; 'Hewlett-Packard' -> 'HP'."""
    words = normal.replace("-", " ").split()
    forms = {acronym(normal), acronym(normal, CONJUNCTIONS)} if len(words) > 1 else set()
    for cut in range(2, len(words)):
        short = acronym(" ".join(words[:cut]))
        if len(short) >= 2:
            forms.add(f"{short} {' '.join(words[cut:])}")
    return {fold(form) for form in forms if form}


def abbreviated(normal: str) -> bool:
    # 'МИД', 'МИД России', 'HP'
    words = normal.split()
    return bool(words) and is_acronym(words[0])


def starts_of(word: str, words: list[str], found: int = 0) -> bool:
    """Whether `word` is the starts (of 3 letters or more) of `words[0]`, `words[1]`, ..., at least two."""
    if not word:
        return found >= 2
    if not words:
        return False
    first = words[0]
    return any(word.startswith(first[:size]) and starts_of(word[size:], words[1:], found + 1)
               for size in range(min(len(first), len(word)), SYLLABLE - 1, -1))  # fmt: skip
