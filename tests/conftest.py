"""Shared fixtures: `impl` runs a test once per socket implementation."""

from __future__ import annotations

import pytest

from differential import IMPLEMENTATIONS


@pytest.fixture(params=sorted(IMPLEMENTATIONS), ids=str)
def impl(request):
    """The socket module under test: the stdlib, then sockimpl."""
    return IMPLEMENTATIONS[request.param]
