"""Sources into RDF: RDF files and CSV tables with their mappings, label lookup, provenance records; never the store."""
