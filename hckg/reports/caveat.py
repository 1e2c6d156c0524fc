"""The completeness caveat shown beside a "regions lacking" answer.

A province listed as lacking a community may still have one the register does not place in any
province or cannot attribute to any challenge. The caveat query counts both with the headline's own
parameters and meaning of "serves", so an analyst reads the answer together with what it rests on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..queries.running import run_saved, select
from ..store.base import Store

CAVEAT_QUERIES = {"regions-lacking-community": "regions-lacking-community-caveat"}
"""Saved queries whose answer is printed with a caveat, and the saved query that computes it."""


@dataclass(frozen=True)
class Caveat:
    """The counts behind a "regions lacking" answer, for one choice of type and challenge."""

    communities: int
    without_province: int
    serving: int
    serving_without_province: int
    without_challenge_or_topsector: int

    def text(self, lang: str = "en") -> str:
        """One sentence in English or Dutch.

        >>> print(Caveat(52, 7, 20, 3, 2).text())
        Caveat: of the 52 communities of this type, 7 have no province (3 of them serve the challenge) and 2 have neither a challenge nor a topsector; a province listed as lacking may have such a community that is not recorded there.
        """
        if lang == "nl":
            return (f"Kanttekening: van de {self.communities} communities van dit type hebben er "
                    f"{self.without_province} geen provincie ({self.serving_without_province} daarvan dienen de "
                    f"uitdaging) en {self.without_challenge_or_topsector} noch een uitdaging noch een topsector; "
                    "een provincie die als ontbrekend geldt, kan zo'n community hebben die daar niet geregistreerd is.")
        return (f"Caveat: of the {self.communities} communities of this type, {self.without_province} have no province "
                f"({self.serving_without_province} of them serve the challenge) and "
                f"{self.without_challenge_or_topsector} have neither a challenge nor a topsector; a province listed "
                "as lacking may have such a community that is not recorded there.")


def caveat_for(store: Store, folder: Path, name: str, values: Mapping[str, Sequence[str]]) -> Caveat | None:
    """The caveat of saved query ``name`` run with ``values``; None for a query that has none.

    Raises what ``run_saved`` raises for a bad value (the main query has raised it first).
    """
    caveat_query = CAVEAT_QUERIES.get(name)
    if caveat_query is None:
        return None
    row = next(iter(select(run_saved(store, folder, caveat_query, values))))

    def count(variable: str) -> int:
        return int(row[variable].value)

    return Caveat(count("communities"), count("withoutProvince"), count("serving"), count("servingWithoutProvince"),
                  count("withoutChallengeOrTopsector"))
