import os
from pathlib import Path
from typing import NoReturn

import pytest

from entities import Pipeline

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SEED = CORPORA / "news" / "astrakhan-kazakhstan.txt"
SHARED = ROOT.parent / "shared"
# set by .ci/run: a test that needs ../shared fails when it is absent, instead of skipping
REQUIRE_SHARED = "ENTITIES_REQUIRE_SHARED"


def shared_absent(reason: str) -> NoReturn:
    """Skip with the reason; fail instead under ENTITIES_REQUIRE_SHARED=1, which .ci/run sets."""
    if os.environ.get(REQUIRE_SHARED) == "1":
        pytest.fail(f"{reason}; {REQUIRE_SHARED}=1 requires it", pytrace=False)
    pytest.skip(reason)


def need_shared() -> Path:
    """SHARED, or shared_absent: the one way a test reaches ../shared."""
    if not SHARED.is_dir():
        shared_absent(f"../shared is absent ({SHARED}): FactRuEval checks run only inside the workspace")
    return SHARED


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items):
    # a test that takes the `shared` fixture is marked `shared`: `pytest -m "not shared"` leaves it out
    for item in items:
        if "shared" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared)


@pytest.fixture(scope="session")
def nlp():
    return Pipeline()


@pytest.fixture(scope="session")
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_doc(nlp, seed_text):
    return nlp(seed_text)


@pytest.fixture(scope="session")
def shared():
    return need_shared()
