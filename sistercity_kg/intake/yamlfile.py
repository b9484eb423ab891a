"""YAML with line numbers: every mapping and list remembers where it (and each of its keys) stood.

Parsing uses libyaml (the C loader); construction stays in Python so that marks are kept.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import InputError


class Mapping(dict):
    """A YAML mapping that knows its file, its line and the line of each key."""

    file: str = ""
    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    file: str = ""
    line: int = 0
    item_lines: list


class _Loader(yaml.CSafeLoader):
    pass


def _mapping(loader, node, build) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.file = loader.name
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = build(key_node)
        if not isinstance(key, (str, int, float)) or isinstance(key, bool):
            key = str(key)
        if key in result:
            raise InputError(loader.name, key_node.start_mark.line + 1, f"duplicate key {key!r}")
        result[key] = build(value_node)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader, node, build) -> Sequence:
    result = Sequence(build(child) for child in node.value)
    result.file = loader.name
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp_as_text(loader, node):
    # Dates stay text: the intake parses YYYY, YYYY-MM and YYYY-MM-DD itself and reports bad ones by line.
    return loader.construct_scalar(node)


_MAP, _SEQ = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_TEXT = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"}
_Loader.add_constructor(_MAP, lambda loader, node: _mapping(loader, node, lambda n: loader.construct_object(n, True)))
_Loader.add_constructor(_SEQ, lambda loader, node: _sequence(loader, node, lambda n: loader.construct_object(n, True)))
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def _construct(loader):
    """The document from libyaml's nodes, as the constructors above make it (the same objects, the same errors),
    without PyYAML's generic machinery for the plain mappings, lists and strings a case file is made of; any other
    node goes through the loader's constructors."""
    building: set[int] = set()

    def build(node):
        if node.tag in _TEXT and isinstance(node, yaml.ScalarNode):
            return node.value
        if node.tag not in (_MAP, _SEQ) or isinstance(node, yaml.ScalarNode):
            return loader.construct_object(node, deep=True)
        if id(node) in building:   # an alias inside the node it names
            raise yaml.constructor.ConstructorError(None, None, "found unconstructable recursive node",
                                                    node.start_mark)
        building.add(id(node))
        result = (_mapping if node.tag == _MAP else _sequence)(loader, node, build)
        building.discard(id(node))
        return result

    node = loader.get_single_node()
    return None if node is None else build(node)


def load_yaml(path: str | Path):
    """Parse one YAML file; a syntax error becomes an InputError with the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, f"cannot read the file ({exc.__class__.__name__}: {exc})") from None
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return _construct(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and exc.context_mark is not None and mark.line >= len(text.splitlines()):
            mark = exc.context_mark  # the file ended inside a construct: name the line where it opened
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise InputError(path, line, f"malformed YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(path, None, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
