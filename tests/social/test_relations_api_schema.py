"""The relations API is in the OpenAPI schema, without a warning."""

from django.core.management import call_command

OPERATIONS = (
    "social_following_list", "social_follow", "social_unfollow", "social_followers_list",
    "social_follower_remove", "social_blocks_list", "social_block", "social_unblock",
    "social_matching_settings", "social_matching_settings_update", "social_suggestions",
    "social_feed",
)  # fmt: skip


def test_the_schema_documents_the_relations_endpoints(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--urlconf", "config.urls_tenant",
                 "--validate", "--fail-on-warn")  # fmt: skip
    text = out.read_text()
    for operation in OPERATIONS:
        assert f"operationId: {operation}\n" in text, operation
