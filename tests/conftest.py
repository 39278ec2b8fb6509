"""Shared fixtures come from the lab's plugin: `impl` runs a test once per
socket implementation (the stdlib, then sockimpl; `--impl` picks one), and
the lab's network fixtures and markers (see `pytest --markers`).

An environment where socklab is installed has the plugin already, through
its pytest11 entry point; a checkout's own environments load it here."""

from importlib.metadata import entry_points

if not any(entry.value == "lab.plugin" for entry in entry_points(group="pytest11")):
    pytest_plugins = ("lab.plugin",)
