"""Settings the library takes as arguments (it never reads the environment itself)."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_URI = "neo4j://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"


@dataclass
class Neo4jSettings:
    """Connection settings; the password is never printed (see ``__repr__``).

    The CLI fills them from flags, then ``NEO4J_URI``, ``NEO4J_USERNAME``,
    ``NEO4J_PASSWORD``, ``NEO4J_DATABASE`` (:func:`alliances.commands.common.neo4j_settings`).
    """

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str = field(default="", repr=False)
    database: str = DEFAULT_DATABASE

    def __post_init__(self) -> None:
        # A password written into the URI is moved out of it, so no message can show it.
        from alliances.redact import split_credentials

        clean, user, password = split_credentials(self.uri)
        if clean != self.uri:
            self.uri = clean
            if user and self.user in ("", DEFAULT_USER):
                self.user = user
            if password and not self.password:
                self.password = password

    def __repr__(self) -> str:  # never show the password
        return f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"
