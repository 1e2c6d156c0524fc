"""HCKG's web adapter: FastAPI routes that map HTTP onto the core in ``hckg/``."""

from .app import create_app

__all__ = ["create_app"]
