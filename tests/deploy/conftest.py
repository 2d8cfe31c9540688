"""On a failed test of the stack (tests/deploy/test_stack.py), the processes' logs."""

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    stack = getattr(item, "funcargs", {}).get("stack")
    if report.failed and stack is not None:
        report.sections.append(("stack: logs of the processes", stack.logs()))
    return report


@pytest.fixture(scope="session")
def stacks_to_clean_up():
    """Stacks whose processes and database are still going away; awaited at the session's
    end, so that the tests after the stack's module do not wait for a DROP DATABASE."""
    stacks = []
    yield stacks
    for stack in stacks:
        if stack.cleanup is not None:
            stack.cleanup.join()
        print("stack timings (s):", {name: round(t, 2) for name, t in stack.timings.items()})
