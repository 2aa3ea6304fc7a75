"""Make the student edition of the notebooks: solutions become stubs, outputs go.

    python -m tools.student notebooks/ --out student/

In the instructor notebooks, solution code sits in code cells between a
``# BEGIN SOLUTION`` line and an ``# END SOLUTION`` line. In the student edition
each such block becomes a stub that the exercise checks report as "not
attempted yet":

* inside a function body: ``raise NotImplementedError("Write your solution here")``
  at the block's indentation;
* elsewhere: ``name = ...  # your answer here`` for every name the block
  assigns (found with :mod:`ast`); a function the block defines keeps its
  signature and gets the ``raise`` stub; ``import`` lines are kept.

Outputs and execution counts are cleared; every other cell, all metadata and
the folder layout are kept. Besides the notebooks, only the pages they link to
(:data:`PAGES`, ``GLOSSARY.md``) are copied unchanged from the top of a source folder;
``INSTRUCTORS.md`` and other files are ignored. A ``.student-edition`` file in the output folder
records what was written and a hash of each file: the tool refuses to write
into a folder that holds anything else, or a generated notebook that has been
edited since, so a learner's work is never overwritten.

Unbalanced markers are an error that names the notebook and the cell. Nothing
is written unless every notebook converts.

The output is deterministic, so ``student/`` can be committed and a test can
check that it equals a fresh run: the same notebooks give the same bytes on every
run and machine. A cell without an id gets one derived from the notebook's
relative path and the cell's position (nbformat would draw a random one), and
what a run leaves behind, execution timings in cell metadata
(``execution``, ``ExecuteTime``) and saved widget state, is dropped with the outputs.

It is longer than the course's 300-line guide because stripping solutions works on three
levels (the lines of a cell, a notebook, the output folder) and the folder level guards a
learner's edits against being overwritten (a marker with each file's digest).
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

__all__ = [
    "PAGES",
    "StudentEditionError",
    "main",
    "strip_solutions",
    "student_notebook",
    "write_student_edition",
]

BEGIN = re.compile(r"^\s*#\s*BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*#\s*END SOLUTION\s*$")
MARKER_FILE = ".student-edition"
#: Pages the lessons link to, copied as they are so that the links work in the edition.
PAGES = ("GLOSSARY.md",)
RAISE_STUB = 'raise NotImplementedError("Write your solution here")'
ANSWER_STUB = "...  # your answer here"
# Folders that Jupyter and the test tools create next to notebooks; never learner files.
IGNORED_DIRS = frozenset(
    {".ipynb_checkpoints", "__pycache__", ".pytest_cache", ".virtual_documents"}
)


class StudentEditionError(Exception):
    """A notebook cannot be converted, or the output folder must not be touched."""


# --- one cell ---------------------------------------------------------------


def _indent_width(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _inside_function(previous: Sequence[str], width: int) -> bool:
    """Whether a line indented by ``width`` after ``previous`` lies in a ``def`` body."""
    for line in reversed(previous):
        stripped = line.strip()
        if width == 0:
            return False
        if not stripped or stripped.startswith("#"):
            continue
        line_width = _indent_width(line)
        if line_width < width:
            if re.match(r"(async\s+)?def\s", stripped):
                return True
            width = line_width
    return False


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []  # attributes and subscripts assign into existing objects


def _assigned_names(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.Assign):
        return [name for target in statement.targets for name in _target_names(target)]
    if isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        return _target_names(statement.target)
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [statement.name]
    names = []
    for field in ("body", "orelse", "finalbody", "handlers"):
        for child in getattr(statement, field, []):
            names += (
                _assigned_names(child)
                if isinstance(child, ast.stmt)
                else [name for grandchild in child.body for name in _assigned_names(grandchild)]
            )
    return names


def _top_level_stub(block: list[str], indent: str, where: str) -> list[str]:
    code = textwrap.dedent("\n".join(block))
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise StudentEditionError(
            f"{where}: the solution block is not valid Python on its own ({error.msg}, "
            f"line {error.lineno} of the block), so its names cannot be found. Put the "
            "markers inside a function body, or around complete statements."
        ) from None
    lines, seen = [], set()
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            lines.append(indent + ast.get_source_segment(code, statement))
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            prefix = "async def" if isinstance(statement, ast.AsyncFunctionDef) else "def"
            returns = f" -> {ast.unparse(statement.returns)}" if statement.returns else ""
            lines.append(
                f"{indent}{prefix} {statement.name}({ast.unparse(statement.args)}){returns}:"
            )
            lines.append(f"{indent}    {RAISE_STUB}")
            seen.add(statement.name)
        else:
            for name in _assigned_names(statement):
                if name not in seen:
                    seen.add(name)
                    lines.append(f"{indent}{name} = {ANSWER_STUB}")
    return lines or [indent + ANSWER_STUB]


def strip_solutions(source: str, *, where: str = "cell") -> str:
    """Replace each ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` block by its stub.

    ``where`` (e.g. ``"notebooks/01.ipynb, cell 7"``) starts every error message.
    """
    lines = source.splitlines()
    result: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if END.match(line):
            raise StudentEditionError(
                f"{where}: '# END SOLUTION' on line {i + 1} has no '# BEGIN SOLUTION' before it."
            )
        if not BEGIN.match(line):
            result.append(line)
            i += 1
            continue
        end = i + 1
        while end < len(lines) and not END.match(lines[end]):
            if BEGIN.match(lines[end]):
                raise StudentEditionError(
                    f"{where}: '# BEGIN SOLUTION' on line {end + 1} is nested inside the one on "
                    f"line {i + 1}; close the first with '# END SOLUTION'."
                )
            end += 1
        if end == len(lines):
            raise StudentEditionError(
                f"{where}: '# BEGIN SOLUTION' on line {i + 1} has no matching '# END SOLUTION'."
            )
        indent = line[: len(line) - len(line.lstrip())]
        if _inside_function(lines[:i], _indent_width(line)):
            result.append(indent + RAISE_STUB)
        else:
            result += _top_level_stub(
                lines[i + 1 : end], indent, f"{where}, lines {i + 1}-{end + 1}"
            )
        i = end + 1
    text = "\n".join(result)
    return text + "\n" if source.endswith("\n") else text


# --- one notebook -----------------------------------------------------------


#: Cell metadata that records a run, not the lesson (Jupyter's and nbclient's timings).
RUN_METADATA = ("execution", "ExecuteTime")


def student_notebook(notebook, *, name: str = "notebook"):
    """A copy of ``notebook`` (an ``nbformat`` node) with solutions stubbed and
    code outputs cleared; errors name ``name`` and the cell."""
    notebook = copy.deepcopy(notebook)
    notebook.get("metadata", {}).pop("widgets", None)  # saved widget state: an output
    for number, cell in enumerate(notebook.cells, start=1):
        for key in RUN_METADATA:
            cell.get("metadata", {}).pop(key, None)
        if cell.get("cell_type") != "code":
            continue
        label = f"{name}, cell {number}" + (f" (id {cell['id']})" if cell.get("id") else "")
        cell["source"] = strip_solutions(cell.get("source", ""), where=label)
        cell["outputs"] = []
        cell["execution_count"] = None
    return notebook


def _with_stable_ids(data: dict, relative: str) -> dict:
    """Give cells that lack an id one derived from ``relative`` and the cell's index
    (nbformat 4.5+ requires ids and would otherwise draw random ones)."""
    if (data.get("nbformat"), data.get("nbformat_minor", 0)) < (4, 5):
        return data
    taken = {cell.get("id") for cell in data.get("cells", []) if cell.get("id")}
    for index, cell in enumerate(data.get("cells", [])):
        if cell.get("id"):
            continue
        salt = 0
        while True:
            seed = f"{relative}:{index}:{salt}".encode()
            candidate = hashlib.sha256(seed).hexdigest()[:8]
            if candidate not in taken:
                break
            salt += 1
        cell["id"] = candidate
        taken.add(candidate)
    return data


def _read_notebook(path: Path, relative: str):
    import nbformat

    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("the file does not hold a JSON object")
    return nbformat.reads(json.dumps(_with_stable_ids(data, relative)), as_version=4)


# --- the output folder ------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _relative(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def _find_notebooks(sources: Sequence[Path], out: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    out = out.resolve()
    for source in map(Path, sources):
        if source.is_dir():
            candidates = [
                (path, _relative(path, source))
                for path in sorted(source.rglob("*.ipynb"))
                if not any(
                    part in IGNORED_DIRS or part.startswith(".")
                    for part in path.relative_to(source).parts[:-1]
                )
                and out not in path.resolve().parents
            ]
        elif source.is_file() and source.suffix == ".ipynb":
            candidates = [(source, source.name)]
        else:
            raise StudentEditionError(f"{source}: not a folder or an .ipynb file.")
        for path, relative in candidates:
            if relative in found:
                raise StudentEditionError(
                    f"{path} and {found[relative]} would both become {relative}."
                )
            found[relative] = path
    if not found:
        raise StudentEditionError(f"no notebooks found in {', '.join(map(str, sources))}.")
    return found


def _output_files(out: Path) -> list[str]:
    return sorted(
        _relative(path, out)
        for path in out.rglob("*")
        if not path.is_dir()
        and not any(part in IGNORED_DIRS for part in path.relative_to(out).parts[:-1])
        and _relative(path, out) != MARKER_FILE
    )


def _read_marker(out: Path) -> dict[str, str]:
    marker = out / MARKER_FILE
    try:
        files = json.loads(marker.read_text(encoding="utf-8"))["files"]
        ok = isinstance(files, dict) and all(
            isinstance(key, str)
            and isinstance(value, str)
            and (key.endswith(".ipynb") or key in PAGES)
            and not PurePosixPath(key).is_absolute()
            and ".." not in PurePosixPath(key).parts
            for key, value in files.items()
        )
    except (OSError, ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise StudentEditionError(
            f"{marker} cannot be read, so it is unclear which files in {out}/ are yours. "
            "Nothing was changed. Choose another --out folder, or move your files away and "
            f"delete {out}/ yourself."
        )
    return files


def _check_out_folder(out: Path) -> dict[str, str]:
    """The files of the earlier edition in ``out``; raise if anything else is there."""
    if not out.exists():
        return {}
    if not out.is_dir():
        raise StudentEditionError(f"--out {out} exists and is not a folder.")
    present = _output_files(out)
    if not (out / MARKER_FILE).exists():
        if present:
            raise StudentEditionError(
                f"refusing to write into {out}/: it holds files that this tool did not make "
                f"({', '.join(present[:3])}{', ...' if len(present) > 3 else ''}). Nothing was "
                "changed. Choose another --out folder, or move those files away first."
            )
        return {}
    recorded = _read_marker(out)
    others = [name for name in present if name not in recorded]
    if others:
        raise StudentEditionError(
            f"refusing to write into {out}/: {', '.join(others[:3])} "
            f"{'is' if len(others) == 1 else 'are'} not part of the student edition made "
            "there earlier. Nothing was changed. Move those files elsewhere, or choose another "
            "--out folder."
        )
    edited = [
        name
        for name, digest in recorded.items()
        if (out / name).is_file() and _digest((out / name).read_bytes()) != digest
    ]
    if edited:
        raise StudentEditionError(
            f"refusing to overwrite {out}/: {', '.join(edited[:3])} changed since it was "
            "generated, and regenerating would lose that work. Nothing was changed. Copy your "
            "edited notebooks elsewhere (or rename the folder), or choose another --out folder."
        )
    return recorded


def write_student_edition(sources: Sequence[str | Path], out: str | Path) -> list[Path]:
    """Write the student edition of the notebooks in ``sources`` into ``out``.

    ``sources``: folders (searched recursively for ``*.ipynb``, skipping hidden
    and checkpoint folders) or notebook files. Returns the written paths.
    Raises :class:`StudentEditionError` before writing anything if a notebook
    has unbalanced markers or ``out`` holds anything but an earlier, unedited
    student edition.
    """
    import nbformat  # imported here: only the student edition needs it

    out = Path(out)
    rendered: dict[str, bytes] = {}
    for relative, path in _find_notebooks([Path(source) for source in sources], out).items():
        try:
            notebook = _read_notebook(path, relative)
        except Exception as error:
            raise StudentEditionError(f"{path}: not a readable notebook ({error}).") from None
        text = nbformat.writes(student_notebook(notebook, name=str(path)))
        rendered[relative] = (text if text.endswith("\n") else text + "\n").encode("utf-8")
    for source in map(Path, sources):  # the pages the lessons link to, unchanged
        for name in PAGES:
            if source.is_dir() and (source / name).is_file():
                rendered[name] = (source / name).read_bytes()
    previous = _check_out_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    for relative in previous.keys() - rendered.keys():  # stale, and unedited: checked above
        (out / relative).unlink(missing_ok=True)
    written = []
    for relative, data in rendered.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    marker = {
        "generator": "python -m tools.student",
        "note": "Notebooks written here; regenerating refuses to run if any of them changed.",
        "files": {relative: _digest(data) for relative, data in sorted(rendered.items())},
    }
    (out / MARKER_FILE).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.student",
        description="Write the learner edition of the notebooks: solutions stubbed, outputs cleared.",
    )
    parser.add_argument("sources", nargs="+", type=Path, help="notebook folders or .ipynb files")
    parser.add_argument(
        "--out", type=Path, default=Path("student"), help="output folder (default: student/)"
    )
    args = parser.parse_args(argv)
    try:
        written = write_student_edition(args.sources, args.out)
    except StudentEditionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"Wrote {len(written)} student notebook(s) to {args.out}/ "
        "(solutions stubbed, outputs cleared)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
