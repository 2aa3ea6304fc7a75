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
    runs = [step.get("run", "") for step in _steps(workflow, "build")]
    assert runs.index("make course") < runs.index("make site")
    readme = (ROOT / "README.md").read_text()
    for target in ("make course", "make site"):
        assert f"{target}" in readme, f"the README no longer gives `{target}`"
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^course: venv$", makefile, re.M) and re.search(
        r"^site: venv$", makefile, re.M
    )
    uses = [step.get("uses", "") for step in _steps(workflow, "build")]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)  # executed notebooks
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    pages = next(
        s for s in _steps(workflow, "build") if "upload-pages-artifact" in s.get("uses", "")
    )
    assert pages["with"]["path"] == "build/site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert workflow["permissions"]["pages"] == "write"


def test_the_readme_links_every_lesson_to_its_executed_page():
    from tools.first_cell import site_link
    from tools.lessons import lessons

    readme = (ROOT / "README.md").read_text()
    for path in lessons(ROOT / "notebooks"):
        assert f"[executed]({site_link(path.name)})" in readme, path.name
