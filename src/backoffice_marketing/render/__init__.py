"""Rendering: the one jinja2 environment, escaping for Markdown, labels."""
