"""Hardening sockimpl: sanitizer build, fuzz targets, leak checks (issue 9)."""
