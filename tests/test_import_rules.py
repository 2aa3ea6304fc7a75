"""The layering in ARCHITECTURE.md, enforced: imports flow one way.

Read from the source with ``ast`` (nothing is imported), so a violation names the file
and the import. Imports inside functions count too: a lazy import is still a dependency.
"""

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course_utils"

#: Known exceptions, each a lazy import inside one function, named here so that no new
#: one creeps in: the Keras adapters of the Elman and Jordan engines (``from_keras`` /
#: ``to_keras``) still build or accept the course's Keras cells. Moving those adapters
#: out of the engine is open work (ARCHITECTURE.md, "Known exceptions").
LAZY_EXCEPTIONS = {
    ("course_utils.numpy_rnn.elman", "course_utils.keras_cells"),
    ("course_utils.numpy_rnn.jordan", "course_utils.keras_cells"),
}

#: The layers of ARCHITECTURE.md, bottom first: a module imports only its own layer and
#: the layers below. Each layer is a list of module names (a package counts with its
#: submodules); ``course_utils`` alone is the package's ``__init__``, its public face.
LAYERS = [
    ("core", ["course_utils.core"]),
    (
        "models and data",
        [
            "course_utils.numpy_rnn",
            "course_utils.keras_cells",
            "course_utils.tasks",
            "course_utils.param_counts",
            "course_utils.gates",
            "course_utils.gradients",
            "course_utils.linear_rnn",
        ],
    ),
    ("shared runs", ["course_utils.experiments", "course_utils.textgen"]),
    (
        "shared presentation",
        ["course_utils.plotting", "course_utils.exercises", "course_utils.verdicts"],
    ),
    ("lessons", ["course_utils.lessons"]),
    ("public face", ["course_utils"]),
]
ROOMS = "course_utils.lessons."

#: package -> the course_utils modules it may import besides its own.
ALLOWED = {
    # plotting draws the statistics core's one mean ± spread (evidence.spread)
    "course_utils.plotting": {
        "course_utils.core.validation",
        "course_utils.core.config",
        "course_utils.core.evidence",
    },
    "course_utils.numpy_rnn": {"course_utils.core.validation", "course_utils.core.config"},
    "course_utils.linear_rnn": {"course_utils.core.validation", "course_utils.core.config"},
    "course_utils.tasks": {
        "course_utils.core.validation",
        "course_utils.core.config",
        "course_utils.core.grammar",
    },
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    """Absolute names a file imports (``from a import b`` gives ``a.b``), with line numbers."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _module_level_lines(path: Path) -> set[int]:
    """Line numbers of the imports at a module's top level (not inside a function)."""
    tree = ast.parse(path.read_text(), str(path))
    return {n.lineno for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))}


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(name: str, known) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _graph():
    known = _modules()
    graph = {}
    for module, path in known.items():
        edges = {}
        for imported, line in _imports(path):
            target = _resolve(imported, known)
            if target and target != module:
                edges.setdefault(target, line)
        graph[module] = edges
    return known, graph


def layer_of(module: str) -> int:
    """The index in :data:`LAYERS` of the layer ``module`` belongs to (its longest match)."""
    best, index = -1, None
    for i, (_, members) in enumerate(LAYERS):
        for member in members:
            exact = member == "course_utils"
            if module == member or (not exact and module.startswith(member + ".")):
                if len(member) > best:
                    best, index = len(member), i
    if index is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS and ARCHITECTURE.md")
    return index


def room_of(module: str) -> str | None:
    """``"l03_gradients"`` for a module in lesson 03's room; None outside the rooms."""
    if not module.startswith(ROOMS):
        return None
    return module[len(ROOMS) :].split(".")[0]


def layer_violations(graph: dict[str, dict[str, int]]) -> list[str]:
    """Every import that goes up a layer, or from one lesson's room into another's."""
    found = []
    for module, edges in sorted(graph.items()):
        for target, line in sorted(edges.items()):
            if not target.startswith("course_utils"):
                continue
            here, there = layer_of(module), layer_of(target)
            if there > here:
                found.append(
                    f"{module}:{line} imports {target}: up from {LAYERS[here][0]} to "
                    f"{LAYERS[there][0]}"
                )
            room, other = room_of(module), room_of(target)
            if room and other and room != other:
                found.append(f"{module}:{line} imports {target}: lesson {room} imports {other}")
    return found


def test_every_module_is_in_a_layer():
    for module in _modules():
        layer_of(module)


def test_imports_flow_down_the_layers_and_lessons_never_import_each_other():
    _, graph = _graph()
    assert layer_violations(graph) == []


def test_the_layer_check_catches_an_upward_and_a_cross_lesson_import():
    planted = {
        "course_utils.core.results": {"course_utils.textgen.model": 3},  # core -> shared runs
        "course_utils.tasks.adding": {"course_utils.plotting.common": 4},  # data -> presentation
        "course_utils.lessons.l07_choosing.tasks": {"course_utils.lessons.l04_lstm.verdicts": 5},
        "course_utils.experiments.gating": {"course_utils.lessons.l05_gru.budgets": 6},
        "course_utils.lessons.l03_gradients.plots": {"course_utils.plotting.common": 7},  # fine
    }
    found = layer_violations(planted)
    assert len(found) == 4, found
    assert "up from core to shared runs" in found[0]
    assert any("lesson l07_choosing imports l04_lstm" in f for f in found)


