"""The plan (internal): scheduling a playbook into dated tasks, checking and replanning it.

``plan`` holds the :class:`~backoffice_marketing.Plan`; ``check`` and ``replan`` what it
proves and how it is rescheduled; ``schedule`` places the ``expansion`` of a playbook
with the ``scheduler``; ``records`` holds the plan's values.
"""
