"""Core layer (internal): the report protocol, checklists, assessments, departments, privacy.

Everything here may change in any release; the public names are re-exported by
:mod:`backoffice_marketing`. This layer imports only the foundation and the render layer.
"""
