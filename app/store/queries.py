"""Load the Cypher files in `cypher/` once, check them, and hand them to a backend by name.

Modelled on aiosql: one query per file, named for the question it answers, with a header that declares its
parameters. A file in `cypher/<dialect>/` replaces the shared file of the same name for that dialect only.
The header is the query's whole contract: it declares every parameter and literal the composed text takes, those of
the fragments it uses included, and loading fails (and so does start-up) when the composed text uses one the header
does not declare, the header declares one the text never uses, or a fragment declares one differently (its own
`// :param` lines are its contract, which each file using it restates). A typo is found before the first request.

Header lines look like ``// :param name type`` where type is one of `string`, `integer`, `float`,
`boolean`, `list<string>`, `map`, `list<map>`, `list<list<map>>`, optionally followed by `?` when null is allowed.

Both databases want the bounds of a variable-length pattern as literals (`SHORTEST 1..5`, `->{1,5}`), and a
bound given as a parameter cannot prune the search. So a file may declare ``// :literal maxDepth 1..100``
and write `{{maxDepth}}` where the bound goes: the value is passed like a parameter, must be an integer in
the declared range (anything else raises), and is written into the query text. Two more kinds exist:
`flag` (a bool written as `true`/`false`, so `{{allNamespaces}} OR <per-row test>` folds away when true;
LadybugDB evaluates a parameter's OR branches per row) and `file` (an absolute path of plain characters,
for LadybugDB's COPY). Nothing else is ever interpolated; user input reaches the database only as parameters.
Two declarations take each dialect's form: ``// :flag name`` (a `flag` literal on LadybugDB, a boolean parameter on
Neo4j, which plans every distinct text anew) and ``// :number name 1..100`` (a range literal on LadybugDB, an integer
parameter on Neo4j). A header line ending in ``when dialect=neo4j`` applies to that dialect only.

Where LadybugDB keeps one kind of lineage edge in two tables (`READ` and the small `READ_RECENT` new edges go to), a
pattern naming one of them must name both (the `reads()`, `wrotes()` and `feeds()` fragments do), unless the file
says ``// :one-table``: it writes new edges, or folds or counts the recent ones, on purpose.
A statement over a batch, ``UNWIND $rows AS r`` with each row read as `r.key`, may say ``// :scan rows 128``: from
128 items in `$rows` on, LadybugDB runs it as a scan of the rows, ``LOAD FROM $rows`` with each `r.key` read as the
column `key` (the store hands the rows over as a table, which LadybugDB reads faster from that size and slower
below); Neo4j runs the file as written.
Below that size, a file saying ``// :columns rows`` (the same shape, the row never read in a MATCH or MERGE) sends
LadybugDB its rows as one list per field, each `r.key` read as ``list_extract($rows__key, <index>)``
(app/store/columnar.py): a list of maps whose rows hold nulls or lists costs the binding far more to convert.

Composition, expanded once at load (the text a database runs is static, and checked as above):

- ``// :repeat N`` ... ``// :end`` repeats the lines between N times (Neo4j's breadth-first searches unroll one
  `CALL` per level, up to the depth cap); ``// :repeat {{name}}`` repeats them as many times as the value of
  the literal `name` (a declared integer range), when the query is bound.
- ``{{name(arg, ...)}}`` inserts the fragment `name` from `cypher/<dialect>/fragments.cypher`, its formal
  arguments replaced by the actual ones. A fragment is declared as ``// :fragment name(a, b)`` followed by its
  body, optionally ``when key=value ...``: then it applies only to variants with those bindings.
- ``// :variant query_name key=value ...`` in a header makes the file yield one query per such line, named
  `query_name`, its fragments chosen by the bindings (e.g. `direction=down` or `up`). A header line ending in
  ``when key=value`` (a `:param` or `:literal` used by one variant only) applies to the variants it matches.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.store import columnar

#: The query files: `cypher/` at the top of the repository, which `app/cypher` links to so that a wheel carries it.
CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"
DIALECTS = ("ladybug", "neo4j")

_PARAM_DECL = re.compile(r"^//\s*:param\s+([A-Za-z_][A-Za-z0-9_]*)\s+([a-z<>]+)(\?)?\s*$")
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_LITERAL_DECL = re.compile(r"^//\s*:literal\s+([A-Za-z_][A-Za-z0-9_]*)\s+(?:(\d+)\.\.(\d+)|(file)|(flag))\s*$")
#: Declarations whose form depends on the dialect: a switch (`:flag`) and a bounded integer (`:number`) are
#: literals written into LadybugDB's text (which evaluates a parameter's branches per row and wants some bounds
#: as literals) and parameters on Neo4j (which plans every distinct text anew).
_FLAG_DECL = re.compile(r"^//\s*:flag\s+([A-Za-z_][A-Za-z0-9_]*)\s*$")
_NUMBER_DECL = re.compile(r"^//\s*:number\s+([A-Za-z_][A-Za-z0-9_]*)\s+(\d+)\.\.(\d+)\s*$")
#: A file literal (LadybugDB's COPY/LOAD take paths only as literals): an absolute path of plain characters.
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9_./-]+$")
_LITERAL_USE = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")
_TYPES = {"string", "integer", "float", "boolean", "list<string>", "map", "list<map>", "list<list<map>>"}
_WHEN = re.compile(r"\s+when((?:\s+[A-Za-z_]\w*=[A-Za-z0-9_]+)+)\s*$")
_VARIANT_DECL = re.compile(r"^//\s*:variant\s+([A-Za-z_]\w*)((?:\s+[A-Za-z_]\w*=[A-Za-z0-9_]+)*)\s*$")
_FRAGMENT_DECL = re.compile(r"^//\s*:fragment\s+([A-Za-z_]\w*)\(([^()]*)\)\s*$")
#: A fragment use whose arguments hold no other use: the innermost are expanded first, so an argument may itself be
#: a fragment (`{{leaf_holds({{asset_field(a, l)}}, l)}}`).
_FRAGMENT_USE = re.compile(r"\{\{([A-Za-z_]\w*)\(((?:(?!\{\{)[\s\S])*?)\)\}\}")
_SCAN_DECL = re.compile(r"^//\s*:scan\s+([A-Za-z_]\w*)\s+(\d+)\s*$", re.M)
_COLUMNS_DECL = re.compile(r"^//\s*:columns\s+([A-Za-z_]\w*)\s*$", re.M)
_REPEAT = re.compile(r"^//\s*:repeat\s+(?:(\d+)|\{\{([A-Za-z_]\w*)\}\})\s*$")
#: A block repeated as many times as a literal's value, kept once in the text between these marker lines and
#: expanded when the query is bound (one text per value).
_BOUND_REPEAT = re.compile(r"^\x01repeat (\w+)\n(.*?)^\x01end(?:\n|\Z)", re.S | re.M)
_END = re.compile(r"^//\s*:end\s*$")
#: Fragments may use fragments; deeper nesting than this is a mistake (or a cycle).
_MAX_FRAGMENT_NESTING = 8
FRAGMENTS_FILE = "fragments"

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
    source: str  # the file as composed, repeated blocks LINT_REPEATS times: what the Neo4j check lints
    text: str  # what the backend runs (for LadybugDB, with casts applied)
    params: dict[str, Param] = field(default_factory=dict)
    summary: str = ""
    literals: dict[str, Literal] = field(default_factory=dict)
    #: (parameter, items, query): from that many items in that list parameter, `query` runs instead (`:scan`)
    scan: tuple[str, int, Query] | None = None
    #: LadybugDB: (parameter, row, fields) of rows unwound and read by field, sent one list per field (columnar.py)
    columns: tuple[str, str, tuple[str, ...]] | None = None

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
        if self.scan is not None:
            param, items, large = self.scan
            value = args.get(param)
            if isinstance(value, list) and len(value) >= items:
                return large.bind(args)
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
        text, args = self._columnar(text, args)
        if not self.literals:
            return text, args
        values = {name: lit.render(args[name], self.path.name) for name, lit in self.literals.items()}
        text = _LITERAL_USE.sub(lambda m: values[m.group(1)], _repeat_bound(text, tuple(sorted(values.items()))))
        return text, {k: v for k, v in args.items() if k not in self.literals}

    def _columnar(self, text: str, args: dict[str, object]) -> tuple[str, dict[str, object]]:
        """LadybugDB: the rows sent one list per field, when they have a form for it (app/store/columnar.py)."""
        if self.columns is None:
            return text, args
        param, row, fields = self.columns
        rows = args[param]
        shape = columnar.shape_of(rows, fields) if isinstance(rows, list) and rows else None
        if shape is None:
            return text, args
        return columnar.text(text, param, row, shape), columnar.args(args, param, shape)

    def lint_text(self) -> str:
        """The source with every literal at its largest value (what the Neo4j check parses)."""
        counts = tuple((name, str(LINT_REPEATS)) for name in self.literals)
        return _LITERAL_USE.sub(lambda m: self.literals[m.group(1)].sample(), _repeat_bound(self.source, counts))


@lru_cache(maxsize=1024)
def _repeat_bound(text: str, values: tuple[tuple[str, str], ...]) -> str:
    """Blocks repeated by a literal's value (`// :repeat {{name}}`), written out that many times."""
    if "\x01repeat" not in text:
        return text
    counts = dict(values)
    return _BOUND_REPEAT.sub(lambda m: m.group(2) * int(counts[m.group(1)]), text)


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


