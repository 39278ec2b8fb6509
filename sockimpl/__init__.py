"""Placeholder while the high-level layer is written: the C module as is."""

from ._sockimpl import *  # noqa: F401,F403
from ._sockimpl import socket  # noqa: F401
