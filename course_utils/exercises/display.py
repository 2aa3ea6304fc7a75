"""How feedback, hints, solutions and progress look.

A :class:`Panel` renders as a coloured HTML box in Jupyter (green pass, red
fail, grey not attempted, ...) and as plain ASCII text everywhere else.
:func:`show` picks the form: ``IPython.display.display`` inside a Jupyter
kernel, ``print`` otherwise. Nothing here knows about exercises.
"""

from __future__ import annotations

import html
import re
import sys

__all__ = ["Panel", "in_kernel", "show"]

# tone: (text colour, background, border, plain-text tag). The tag is also the HTML
# box's symbol: ASCII only, so every font shows it (an emoji or a rare symbol shows
# as an empty box on some systems, e.g. Debian's Chromium without emoji fonts).
_TONES = {
    "correct": ("#1b5e20", "#e8f5e9", "#43a047", "[PASS]"),
    "incorrect": ("#b71c1c", "#ffebee", "#e53935", "[TRY AGAIN]"),
    "error": ("#b71c1c", "#fff3e0", "#fb8c00", "[ERROR]"),
    "not_attempted": ("#424242", "#f5f5f5", "#9e9e9e", "[NOT ATTEMPTED]"),
    "noted": ("#37474f", "#eceff1", "#78909c", "[NOTED]"),
    "hint": ("#0d47a1", "#e3f2fd", "#1e88e5", "[HINT]"),
    "solution": ("#4a148c", "#f3e5f5", "#8e24aa", "[SOLUTION]"),
    "info": ("#263238", "#fafafa", "#90a4ae", "[INFO]"),
}
# Progress table marks, ASCII for the same reason.
_MARKS = {True: "[x]", False: "[ ]", None: "[ ]"}


def _inline_html(text: str) -> str:
    """Escape ``text``; `backticks` become <code>, blank lines separate paragraphs."""
    escaped = html.escape(text)
    escaped = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", escaped)
    return escaped.replace("\n", "<br>")


class Panel:
    """A titled box: a message, optional preformatted details, code, or table rows.

    ``rows`` is a list of ``(mark, name, note)`` triples, shown as a table
    (used by the progress summary); ``mark`` is True, False or None.
    ``footer`` is shown last, after the details and code (feedback puts how to
    get a hint there).
    """

    def __init__(
        self,
        tone: str,
        title: str,
        body: str = "",
        *,
        details: str = "",
        code: str = "",
        rows: list[tuple[bool | None, str, str]] | None = None,
        footer: str = "",
    ):
        if tone not in _TONES:
            raise ValueError(f"tone must be one of {sorted(_TONES)}; got {tone!r}.")
        self.tone = tone
        self.title = title
        self.body = body
        self.details = details
        self.code = code
        self.rows = rows or []
        self.footer = footer

    # --- plain text -------------------------------------------------------------
    def text(self) -> str:
        """The ASCII-tagged plain-text form (what ``print`` shows)."""
        lines = [f"{_TONES[self.tone][3]} {self.title}"]
        if self.body:
            lines += ["  " + line if line else "" for line in self.body.splitlines()]
        for block in (self.details, self.code):
            if block:
                lines += ["    " + line for line in block.rstrip().splitlines()]
        if self.rows:
            width = max(len(name) for _, name, _ in self.rows)
            for mark, name, note in self.rows:
                lines.append(f"  {_MARKS[mark]} {name:<{width}}  {note}")
        if self.footer:
            lines += ["  " + line if line else "" for line in self.footer.splitlines()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython's text/plain form
        printer.text(self.text())

    # --- HTML -------------------------------------------------------------------
    def _repr_html_(self) -> str:
        colour, background, border, tag = _TONES[self.tone]
        parts = [
            f'<div style="border-left:6px solid {border};background:{background};'
            f"color:{colour};padding:8px 12px;margin:4px 0;border-radius:4px;"
            f'font-family:sans-serif;line-height:1.4">',
            f"<b>{html.escape(tag)} {html.escape(self.title)}</b>",
        ]
        if self.body:
            parts.append(
                f'<div style="color:#212121;margin-top:4px">{_inline_html(self.body)}</div>'
            )
        pre = (
            '<pre style="background:#ffffffb0;color:#212121;padding:6px;margin:6px 0 0 0;'
            'white-space:pre-wrap">'
        )
        if self.details:
            parts.append(f"{pre}{html.escape(self.details.rstrip())}</pre>")
        if self.code:
            parts.append(f"{pre}<code>{html.escape(self.code.rstrip())}</code></pre>")
        if self.rows:
            cells = []
            for mark, name, note in self.rows:
                cells.append(
                    f'<tr><td style="padding:0 8px">{_MARKS[mark]}</td>'
                    f"<td><code>{html.escape(name)}</code></td>"
                    f'<td style="padding:0 8px;color:#424242">{html.escape(note)}</td></tr>'
                )
            parts.append(f'<table style="margin-top:4px">{"".join(cells)}</table>')
        if self.footer:
            parts.append(
                f'<div style="color:#424242;margin-top:6px">{_inline_html(self.footer)}</div>'
            )
        parts.append("</div>")
        return "".join(parts)


def in_kernel() -> bool:
    """True inside a Jupyter kernel (JupyterLab, Colab, VS Code), where HTML renders."""
    if "IPython" not in sys.modules:  # never import IPython just to find out
        return False
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except Exception:
        return False
    return shell is not None and getattr(shell, "kernel", None) is not None


def show(obj) -> None:
    """Display ``obj`` (anything with ``text()`` and ``_repr_html_()``) once."""
    if in_kernel():
        from IPython.display import display

        display(obj)
        return
    text = obj.text()
    try:
        print(text)
    except UnicodeEncodeError:  # a console that cannot print an author's symbols
        encoding = getattr(sys.stdout, "encoding", None) or "ascii"
        print(text.encode(encoding, errors="replace").decode(encoding))
