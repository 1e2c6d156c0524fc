"""Synthetic data shaped like HCKG's real data, for benchmarks only (never written into data/).

Communities of every type with provinces, topsectors, challenges, start years, lead institutions and
partners, all linked to the real provinces, topsectors and challenges. Seeded: the same size and seed
give the same triples. Every resource lives under ``https://w3id.org/hckg/id/synthetic/`` and the graph
is described as ``hckg:SyntheticData``.

    python bench/synthetic.py --triples 100000 --out /tmp/synthetic.nt
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Iterator

H = "https://w3id.org/hckg/def#"
ID = "https://w3id.org/hckg/id/"
SYN = ID + "synthetic/"
GRAPH = "https://w3id.org/hckg/graph/synthetic"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SOURCE = "http://purl.org/dc/terms/source"
TYPES = ["CentreOfExpertise", "CentrumInnovatiefVakmanschap", "Fieldlab", "Skillslab", "LivingLab",
         "Lectoraat", "Practoraat", "OtherLearningCommunity"]
PROVINCES = [f"PV{n}" for n in range(20, 32)]
TOPSECTORS = ["agri-food", "chemie", "creatieve-industrie", "energie", "htsm", "lsh", "logistiek", "tu",
              "water-maritiem", "ict"]
CHALLENGES = ["energietransitie-duurzaamheid", "gezondheid-zorg", "landbouw-water-voedsel", "veiligheid",
              "circulaire-economie"]
TRIPLES_PER_COMMUNITY = 9.7  # measured: 69,220 lines for 7,142 communities and their organisations


def _iri(value: str) -> str:
    return f"<{value}>"


def community(rng: random.Random, n: int, organisations: int) -> Iterator[str]:
    s = _iri(f"{SYN}community/c{n}")
    yield f"{s} {_iri(RDF_TYPE)} {_iri(H + rng.choice(TYPES))} ."
    yield f'{s} {_iri(LABEL)} "Synthetic community {n}"@nl .'
    yield f"{s} {_iri(SOURCE)} <https://example.org/synthetic/{n}> ."
    if rng.random() < 0.75:
        yield f"{s} {_iri(H + 'province')} {_iri(ID + 'province/' + rng.choice(PROVINCES))} ."
    for ts in rng.sample(TOPSECTORS, rng.randint(0, 2)):
        yield f"{s} {_iri(H + 'topsector')} {_iri(ID + 'topsector/' + ts)} ."
    if rng.random() < 0.3:
        yield f"{s} {_iri(H + 'societalChallenge')} {_iri(ID + 'challenge/' + rng.choice(CHALLENGES))} ."
    if rng.random() < 0.4:
        yield f'{s} {_iri(H + "startYear")} "{rng.randint(2008, 2025)}"^^<http://www.w3.org/2001/XMLSchema#gYear> .'
    lead = rng.randrange(organisations)
    yield f"{s} {_iri(H + 'leadInstitution')} {_iri(f'{SYN}organisation/o{lead}')} ."
    for partner in rng.sample(range(organisations), rng.randint(1, 4)):
        yield f"{s} {_iri(H + 'partner')} {_iri(f'{SYN}organisation/o{partner}')} ."


def organisation(n: int) -> Iterator[str]:
    s = _iri(f"{SYN}organisation/o{n}")
    yield f"{s} {_iri(RDF_TYPE)} {_iri(H + 'Organisation')} ."
    yield f'{s} {_iri(LABEL)} "Synthetic organisation {n}"@nl .'
    yield f"{s} {_iri(SOURCE)} <https://example.org/synthetic/o{n}> ."


def generate(triples: int, seed: int = 20261123) -> Iterator[str]:
    """About ``triples`` N-Triples lines (the description of the graph included)."""
    rng = random.Random(seed)
    communities = max(1, int(triples / TRIPLES_PER_COMMUNITY))
    organisations = max(10, communities // 4)
    yield f"{_iri(GRAPH)} {_iri(H + 'provenanceKind')} {_iri(H + 'SyntheticData')} ."
    for n in range(organisations):
        yield from organisation(n)
    for n in range(communities):
        yield from community(rng, n, organisations)


def write(path: Path, triples: int, seed: int = 20261123) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as f:
        for line in generate(triples, seed):
            f.write(line + "\n")
            count += 1
    return count


def add_to_store(store_path: Path, triples: int, workdir: Path) -> None:
    """Add ``triples`` synthetic triples to the built store at ``store_path``, entailments included.

    The benchmarks' common set-up: the real data first (``hckg build``), then this, bulk-loaded.
    """
    import pyoxigraph as ox

    from hckg.infer import materialise
    from hckg.store import OxigraphStore

    nt = workdir / "synthetic.nt"
    write(nt, triples)
    store = OxigraphStore(store_path.resolve(), writable=True)
    store._store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH))
    materialise(store)
    store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(f"wrote {write(args.out, args.triples, args.seed)} synthetic triples to {args.out}")
