"""Fuzz targets for sockimpl: each module exposes `exercise(data)`, which
`make fuzz` drives with atheris and tests/test_hardening_corpus.py replays
over the saved corpus in hardening/corpus/<target>/."""
