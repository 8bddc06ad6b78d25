"""Renderers: ``Document`` -> text, Markdown, HTML, DOCX, PDF. They never re-parse text."""
