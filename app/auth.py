"""Bearer API tokens, configured in a YAML file that holds only salted hashes.

A token is `lin_<id>_<secret>`: the id finds its entry, the 32-byte random secret is checked against
`sha256(salt + secret)` in constant time. (A slow password KDF protects low-entropy passwords; these secrets
are random, so a salted SHA-256 is as strong and keeps authentication off the latency budget.)

Each token belongs to one tenant and holds grants: a namespace pattern (`company.team` covers it and its
children, `*` the whole tenant) with the role `viewer` (read, lineage, expressions, OpenLineage pull) or
`editor` (also register, delete, record, store flows, ship, ingest). `admin: true` is editor on the whole
tenant. The file is re-read when it changes, so a revoked token stops working without a restart.

```yaml
tokens:
  - id: 3f9c1a2b
    name: ci-bot
    tenant: main
    hash: sha256$<salt hex>$<digest hex>
    admin: false
    grants:
      - {namespace: company.team, role: editor}
      - {namespace: "*", role: viewer}
```
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import threading
from pathlib import Path
from typing import Literal

import msgspec
import yaml

from app.domain.access import Scope
from app.domain.limits import NAMESPACE_PATTERN, TENANT_PATTERN
from app.errors import Forbidden, Unauthorized
from app.timeutil import now_iso

Role = Literal["viewer", "editor"]
ROLE_RANK = {"public": 0, "viewer": 1, "editor": 2, "admin": 3}
TOKEN_PATTERN = re.compile(r"^lin_([0-9a-f]{8})_([A-Za-z0-9_-]{20,100})$")


class Grant(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    namespace: str
    role: Role = "viewer"


class TokenEntry(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: str
    tenant: str
    hash: str
    name: str = ""
    admin: bool = False
    grants: list[Grant] = msgspec.field(default_factory=list)
    created: str | None = None

    def scope(self) -> Scope:
        if self.admin:
            return Scope(
                tenant=self.tenant, read=("*",), write=("*",), admin=True, principal=self.name or self.id, token=self.id
            )
        read = tuple(sorted({g.namespace for g in self.grants}))
        write = tuple(sorted({g.namespace for g in self.grants if g.role == "editor"}))
        return Scope(
            tenant=self.tenant, read=read, write=write, admin=False, principal=self.name or self.id, token=self.id
        )

    def rank(self) -> int:
        if self.admin:
            return ROLE_RANK["admin"]
        return max((ROLE_RANK[g.role] for g in self.grants), default=0)


class AuthDocument(msgspec.Struct, kw_only=True):
    tokens: list[TokenEntry] = msgspec.field(default_factory=list)


class AuthFileError(RuntimeError):
    pass


def _digest(salt: bytes, secret: str) -> bytes:
    return hashlib.sha256(salt + secret.encode()).digest()


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    return f"sha256${salt.hex()}${_digest(salt, secret).hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        if scheme != "sha256":
            return False
        return hmac.compare_digest(_digest(bytes.fromhex(salt_hex), secret), bytes.fromhex(digest_hex))
    except ValueError:
        return False


def check_grant(grant: str) -> Grant:
    """`namespace:role` (role defaults to viewer), as `lineage token create --grant` takes it."""
    namespace, _, role = grant.partition(":")
    role = role or "viewer"
    if role not in ("viewer", "editor"):
        raise ValueError(f"role must be viewer or editor, not {role!r}")
    if namespace != "*" and not re.match(NAMESPACE_PATTERN, namespace):
        raise ValueError(f"{namespace!r} is not a namespace pattern (a namespace, or *)")
    return Grant(namespace=namespace, role=role)  # type: ignore[arg-type]


def load(path: Path) -> AuthDocument:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        doc = msgspec.convert(raw, AuthDocument)
    except (OSError, yaml.YAMLError, msgspec.ValidationError) as exc:
        raise AuthFileError(f"cannot read auth file {path}: {exc}") from exc
    for entry in doc.tokens:
        if not re.match(TENANT_PATTERN, entry.tenant):
            raise AuthFileError(f"{path}: token {entry.id}: {entry.tenant!r} is not a tenant id")
        for g in entry.grants:
            try:
                check_grant(f"{g.namespace}:{g.role}")
            except ValueError as exc:
                raise AuthFileError(f"{path}: token {entry.id}: {exc}") from exc
    return doc


def create_token(path: Path, *, tenant: str, grants: list[Grant], admin: bool = False, name: str = "") -> str:
    """Add a token to the file (creating it, mode 0600) and return the token, which is never stored."""
    if not re.match(TENANT_PATTERN, tenant):
        raise ValueError(f"{tenant!r} is not a tenant id")
    if not grants and not admin:
        raise ValueError("a token needs at least one --grant (or --admin)")
    doc = load(path) if path.exists() else AuthDocument()
    token_id = secrets.token_hex(4)
    while any(t.id == token_id for t in doc.tokens):
        token_id = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    doc.tokens.append(
        TokenEntry(
            id=token_id,
            tenant=tenant,
            hash=hash_secret(secret),
            name=name,
            admin=admin,
            grants=grants,
            created=now_iso(),
        )
    )
    data = yaml.safe_dump(msgspec.to_builtins(doc), sort_keys=False)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(data)
    tmp.replace(path)
    return f"lin_{token_id}_{secret}"


def revoke_token(path: Path, token_id: str) -> bool:
    doc = load(path)
    kept = [t for t in doc.tokens if t.id != token_id]
    if len(kept) == len(doc.tokens):
        return False
    doc.tokens = kept
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(yaml.safe_dump(msgspec.to_builtins(doc), sort_keys=False))
    tmp.replace(path)
    return True


class Authenticator:
    """Checks bearer tokens against the auth file, re-reading the file when it changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._mtime: float | None = None
        self._tokens: dict[str, TokenEntry] = {}
        self._reload()

    def _reload(self) -> None:
        mtime = self.path.stat().st_mtime
        if mtime != self._mtime:
            doc = load(self.path)
            self._tokens = {t.id: t for t in doc.tokens}
            self._mtime = mtime

    def authenticate(self, header: str | None) -> TokenEntry:
        if not header or not header.lower().startswith("bearer "):
            raise Unauthorized("send an API token: Authorization: Bearer lin_...", field="authorization")
        m = TOKEN_PATTERN.match(header[7:].strip())
        if not m:
            raise Unauthorized("the bearer token is not an API token of this service", field="authorization")
        with self._lock:
            with contextlib.suppress(OSError, AuthFileError):  # keep the tokens last read if the file breaks
                self._reload()
            entry = self._tokens.get(m.group(1))
        if entry is None or not verify_secret(m.group(2), entry.hash):
            raise Unauthorized("unknown or revoked API token", field="authorization")
        return entry

    def scope_for(self, header: str | None, tenant: str, role: str) -> Scope:
        entry = self.authenticate(header)
        if entry.tenant != tenant:
            raise Forbidden(f"this token belongs to tenant {entry.tenant!r}, not {tenant!r}", field="tenant")
        if entry.rank() < ROLE_RANK[role]:
            held = "/".join(sorted({g.role for g in entry.grants})) or "no grants"
            raise Forbidden(f"this needs the {role} role; the token has {held}", field="authorization")
        return entry.scope()
