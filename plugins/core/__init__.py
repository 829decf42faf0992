"""Shared by every plugin and the pipeline; not a Pelican plugin itself."""
