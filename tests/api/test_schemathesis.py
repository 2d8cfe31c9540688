"""Generated requests against a network's OpenAPI schema (config/urls_api.py, /api/schema/).

schemathesis draws, for every operation, a bounded number of requests from the schema (valid
ones, then invalid ones) and sends them in-process to Django's WSGI application on alpha's
host, as a member (Bob) and a moderator (Mona), both by bearer token, and as an anonymous
visitor (one request per operation: refused before anything is read). No answer may be a 5xx
or break the schema: a status the operation does not document, another content type, a body
or a header of another shape. Writes happen and are undone: each request runs in a savepoint
rolled back after it (tests/api/fuzzing.py).

The counts go to ``.data/schemathesis.json`` (and a line per role to stderr), the failed
requests to ``.data/schemathesis-<name>.txt``; docs/api-fuzzing.md says how to draw more.
"""

import pytest
from django.utils import timezone

from tenant_apps.members.models import ApiToken, Member
from tenant_apps.members.tokens import TOKEN_PREFIX, token_digest
from tests import matrix
from tests.api.fuzzing import assert_clean, fuzz_schema, network_schema

pytestmark = pytest.mark.django_db
world, role_accounts = matrix.world, matrix.role_accounts  # the module's shared world


def bearer(member) -> dict:
    """An identity (tests/api/fuzzing.py) signed in by a new personal access token of
    ``member``."""
    secret = f"{TOKEN_PREFIX}schemathesis-{member.pk}-{'x' * 32}"
    # Used and seen a moment ago, as an app in use: each request is rolled back, and would
    # otherwise write both again (twice the queries of a request, for nothing tested here).
    now = timezone.now()
    ApiToken.objects.create(
        member=member,
        name="schemathesis",
        prefix=secret[:10],
        digest=token_digest(secret),
        last_used=now,
    )
    Member.objects.filter(pk=member.pk).update(last_seen=now)
    return {"headers": {"Authorization": f"Bearer {secret}"}}


def known_objects(world) -> dict[str, dict]:
    """The path parameters of the world's objects, by operation path: valid requests reach
    the views behind the 404 of a random id."""
    post, topic, article = world.reply.pk, world.topic.pk, world.article.pk
    olga = world.people["outsider_of_group"].user.username
    return {
        "/api/forums/categories/{slug}/topics/": {"slug": world.category.slug},
        "/api/forums/topics/{topic_id}/": {"topic_id": topic},
        "/api/forums/topics/{topic_id}/posts/": {"topic_id": topic},
        "/api/forums/posts/{post_id}/reactions/": {"post_id": post},
        "/api/moderation/posts/{post_id}/approve/": {"post_id": post},
        "/api/moderation/posts/{post_id}/hide/": {"post_id": post},
        "/api/moderation/posts/{post_id}/restore/": {"post_id": world.hidden_post.pk},
        "/api/knowledge/articles/{id}/": {"id": article},
        "/api/knowledge/articles/{id}/submit/": {"id": world.draft.pk},
        "/api/knowledge/articles/{id}/publish/": {"id": world.in_review.pk},
        "/api/notifications/{id}/read/": {"id": world.notification.pk},
        "/api/community/follows/{pseudonym}/": {"pseudonym": olga},
        "/api/community/followers/{pseudonym}/": {"pseudonym": olga},
        "/api/community/blocks/{pseudonym}/": {"pseudonym": olga},
    }


def test_the_network_api_answers_every_generated_request_by_its_schema(tenant, world):
    schema, host = network_schema(tenant)
    identities = {
        # Refused before anything is read: one request per operation says it.
        "anonymous": {"limit": 1},
        "member": bearer(world.people["member"]),
        "moderator": bearer(world.people["moderator"]),
    }
    results = fuzz_schema(
        schema,
        host=host,
        identities=identities,
        skip={"GET /api/schema/"},  # drf-spectacular's own view
        known=known_objects(world),
    )
    assert_clean("network API", results, operations_at_least=81)
