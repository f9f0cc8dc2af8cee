"""Text helpers shared by every app."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z.]+")


def thousands(amount: int) -> str:
    """A whole number the Vietnamese way: 1000000 -> "1.000.000"."""
    return f"{int(amount):,}".replace(",", ".")


def fold(text: str) -> str:
    """Fold Vietnamese text for diacritics-insensitive search.

    Lower-cases, strips every combining mark (so stacked marks like "ấ" and "ự"
    go too) and maps đ/Đ to d, which Unicode does not decompose. The result is the
    same as PostgreSQL's ``lower(unaccent(text))`` for Vietnamese letters (checked
    in tests against the real extension), so one normaliser serves both databases.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def search_terms(query: str, max_length: int = 200) -> list[str]:
    """Split a user's query into folded words, dropping punctuation and symbols.

    Anything that is not a letter, digit or dot (SQL fragments, emoji, quotes) is a
    separator; the query is cut at ``max_length`` characters first.
    """
    folded = fold(query[:max_length])
    return [t for t in _NOT_WORD.split(folded) if t.strip(".")]


def slugify_vi(text: str) -> str:
    """A URL slug from Vietnamese text: "Sở Tư pháp" -> "so-tu-phap"."""
    folded = fold(text)
    return _SPACES.sub("-", re.sub(r"[^0-9a-z]+", " ", folded).strip())
