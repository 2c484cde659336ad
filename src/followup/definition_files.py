"""Reading definition files (YAML) written by M&E staff: friendly booleans and errors with line numbers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


class DefinitionError(Exception):
    """A definition file is wrong; the message names the file, the line and what is wrong."""


class _Loader(yaml.SafeLoader):
    """YAML as people expect it: `yes`, `no`, `on`, `off` stay words; only true/false are booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_definition(path: Path) -> tuple[Any, yaml.Node | None]:
    """The parsed file and its node tree (for line numbers); DefinitionError on bad YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DefinitionError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    try:
        return yaml.load(text, Loader=_Loader), yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError(f"{path}{where}: not valid YAML ({problem}); check indentation and colons") from None


def _line(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest node along a pydantic error location."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def explain(path: Path, tree: yaml.Node | None, exc: ValidationError) -> DefinitionError:
    problems = []
    for e in exc.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        line = _line(tree, loc)
        where = f"line {line}: " if line else ""
        entry = ".".join(str(p) for p in loc) or "top level"
        problems.append(f"{where}{entry}: {e['msg'].removeprefix('Value error, ')}")
    return DefinitionError(f"{path}: " + "; ".join(problems))
