"""Pages of the knowledge base (/ressources/) and of the search (/recherche/).

Everything is for signed-in members of this network; what is out of a member's reach
answers the same 404 as what does not exist.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import posted
from tenant_apps.forums.services import post_url
from tenant_apps.knowledge import roles, selectors, services
from tenant_apps.knowledge.forms import (
    AnswerForm,
    ArticleCardForm,
    ArticleForm,
    EditorialRoleForm,
    PublishForm,
    QuestionForm,
    SearchForm,
    SourceFormSet,
    sources_initial,
)
from tenant_apps.knowledge.models import Article, EditorialRole
from tenant_apps.members.permissions import (
    has_permission,
    member_required,
    permission_required,
)
from tenant_apps.members.views import add_errors

ARTICLES_PER_PAGE = 20


signed_in = member_required
editorial = permission_required("knowledge.article:read_unpublished")
writer = permission_required("knowledge.article:write")
reviewer = permission_required("knowledge.article:review")
answerer = permission_required("knowledge.question:answer")
role_manager = permission_required("members.member:manage")
asker = permission_required("knowledge.question:ask")
moderator = permission_required("forums.topic:moderate")


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


# --- reading ---------------------------------------------------------------------------------


@signed_in
def index(request: HttpRequest) -> HttpResponse:
    categories = selectors.categories_list()
    chosen = next((c for c in categories if c.slug == request.GET.get("theme")), None)
    paginator = Paginator(
        selectors.articles_for(request.member, category=chosen), ARTICLES_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/index.html",
        {
            "page": page,
            "categories": categories,
            "chosen": chosen,
            "is_editorial": roles.is_editorial(request.member),
        },
    )


@signed_in
def article(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_article(request.member, pk)
    return render(
        request,
        "knowledge/article.html",
        {
            "article": found,
            "can_write": roles.can_write(request.member),
            "can_review": roles.can_review(request.member),
            "publish_form": PublishForm(),
        },
    )


# --- writing ---------------------------------------------------------------------------------


@editorial
def manage(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Article.Status.values:
        status = ""
    paginator = Paginator(selectors.articles_for_editors(status=status), ARTICLES_PER_PAGE)
    return render(
        request,
        "knowledge/manage.html",
        {
            "page": paginator.get_page(request.GET.get("page")),
            "statuses": Article.Status.choices,
            "status": status,
            "can_write": roles.can_write(request.member),
            "can_manage_team": has_permission(request.member, "members.member:manage"),
        },
    )


def _article_form(request: HttpRequest, found: Article | None) -> HttpResponse:
    if request.method == "POST":
        form = ArticleForm(request.POST)
        sources = SourceFormSet(request.POST, prefix="sources")
    else:
        form = ArticleForm(initial=ArticleForm.initial_for(found) if found else None)
        sources = SourceFormSet(initial=sources_initial(found) if found else None, prefix="sources")
    if request.method == "POST" and form.is_valid() and sources.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "categories": list(data["categories"]),
            "tags": form.tag_names(),
            "space": data["space"],
            "training": data["training"],
            "sources": [s for s in (f.data_or_none() for f in sources.forms) if s is not None],
        }
        try:
            if found is None:
                found = services.article_create(author=request.member, **fields)
            else:
                services.article_update(article=found, by=request.member, **fields)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The article is saved."))
            return redirect("knowledge:article", pk=found.pk)
    return render(
        request, "knowledge/article_form.html", {"form": form, "sources": sources, "article": found}
    )


@writer
def create(request: HttpRequest) -> HttpResponse:
    return _article_form(request, None)


@writer
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _article_form(request, selectors.access_article(request.member, pk))


WORKFLOW: dict[str, tuple[Callable, Callable]] = {
    "submit": (roles.can_write, lambda a, m, f: services.article_submit(article=a, by=m)),
    "send_back": (roles.can_review, lambda a, m, f: services.article_send_back(article=a, by=m)),
    "archive": (roles.can_write, lambda a, m, f: services.article_archive(article=a, by=m)),
    "reopen": (roles.can_write, lambda a, m, f: services.article_reopen(article=a, by=m)),
    "publish": (
        roles.can_review,
        lambda a, m, f: services.article_publish(
            article=a, reviewer=m, next_review_on=f.cleaned_data["next_review_on"]
        ),
    ),
}


@editorial
@require_POST
def workflow(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_article(request.member, pk)
    allowed, action = WORKFLOW.get(request.POST.get("action", ""), (None, None))
    if allowed is None or not allowed(request.member):
        raise Http404
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("knowledge:article", pk=found.pk)
    try:
        action(found, request.member, form)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The article's status is changed."))
    return redirect("knowledge:article", pk=found.pk)


@editorial
def history(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_article(request.member, pk)
    return render(
        request,
        "knowledge/history.html",
        {
            "article": found,
            "versions": selectors.versions_of(found),
            "can_write": roles.can_write(request.member),
        },
    )


@editorial
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    found = selectors.access_article(request.member, pk)
    shown = selectors.access_version(found, number)
    return render(
        request,
        "knowledge/version.html",
        {"article": found, "version": shown, "can_write": roles.can_write(request.member)},
    )


@writer
@require_POST
def restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    found = selectors.access_article(request.member, pk)
    shown = selectors.access_version(found, number)
    try:
        services.article_restore(article=found, version=shown, by=request.member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("knowledge:history", pk=found.pk)
    messages.success(request, _("The earlier version is restored."))
    return redirect("knowledge:article", pk=found.pk)


# --- editorial team --------------------------------------------------------------------------


@role_manager
def team(request: HttpRequest) -> HttpResponse:
    form = EditorialRoleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.editorial_role_grant(
                member=form.cleaned_data["pseudonym"],
                kind=form.cleaned_data["kind"],
                actor=request.member,
            )
        except ValidationError as error:
            add_errors(form, error, default_field="pseudonym")
        else:
            messages.success(request, _("The role is given."))
            return redirect("knowledge:team")
    return render(
        request, "knowledge/team.html", {"form": form, "roles": selectors.editorial_roles()}
    )


@role_manager
@require_POST
def team_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    role = EditorialRole.objects.filter(pk=pk).select_related("member").first()
    if role is None:
        raise Http404
    services.editorial_role_revoke(member=role.member, kind=role.kind, actor=request.member)
    messages.success(request, _("The role is taken back."))
    return redirect("knowledge:team")


# --- questions -------------------------------------------------------------------------------


@asker
def question_ask(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(posted(request), initial={"text": request.GET.get("q", "")[:2000]})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_ask(
                asker=request.member,
                text=form.cleaned_data["text"],
                category=form.cleaned_data["category"],
            )
        except ValidationError as error:
            add_errors(form, error, default_field="text")
        else:
            messages.success(request, _("Your question is sent to the association. Thank you."))
            return redirect("knowledge:index")
    return render(request, "knowledge/question_ask.html", {"form": form})


@answerer
def questions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/questions.html",
        {
            "themes": selectors.questions_by_theme(),
            "missed": selectors.missed_searches(),
            "articles": list(selectors.published_articles_choice(request.member)),
        },
    )


@answerer
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.access_open_question(pk)
    form = AnswerForm(request.POST, articles=selectors.published_articles_choice(request.member))
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("knowledge:questions")
    try:
        services.question_answer(
            question=question, article=form.cleaned_data["article"], by=request.member
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The member is told about the article."))
    return redirect("knowledge:questions")


@answerer
@require_POST
def theme_webinar(request: HttpRequest, pk: int) -> HttpResponse:
    services.theme_mark_for_webinar(category=selectors.access_category(pk), by=request.member)
    messages.success(request, _("The theme is kept for a future webinar."))
    return redirect("knowledge:questions")


# --- forums ----------------------------------------------------------------------------------


@moderator
def reply(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = selectors.access_topic_for_moderator(request.member, topic_id)
    form = ArticleCardForm(
        posted(request), articles=selectors.published_articles_choice(request.member)
    )
    if request.method == "POST" and form.is_valid():
        try:
            post = services.article_card_reply(
                topic=topic,
                article=form.cleaned_data["article"],
                moderator=request.member,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_errors(form, error, default_field="article")
        else:
            messages.success(request, _("Your reply with the article is published."))
            return redirect(post_url(post))
    return render(request, "knowledge/reply.html", {"form": form, "topic": topic})


# --- search ----------------------------------------------------------------------------------


@signed_in
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    result = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        result = selectors.search(
            member=request.member,
            text=data["q"],
            kind=data["type"],
            category=data["category"],
            page=data["page"] or 1,
        )
        if result.total == 0 and result.page == 1 and not data["type"] and not data["category"]:
            services.missed_search_record(query=data["q"])
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    base = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "knowledge/search.html",
        {
            "form": form,
            "result": result,
            "page_base": urlencode(base),
            "ask_url": reverse("knowledge:question_ask") + "?" + urlencode({"q": query})
            if query
            else reverse("knowledge:question_ask"),
        },
    )
