"""The house rules that keep access in one place, read from the source itself.

- Who may do what is decided only in `qa/access/`: no other module or template compares a
  person's role or names a role by its stored value (`qa/roles.py` defines them).
- Audit states are named things: no module but `qa/audits/states.py` spells a state's
  stored value, and no template compares a state with a string.
- Views read the request, call a service and render: no view module commits or queries.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from qa.audits.states import AuditState
from qa.roles import Role

ROOT = Path(__file__).resolve().parents[2]
QA = ROOT / "qa"
TEMPLATES = ROOT / "templates"
ROLE_HOMES = {QA / "roles.py", *sorted((QA / "access").glob("*.py"))}
STATE_HOME = QA / "audits" / "states.py"
ROLE_VALUES = {role.value for role in Role}
STATE_VALUES = {state.value for state in AuditState}


def python_modules() -> list[Path]:
    return sorted(p for p in QA.rglob("*.py") if "static" not in p.parts)


def where(path: Path, node: ast.AST) -> str:
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return f"{shown}:{getattr(node, 'lineno', '?')}"


def is_role_attribute(node: ast.AST) -> bool:
    """`person.role`, `current_user.role`...: a person's role (not the `Staff.role` column
    in a query's where-clause, which selects rows rather than deciding access)."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "role"
        and not (isinstance(node.value, ast.Name) and node.value.id == "Staff")
    )


def role_decisions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(is_role_attribute(side) for side in sides):
                found.append(f"{where(path, node)}: compares a person's role")
        if isinstance(node, ast.Constant) and node.value in ROLE_VALUES:
            found.append(f"{where(path, node)}: names the role {node.value!r}")
    return found


def state_literals(path: Path) -> list[str]:
    """String constants spelling a state, except as a key of plain data (`draw["selected"]`,
    `{"selected": ...}`), where the word means something else."""
    tree = ast.parse(path.read_text(), str(path))
    keys = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}
    keys |= {id(k) for n in ast.walk(tree) if isinstance(n, ast.Dict) for k in n.keys if k}
    return [
        f"{where(path, node)}: spells the state {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in STATE_VALUES and id(node) not in keys
    ]


def queries(path: Path) -> list[str]:
    """Uses of the database session or `select`: a service's work, not a view's."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "session":
            found.append(f"{where(path, node)}: uses the database session")
        if isinstance(node, ast.Name) and node.id == "select":
            found.append(f"{where(path, node)}: builds a query")
    return found


def commits(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "commit"
        ):
            found.append(f"{where(path, node)}: commits")
    return found


def test_no_module_outside_the_access_policy_decides_by_role():
    problems = [
        problem
        for path in python_modules()
        if path not in ROLE_HOMES
        for problem in role_decisions(path)
    ]
    assert not problems, "Decide access in qa/access with a may_* function:\n" + "\n".join(problems)


def test_no_template_looks_at_a_role():
    role_test = re.compile(r"\.role\s*(==|!=|\bin\b|\bnot\b)")
    quoted = re.compile(r"""["']({})["']""".format("|".join(sorted(ROLE_VALUES))))
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if role_test.search(line) or quoted.search(line):
                problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not problems, "Give templates capabilities (may_*), never roles:\n" + "\n".join(problems)


def test_audit_states_are_named_only_in_their_module():
    problems = [
        problem
        for path in python_modules()
        if path != STATE_HOME
        for problem in state_literals(path)
    ]
    assert not problems, "Use AuditState from qa/audits/states.py:\n" + "\n".join(problems)


def test_no_template_compares_an_audit_state_with_a_string():
    compared = re.compile(
        r"""\.state\s*(==|!=|in)\s*\(?\s*["']({})["']""".format("|".join(STATE_VALUES))
    )
    problems = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if compared.search(line)
    ]
    assert not problems, "Compare with AuditState.X in templates:\n" + "\n".join(problems)


def test_no_view_module_commits():
    views = [p for p in python_modules() if p.name == "views.py" or p.name.endswith("_views.py")]
    assert len(views) >= 10
    problems = [problem for path in views for problem in commits(path)]
    assert not problems, "Commit in a service function, not in a view:\n" + "\n".join(problems)


def test_no_view_module_queries_the_database():
    views = [p for p in python_modules() if p.name == "views.py" or p.name.endswith("_views.py")]
    problems = [problem for path in views for problem in queries(path)]
    assert not problems, "Read records in a service function:\n" + "\n".join(problems)


def test_the_guards_see_what_they_are_meant_to_catch(tmp_path):
    """The checks above would fail on the code they forbid."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def page(user, audit, db):\n"
        "    if user.role == 'head_of_service' and audit.state == 'submitted':\n"
        "        db.session.commit()\n"
        "    return draw['selected'], Staff.role\n"
    )
    assert len(role_decisions(sample)) == 2
    assert len(state_literals(sample)) == 1
    assert len(commits(sample)) == 1
    assert len(queries(sample)) == 1
