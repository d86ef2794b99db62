"""Application layer (internal): the command line, the demo and the bundled sample company.

Everything here may change in any release. The sample company is public as
``bm.samples``; the command line as the ``backoffice-marketing`` command.
"""
