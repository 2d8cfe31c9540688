"""Moderation pages: members' reports, the moderators' queue and actions, the admins'
moderation settings. Anything out of reach is the same 404 as a missing page."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reselect, reswap, retarget

from core.http import local_path, posted
from tenant_apps.forums import selectors as forums_selectors
from tenant_apps.forums.models import ContentWarning, Post
from tenant_apps.members import selectors as members_selectors
from tenant_apps.members.forms_admin import SuspendForm
from tenant_apps.members.permissions import has_permission, permission_required
from tenant_apps.members.views import add_errors
from tenant_apps.messaging.models import Message
from tenant_apps.moderation import selectors, services
from tenant_apps.moderation.forms import (
    ContentWarningForm,
    CrisisTermForm,
    OnDutyForm,
    PostEditForm,
    PremoderationForm,
    ReasonForm,
    ReportForm,
    TopicMoveForm,
    WarnForm,
    WatchedWordForm,
)
from tenant_apps.moderation.models import CrisisTerm, OnDuty, WatchedWord
from tenant_apps.social import services as social_services
from tenant_apps.social.models import Experience

QUEUE_PER_PAGE = 20
POST_ACTIONS = ("approve", "hide", "restore")

REPORT = "forums.post:report"
QUEUE = "moderation.queue:read"
MODERATE_POST = "moderation.post:moderate"
MODERATE_TOPIC = "forums.topic:moderate"
WARN = "moderation.member:warn"
SUSPEND = "moderation.member:suspend"
CONFIGURE = "moderation.settings:configure"


def _back(request: HttpRequest, default: str = "moderation:queue") -> HttpResponse:
    """Back where the moderator acted from (the queue or a topic page), never off-site."""
    target = local_path(request, request.POST.get("next") or request.GET.get("next"))
    return redirect(target or default)


def _next(request: HttpRequest) -> str:
    return request.POST.get("next") or request.GET.get("next") or ""


# --- Members report a post -------------------------------------------------------------------


def _report(request: HttpRequest, target) -> HttpResponse:
    shown = _shown(target)
    form = ReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                reporter=request.member,
                target=target,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return render(
                request,
                "moderation/report_done.html",
                {"post": target, "shown": shown, "url": shown.url},
            )
    return render(
        request,
        "moderation/report.html",
        {"post": target, "shown": shown, "form": form, "url": shown.url},
    )


@permission_required(REPORT)
def report(request: HttpRequest, post_id: int) -> HttpResponse:
    return _report(request, selectors.access_post_to_report(request.member, post_id))


@permission_required(REPORT)
def report_experience(request: HttpRequest, experience_id: int) -> HttpResponse:
    return _report(request, selectors.access_experience_to_report(request.member, experience_id))


@permission_required(REPORT)
def report_message(request: HttpRequest, message_id: int) -> HttpResponse:
    return _report(request, selectors.access_message_to_report(request.member, message_id))


@permission_required(REPORT)
def report_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _report(request, selectors.access_comment_to_report(request.member, comment_id))


# --- The queue -------------------------------------------------------------------------------


@permission_required(QUEUE)
def queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.queue_posts(), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.shown = _shown(item)
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "on_duty": selectors.is_on_duty(request.member),
            "can_configure": has_permission(request.member, CONFIGURE),
            "hide_form": ReasonForm(),
        },
    )


@permission_required(QUEUE)
@require_POST
def duty_toggle(request: HttpRequest) -> HttpResponse:
    on_duty = not selectors.is_on_duty(request.member)
    services.on_duty_set(actor=request.member, member=request.member, on_duty=on_duty)
    messages.success(
        request,
        _("You are on duty: crisis alerts will reach you by email.")
        if on_duty
        else _("You are no longer on duty."),
    )
    return redirect("moderation:queue")


# --- Actions on posts, experiences and comments ----------------------------------------------


@dataclass(frozen=True)
class Shown:
    """How the queue and the decision pages show a case's target, whatever its kind."""

    dom: str  # the case's element id in the queue: "post-12", "experience-3"…
    key: str  # in its other elements' ids: "12" for a post (as before), "experience-3"…
    title: str
    where: str
    url: str  # where members read it
    approve: str
    hide: str
    restore: str
    edit: str = ""  # moderators edit forum posts only


