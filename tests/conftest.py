"""Shared fixtures come from the lab's plugin: `impl` runs a test once per
socket implementation (the stdlib, then sockimpl; `--impl` picks one), and
the lab's network fixtures and markers (see `pytest --markers`)."""

pytest_plugins = ("lab.plugin",)
