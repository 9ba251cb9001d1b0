"""Imports a name that its source module does not define."""

from syntax_error import *  # noqa: F403
