"""Extractors: pure functions over text that return small records with offsets.

They never import `pipeline/`; a pipeline stage turns their records into the document
model. Rules come from `rules/`, loaded once per process."""
