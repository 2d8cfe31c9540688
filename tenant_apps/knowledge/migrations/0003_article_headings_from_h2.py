"""Articles' headings start at h2 under the page's h1, one level at a time
(core.markup.render_markdown(top_heading=2)): the HTML of every existing article is rendered
again from its Markdown."""

from django.db import migrations

from core.markup import render_markdown


def render_again(apps, schema_editor):
    Article = apps.get_model("knowledge", "Article")
    for article in Article.objects.only("pk", "body").iterator():
        Article.objects.filter(pk=article.pk).update(
            body_html=str(render_markdown(article.body, top_heading=2))
        )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_article_search_vector_storage")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop)]
