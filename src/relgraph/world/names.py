"""Place names folded for matching across languages and scripts.

``anyascii`` transliterates every script (Łódź → Lodz, Tromsø → Tromso, 汉堡 → hanbao),
which accent stripping alone does not (``ł`` and ``ø`` have no combining accent). The
fold keeps words, drops punctuation, and writes common prefixes one way ("St." and
"Saint" and "Sankt" are one word), so "Sankt Petersburg" meets "Saint Petersburg".
"""

from __future__ import annotations

import re

from anyascii import anyascii

__all__ = ["fold", "fold_variants"]

_NON_WORD = re.compile(r"[^a-z0-9]+")
_PREFIX = {"st": "saint", "ste": "sainte", "sankt": "saint", "san": "san", "sv": "saint", "svaty": "saint"}


def fold(name: str) -> str:
    """The matching key of a name.

    >>> fold("Łódź") == fold("Lodz")
    True
    >>> fold("Sankt-Petersburg") == fold("St. Petersburg") == fold("Saint Petersburg")
    True
    >>> fold("Tromsø")
    'tromso'
    """
    words = _NON_WORD.sub(" ", anyascii(name).lower()).split()
    if words and words[0] in _PREFIX:
        words[0] = _PREFIX[words[0]]
    return " ".join(words)


def fold_variants(name: str) -> set[str]:
    """The key of a name and of its parts before a comma or bracket ("Frankfurt (Oder)" → also "frankfurt oder").

    >>> sorted(fold_variants("León (Nicaragua)"))
    ['leon', 'leon nicaragua']
    """
    keys = {fold(name)}
    head = re.split(r"[,(]", name, maxsplit=1)[0]
    if head.strip() and head != name:
        keys.add(fold(head))
    return {k for k in keys if k}
