"""No import hides inside a function: a circle between modules shows at the top of a file,
where import-linter's contracts in pyproject.toml and a reader both see it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "core", "tenants", "shared_apps", "tenant_apps", "provisioning")

# (file, function) pairs whose imports must wait, each for the reason in its comment.
ALLOWED = {
    # AppConfig.ready(): the app registry is ready only then.
    ("tenants/apps.py", "ready"),
    ("tenant_apps/forums/apps.py", "ready"),
    ("tenant_apps/knowledge/apps.py", "ready"),
    ("tenant_apps/events/apps.py", "ready"),
    ("tenant_apps/messaging/apps.py", "ready"),
    # Sentry's SDK is imported only when a DSN switches reporting on.
    ("core/observability.py", "init_sentry"),
}


def imports_in_functions(path: Path) -> list[tuple[str, int]]:
    """(function name, line) of each import statement inside a function of the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append((node.name, inner.lineno))
    return found


def test_no_import_hides_inside_a_function():
    hidden = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            for function, line in imports_in_functions(path):
                if (relative, function) not in ALLOWED:
                    hidden.append(f"{relative}:{line} in {function}()")
    assert hidden == []


def test_the_check_finds_an_import_inside_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from os import path\n    return path\n")
    assert imports_in_functions(module) == [("f", 2)]
