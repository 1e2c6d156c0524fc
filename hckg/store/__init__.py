"""The store: the Store interface (base), embedded Oxigraph (oxigraph), a remote SPARQL engine (remote), the choice (open)."""
