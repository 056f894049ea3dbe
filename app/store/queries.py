"""Load the Cypher files in `cypher/` once, check them, and hand them to a backend by name.

Modelled on aiosql: one query per file, named for the question it answers, with a header that declares its
parameters. A file in `cypher/<dialect>/` replaces the shared file of the same name for that dialect only.
Loading fails (and so does start-up) when a file uses a parameter it does not declare or declares one it
never uses, so a typo is found before the first request rather than by it.

Header lines look like ``// :param name type`` where type is one of `string`, `integer`, `float`,
`boolean`, `list<string>`, `map`, `list<map>`, optionally followed by `?` when null is allowed.

Both databases want the bounds of a variable-length pattern as literals (`SHORTEST 1..5`, `->{1,5}`), and a
bound given as a parameter cannot prune the search. So a file may declare ``// :literal maxDepth 1..100``
and write `{{maxDepth}}` where the bound goes: the value is passed like a parameter, must be an integer in
the declared range (anything else raises), and is written into the query text. Two more kinds exist:
`flag` (a bool written as `true`/`false`, so `{{allNamespaces}} OR <per-row test>` folds away when true;
LadybugDB evaluates a parameter's OR branches per row) and `file` (an absolute path of plain characters,
for LadybugDB's COPY). Nothing else is ever interpolated; user input reaches the database only as parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app import PROJECT_ROOT

CYPHER_DIR = PROJECT_ROOT / "cypher"
DIALECTS = ("ladybug", "neo4j")

_PARAM_DECL = re.compile(r"^//\s*:param\s+([A-Za-z_][A-Za-z0-9_]*)\s+([a-z<>]+)(\?)?\s*$")
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_LITERAL_DECL = re.compile(r"^//\s*:literal\s+([A-Za-z_][A-Za-z0-9_]*)\s+(?:(\d+)\.\.(\d+)|(file)|(flag))\s*$")
#: A file literal (LadybugDB's COPY/LOAD take paths only as literals): an absolute path of plain characters.
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9_./-]+$")
_LITERAL_USE = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")
_TYPES = {"string", "integer", "float", "boolean", "list<string>", "map", "list<map>"}

# LadybugDB binds a parameter's type from its value; a null or an empty list has none. Parameters declared
# nullable (`?`, which for a list also means "may be empty") are therefore cast where they are used, in the
# statements where their value is null or empty (a cast is evaluated per row). Hot read queries declare no
# nullable parameters at all: a flag literal says whether a filter applies, and an unused list holds a
# sentinel (documented in the README).
_LADYBUG_CASTS = {
    "string": "STRING",
    "integer": "INT64",
    "float": "DOUBLE",
    "boolean": "BOOLEAN",
    "list<string>": "STRING[]",
}


class CypherFileError(RuntimeError):
    """A `.cypher` file is malformed: its header and its body disagree."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    nullable: bool


@dataclass(frozen=True)
class Literal:
    name: str
    low: int = 0
    high: int = 0
    file: bool = False
    flag: bool = False

    def render(self, value: object, where: str) -> str:
        if self.flag:
            if type(value) is not bool:
                raise ValueError(f"{where}: literal {self.name} must be a bool")
            return "true" if value else "false"
        if self.file:
            text = str(value)
            if not _SAFE_PATH.match(text) or ".." in text:
                raise ValueError(f"{where}: literal {self.name} must be an absolute path of [A-Za-z0-9_./-]")
            return f"'{text}'"
        if type(value) is not int or not self.low <= value <= self.high:
            raise ValueError(f"{where}: literal {self.name} must be an int in {self.low}..{self.high}")
        return str(value)

    def sample(self) -> str:
        if self.flag:
            return "false"  # the branch that keeps every predicate, so the check sees all of it
        return "'/tmp/sample.csv'" if self.file else str(self.high)


