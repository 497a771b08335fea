"""The scenarios of issue 5, one module each (A..H)."""
