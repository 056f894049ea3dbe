"""Who may see and change what: a caller's scope within one tenant.

Namespaces are the unit of access control. A grant on `company.team` covers `company.team` and every
`company.team.*`; `*` covers the whole tenant, including assets that have no namespace. Queries receive the
visible namespaces as parameters (app/services/binding.py) and filter inside the database (the `visible()`
fragment of each dialect); nothing is filtered after the fact.
"""

from __future__ import annotations

import msgspec


def covers(pattern: str, namespace: str) -> bool:
    if pattern == "*":
        return True
    return bool(namespace) and (namespace == pattern or namespace.startswith(pattern + "."))


class Scope(msgspec.Struct, frozen=True, kw_only=True):
    tenant: str
    #: Namespace patterns the caller may read (`*` = the whole tenant).
    read: tuple[str, ...] = ("*",)
    #: Namespace patterns the caller may write.
    write: tuple[str, ...] = ("*",)
    admin: bool = False
    #: who is asking, as people read it (a token's name)
    principal: str = "anonymous"
    #: the token's id: unique, unlike names (empty for anonymous callers)
    token: str = ""
    #: the client's address, which tells anonymous callers apart (an open server has no tokens)
    client: str = ""

    @property
    def reads_all(self) -> bool:
        return "*" in self.read

    def can_read(self, namespace: str | None) -> bool:
        return any(covers(p, namespace or "") for p in self.read)

    def can_write(self, namespace: str | None) -> bool:
        return any(covers(p, namespace or "") for p in self.write)

    @property
    def identity(self) -> str:
        """The caller as one unique name: its token, or `anonymous` (on an open server everyone is)."""
        return f"token:{self.token}" if self.token else ANONYMOUS

    @property
    def owner(self) -> str:
        """Whose share of a bounded resource (the sandbox's workers) this request uses: the token, or for an
        anonymous caller its address."""
        return self.identity if self.token else f"{ANONYMOUS}@{self.client}"


ANONYMOUS = "anonymous"


def open_scope(tenant: str, client: str = "") -> Scope:
    """The scope of every caller when the server runs without an auth file."""
    return Scope(tenant=tenant, read=("*",), write=("*",), admin=True, principal=ANONYMOUS, client=client)
