from __future__ import annotations


class Refused(Exception):
    """A rule refuses the operation. The message is shown to the user as it is."""
