from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from procrastinate.contrib.django import app

from core.emails import network_email
from core.jobs import defer_for_every_network, tenant_job
from tenant_apps.knowledge import services
from tenants.links import tenant_base_url


@tenant_job()
def review_due_alert() -> None:
    """Email the editors the articles whose review date has passed; each article once."""
    articles = services.review_due_articles()
    if not articles:
        return
    editors = [m for m in services.editors_to_alert() if m.user.email]
    tenant = connection.tenant
    base = tenant_base_url(tenant)
    with translation.override("fr"):
        context = {
            "network": tenant.branding.display_name,
            "articles": [
                {
                    "title": article.title,
                    "due": article.next_review_on,
                    "url": base
                    + reverse("knowledge:edit", urlconf="config.urls_tenant", args=[article.pk]),
                }
                for article in articles
            ],
        }
        subject = render_to_string("knowledge/email/review_due_subject.txt", context).strip()
        body = render_to_string("knowledge/email/review_due.txt", context)
    # One message per editor: addresses are never shown to one another.
    for editor in editors:
        network_email(subject=subject, body=body, to=[editor.user.email], tenant=tenant).send()
    services.review_due_mark_alerted(article_ids=[article.pk for article in articles])


@app.periodic(cron="41 6 * * *")
@app.task(name="knowledge.review_due_sweep", queue="default")
def review_due_sweep(timestamp: int) -> None:
    """Every morning: one review-due job per active network, each inside its own tenant."""
    defer_for_every_network(review_due_alert)
