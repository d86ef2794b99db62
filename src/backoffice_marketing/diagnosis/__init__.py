"""Diagnosis layer (internal): stages, playbooks, plans, initiatives and gap reports.

Everything here may change in any release; the public names are re-exported by
:mod:`backoffice_marketing`. This layer imports only core, render and foundation.
"""
