"""CPython's own socket tests, run against the stdlib and against sockimpl.

`python -m conformance` runs each interpreter's `test.test_socket` twice,
once with its own `socket` module and once with sockimpl swapped in for
`socket` and `_socket`, and compares the outcomes test by test.  Every test
the stdlib passes must pass under sockimpl too, unless deliberate.txt lists
it with the reason sockimpl differs on purpose.
"""