def _shown(target) -> Shown:
    if isinstance(target, Post):
        category = target.topic.category
        return Shown(
            dom=f"post-{target.pk}",
            key=str(target.pk),
            title=target.topic.title,
            where=f"{category.space.name} › {category.name}",
            url=services.post_url(target),
            approve=reverse("moderation:post_action", args=[target.pk, "approve"]),
            hide=reverse("moderation:post_action", args=[target.pk, "hide"]),
            restore=reverse("moderation:post_action", args=[target.pk, "restore"]),
            edit=reverse("moderation:post_edit", args=[target.pk]),
        )
    if isinstance(target, Experience):
        return Shown(
            dom=f"experience-{target.pk}",
            key=f"experience-{target.pk}",
            title=social_services.experience_title(target),
            where=str(target.get_audience_display()),
            url=services.target_url(target),
            approve=reverse("moderation:experience_action", args=[target.pk, "approve"]),
            hide=reverse("moderation:experience_action", args=[target.pk, "hide"]),
            restore=reverse("moderation:experience_action", args=[target.pk, "restore"]),
        )
    if isinstance(target, Message):
        # A private message alone: no title, no place, no link a moderator could open.
        return Shown(
            dom=f"message-{target.pk}",
            key=f"message-{target.pk}",
            title=str(_("A private message")),
            where=str(_("Private message")),
            url=services.target_url(target),
            approve=reverse("moderation:message_action", args=[target.pk, "approve"]),
            hide=reverse("moderation:message_action", args=[target.pk, "hide"]),
            restore=reverse("moderation:message_action", args=[target.pk, "restore"]),
        )
    return Shown(
        dom=f"comment-{target.pk}",
        key=f"comment-{target.pk}",
        title=social_services.experience_title(target.experience),
        where=str(_("Comment on an experience")),
        url=services.target_url(target),
        approve=reverse("moderation:comment_action", args=[target.pk, "approve"]),
        hide=reverse("moderation:comment_action", args=[target.pk, "hide"]),
        restore=reverse("moderation:comment_action", args=[target.pk, "restore"]),
    )


def _case_done(request: HttpRequest, target, said: str, *, undo: str = "") -> HttpResponse:
    """htmx's answer to an action on a case of the queue: in the case's place, what was done
    and its undoing where there is one; the focus goes on to the next case."""
    return render(
        request,
        "moderation/_case_done.html",
        {
            "post": target,
            "shown": _shown(target),
            "said": said,
            "undo": undo,
            "undoing": request.POST.get("undo") == "1",
        },
    )


