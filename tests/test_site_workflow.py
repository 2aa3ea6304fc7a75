"""The CI workflow that publishes the executed course (.github/workflows/site.yml).

It cannot run here (it needs GitHub's runners and Pages; RELEASING.md says so). This
checks its shape: valid YAML, the two make targets the README gives for the site, in
that order, the executed notebooks kept, and the site deployed to GitHub Pages. The
Makefile must still define both targets as the README describes them.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def test_the_site_workflow_runs_the_readmes_make_targets_then_publishes():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "workflow_dispatch" in triggers and "main" in triggers["push"]["branches"]
    assert triggers["push"]["tags"] == ["v*"]  # RELEASING.md's tags
    build = _steps(workflow, "build")
    runs = [step.get("run", "").strip() for step in build]
    assert runs.index("make course") < runs.index("make site")
    slides = next(r for r in runs if r.startswith("make slides"))
    assert runs.index("make site") < runs.index(slides) and "build/site/slides" in slides
    readme = (ROOT / "README.md").read_text()
    for target in ("make course && make site", "make slides"):
        assert target in readme, f"the README no longer gives `{target}`"
    makefile = (ROOT / "Makefile").read_text()
    for target in ("course", "site", "slides"):
        assert re.search(rf"^{target}: venv$", makefile, re.M), target
    assert any(s.get("with", {}).get("python-version") for s in build)  # a Python to run make
    uses = [step.get("uses", "") for step in build]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)  # executed notebooks
    pages = next(s for s in build if "upload-pages-artifact" in s.get("uses", ""))
    assert pages["with"]["path"] == "build/site"
    # Only the release job may write, and it creates the release a bare tag lacks.
    assert workflow["permissions"] == {"contents": "read"}
    release = workflow["jobs"]["release"]
    assert release["permissions"] == {"contents": "write"} and release["needs"] == "build"
    assert "refs/tags/v" in release["if"]
    script = " ".join(s.get("run", "") for s in release["steps"])
    assert "gh release view" in script and "gh release create" in script
    assert script.index("gh release create") < script.index("gh release upload")
    # Pages deploys from main (its environment's default rule refuses tags).
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["if"] == "github.ref == 'refs/heads/main'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_the_readme_links_every_lesson_to_its_executed_page():
    from tools.first_cell import site_link
    from tools.lessons import lessons

    readme = (ROOT / "README.md").read_text()
    for path in lessons(ROOT / "notebooks"):
        assert f"[executed]({site_link(path.name)})" in readme, path.name