@dataclass(frozen=True)
class Query:
    name: str
    dialect: str
    path: Path
    source: str  # the file as written, what the Neo4j check lints
    text: str  # what the backend runs (for LadybugDB, with casts applied)
    params: dict[str, Param] = field(default_factory=dict)
    summary: str = ""
    literals: dict[str, Literal] = field(default_factory=dict)

    def check_args(self, args: dict[str, object]) -> None:
        """Fail loudly when code passes other parameters than the file declares."""
        given, declared = set(args), set(self.params) | set(self.literals)
        if given != declared:
            raise TypeError(
                f"{self.path.name}: expected parameters {sorted(declared)}, got {sorted(given)}"
                f" (missing {sorted(declared - given)}, unexpected {sorted(given - declared)})"
            )

    def bind(self, args: dict[str, object]) -> tuple[str, dict[str, object]]:
        """The text to run and the parameters to send, literals written in after range checks."""
        self.check_args(args)
        untyped: list[str] = []
        for name, p in self.params.items():
            value = args[name]
            if value is None or (isinstance(value, list) and not value):
                if value is None and not p.nullable:
                    raise TypeError(f"{self.path.name}: ${name} is not nullable")
                if not p.nullable:
                    raise TypeError(f"{self.path.name}: ${name} must not be empty (declare it `{p.type}?`)")
                untyped.append(name)
        text = self.text
        if self.dialect == "ladybug" and untyped:
            text = _ladybug_casts(
                text,
                tuple(
                    (n, _LADYBUG_CASTS[self.params[n].type]) for n in untyped if self.params[n].type in _LADYBUG_CASTS
                ),
            )
        if not self.literals:
            return text, args
        values = {name: lit.render(args[name], self.path.name) for name, lit in self.literals.items()}
        text = _LITERAL_USE.sub(lambda m: values[m.group(1)], text)
        return text, {k: v for k, v in args.items() if k not in self.literals}

    def lint_text(self) -> str:
        """The source with every literal at its largest value (what the Neo4j check parses)."""
        return _LITERAL_USE.sub(lambda m: self.literals[m.group(1)].sample(), self.source)


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def parse_file(path: Path, dialect: str) -> Query:
    raw = path.read_text(encoding="utf-8")
    params: dict[str, Param] = {}
    literals: dict[str, Literal] = {}
    summary_lines: list[str] = []
    for line in raw.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            continue
        if ":literal" in stripped:
            lm = _LITERAL_DECL.match(stripped)
            if not lm:
                raise CypherFileError(f"{path}: malformed literal declaration {stripped!r}")
            if lm.group(4):
                literals[lm.group(1)] = Literal(lm.group(1), file=True)
            elif lm.group(5):
                literals[lm.group(1)] = Literal(lm.group(1), flag=True)
            else:
                literals[lm.group(1)] = Literal(lm.group(1), int(lm.group(2)), int(lm.group(3)))
        elif ":param" in stripped:
            m = _PARAM_DECL.match(stripped)
            if not m:
                raise CypherFileError(f"{path}: malformed parameter declaration {stripped!r}")
            name, type_, optional = m.group(1), m.group(2), bool(m.group(3))
            if type_ not in _TYPES:
                raise CypherFileError(f"{path}: parameter ${name} has unknown type {type_!r}")
            if name in params:
                raise CypherFileError(f"{path}: parameter ${name} declared twice")
            params[name] = Param(name, type_, optional)
        elif not params and not literals:
            summary_lines.append(stripped.lstrip("/ ").strip())
    body = _strip_comments(raw).strip()
    if not body:
        raise CypherFileError(f"{path}: no query")
    used = set(_PARAM_USE.findall(body))
    if used - set(params):
        raise CypherFileError(f"{path}: uses undeclared parameters {sorted(used - set(params))}")
    if set(params) - used:
        raise CypherFileError(f"{path}: declares unused parameters {sorted(set(params) - used)}")
    used_literals = set(_LITERAL_USE.findall(body))
    if used_literals != set(literals):
        raise CypherFileError(
            f"{path}: literals used {sorted(used_literals)} differ from those declared {sorted(literals)}"
        )
    text = body.rstrip().rstrip(";")
    summary = " ".join(s for s in summary_lines if s).strip()
    return Query(path.stem, dialect, path, raw, text, params, summary, literals)


@lru_cache(maxsize=4096)
def _ladybug_casts(text: str, casts: tuple[tuple[str, str], ...]) -> str:
    """Cast the parameters whose value (null, empty list) carries no type; typed values need no cast, and a
    cast costs LadybugDB work on every row and every statement."""
    targets = dict(casts)

    def cast(m: re.Match[str]) -> str:
        name = m.group(1)
        return f"CAST(${name} AS {targets[name]})" if name in targets else m.group(0)

    return _PARAM_USE.sub(cast, text)


def split_statements(text: str) -> list[str]:
    """Split a schema file into statements on `;` at line ends (schema files hold DDL only)."""
    body = _strip_comments(text)
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip()]


class QuerySet:
    """All queries for one dialect, keyed by file name without `.cypher`."""

    def __init__(self, dialect: str, root: Path = CYPHER_DIR) -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}")
        self.dialect = dialect
        self.root = root
        self._queries: dict[str, Query] = {}
        for path in sorted(root.glob("*.cypher")):
            self._queries[path.stem] = parse_file(path, dialect)
        for path in sorted((root / dialect).glob("*.cypher")):
            if is_ddl(path):
                continue
            self._queries[path.stem] = parse_file(path, dialect)

    def __getitem__(self, name: str) -> Query:
        try:
            return self._queries[name]
        except KeyError:
            raise KeyError(f"no query {name!r} in {self.root} for dialect {self.dialect}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._queries.values())

    def schema_statements(self) -> list[str]:
        return split_statements((self.root / self.dialect / "schema.cypher").read_text(encoding="utf-8"))

    def migration_statements(self, from_version: int) -> list[str]:
        """Statements that bring a store at `from_version` to `from_version + 1`."""
        path = self.root / self.dialect / f"schema_migrate_{from_version}_to_{from_version + 1}.cypher"
        if not path.exists():
            return []
        return split_statements(path.read_text(encoding="utf-8"))


def is_ddl(path: Path) -> bool:
    """Schema files hold several DDL statements and no parameters; they are not named queries."""
    return path.stem == "schema" or path.stem.startswith("schema_migrate_")


def dialect_files(dialect: str, root: Path = CYPHER_DIR) -> list[Path]:
    """Every file a backend of this dialect runs: shared files without an override, its own folder."""
    own = {p.stem: p for p in (root / dialect).glob("*.cypher")}
    shared = [p for p in root.glob("*.cypher") if p.stem not in own]
    return sorted(shared + list(own.values()))
