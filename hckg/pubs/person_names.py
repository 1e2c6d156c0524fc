"""Match an author as a record writes them to a person the data names ("Gerlinde van Vilsteren").

Records write one person many ways: "Vilsteren, G. van", "G. van Vilsteren", "van Vilsteren, Gerlinde",
"Gerlinde Van Vilsteren", "Vilsteren, G.J. van", "José Sombekke" / "Josée Sombekke" (diacritics). A
match needs the same surname (tussenvoegsels "van der", "de", "ten" ignored, accents and case folded)
and first names that agree: equal, or one an initial of the other ("G." ~ "Gerlinde"). A surname
alone never matches (too many Jansens); an author with no first name or initial matches no one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import fold

TUSSENVOEGSELS = frozenset("""van von der den de het ter ten te op in 't d' da di du del della la le
    vd v.d. v/d""".split())
_TITLES = re.compile(r"\b(dr|drs|ir|ing|prof|mr|msc|ma|bsc|phd|ba|mba|dipl|lic)\b\.?", re.IGNORECASE)


@dataclass(frozen=True)
class PersonName:
    surname: str
    """Folded, without tussenvoegsels: "vilsteren"."""
    given: tuple[str, ...]
    """Folded first names or initials, in order: ("gerlinde",) or ("g", "j")."""
    written: str


def _tokens(text: str) -> list[str]:
    """Words of a name, folded; "GJ" or "G.J." (capitals written together) become initials "g", "j"."""
    found: list[str] = []
    for raw in re.split(r"[\s.]+", text.replace("-", " - ")):
        if 2 <= len(raw) <= 3 and raw.isalpha() and raw.isupper():
            found += [fold(ch) for ch in raw]
        elif raw:
            found.append(fold(raw))
    return found


def parse(name: str) -> PersonName:
    """A name in any of the usual forms, folded.

    >>> parse("Vilsteren, G.J. van")
    PersonName(surname='vilsteren', given=('g', 'j'), written='Vilsteren, G.J. van')
    >>> parse("Gerlinde van Vilsteren").surname, parse("Gerlinde van Vilsteren").given
    ('vilsteren', ('gerlinde',))
    >>> parse("dr. ir. A. ten Brinke-Klein").surname
    'brinke klein'
    """
    plain = _TITLES.sub(" ", name)
    if "," in plain:
        family, given = plain.split(",", 1)
        family_tokens = [t for t in _tokens(family) if t not in TUSSENVOEGSELS and t != "-"]
        given_tokens = [t for t in _tokens(given) if t not in TUSSENVOEGSELS and t != "-"]
    else:
        tokens = [t for t in _tokens(plain)]
        # The surname starts at the first tussenvoegsel after a first name, else it is the last word
        # (with a hyphenated second part: "Brinke - Klein").
        start = next((i for i, t in enumerate(tokens) if i > 0 and t in TUSSENVOEGSELS), None)
        if start is None:
            start = len(tokens) - 1
            while start >= 2 and tokens[start - 1] == "-":
                start -= 2
        family_tokens = [t for t in tokens[start:] if t not in TUSSENVOEGSELS and t != "-"]
        given_tokens = [t for t in tokens[:start] if t not in TUSSENVOEGSELS and t != "-"]
    return PersonName(" ".join(family_tokens), tuple(given_tokens), name)


def same_person(a: PersonName, b: PersonName) -> bool:
    """Same surname and agreeing first names (an initial agrees with a name that starts with it).

    >>> same_person(parse("Vilsteren, G. van"), parse("Gerlinde van Vilsteren"))
    True
    >>> same_person(parse("Vilsteren, H. van"), parse("Gerlinde van Vilsteren"))
    False
    >>> same_person(parse("Josée Sombekke"), parse("Sombekke, J."))
    True
    >>> same_person(parse("Sombekke"), parse("Josée Sombekke"))
    False
    """
    if not a.surname or a.surname != b.surname or not a.given or not b.given:
        return False
    first_a, first_b = a.given[0], b.given[0]
    if len(first_a) > 1 and len(first_b) > 1:
        return first_a == first_b
    return first_a[0] == first_b[0]


class PeopleIndex:
    """People the data names, looked up by surname; ``match`` gives every entry an author agrees with."""

    def __init__(self, people: list[tuple[str, object]]) -> None:
        self._by_surname: dict[str, list[tuple[PersonName, object]]] = {}
        for name, payload in people:
            parsed = parse(name)
            if parsed.surname:
                self._by_surname.setdefault(parsed.surname, []).append((parsed, payload))

    def match(self, author: str) -> list[tuple[PersonName, object]]:
        wanted = parse(author)
        return [(p, payload) for p, payload in self._by_surname.get(wanted.surname, []) if same_person(wanted, p)]
