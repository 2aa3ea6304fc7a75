"""``make slides``: one slide deck per lesson, made from the lesson itself, read offline.

``python -m tools.slides build`` writes ``build/slides/<lesson>.html`` for every lesson
and an ``index.html``. A deck has three parts, all taken from the notebook, so it cannot
drift from the lesson:

1. the title slide: the lesson's first cell (title, objectives, run time);
2. the central figures: the first figure of each section (``## ...``, not the introduction,
   setup or summary), with
   the section's heading and the figure's printed summary sentence (``Figure: ...``,
   :func:`tools.book.figure_alt`) as caption and alt text;
3. the summary: the lesson's ``## Summary`` section with its rendered verdicts.

Figures and verdicts are outputs, so a deck shows them for the lessons that ``make course``
ran (``build/executed/``, same code as the notebook, as for the site); otherwise its
slides say that the lesson has not been run. Each deck is one HTML file with its images
inside it; maths is typeset by the local MathJax of the site (:func:`tools.book.find_mathjax`,
copied once to ``build/slides/mathjax/``), so nothing is fetched from the network. Keys:
right arrow, space or page down for the next slide, left arrow or page up for the
previous one; ``#3`` in the address opens slide 3. Why not reveal.js: ``docs/site.md``.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

from tools.book import (
    MATHJAX2_CONFIG,
    MATHJAX_COMBINED,
    copy_mathjax,
    figure_alt,
    find_mathjax,
    source_for,
)
from tools.book import title as lesson_title
from tools.lessons import lessons

__all__ = ["build", "deck", "slides_of"]

ROOT = Path(__file__).resolve().parent.parent
#: A section of a lesson: a level-2 heading other than these three.
SECTION = re.compile(r"^## (?!Summary\b|Setup\b|Introduction\b)(?P<title>.+)$", re.M)
SUMMARY = re.compile(r"^## Summary\b", re.M)
NOT_RUN = "Not run yet: `make course` puts the lesson's figures and verdicts here."
STYLE = """body{margin:0;font-family:sans-serif;background:#fafafa}
section{display:none;box-sizing:border-box;height:100vh;padding:3vh 6vw;overflow:auto}
section.on{display:block}h1{font-size:2.2em}h2{font-size:1.8em}
img{max-width:100%;max-height:70vh;display:block;margin:1em auto}
.caption{text-align:center;color:#444}.count{position:fixed;right:1em;bottom:.5em;color:#888}
pre{white-space:pre-wrap;font-size:.85em}"""
SCRIPT = """(function(){var s=document.querySelectorAll('section'),i=0;
function go(k){i=Math.max(0,Math.min(s.length-1,k));s.forEach(function(x,j){x.className=j===i?'on':''});
document.querySelector('.count').textContent=(i+1)+' / '+s.length;history.replaceState(null,'','#'+(i+1))}
document.addEventListener('keydown',function(e){if(['ArrowRight',' ','PageDown'].indexOf(e.key)>=0)go(i+1);
if(['ArrowLeft','PageUp'].indexOf(e.key)>=0)go(i-1)});
go((parseInt(location.hash.slice(1),10)||1)-1)})();"""


def _markdown(text: str) -> str:
    """Markdown to HTML (CommonMark), the maths left for MathJax as ``\\(...\\)``."""
    from markdown_it import MarkdownIt

    maths, code = [], []

    def keep_code(match):  # a code span keeps its dollars
        code.append(match.group(0))
        return f"@@CODE{len(code) - 1}@@"

    def keep(match):  # MathJax reads \( \) and \[ \]; markdown must not touch the inside
        maths.append(match.group(0))
        return f"@@MATH{len(maths) - 1}@@"

    text = re.sub(r"(`+)[^`]*?\1", keep_code, text)
    text = text.replace("\\$", "@@DOLLAR@@")  # an escaped dollar is a dollar sign
    text = re.sub(r"\$\$(.+?)\$\$|\$(?=\S)([^$\n]+?)(?<=\S)\$(?!\d)", keep, text, flags=re.S)
    for i, span in enumerate(code):
        text = text.replace(f"@@CODE{i}@@", span)
    out = MarkdownIt("commonmark").enable("table").render(text).replace("@@DOLLAR@@", "$")
    for i, tex in enumerate(maths):
        inner = tex.strip("$")
        wrapped = f"\\[{inner}\\]" if tex.startswith("$$") else f"\\({inner}\\)"
        out = out.replace(f"@@MATH{i}@@", f'<span class="math">{html.escape(wrapped)}</span>')
    return out


def _outputs_html(outputs, alt: str | None = None) -> str:
    """A cell's outputs as HTML; an image's alt text is ``alt`` or the cell's own summary."""
    parts = []
    alt = html.escape(alt or figure_alt(outputs) or "a figure of the lesson", quote=True)
    for o in outputs:
        data = o.get("data", {})
        if "image/png" in data:
            parts.append(f'<img alt="{alt}" src="data:image/png;base64,{data["image/png"]}">')
        elif "text/html" in data:
            parts.append(data["text/html"])
        elif "text/markdown" in data:
            parts.append(_markdown(data["text/markdown"]))
        elif o.get("output_type") == "stream" and o.get("name") == "stdout":
            parts.append(f"<pre>{html.escape(o.get('text', ''))}</pre>")
    return "\n".join(parts)


def slides_of(nb) -> list[str]:
    """The slides of an executed (or committed) lesson, each an HTML fragment."""
    cells = nb.cells
    slides = [_markdown(cells[0].source)]
    starts = [
        i for i, c in enumerate(cells) if c.cell_type == "markdown" and SECTION.search(c.source)
    ]
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(cells)
        heading = SECTION.search(cells[start].source)["title"]
        figure = next(
            (c for c in cells[start:end] if c.cell_type == "code" and any(
                "image/png" in o.get("data", {}) for o in c.get("outputs", [])
            )),
            None,
        )  # fmt: skip
        if figure is not None:
            images = [o for o in figure.outputs if "image/png" in o.get("data", {})][:1]
            said = figure_alt(figure.outputs)
            body = _outputs_html(images, said) + f'<p class="caption">{html.escape(said or "")}</p>'
            slides.append(f"<h2>{html.escape(heading)}</h2>{body}")
    summary = next((i for i, c in enumerate(cells) if SUMMARY.search(c.source)), None)
    if summary is not None:
        parts = []
        for cell in cells[summary:]:
            if cell.cell_type == "markdown":
                parts.append(_markdown(cell.source))
            elif "progress()" not in cell.source:
                parts.append(_outputs_html(cell.get("outputs", [])) or f"<p><em>{NOT_RUN}</em></p>")
        slides.append("\n".join(parts))
    return slides


def deck(title: str, slides: list[str], mathjax: str | None) -> str:
    """One self-contained HTML deck; ``mathjax``: the path of ``MathJax.js`` from the deck."""
    import json

    script = ""
    if mathjax:
        config = json.dumps(MATHJAX2_CONFIG)
        script = (
            f'<script type="text/x-mathjax-config">MathJax.Hub.Config({config});</script>'
            f'<script src="{mathjax}?config={MATHJAX_COMBINED}"></script>'
        )
    sections = "\n".join(f"<section>{s}</section>" for s in slides)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title><style>{STYLE}</style>{script}</head><body>{sections}"
        f'<div class="count"></div><script>{SCRIPT}</script></body></html>'
    )


def build(
    out: Path = ROOT / "build" / "slides", executed: Path | None = ROOT / "build" / "executed"
) -> list[Path]:
    """Write every lesson's deck and an index into ``out``; returns the decks' paths."""
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    local = find_mathjax()
    if local is not None:
        copy_mathjax(local, out)  # -> out/mathjax/
    written, links = [], []
    for path in lessons(ROOT / "notebooks"):
        nb = nbformat.read(source_for(path, executed), as_version=4)
        target = out / f"{path.stem}.html"
        name = lesson_title(path)
        target.write_text(
            deck(name, slides_of(nb), "mathjax/MathJax.js" if local else None), "utf-8"
        )
        written.append(target)
        links.append(f'<li><a href="{target.name}">{html.escape(name)}</a></li>')
    index = f"<h1>rnn-course: slides</h1><ul>{''.join(links)}</ul>"
    (out / "index.html").write_text(deck("rnn-course: slides", [index], None), "utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.slides", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write build/slides/")
    b.add_argument("--out", type=Path, default=ROOT / "build" / "slides")
    b.add_argument("--no-executed", action="store_true", help="ignore build/executed/")
    args = parser.parse_args(argv)
    executed = None if args.no_executed else ROOT / "build" / "executed"
    decks = build(args.out, executed)
    print(f"wrote {len(decks)} decks to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
