import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

from core.search import document


def event_documents(apps, schema_editor):
    """Each event's search document, as events.services writes it: title (A), description
    (B)."""
    Event = apps.get_model("events", "Event")
    for pk, title, description in Event.objects.values_list(
        "pk", "title", "description"
    ).iterator():
        Event.objects.filter(pk=pk).update(search_vector=document(A=title, B=description))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_question_merge"),
        ("members", "0003_member_previous_visit"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="event",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="events_event_search"
            ),
        ),
        # Kept uncompressed in the row when it fits, as the articles' and topics' vectors.
        migrations.RunSQL(
            "ALTER TABLE events_event ALTER COLUMN search_vector SET STORAGE MAIN",
            "ALTER TABLE events_event ALTER COLUMN search_vector SET STORAGE EXTENDED",
        ),
        migrations.RunPython(event_documents, migrations.RunPython.noop, elidable=True),
    ]
