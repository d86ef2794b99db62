"""JSON Schemas of the JSON outputs."""
