"""config.rawsql: rows of a hand-written join become the instances the ORM would build."""

from django.db import connection

from config.rawsql import Columns
from tenant_apps.forums.models import Category
from tenant_apps.members.models import Space


def test_columns_turn_a_row_into_instances_and_a_missing_join_into_none(tenant):
    space = Space.objects.create(name="Tous", slug="tous-rawsql", audience=["patient"])
    category = Category.objects.create(space=space, name="Vie", slug="vie-rawsql")
    parts = (Columns.of(Category, "c", only=["slug"]), Columns.of(Space, "s", exclude=["name"]))
    assert parts[0].names == ("id", "slug")
    assert "name" not in parts[1].names and "audience" in parts[1].names
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {parts[0].sql}, {parts[1].sql} FROM {Category._meta.db_table} c "  # noqa: S608
            f"LEFT JOIN {Space._meta.db_table} s ON s.id = c.space_id AND s.slug = %s "
            "WHERE c.id = %s",
            ["tous-rawsql", category.pk],
        )
        row = cursor.fetchone()
        cursor.execute(
            f"SELECT {parts[0].sql}, {parts[1].sql} FROM {Category._meta.db_table} c "  # noqa: S608
            f"LEFT JOIN {Space._meta.db_table} s ON false WHERE c.id = %s",
            [category.pk],
        )
        unjoined = cursor.fetchone()
    found = parts[0].instance(row, 0)
    assert (found.pk, found.slug, found.get_deferred_fields() >= {"name"}) == (
        category.pk, "vie-rawsql", True,
    )  # fmt: skip
    joined = parts[1].instance(row, len(parts[0]))
    assert (joined.pk, joined.audience, joined._state.adding) == (space.pk, ["patient"], False)
    assert parts[1].instance(unjoined, len(parts[0])) is None


def test_instances_split_a_row_into_instances_and_what_follows():
    from config.rawsql import instances

    parts = (Columns.of(Category, "c", only=["slug"]), Columns.of(Space, "s", only=["slug"]))
    (category, space), rest = instances(parts, (1, "vie", None, None, True, 7))
    assert (category.pk, category.slug, space, list(rest)) == (1, "vie", None, [True, 7])
