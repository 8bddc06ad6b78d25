"""Cleaning stages: each is ``stage(doc: Document) -> Document`` and records its changes in ``doc.report``."""
