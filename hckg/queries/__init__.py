"""Saved and internal queries: the catalogue of queries/*.rq, binding parameters as RDF terms, running them."""
