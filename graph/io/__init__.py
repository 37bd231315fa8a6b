"""Files in and out: atomic writes, Turtle and N-Quads text, tables, on-disk spools, progress."""