@dataclass(frozen=True)
class Fragment:
    name: str
    args: tuple[str, ...]
    body: str
    when: tuple[tuple[str, str], ...] = ()
    #: `// :param` / `// :literal` lines of the fragment: a query that uses it declares them too
    decls: tuple[str, ...] = ()

    def applies(self, bindings: dict[str, str]) -> bool:
        return all(bindings.get(k) == v for k, v in self.when)


Fragments = dict[str, list[Fragment]]


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(pair.split("=", 1)) for pair in text.split())  # type: ignore[misc]


def _split_when(line: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A header or fragment line without its `when k=v ...` suffix, and the bindings it requires."""
    m = _WHEN.search(line)
    return (line[: m.start()], _pairs(m.group(1))) if m else (line, ())


def load_fragments(root: Path, dialect: str) -> Fragments:
    """The fragments a dialect's files may use: `cypher/fragments.cypher`, then `cypher/<dialect>/fragments.cypher`
    (whose fragments of the same name replace the shared ones)."""
    out: Fragments = {}
    for path in (root / f"{FRAGMENTS_FILE}.cypher", root / dialect / f"{FRAGMENTS_FILE}.cypher"):
        if path.exists():
            out.update(_fragments_of(path))
    return out


def _fragments_of(path: Path) -> Fragments:
    """Each `// :fragment` line starts a fragment; its body is every non-comment line up to the next one, and
    the `// :param` / `// :literal` lines among them are its declarations."""
    own: Fragments = {}
    pieces: list[tuple[str, list[str], list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("//") and ":fragment" in stripped:
            pieces.append((stripped, [], []))
        elif pieces and stripped.startswith("//") and (":param" in stripped or ":literal" in stripped):
            pieces[-1][2].append(stripped)
        elif not stripped.startswith("//") and pieces:
            pieces[-1][1].append(line)
    for decl_line, body, decls in pieces:
        decl, when = _split_when(decl_line)
        m = _FRAGMENT_DECL.match(decl)
        if not m:
            raise CypherFileError(f"{path}: malformed fragment declaration {decl_line!r}")
        text = "\n".join(body).strip()
        if not text:
            raise CypherFileError(f"{path}: fragment {m.group(1)} has no body")
        args = tuple(a.strip() for a in m.group(2).split(",") if a.strip())
        own.setdefault(m.group(1), []).append(Fragment(m.group(1), args, text, when, tuple(decls)))
    return own


def _split_args(text: str) -> list[str]:
    """Actual arguments of a fragment use: commas inside parentheses or brackets do not split."""
    args, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(text[start:i].strip())
            start = i + 1
    last = text[start:].strip()
    return [*args, last] if last or args else []


def _expand(text: str, fragments: Fragments, bindings: dict[str, str], where: Path) -> tuple[str, list[str]]:
    """Every `{{name(args)}}` replaced by its fragment (fragments may use fragments); and the declarations of the
    fragments used, which the file must make too."""
    decls: dict[str, None] = {}

    def use(m: re.Match[str]) -> str:
        name, actual = m.group(1), _split_args(m.group(2))
        candidates = [f for f in fragments.get(name, []) if f.applies(bindings)]
        if len(candidates) != 1:
            raise CypherFileError(
                f"{where}: {len(candidates)} fragments {name}() apply to bindings {bindings or '(none)'}; need one"
            )
        fragment = candidates[0]
        if len(actual) != len(fragment.args):
            raise CypherFileError(f"{where}: {name}() takes {len(fragment.args)} arguments, got {len(actual)}")
        if not fragment.args:
            decls.update(dict.fromkeys(fragment.decls))
            return fragment.body
        formal = dict(zip(fragment.args, actual, strict=True))
        pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in formal) + r")\b")
        decls.update(dict.fromkeys(pattern.sub(lambda a: formal[a.group(1)], d) for d in fragment.decls))
        return pattern.sub(lambda a: formal[a.group(1)], fragment.body)

    for _ in range(_MAX_FRAGMENT_NESTING + 1):
        expanded = _FRAGMENT_USE.sub(use, text)
        if expanded == text:
            return text, list(decls)
        text = expanded
    raise CypherFileError(f"{where}: fragments nest deeper than {_MAX_FRAGMENT_NESTING} (a cycle?)")


def _repeat(raw: str, where: Path, cap: int | None = None) -> str:
    """Expand `// :repeat N` ... `// :end` blocks (not nested), at most `cap` times when given."""
    out: list[str] = []
    block: list[str] | None = None
    times, bound = 0, None
    for line in raw.splitlines():
        stripped = line.strip()
        if m := _REPEAT.match(stripped):
            if block is not None:
                raise CypherFileError(f"{where}: nested :repeat")
            block, bound = [], m.group(2)
            times = 0 if bound else min(int(m.group(1)), cap or int(m.group(1)))
        elif _END.match(stripped):
            if block is None:
                raise CypherFileError(f"{where}: :end without :repeat")
            out.extend([f"\x01repeat {bound}", *block, "\x01end"] if bound else block * times)
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise CypherFileError(f"{where}: :repeat without :end")
    return "\n".join(out)


def _variant_text(raw: str, bindings: dict[str, str]) -> str:
    """The file as one variant sees it: header lines for other variants dropped, `when` suffixes removed."""
    lines = []
    for line in raw.splitlines():
        stripped = line.strip()
        if stripped.startswith("//") and _VARIANT_DECL.match(stripped):
            continue
        if stripped.startswith("//"):
            line, when = _split_when(line)
            if when and not all(bindings.get(k) == v for k, v in when):
                continue
        lines.append(line)
    return "\n".join(lines)


#: A repeated block is linted twice, not a hundred times: the copies are identical, and Neo4j's front end
#: in JavaScript takes minutes over the full text. The full text is planned by the real server in the tests.
LINT_REPEATS = 2


def load_file(
    path: Path, dialect: str, fragments: Fragments | None = None, *, scan_from: int | None = None
) -> list[Query]:
    """Every query a file yields: one, or one per `:variant` line, composed and checked."""
    raw = path.read_text(encoding="utf-8")
    scan = _SCAN_DECL.search(raw) if dialect == "ladybug" else None
    columns = _COLUMNS_DECL.search(raw) if dialect == "ladybug" else None
    full, short = _repeat(raw, path), _repeat(raw, path, cap=LINT_REPEATS)
    variants = [
        (m.group(1), dict(_pairs(m.group(2)))) for line in raw.splitlines() if (m := _VARIANT_DECL.match(line.strip()))
    ]
    if not variants:
        variants = [(path.stem, {})]
    fragments = fragments or {}
    queries = []
    for name, bindings in variants:
        seen = {**bindings, "dialect": dialect}
        text, needs = _expand(_variant_text(full, seen), fragments, bindings, path)
        query = _parse_text(text, path, dialect, name)
        _check_contract(query, needs, path)
        if columns is not None:
            query = dataclasses.replace(query, columns=_columns_form(query, columns.group(1), path))
        if scan is not None:
            param, items = scan.group(1), scan_from or int(scan.group(2))
            declared = query.params.get(param)
            if declared is None or not declared.type.startswith("list"):
                raise CypherFileError(f"{path}: `:scan {param}` names no list parameter")
            large = _parse_text(_scan_form(text, param, path), path, dialect, name)
            query = dataclasses.replace(query, scan=(param, items, large))
        lint, _ = _expand(_variant_text(short, seen), fragments, bindings, path)
        queries.append(dataclasses.replace(query, source=lint))
    return queries


def _scan_form(text: str, param: str, where: Path) -> str:
    """LadybugDB's form of a statement over `UNWIND $param AS r` (`:scan`): the rows scanned as a table,
    `LOAD FROM $param`, each `r.key` read as the column `key`."""
    unwind = columnar.unwind_line(text, param)
    if unwind is None:
        raise CypherFileError(f"{where}: `:scan {param}` needs a line `UNWIND ${param} AS <row>`")
    row = unwind.group(1)
    scanned = re.sub(
        rf"\b{row}\.([A-Za-z_]\w*)", r"\1", text[: unwind.start()] + f"LOAD FROM ${param}" + text[unwind.end() :]
    )
    if re.search(rf"\b{row}\b", _strip_comments(scanned)):
        raise CypherFileError(f"{where}: `:scan {param}`: the row `{row}` is used otherwise than as `{row}.key`")
    return scanned


def _columns_form(query: Query, param: str, where: Path) -> tuple[str, str, tuple[str, ...]]:
    """What LadybugDB's columnar form of a statement over `UNWIND $param AS r` needs (`:columns`, columnar.py)."""
    declared = query.params.get(param)
    if declared is None or declared.type != "list<map>":
        raise CypherFileError(f"{where}: `:columns {param}` names no list<map> parameter")
    found = columnar.unwound(query.text, param)
    if found is None:
        raise CypherFileError(
            f"{where}: `:columns {param}` needs a line `UNWIND ${param} AS <row>`, the row read only as `<row>.key`,"
            " and never in a MATCH or MERGE (a node matched by a row's field)"
        )
    return param, *found


def _check_contract(query: Query, needs: list[str], where: Path) -> None:
    """Every declaration of the fragments a query uses is made by its file, identically: a file's header is its
    whole contract, never completed behind the reader's back."""
    for line in needs:
        need = _declaration(line, query.dialect, where)
        if need is None:
            continue
        own = (query.literals if isinstance(need, Literal) else query.params).get(need.name)
        if own != need:
            raise CypherFileError(
                f"{where} ({query.name}): its fragments need {line.removeprefix('// ').strip()!r}; the header must "
                "declare it so"
            )


def parse_file(path: Path, dialect: str, fragments: Fragments | None = None) -> Query:
    """The one query of a file without variants."""
    queries = load_file(path, dialect, fragments)
    if len(queries) != 1:
        raise CypherFileError(f"{path}: declares {len(queries)} variants; load it with load_file")
    return queries[0]


def _declaration(line: str, dialect: str, where: Path) -> Param | Literal | None:
    """The parameter or literal a header line declares (None for any other line), as this dialect takes it."""
    if m := _FLAG_DECL.match(line):
        line = f"// :literal {m.group(1)} flag" if dialect == "ladybug" else f"// :param {m.group(1)} boolean"
    elif m := _NUMBER_DECL.match(line):
        number, low, high = m.groups()
        line = f"// :literal {number} {low}..{high}" if dialect == "ladybug" else f"// :param {number} integer"
    if ":literal" in line:
        lm = _LITERAL_DECL.match(line)
        if not lm:
            raise CypherFileError(f"{where}: malformed literal declaration {line!r}")
        if lm.group(4):
            return Literal(lm.group(1), file=True)
        if lm.group(5):
            return Literal(lm.group(1), flag=True)
        return Literal(lm.group(1), int(lm.group(2)), int(lm.group(3)))
    if ":param" in line:
        m = _PARAM_DECL.match(line)
        if not m:
            raise CypherFileError(f"{where}: malformed parameter declaration {line!r}")
        if m.group(2) not in _TYPES:
            raise CypherFileError(f"{where}: parameter ${m.group(1)} has unknown type {m.group(2)!r}")
        return Param(m.group(1), m.group(2), bool(m.group(3)))
    return None


def _parse_text(raw: str, path: Path, dialect: str, name: str) -> Query:
    params: dict[str, Param] = {}
    literals: dict[str, Literal] = {}
    summary_lines: list[str] = []
    for line in raw.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            continue
        declared = _declaration(stripped, dialect, path)
        if isinstance(declared, Literal):
            if literals.get(declared.name, declared) != declared:
                raise CypherFileError(f"{path}: literal {declared.name} declared twice, differently")
            literals[declared.name] = declared
        elif isinstance(declared, Param):
            if params.get(declared.name, declared) != declared:
                raise CypherFileError(f"{path}: parameter ${declared.name} declared twice, differently")
            params[declared.name] = declared
        elif not params and not literals and not _DIRECTIVE.match(stripped):
            summary_lines.append(stripped.lstrip("/ ").strip())
    body = _strip_comments(raw).strip()
    if not body:
        raise CypherFileError(f"{path}: no query")
    used = set(_PARAM_USE.findall(body))
    if used - set(params):
        raise CypherFileError(f"{path}: uses undeclared parameters {sorted(used - set(params))}")
    if set(params) - used:
        raise CypherFileError(f"{path}: declares unused parameters {sorted(set(params) - used)}")
    repeated_by = set(re.findall(r"^\x01repeat (\w+)$", body, re.M))
    if any(name not in literals or literals[name].flag or literals[name].file for name in repeated_by):
        raise CypherFileError(f"{path}: a block is repeated by {sorted(repeated_by)}, which must be integer literals")
    used_literals = set(_LITERAL_USE.findall(body)) | repeated_by
    if used_literals != set(literals):
        raise CypherFileError(
            f"{path}: literals used {sorted(used_literals)} differ from those declared {sorted(literals)}"
        )
    text = body.rstrip().rstrip(";")
    summary = " ".join(s for s in summary_lines if s).strip()
    return Query(name, dialect, path, raw, text, params, summary, literals)


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

    def __init__(self, dialect: str, root: Path = CYPHER_DIR, *, scan_from: int | None = None) -> None:
        """`scan_from`: run every `:scan` form from this many items instead of the size its file gives (tests
        compare the two forms on small batches)."""
        self._scan_from = scan_from
        if dialect not in DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}")
        self.dialect = dialect
        self.root = root
        fragments = load_fragments(root, dialect)
        shared = self._load(sorted(root.glob("*.cypher")), fragments)
        own = self._load(sorted((root / dialect).glob("*.cypher")), fragments)
        # A dialect's query replaces the shared query of the same name (from a file of that name, or a variant).
        self._queries: dict[str, Query] = {**shared, **own}
        _check_tables([*self._queries.values(), *(q.scan[2] for q in self._queries.values() if q.scan)], fragments)

    def _load(self, paths: list[Path], fragments: Fragments) -> dict[str, Query]:
        out: dict[str, Query] = {}
        for path in paths:
            if is_ddl(path):
                continue
            for query in load_file(path, self.dialect, fragments, scan_from=self._scan_from):
                if query.name in out:
                    raise CypherFileError(f"{path}: query {query.name} is also defined by {out[query.name].path}")
                out[query.name] = query
        return out

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

    def migration_statements(self, from_version: int) -> list[str] | None:
        """Statements that bring a store at `from_version` to `from_version + 1` (none when the step changes nothing
        for this dialect); None when there is no such step."""
        path = self.root / self.dialect / f"schema_migrate_{from_version}_to_{from_version + 1}.cypher"
        if not path.exists():
            return None
        return split_statements(path.read_text(encoding="utf-8"))