def _decide(request: HttpRequest, target, action: str) -> HttpResponse:
    """Approve, hide (with a reason) or restore a post, an experience or a comment."""
    if action == "hide":
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.content_hide(
                    moderator=request.member, target=target, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                said = _("The message is hidden; its author is told why.")
                if request.htmx:
                    return _case_done(request, target, said, undo="restore")
                messages.success(request, said)
                return _back(request)
        response = render(
            request,
            "moderation/post_hide.html",
            {"post": target, "shown": _shown(target), "form": form, "next": _next(request)},
        )
        if request.htmx:
            # The page with the form's errors in place of the queue (the address stays).
            response = retarget(reswap(reselect(response, "#main"), "outerHTML"), "#main")
        return response
    service = services.content_approve if action == "approve" else services.content_restore
    try:
        service(moderator=request.member, target=target)
    except ValidationError as error:
        # Already done (a double submit, or another moderator): said, nothing changes.
        if request.htmx:
            return _case_done(request, target, " ".join(error.messages))
        for message in error.messages:
            messages.error(request, message)
    else:
        said = (
            _("The message is approved.") if action == "approve" else _("The message is restored.")
        )
        if request.htmx:
            return _case_done(request, target, said)
        messages.success(request, said)
    return _back(request)


@permission_required(MODERATE_POST)
@require_POST
def post_action(request: HttpRequest, post_id: int, action: str) -> HttpResponse:
    if action not in POST_ACTIONS:
        raise Http404
    return _decide(request, selectors.access_post_to_moderate(request.member, post_id), action)


@permission_required(MODERATE_POST)
@require_POST
def experience_action(request: HttpRequest, experience_id: int, action: str) -> HttpResponse:
    if action not in POST_ACTIONS:
        raise Http404
    target = selectors.access_experience_to_moderate(request.member, experience_id)
    return _decide(request, target, action)


@permission_required(MODERATE_POST)
@require_POST
def comment_action(request: HttpRequest, comment_id: int, action: str) -> HttpResponse:
    if action not in POST_ACTIONS:
        raise Http404
    target = selectors.access_comment_to_moderate(request.member, comment_id)
    return _decide(request, target, action)


@permission_required(MODERATE_POST)
@require_POST
def message_action(request: HttpRequest, message_id: int, action: str) -> HttpResponse:
    if action not in POST_ACTIONS:
        raise Http404
    target = selectors.access_message_to_moderate(request.member, message_id)
    return _decide(request, target, action)


@permission_required(MODERATE_POST)
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.access_post_to_moderate(request.member, post_id)
    form = PostEditForm(posted(request), initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_moderator_edit(
                moderator=request.member,
                post=post,
                body=form.cleaned_data["body"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error, default_field="body")
        else:
            messages.success(request, _("The message is edited; its author is told why."))
            return _back(request)
    return render(
        request, "moderation/post_edit.html", {"post": post, "form": form, "next": _next(request)}
    )


# --- Actions on topics -----------------------------------------------------------------------


@permission_required(MODERATE_TOPIC)
@require_POST
def topic_action(request: HttpRequest, topic_id: int, action: str) -> HttpResponse:
    if action not in services.TOPIC_ACTIONS:
        raise Http404
    topic = selectors.access_topic_to_moderate(request.member, topic_id)
    services.topic_moderate(moderator=request.member, topic=topic, action=action)
    done = {
        "lock": _("The topic is locked."),
        "unlock": _("The topic is unlocked."),
        "pin": _("The topic is pinned."),
        "unpin": _("The topic is unpinned."),
    }
    messages.success(request, done[action])
    return _back(request)


@permission_required(MODERATE_TOPIC)
def topic_move(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = selectors.access_topic_to_moderate(request.member, topic_id)
    form = TopicMoveForm(
        posted(request),
        categories=selectors.categories_for_move(),
        initial={"category": topic.category_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_move(
                moderator=request.member, topic=topic, category=form.cleaned_data["category"]
            )
        except ValidationError as error:
            add_errors(form, error, default_field="category")
        else:
            messages.success(request, _("The topic is moved."))
            return _back(request)
    return render(
        request,
        "moderation/topic_move.html",
        {"topic": topic, "form": form, "next": _next(request)},
    )


# --- Actions on members ----------------------------------------------------------------------


@permission_required(WARN)
def member_warn(request: HttpRequest, pseudonym: str) -> HttpResponse:
    target = selectors.access_member_to_moderate(request.member, WARN, pseudonym)
    form = WarnForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_warn(
                moderator=request.member, member=target, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is warned.") % {"name": target.display_name})
            return _back(request)
    return render(
        request,
        "moderation/member_warn.html",
        {"target": target, "form": form, "next": _next(request)},
    )


@permission_required(SUSPEND)
def member_suspend(request: HttpRequest, pseudonym: str) -> HttpResponse:
    target = selectors.access_member_to_moderate(request.member, SUSPEND, pseudonym)
    form = SuspendForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_suspend(
                moderator=request.member,
                member=target,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is suspended and signed out.") % {"name": target.display_name}
            )
            return _back(request)
    return render(
        request,
        "moderation/member_suspend.html",
        {"target": target, "form": form, "next": _next(request)},
    )


# --- Settings (admins) -----------------------------------------------------------------------


@permission_required(CONFIGURE)
def settings_page(request: HttpRequest) -> HttpResponse:
    return _settings_page(request)


def _settings_page(request: HttpRequest, *forms) -> HttpResponse:
    given = {form.prefix: form for form in forms}
    staff = members_selectors.staff_members()
    return render(
        request,
        "moderation/settings.html",
        {
            "words": selectors.watched_words(),
            "terms": selectors.crisis_terms(),
            "warnings": forums_selectors.content_warnings(),
            "on_duty": selectors.on_duty_list(),
            "word_form": given.get("word") or WatchedWordForm(prefix="word"),
            "term_form": given.get("term") or CrisisTermForm(prefix="term"),
            "warning_form": given.get("warning") or ContentWarningForm(prefix="warning"),
            "premoderation_form": given.get("premoderation")
            or PremoderationForm(
                prefix="premoderation",
                initial={"premoderated_posts": selectors.moderation_settings().premoderated_posts},
            ),
            "duty_form": given.get("duty") or OnDutyForm(prefix="duty", staff=staff),
        },
    )


def _saved(request: HttpRequest, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("moderation:settings") + f"#{anchor}")


@permission_required(CONFIGURE)
@require_POST
def word_add(request: HttpRequest) -> HttpResponse:
    form = WatchedWordForm(request.POST, prefix="word")
    if form.is_valid():
        try:
            services.watched_word_add(actor=request.member, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("The word is watched."), "words")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def word_remove(request: HttpRequest, pk: int) -> HttpResponse:
    services.watched_word_remove(actor=request.member, word=get_object_or_404(WatchedWord, pk=pk))
    return _saved(request, _("The word is no longer watched."), "words")


@permission_required(CONFIGURE)
@require_POST
def term_add(request: HttpRequest) -> HttpResponse:
    form = CrisisTermForm(request.POST, prefix="term")
    if form.is_valid():
        try:
            services.crisis_term_add(actor=request.member, phrase=form.cleaned_data["phrase"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("The crisis term is added."), "terms")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def term_remove(request: HttpRequest, pk: int) -> HttpResponse:
    services.crisis_term_remove(actor=request.member, term=get_object_or_404(CrisisTerm, pk=pk))
    return _saved(request, _("The crisis term is removed."), "terms")


@permission_required(CONFIGURE)
@require_POST
def warning_add(request: HttpRequest) -> HttpResponse:
    form = ContentWarningForm(request.POST, prefix="warning")
    if form.is_valid():
        try:
            services.content_warning_add(actor=request.member, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("The content warning is added."), "warnings")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def warning_remove(request: HttpRequest, pk: int) -> HttpResponse:
    services.content_warning_remove(
        actor=request.member, warning=get_object_or_404(ContentWarning, pk=pk)
    )
    return _saved(request, _("The content warning is removed."), "warnings")


@permission_required(CONFIGURE)
@require_POST
def premoderation(request: HttpRequest) -> HttpResponse:
    form = PremoderationForm(request.POST, prefix="premoderation")
    if form.is_valid():
        try:
            services.moderation_settings_update(
                actor=request.member, premoderated_posts=form.cleaned_data["premoderated_posts"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("The pre-moderation is saved."), "premoderation")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def duty_add(request: HttpRequest) -> HttpResponse:
    form = OnDutyForm(request.POST, prefix="duty", staff=members_selectors.staff_members())
    if form.is_valid():
        try:
            services.on_duty_set(
                actor=request.member, member=form.cleaned_data["member"], on_duty=True
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("The moderator is on duty."), "duty")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def duty_remove(request: HttpRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(OnDuty.objects.select_related("member"), pk=pk)
    services.on_duty_set(actor=request.member, member=duty.member, on_duty=False)
    return _saved(request, _("The moderator is no longer on duty."), "duty")
