"""Publications of the NWO research programme, linked to learning communities (issue 7).

Files are read into ``records.Record`` (``readers``), merged by DOI or title (``dedupe``), turned into
RDF (``to_rdf``) and written one named graph per file through the validation gate (``importer``).
``suggest`` proposes links to communities by rules, then by TF-IDF text similarity; ``links`` stores
them as ``hckg:PublicationLink`` resources, ``decide`` accepts or rejects them with PROV, and
``evaluate`` measures the linker on the labelled synthetic set in ``tests/pubs_eval/``.
With the store's facts, ``cues`` (authors via ``person_names``, institutions, names in publisher and URL,
year), ``topic`` (BM25) and ``trust`` (the fitted combination) re-score publications (issue 19);
``oai_dc`` reads Dublin Core from OAI-PMH files.
"""
