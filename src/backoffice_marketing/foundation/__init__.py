"""Foundation layer (internal): safe file reading and writing, texts and messages, defaults.

Everything here may change in any release; the public names are re-exported by
:mod:`backoffice_marketing`. This layer imports nothing above it.
"""
