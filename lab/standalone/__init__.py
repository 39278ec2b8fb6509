"""Files that run by path under any interpreter (3.6 and later), outside
the lab's own: the child of a `lab repro` cell, the import hook that swaps
`socket` for `lab run --impl`, and the interpreter finder the Makefile uses.
Standard library only; nothing here imports the rest of the lab."""
