"""French full-text search that needs no PostgreSQL extension.

Accents are folded in Python before text reaches ``to_tsvector('french', …)`` and before a
query reaches ``websearch_to_tsquery('french', …)``, so "therapie ciblee" and "thérapie
ciblée" meet on the same stems without the ``unaccent`` extension. The folding maps each
character to exactly one character, so an offset in folded text is the same offset in the
original: highlighted snippets computed on folded text can be cut from the original.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Value

CONFIG = "french"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:
        lower = char
    base = "".join(c for c in unicodedata.normalize("NFD", lower) if not unicodedata.combining(c))
    return base if len(base) == 1 else lower


def fold(text: str) -> str:
    """Lower-case text without accents, one character for one character."""
    return "".join(_fold_char(char) for char in text)


# The accented words of PostgreSQL's French stop list (french.stop), folded. Unfolded, the
# French configuration drops them; folded, "à" would become "a" and "été" "ete", which it
# keeps as words: "droit à l'oubli" would then ask for an "a". They are blanked out instead,
# a space for each letter, so that offsets in the text stay those of the original.
FOLDED_STOP_WORDS = frozenset(
    {
        "a", "meme", "ete", "etee", "etees", "etes", "etant", "etante", "etants", "etantes",
        "etais", "etait", "etions", "etiez", "etaient", "fumes", "futes", "fut", "eumes",
        "eutes", "eut",
    }
)  # fmt: skip
_WORD = re.compile(r"\w+")


def searchable(text: str) -> str:
    """``fold(text)`` with the folded stop words blanked: what reaches to_tsvector and
    websearch_to_tsquery, on both sides, so that they always meet."""
    return _WORD.sub(
        lambda word: " " * len(word[0]) if word[0] in FOLDED_STOP_WORDS else word[0],
        fold(text),
    )


def document(**weighted: str) -> SearchVector:
    """A tsvector expression from texts keyed by weight: ``document(A=title, B=body)``."""
    vectors = [
        SearchVector(Value(searchable(text)), weight=weight, config=CONFIG)
        for weight, text in weighted.items()
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def query(text: str) -> SearchQuery:
    """A web-style query (quotes, OR, -word) on folded text."""
    return SearchQuery(searchable(text), search_type="websearch", config=CONFIG)


@dataclass(frozen=True)
class SearchSource:
    """A feature app's part of the network's search (knowledge.selectors.search), offered as
    ``<app>.search.SOURCE`` and found through core.hooks: the apps side by side in the layers
    (events beside knowledge) do not import each other."""

    # The hits' kind, also the value of the search's "type" filter that keeps only them.
    kind: str
    # The source's ranks are multiplied by it (articles 1.0, forum topics 0.6).
    factor: float
    # The newest matches considered (a common word matches a large share of them).
    cap: int
    # (member, folded query) → the SQL and parameters of the candidates the member may read,
    # as columns ``id`` and ``search_vector``, at most ``cap`` of them; raises EmptyResultSet
    # when there are none. Called only for active members (``is_reader``).
    candidates: Callable[[Any, str], tuple[str, list]]
    # ids → {id: (object, title, plain text of its body)}, for the results page and snippets.
    found: Callable[[list[int]], dict[int, tuple[Any, str, str]]]
