"""Reading and writing files: strict parsers with positions, one converter, atomic saves."""