def test_course_utils_never_imports_tools():
    for path in _modules().values():
        for imported, line in _imports(path):
            assert not imported.startswith("tools"), f"{path}:{line} imports {imported}"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_low_layers_import_only_what_they_may(package):
    known, graph = _graph()
    allowed = ALLOWED[package]
    for module, edges in graph.items():
        if module != package and not module.startswith(package + "."):
            continue
        for target, line in edges.items():
            inside = target == package or target.startswith(package + ".")
            ok = inside or target in allowed or not target.startswith("course_utils.")
            if (module, target) in LAZY_EXCEPTIONS:
                ok = line not in _module_level_lines(known[module])
            assert ok, f"{known[module]}:{line}: {package} must not import {target}"


def test_private_modules_stay_private():
    known, graph = _graph()
    for module, edges in graph.items():
        for target, line in edges.items():
            parts = target.split(".")
            private = [i for i, part in enumerate(parts) if part.startswith("_")]
            if private:
                owner = ".".join(parts[: private[0]])
                assert module == owner or module.startswith(owner + "."), (
                    f"{known[module]}:{line} imports the private {target}"
                )


def test_no_import_cycles():
    """No two modules import each other, directly or through others (packages' own
    ``__init__`` re-exports of their submodules are not cycles)."""
    known, graph = _graph()

    def is_reexport(a, b):
        return b.startswith(a + ".") and known[a].name == "__init__.py"

    edges = {m: {t for t in e if not is_reexport(m, t)} for m, e in graph.items()}
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                cycle = stack[stack.index(nxt) :] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module)


def _python_only(source: str) -> str:
    """A cell's code without IPython's syntax (magics, shell escapes, ``?``/``??`` help)."""
    keep = []
    for line in source.splitlines():
        bare = line.strip()
        if bare.startswith(("%", "!")) or bare.endswith("?"):
            continue
        keep.append(line)
    return "\n".join(keep)


def test_notebooks_import_only_public_names():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse(_python_only("".join(cell["source"])))):
                names = []
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_"):
                    names = [node.module] + [a.name for a in node.names]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names if a.name.startswith("course_")]
                for name in names:
                    hidden = [p for p in name.split(".") if p.startswith("_")]
                    assert not hidden, f"{path.name}:{node.lineno} imports the private {name}"


def test_tools_are_not_installed_with_the_package():
    setup = (ROOT / "setup.py").read_text()
    assert 'include=["course_utils*"]' in setup and '"tools' not in setup


#: Heavy optional dependencies a function may import when it first needs them, so that
#: importing course_utils (and every light module) stays cheap: the reason, given once.
HEAVY = {
    "IPython",
    "cycler",
    "ipywidgets",
    "jax",
    "keras",
    "matplotlib",
    "scipy",
    "tensorflow",
    "threadpoolctl",
    "tqdm",
}


def lazy_imports_without_a_reason(path: Path, root: Path = ROOT) -> list[str]:
    """Imports inside a function that are not of a :data:`HEAVY` library and carry no
    comment (on their line, or the line above) saying why they are there."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source, str(path))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or id(node) in top:
            continue
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
        if all((name or "").split(".")[0] in HEAVY for name in names):
            continue
        here, above = lines[node.lineno - 1], lines[node.lineno - 2] if node.lineno > 1 else ""
        if "#" not in here and not above.strip().startswith("#"):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {here.strip()}")
    return found


def test_imports_inside_functions_say_why():
    found = [
        line
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in lazy_imports_without_a_reason(path)
    ]
    assert found == [], "move to the top, or say why in a comment:\n" + "\n".join(found)


def test_the_lazy_import_check_catches_one_without_a_reason(tmp_path):
    path = tmp_path / "planted.py"
    path.write_text(
        "def f():\n    from course_utils.core import config\n\n"
        "def g():\n    import keras\n\n"
        "def h():\n    # a cycle: config imports this module\n    from course_utils.core import config\n"
    )
    assert lazy_imports_without_a_reason(path, tmp_path) == [
        "planted.py:2: from course_utils.core import config"
    ]


def test_the_facade_check_catches_a_renamed_reexport(tmp_path):
    path = tmp_path / "planted.py"
    path.write_text(
        "from course_utils.tasks.adding import SOLVED_MSE as _S\n"
        "from course_utils.core.tables import table\n"
        '__all__ = ["SOLVED_MSE", "table", "mine"]\n'
        "SOLVED_MSE = _S\n"
        "def mine():\n    return table\n"
    )
    assert reexported_names(path) == ["SOLVED_MSE", "table"]


#: Plain modules (not a package's ``__init__``) define what their ``__all__`` lists.
def reexported_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_utils")
        for alias in node.names
    }
    listed = []
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id == "__all__":
            listed += ast.literal_eval(node.value)
    aliases = {  # NAME = imported_name: a re-export under its own name
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Name)
        and node.value.id in imported
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    return [name for name in listed if name in imported | aliases]


def test_no_reexport_facades_beyond_a_packages_public_face():
    found = {
        str(path.relative_to(ROOT)): names
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "__init__.py" and (names := reexported_names(path))
    }
    assert found == {}, f"import these from where they are defined: {found}"
