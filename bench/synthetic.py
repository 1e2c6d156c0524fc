"""Synthetic data shaped like HCKG's real data, for benchmarks only (never written into data/).

Communities of every type with provinces, topsectors, challenges, start years, lead institutions and
partners, all linked to the real provinces, topsectors and challenges. Seeded: the same size and seed
give the same triples. Every resource lives under ``https://w3id.org/hckg/id/synthetic/`` and the graph
is described as ``hckg:SyntheticData``.

``generate_shaped`` (``--shaped``) is the fuller data set of the benchmark suite (bench/run.py): typed
organisations in provinces, communities with their memberships (lead institution, partners),
publications (``bibo:Document``, test DOIs under 10.5555) written by organisations and about
communities, and a graph description in DCTERMS and PROV that says the data is generated. Its IRIs follow
the shapes' patterns (``id/community/synthetic-c1``, ``id/organisation/synthetic-o1``), so `hckg load`
accepts it through the gate; the slug prefix ``synthetic-`` and the graph keep it labelled synthetic.

    python bench/synthetic.py --triples 100000 --out /tmp/synthetic.nt [--shaped]
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


def _described(s: str, cls: str, label: str, source: str) -> Iterator[str]:
    """The type, Dutch label and source every described resource has (the shapes require them)."""
    yield f"{s} {_iri(RDF_TYPE)} {_iri(cls)} ."
    yield f'{s} {_iri(LABEL)} "{label}"@nl .'
    yield f"{s} {_iri(SOURCE)} <{source}> ."


def community(rng: random.Random, n: int, organisations: int, community_base: str = SYN + "community/c",
              organisation_base: str = SYN + "organisation/o") -> Iterator[str]:
    s = _iri(f"{community_base}{n}")
    yield from _described(s, H + rng.choice(TYPES), f"Synthetic community {n}", f"https://example.org/synthetic/{n}")
    if rng.random() < 0.75:
        yield f"{s} {_iri(H + 'province')} {_iri(ID + 'province/' + rng.choice(PROVINCES))} ."
    for ts in rng.sample(TOPSECTORS, rng.randint(0, 2)):
        yield f"{s} {_iri(H + 'topsector')} {_iri(ID + 'topsector/' + ts)} ."
    if rng.random() < 0.3:
        yield f"{s} {_iri(H + 'societalChallenge')} {_iri(ID + 'challenge/' + rng.choice(CHALLENGES))} ."
    if rng.random() < 0.4:
        yield f'{s} {_iri(H + "startYear")} "{rng.randint(2008, 2025)}"^^<http://www.w3.org/2001/XMLSchema#gYear> .'
    lead = rng.randrange(organisations)
    yield f"{s} {_iri(H + 'leadInstitution')} {_iri(f'{organisation_base}{lead}')} ."
    for partner in rng.sample(range(organisations), rng.randint(1, 4)):
        yield f"{s} {_iri(H + 'partner')} {_iri(f'{organisation_base}{partner}')} ."


def organisation(n: int) -> Iterator[str]:
    s = _iri(f"{SYN}organisation/o{n}")
    yield from _described(s, H + "Organisation", f"Synthetic organisation {n}", f"https://example.org/synthetic/o{n}")


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


SHAPED_COMMUNITY = ID + "community/synthetic-c"
SHAPED_ORGANISATION = ID + "organisation/synthetic-o"
SHAPED_PUBLICATION = ID + "publication/synthetic-p"
ORGANISATION_TYPES = ["HboInstitution", "MboInstitution", "University", "Company", "ResearchInstitute", "Network",
                      "EmployerOrganisation"]
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
BIBO = "http://purl.org/ontology/bibo/"
SCHEMA = "http://schema.org/"
XSD_GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
SHAPED_TRIPLES_PER_COMMUNITY = 14.6  # measured: 102,364 lines for 6,993 communities with their organisations and publications
PUBLICATIONS_PER_COMMUNITY = 0.6


def graph_description(seed: int, triples: int) -> Iterator[str]:
    """What the graph is: generated, by which program, with which seed; never facts about the world."""
    g = _iri(GRAPH)
    activity = _iri(f"{GRAPH}/generation-{seed}-{triples}")
    yield f"{g} {_iri(H + 'provenanceKind')} {_iri(H + 'SyntheticData')} ."
    yield (f'{g} {_iri(DCTERMS + "description")} "Synthetic benchmark data from bench/synthetic.py (seed {seed}, '
           f'{triples} triples asked): not facts about the world."@en .')
    yield f"{g} {_iri(PROV + 'wasGeneratedBy')} {activity} ."
    yield f'{activity} {_iri(DCTERMS + "description")} "bench/synthetic.py generate_shaped, seed {seed}"@en .'


def shaped_organisation(rng: random.Random, n: int) -> Iterator[str]:
    s = _iri(f"{SHAPED_ORGANISATION}{n}")
    yield from _described(s, H + rng.choice(ORGANISATION_TYPES), f"Synthetische organisatie {n}",
                          f"https://example.org/synthetic/o{n}")
    if rng.random() < 0.6:
        yield f"{s} {_iri(H + 'province')} {_iri(ID + 'province/' + rng.choice(PROVINCES))} ."


def publication(rng: random.Random, n: int, communities: int, organisations: int) -> Iterator[str]:
    """A publication with a test DOI (10.5555, reserved for examples), its authors' organisations and
    the communities it is about (the publication -> community links)."""
    s = _iri(f"{SHAPED_PUBLICATION}{n}")
    yield f"{s} {_iri(RDF_TYPE)} {_iri(BIBO + 'Document')} ."
    yield f'{s} {_iri(DCTERMS + "title")} "Synthetische publicatie {n}"@nl .'
    yield f'{s} {_iri(DCTERMS + "issued")} "{rng.randint(2016, 2025)}"^^{_iri(XSD_GYEAR)} .'
    yield f'{s} {_iri(BIBO + "doi")} "10.5555/hckg-synthetic.{n}" .'
    yield f"{s} {_iri(SOURCE)} <https://example.org/synthetic/p{n}> ."
    for org in rng.sample(range(organisations), rng.randint(1, 2)):
        yield f"{s} {_iri(DCTERMS + 'creator')} {_iri(f'{SHAPED_ORGANISATION}{org}')} ."
    for c in rng.sample(range(communities), min(communities, rng.randint(1, 2))):
        yield f"{s} {_iri(SCHEMA + 'about')} {_iri(f'{SHAPED_COMMUNITY}{c}')} ."


def generate_shaped(triples: int, seed: int = 20261123) -> Iterator[str]:
    """About ``triples`` N-Triples lines shaped like the real data, with publications (see the module doc)."""
    rng = random.Random(seed)
    communities = max(1, int(triples / SHAPED_TRIPLES_PER_COMMUNITY))
    organisations = max(10, communities // 4)
    yield from graph_description(seed, triples)
    for n in range(organisations):
        yield from shaped_organisation(rng, n)
    for n in range(communities):
        yield from community(rng, n, organisations, SHAPED_COMMUNITY, SHAPED_ORGANISATION)
    for n in range(max(1, int(communities * PUBLICATIONS_PER_COMMUNITY))):
        yield from publication(rng, n, communities, organisations)


def write(path: Path, triples: int, seed: int = 20261123, shaped: bool = False) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as f:
        for line in (generate_shaped if shaped else generate)(triples, seed):
            f.write(line + "\n")
            count += 1
    return count


def write_with_body(path: Path, body: Path, triples: int, seed: int = 20261123) -> int:
    """The shaped file at ``path``, and at ``body`` the same without the generator's description of the graph.

    `hckg load` records every graph it loads with its own provenance, and its gate allows one provenance
    kind, so it gets ``body``; raw engines get ``path``. Returns the triples written to ``path``.
    """
    count = write(path, triples, seed, shaped=True)
    description = set(graph_description(seed, triples))
    with path.open(encoding="utf-8") as src, body.open("w", encoding="utf-8") as dst:
        dst.writelines(line for line in src if line.rstrip("\n") not in description)
    return count


def add_to_store(store_path: Path, triples: int, workdir: Path) -> None:
    """Add ``triples`` synthetic triples to the built store at ``store_path``, entailments included.

    The benchmarks' common set-up: the real data first (``hckg build``), then this, bulk-loaded.
    """
    nt = workdir / "synthetic.nt"
    write(nt, triples)
    bulk_add(store_path, nt)


def bulk_add(store_path: Path, nt: Path) -> None:
    """Bulk-load the N-Triples file ``nt`` into the synthetic graph of the built store, then recompute
    the entailments: the store holds what `hckg load` would write, without the gate's check."""
    import pyoxigraph as ox

    from hckg.gate.infer import materialise
    from hckg.store.oxigraph import OxigraphStore

    store = OxigraphStore(store_path.resolve(), writable=True)
    store._store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH))
    materialise(store)
    store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--shaped", action="store_true", help="the benchmark suite's fuller data (generate_shaped)")
    args = parser.parse_args()
    print(f"wrote {write(args.out, args.triples, args.seed, args.shaped)} synthetic triples to {args.out}")
