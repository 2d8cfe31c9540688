"""Jobs are deferred without import circles: a jobs module imports its services, and nothing
it imports (at the top or inside a function) imports it back; services defer jobs by name
(core.jobs.job_named)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("config", "core", "provisioning", "shared_apps", "tenant_apps", "tenants")


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports, wherever the import statement is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def cycle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from ``start`` back to it, if there is one."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


MODULES = project_modules()
GRAPH = {name: imports_of(name, path, MODULES) for name, path in MODULES.items()}
JOBS = sorted(name for name in MODULES if name.endswith(".jobs"))


def test_the_jobs_modules_are_found():
    assert {"tenant_apps.members.jobs", "tenant_apps.notifications.jobs"} <= set(JOBS)
    assert "tenant_apps.members.services" in GRAPH["tenant_apps.members.jobs"]


@pytest.mark.parametrize("jobs", JOBS)
def test_no_import_circle_goes_through_a_jobs_module(jobs):
    assert cycle_through(jobs, GRAPH) is None
