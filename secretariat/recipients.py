from dataclasses import dataclass


@dataclass(frozen=True)
class Recipient:
    """Someone a circulation goes to: an address, with who and where they are."""

    email: str
    name: str = ""
    organisation: str = ""
    contact_id: int | None = None
    institute_id: int | None = None
