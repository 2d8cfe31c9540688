from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
    ]

    operations = [
        # Kept uncompressed in the row when it fits: the search reads thousands of vectors,
        # and decompressing each one costs more than reading it. The vectors already stored
        # are written again to take the new storage (concatenating nothing copies them).
        migrations.RunSQL(
            [
                "ALTER TABLE knowledge_article ALTER COLUMN search_vector SET STORAGE MAIN",
                "UPDATE knowledge_article SET search_vector = search_vector || ''::tsvector "
                "WHERE search_vector IS NOT NULL",
            ],
            "ALTER TABLE knowledge_article ALTER COLUMN search_vector SET STORAGE EXTENDED",
        ),
    ]
