"""The state machine is the only description of statuses, steps and actions: templates ask
the dossier by name (``is_returned``, ``to_processing``…) or read ``Action`` (its inputs,
its hold), and never compare a status number or a step, nor list an action's fields."""

import re
from pathlib import Path

from django.conf import settings

from dossiers import workflow

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# {% if d.status == 10 %}, {% if c.to_status != 4 %}, {% if x.status in "123" %}, step == "approval"
STATUS_NUMBER = re.compile(
    r"\b(?:to_|from_)?status\s*(?:==|!=|<=|>=|<|>)\s*['\"]?\d|\bstatus\s+(?:not\s+)?in\s+['\"]?\d"
)
STEP_NAME = re.compile(r"\bstep\s*(?:==|!=)\s*['\"]\w")


def _templates():
    return sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))


def test_the_pattern_finds_what_it_forbids():
    for text in ("{% if d.status == 10 %}", "{% if c.to_status != 4 %}", '{% if d.status in "56" %}'):
        assert STATUS_NUMBER.search(text), text
    assert STEP_NAME.search('{% if d.step == "approval" %}')
    assert not STATUS_NUMBER.search("{% if d.is_returned %}{{ response.status_code }}")


def test_no_template_compares_a_status_number_or_a_step():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:120]}"
        for path in _templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STATUS_NUMBER.search(line) or STEP_NAME.search(line)
    ]
    assert found == []


def test_no_template_names_an_actions_fields():
    """What an action asks for is ``Action.inputs``; a template loops over it."""
    names = {i.name for a in workflow.ACTIONS.values() for i in a.inputs} - {"note", "file", "method"}
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {name}"
        for path in sorted((TEMPLATES / "desk").glob("*.html"))
        for name in names
        if re.search(rf"i\.name\s*==\s*['\"]{name}['\"]", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_action_field_is_described_once_in_the_machine():
    for action in workflow.ACTIONS.values():
        names = [i.name for i in action.inputs]
        assert len(names) == len(set(names)), action.name
        assert all(i.kind in {"text", "textarea", "date", "select", "file", "number"} for i in action.inputs)