#: The fragments that name every table one kind of lineage edge is kept in (LadybugDB: `READ|READ_RECENT`).
_TABLE_FRAGMENTS = ("reads", "wrotes", "feeds")
_REL_TYPES = re.compile(r"\[\s*\w*\s*:\s*([A-Z_]+(?:\s*\|\s*[A-Z_]+)*)")
_ONE_TABLE = re.compile(r"^//\s*:one-table\s*$", re.M)
#: A header line that is a directive, not prose.
_DIRECTIVE = re.compile(r"^//\s*:[a-z]")


def _check_tables(queries: Iterable[Query], fragments: Fragments) -> None:
    """Where a dialect keeps one kind of edge in several tables (LadybugDB's recent edges: the `reads()` fragment is
    `READ|READ_RECENT`), a pattern that names one of them names them all, so that a query written with `:READ`
    instead of `{{reads()}}` cannot silently miss the newest edges. A file that addresses one table on purpose
    (it creates new edges, folds or counts the recent ones) says so with `// :one-table`."""
    kinds = [set(f.body.split("|")) for name in _TABLE_FRAGMENTS for f in fragments.get(name, [])]
    kinds = [kind for kind in kinds if len(kind) > 1]
    for query in queries:
        if _ONE_TABLE.search(query.source):
            continue
        for m in _REL_TYPES.finditer(query.text):
            named = {t.strip() for t in m.group(1).split("|")}
            for kind in kinds:
                if named & kind and not kind <= named:
                    raise CypherFileError(
                        f"{query.path} ({query.name}): [{m.group(1)}] names {sorted(named & kind)} of "
                        f"{'|'.join(sorted(kind))}: use the fragment that names them all, or declare // :one-table"
                    )


def is_ddl(path: Path) -> bool:
    """Schema files hold several DDL statements and no parameters, fragment files hold pieces of queries: neither
    is a named query."""
    return path.stem in ("schema", FRAGMENTS_FILE) or path.stem.startswith("schema_migrate_")
