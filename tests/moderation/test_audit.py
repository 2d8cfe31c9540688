"""Moderation actions read well in the admins' audit log; nobody can change the entries."""

import pytest
from django.urls import reverse

from tenant_apps.forums.models import Category
from tenant_apps.members.models import AuditEntry
from tenant_apps.moderation import audit, services

pytestmark = pytest.mark.django_db


def test_every_moderation_action_has_a_label_and_a_description(topic, reply, member_of):
    moderator, admin = member_of["moderator"], member_of["admin"]
    services.post_hide(moderator=moderator, post=reply, reason="Propos blessants")
    services.post_restore(moderator=moderator, post=reply)
    services.post_approve(moderator=moderator, post=reply)
    services.post_moderator_edit(moderator=moderator, post=reply, body="Corrigé", reason="Lien")
    for action in services.TOPIC_ACTIONS:
        services.topic_moderate(moderator=moderator, topic=topic, action=action)
    services.topic_move(
        moderator=moderator, topic=topic, category=Category.objects.get(slug="traitements")
    )
    services.member_warn(moderator=moderator, member=member_of["member"], reason="Courtoisie")
    services.on_duty_set(actor=moderator, member=moderator, on_duty=True)
    services.on_duty_set(actor=moderator, member=moderator, on_duty=False)
    word = services.watched_word_add(actor=admin, phrase="arnaque", action="hold")
    services.watched_word_remove(actor=admin, word=word)
    term = services.crisis_term_add(actor=admin, phrase="plus la force")
    services.crisis_term_remove(actor=admin, term=term)
    warning = services.content_warning_add(actor=admin, name="Amputation")
    services.content_warning_remove(actor=admin, warning=warning)
    services.moderation_settings_update(actor=admin, premoderated_posts=3)

    entries = list(AuditEntry.objects.all())
    assert {entry.action for entry in entries} == set(audit.ACTION_LABELS)
    described = {entry.action: audit.describe(entry) for entry in entries}
    assert described["moderation.post_hide"] == f"message #{reply.pk} — Propos blessants"
    assert "Traitements" in described["moderation.topic_move"]
    assert described["moderation.member_warn"] == "Courtoisie"
    assert described["moderation.word_add"].startswith("arnaque (")
    assert "3" in described["moderation.settings_update"]
    assert described["moderation.content_warning_remove"] == "Amputation"
    # Details never carry an email or a pseudonym: the log shows actor and target itself.
    for entry in entries:
        assert "@" not in str(entry.detail) and "Dede" not in str(entry.detail)


def test_moderation_entries_show_on_the_journal_and_cannot_be_edited(client_as, reply, member_of):
    services.post_hide(moderator=member_of["moderator"], post=reply, reason="Hors charte")
    client = client_as("admin")
    page = client.get(reverse("members_admin:audit_log"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mona" in html and "Dede" in html
    # No page edits or deletes an entry: the log's only address is read-only.
    entry = AuditEntry.objects.get()
    before = (entry.action, entry.detail, entry.at)
    response = client.post(reverse("members_admin:audit_log"), {"action": "x"})
    entry.refresh_from_db()
    assert (entry.action, entry.detail, entry.at) == before
    assert AuditEntry.objects.count() == 1
    # The log is read-only: a POST is not even a method it knows.
    assert response.status_code == 405
