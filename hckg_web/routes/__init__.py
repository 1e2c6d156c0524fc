"""The server's routes: SPARQL protocol and Graph Store, the API, linked data, pages, views, quality, publications."""
