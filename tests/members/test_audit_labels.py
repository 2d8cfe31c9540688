"""Every action written to an audit log reads as words: each ``audit(action=…)`` of the code
base has a translated label, in the admins' log of a network and in the operators' admin."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from tenant_apps.knowledge.models import EditorialRole
from tenant_apps.members import audit as members_audit
from tenant_apps.members.models import AuditEntry, Role
from tenant_apps.moderation.services import TOPIC_ACTIONS
from tenants.models import AUDIT_ACTION_LABELS
from tests.members.factories import account

ROOT = Path(__file__).resolve().parents[2]

# The functions that write an audit entry with the ``action`` they are given.
AUDITING = {"audit", "designation_grant", "designation_revoke"}
# Actions built from a value: each form, and what it becomes.
DYNAMIC_ACTIONS = {"moderation.topic_{}": {f"moderation.topic_{a}" for a in TOPIC_ACTIONS}}


def _actions_in(expression: ast.expr) -> set[str]:
    """The action codes an ``action=`` argument can take."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.Name) and expression.id == "action":
        return set()  # a parameter passed on (members' designation_grant): its callers are read
    if isinstance(expression, ast.IfExp):
        return _actions_in(expression.body) | _actions_in(expression.orelse)
    if isinstance(expression, ast.JoinedStr):
        form = "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in expression.values
        )
        if form not in DYNAMIC_ACTIONS:
            raise AssertionError(f"an action built as {form!r}: list its values here")
        return DYNAMIC_ACTIONS[form]
    raise AssertionError(f"an action the test cannot read: {ast.unparse(expression)}")


def audited_actions(*packages: str) -> set[str]:
    """Every action passed to a function of ``AUDITING`` in these packages' code."""
    found: set[str] = set()
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                if name not in AUDITING:
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        found |= _actions_in(keyword.value)
    return found


def test_the_scan_finds_the_actions_it_must():
    network = audited_actions("tenant_apps")
    assert {
        "suspend", "group_approve", "knowledge.role_grant", "moderation.topic_pin",
        "events.organizer_grant",
    } <= network  # fmt: skip
    assert {"create", "delete"} <= audited_actions("provisioning")


def test_every_network_action_has_a_label():
    missing = audited_actions("tenant_apps") - set(members_audit.action_labels())
    assert missing == set()


def test_every_platform_action_has_a_label():
    assert (
        audited_actions("provisioning", "tenants", "shared_apps") - set(AUDIT_ACTION_LABELS)
        == set()
    )


def test_labels_are_marked_for_translation():
    network = members_audit.action_labels()
    labels = [*network.values(), *AUDIT_ACTION_LABELS.values()]
    assert all(isinstance(label, Promise) for label in labels)
    with translation.override("fr"):
        assert str(network["suspend"]) == "Suspendu"


@pytest.mark.django_db
def test_the_log_shows_labels_never_codes(tenant, client_as):
    admin = account("Alice", Role.ADMIN).member
    target = account("Bob").member
    for action in ("group_approve", "knowledge.role_grant", "charter_publish", "erase"):
        AuditEntry.objects.create(
            actor=admin, action=action, target=target, detail={"group": 7, "kind": "editor"}
        )
    response = client_as(admin).get(reverse("members_admin:audit_log"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    for code in ("group_approve", "knowledge.role_grant", "charter_publish"):
        assert f"<td>{code}</td>" not in page
    rows = {row["entry"].action: row for row in response.context["rows"]}
    assert rows["group_approve"]["action"] == members_audit.action_labels()["group_approve"]
    assert rows["knowledge.role_grant"]["detail"] == str(EditorialRole.Kind.EDITOR.label)
    assert rows["group_approve"]["detail"].endswith("7")
