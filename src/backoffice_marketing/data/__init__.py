"""Built-in data: the checklist catalogue, failure-mode profiles, stages, playbooks, labels."""
