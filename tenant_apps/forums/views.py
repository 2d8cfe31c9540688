"""Forum and group pages. Every page needs a signed-in active member of this network:
anything else, and anything out of the member's reach, is the same 404 as a missing page."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.http import local_path, posted
from core.throttle import RateLimited, throttle_hit
from tenant_apps.forums import fragments, selectors, services
from tenant_apps.forums.forms import (
    GroupProposeForm,
    GroupRefuseForm,
    PostEditForm,
    ReactionForm,
    ReadingPreferenceForm,
    ReplyForm,
    TopicForm,
)
from tenant_apps.forums.models import Group, GroupMembership, Post, Reaction
from tenant_apps.members.permissions import has_permission, member_required, permission_required
from tenant_apps.members.selectors import spaces_for
from tenant_apps.members.views import add_errors
from tenant_apps.moderation.cases import crisis_resources_list

CRISIS_FLAG = "forums_crisis"


def _int(value: str | None, default: int = 0) -> int:
    """A non-negative integer from the query string; anything else is a missing page."""
    if value in (None, ""):
        return default
    if not value.isdigit():
        raise Http404
    return int(value)


def _writing_error(form, error: ValidationError) -> None:
    """A service's refusal onto the form; identifying data brings up the confirmation."""
    if getattr(error, "code", None) == "identifying":
        form.ask_identifying()
    add_errors(form, error)


def _written_message(post: Post) -> str:
    if post.screening.held:
        return _("Your message is awaiting approval by a moderator.")
    return _("Your message is published.")


def _after_writing(request: HttpRequest, post: Post) -> None:
    if post.screening.held:
        messages.info(request, _written_message(post))
    else:
        messages.success(request, _written_message(post))
    if post.screening.crisis:
        request.session[CRISIS_FLAG] = True


def _topic_address(request: HttpRequest, topic_id: int) -> str | None:
    """The page of this topic the reader was on (its path and ``apres``, no anchor), from the
    form's ``next`` or htmx's current address; None when it is anything else."""
    candidate = request.POST.get("next") or (request.htmx.current_url_abs_path or "")
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return None
    parts = urlsplit(candidate)
    path = reverse("forums:topic", args=[topic_id])
    if parts.scheme or parts.netloc or parts.path != path:
        return None
    after = dict(pair.partition("=")[::2] for pair in parts.query.split("&") if pair).get("apres")
    return f"{path}?apres={after}" if after and after.isdigit() else path


def _landing(member, topic, post: Post) -> str:
    """Where a written post is read: the page that ends with it, anchored at it (the question
    stays above every page)."""
    after = selectors.page_ending_at(member=member, topic=topic, post=post)
    query = f"?apres={after}" if after else ""
    return f"{reverse('forums:topic', args=[topic.pk])}{query}#message-{post.pk}"


def _reader(member, topic, here: str) -> fragments.Reader:
    return fragments.Reader(
        member=member,
        is_moderator=selectors.is_moderator(member),
        can_reply=selectors.can_reply(member, topic),
        can_report=has_permission(member, "forums.post:report"),
        here=here,
    )


def _one_post(member, topic, post_id: int, here: str) -> Post:
    """The post as the topic page shows it to this reader (one query, fragments cached)."""
    shown = selectors.posts_page(member=member, topic=topic, after=post_id - 1, per_page=1).posts
    if not shown or shown[0].pk != post_id:
        raise Http404
    fragments.post_fragments(shown, topic=topic, reader=_reader(member, topic, here))
    return shown[0]


# --- Forums ----------------------------------------------------------------------------------


@member_required
def index(request: HttpRequest) -> HttpResponse:
    member = request.member
    return render(request, "forums/index.html", {"spaces": selectors.categories_index(member)})


@member_required
def category(request: HttpRequest, slug: str) -> HttpResponse:
    member = request.member
    found = selectors.access_category(member, slug)
    after = None
    if request.GET.get("apres"):
        try:
            after = selectors.Cursor.decode(request.GET["apres"])
        except (ValueError, OverflowError, OSError) as error:
            raise Http404 from error
    page = selectors.topics_page(member=member, category=found, after=after)
    return render(
        request,
        "forums/category.html",
        {"category": found, "page": page, "first_page": after is None},
    )


@permission_required("forums.topic:create")
def topic_new(request: HttpRequest, slug: str) -> HttpResponse:
    member = request.member
    found = selectors.access_category(member, slug)
    form = TopicForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            throttle_hit(action="forums.post", member_id=member.pk)
            topic = services.topic_create(
                author=member,
                category=found,
                title=data["title"],
                body=data["body"],
                warnings=data["warnings"],
                confirmed_identifying=data.get("confirm_identifying", False),
            )
        except ValidationError as error:
            _writing_error(form, error)
        except RateLimited as refusal:
            form.add_error(None, refusal.detail)
            status = 429
        else:
            _after_writing(request, topic.opening_post)
            return redirect("forums:topic", topic.pk)
    context = {"category": found, "form": form}
    return render(request, "forums/topic_new.html", context, status=status)


@member_required
def topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    member = request.member
    found = selectors.access_topic(member, topic_id)
    after = _int(request.GET.get("apres"))
    page = selectors.posts_page(member=member, topic=found, after=after)
    # A page after the first still opens with the question the topic asks.
    question = None
    if after:
        first = selectors.posts_page(member=member, topic=found, per_page=1).posts
        question = first[0] if first and first[0].is_opening else None
    can_reply = selectors.can_reply(member, found)
    is_moderator = selectors.is_moderator(member)
    can_report = has_permission(member, "forums.post:report")
    reader = fragments.Reader(
        member=member,
        is_moderator=is_moderator,
        can_reply=can_reply,
        can_report=can_report,
        # The page's address without ?citer=: where the controls' links come back to.
        here=reverse("forums:topic", args=[found.pk]) + (f"?apres={after}" if after else ""),
    )
    fragments.post_fragments(
        [question, *page.posts] if question else page.posts, topic=found, reader=reader
    )
    if page.posts and page.posts[-1].pk > found.read_up_to:
        services.topic_read_mark(member=member, topic=found, post_id=page.posts[-1].pk)
    initial = {}
    if request.GET.get("citer"):
        quoted = selectors.access_post(member, _int(request.GET["citer"]))
        if quoted.topic_id != found.pk or quoted.status != Post.Status.PUBLISHED:
            raise Http404
        initial["body"] = services.quote_text(quoted)
    return render(
        request,
        "forums/topic.html",
        {
            "topic": found,
            "page": page,
            "question": question,
            "form": ReplyForm(initial=initial) if can_reply else None,
            "warnings_version": selectors.content_warnings_version() if can_reply else "",
            "can_reply": can_reply,
            "is_moderator": is_moderator,
            "can_report": can_report,
            "member": member,
            "subscribed": found.subscribed,
            "crisis_resources": (
                crisis_resources_list() if request.session.pop(CRISIS_FLAG, False) else None
            ),
        },
    )


@permission_required("forums.post:create")
def reply(request: HttpRequest, topic_id: int) -> HttpResponse:
    member = request.member
    found = selectors.access_topic(member, topic_id)
    if not selectors.can_reply(member, found):
        raise Http404
    form = ReplyForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            throttle_hit(action="forums.post", member_id=member.pk)
            post = services.post_create(
                author=member,
                topic=found,
                body=data["body"],
                warnings=data["warnings"],
                confirmed_identifying=data.get("confirm_identifying", False),
            )
        except ValidationError as error:
            _writing_error(form, error)
        except RateLimited as refusal:
            form.add_error(None, refusal.detail)
            status = 429
        else:
            landing = _landing(member, found, post)
            if request.htmx and not post.screening.crisis:
                return _reply_appended(request, member, found, post)
            _after_writing(request, post)
            # A possible crisis loads the whole page, which shows the help lines first.
            return HttpResponseClientRedirect(landing) if request.htmx else redirect(landing)
    if request.htmx:
        return render(
            request,
            "forums/_reply_form.html",
            {"topic": found, "form": form, "warnings_version": "", "in_place": True},
            status=status,
        )
    return render(request, "forums/reply.html", {"topic": found, "form": form}, status=status)


def _reply_appended(request: HttpRequest, member, topic, post: Post) -> HttpResponse:
    """htmx's answer to a reply: the new message after the page's last one, an empty form and
    what happened, said to screen readers."""
    here = _topic_address(request, topic.pk) or reverse("forums:topic", args=[topic.pk])
    shown = _one_post(member, topic, post.pk, here)
    # Read up to one's own reply, as the page it would have loaded marks it.
    services.topic_read_mark(member=member, topic=topic, post_id=post.pk)
    return render(
        request,
        "forums/_reply_appended.html",
        {
            "topic": topic,
            "post": shown,
            "member": member,
            "form": ReplyForm(),
            "warnings_version": selectors.content_warnings_version(),
            "said": _written_message(post),
        },
    )


@permission_required("forums.post:create")
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    member = request.member
    post = selectors.access_post(member, post_id)
    if post.author_id != member.pk and not selectors.is_moderator(member):
        raise Http404
    form = PostEditForm(posted(request), initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            edited = services.post_edit(
                post=post,
                editor=member,
                body=form.cleaned_data["body"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error, default_field="body")
        else:
            messages.success(request, _("Your change is saved."))
            if edited.screening is not None and edited.screening.crisis:
                request.session[CRISIS_FLAG] = True
            return redirect(services.post_url(post))
    return render(request, "forums/post_edit.html", {"post": post, "form": form})


@member_required
def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    member = request.member
    post = selectors.access_post(member, post_id)
    if not selectors.can_see_history(member, post):
        raise Http404
    return render(
        request,
        "forums/post_history.html",
        {"post": post, "revisions": selectors.post_revisions(post)},
    )


@permission_required("forums.post:react")
@require_POST
def react(request: HttpRequest, post_id: int) -> HttpResponse:
    member = request.member
    post = selectors.access_post(member, post_id)
    form = ReactionForm(request.POST)
    said = _("This reaction is not available.")
    if form.is_valid() and post.status == Post.Status.PUBLISHED:
        kind, pressed = form.cleaned_data["chosen"], form.cleaned_data["pressed"]
        if pressed is None:
            pressed = services.reaction_toggle(member=member, post=post, kind=kind)
        else:
            services.reaction_set(member=member, post=post, kind=kind, pressed=pressed)
        label = Reaction.Kind(kind).label
        if pressed:
            said = _("Your reaction “%(label)s” is added.") % {"label": label}
        else:
            said = _("Your reaction “%(label)s” is removed.") % {"label": label}
    elif not request.htmx:
        messages.error(request, said)
    here = _topic_address(request, post.topic_id)
    if request.htmx:
        shown = _one_post(member, post.topic, post.pk, here or services.post_url(post))
        return render(request, "forums/_reacted.html", {"post": shown, "said": said})
    # Back to the page the reader was on, at the message: not a page without the question.
    if here is None:
        return redirect(services.post_url(post))
    return redirect(f"{here}#message-{post.pk}")


@member_required
@require_POST
def follow(request: HttpRequest, topic_id: int) -> HttpResponse:
    member = request.member
    found = selectors.access_topic(member, topic_id)
    following = request.POST.get("follow") != "0"
    if following:
        services.topic_follow(member=member, topic=found)
        said = _("You follow this topic: replies will be notified to you.")
    else:
        services.topic_unfollow(member=member, topic=found)
        said = _("You no longer follow this topic.")
    if request.htmx:
        return render(
            request,
            "forums/_follow_form.html",
            {"topic": found, "subscribed": following, "said": said},
        )
    messages.success(request, said)
    return redirect(_topic_address(request, found.pk) or reverse("forums:topic", args=[found.pk]))


@member_required
@require_POST
def topic_read(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Mark a topic read up to the message the list showed as its last (``post_id``)."""
    member = request.member
    found = selectors.access_topic(member, topic_id)
    post = selectors.access_post(member, _int(request.POST.get("post_id"), default=-1))
    if post.topic_id != found.pk:
        raise Http404
    services.topic_read_mark(member=member, topic=found, post_id=post.pk)
    said = _("Topic marked as read.")
    if request.htmx:
        return render(request, "forums/_topic_read.html", {"topic": found, "said": said})
    messages.success(request, said)
    back = local_path(request, request.POST.get("next"))
    if back:
        return redirect(f"{back.partition('#')[0]}#topic-{found.pk}")
    return redirect("forums:category", found.category.slug)


@member_required
def preferences(request: HttpRequest) -> HttpResponse:
    member = request.member
    current = selectors.reading_preference(member)
    initial = {"collapsed": list(current.collapsed_warnings.all()) if current.pk else []}
    form = ReadingPreferenceForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.reading_preference_set(member=member, collapsed=form.cleaned_data["collapsed"])
        messages.success(request, _("Your reading preferences are saved."))
        return redirect("forums:preferences")
    return render(request, "forums/preferences.html", {"form": form})


# --- Groups ----------------------------------------------------------------------------------


@member_required
def group_list(request: HttpRequest) -> HttpResponse:
    member = request.member
    return render(
        request,
        "forums/group_list.html",
        {
            "groups": selectors.groups_list(member),
            "can_decide": has_permission(member, "forums.group:decide"),
        },
    )


@permission_required("forums.group:propose")
def group_propose(request: HttpRequest) -> HttpResponse:
    member = request.member
    form = GroupProposeForm(posted(request), spaces=spaces_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            services.group_propose(proposer=member, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you: moderators will look at your proposal."))
            return redirect("forums:group_list")
    return render(request, "forums/group_propose.html", {"form": form})


@permission_required("forums.group:decide")
def group_pending(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "forums/group_pending.html",
        {"groups": selectors.groups_pending(), "refuse_form": GroupRefuseForm()},
    )


@permission_required("forums.group:decide")
@require_POST
def group_decide(request: HttpRequest, slug: str) -> HttpResponse:
    member = request.member
    group = selectors.access_group(member, slug)
    if group.status != Group.Status.PROPOSED:
        raise Http404
    if request.POST.get("decision") == "approve":
        services.group_approve(group=group, moderator=member)
        messages.success(request, _("The group is approved and its forum is open."))
        return redirect("forums:group_pending")
    form = GroupRefuseForm(request.POST)
    if form.is_valid():
        services.group_refuse(group=group, moderator=member, reason=form.cleaned_data["reason"])
        messages.success(request, _("The group is refused; its proposer is told why."))
        return redirect("forums:group_pending")
    return render(
        request,
        "forums/group_pending.html",
        {"groups": selectors.groups_pending(), "refuse_form": form, "refusing": group},
        status=400,
    )


@member_required
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    member = request.member
    group = selectors.access_group(member, slug)
    forum = page = None
    if group.status == Group.Status.APPROVED:
        forum = selectors.categories_visible(member).filter(group=group).first()
        if forum is not None:
            page = selectors.topics_page(member=member, category=forum)
    manages = selectors.is_group_moderator(member, group)
    return render(
        request,
        "forums/group_detail.html",
        {
            "group": group,
            "forum": forum,
            "page": page,
            "membership": selectors.membership_of(member, group),
            "manages": manages,
            "memberships": selectors.group_memberships(group) if manages else [],
        },
    )


@member_required
@require_POST
def group_join(request: HttpRequest, slug: str) -> HttpResponse:
    member = request.member
    group = selectors.access_group(member, slug)
    if group.status != Group.Status.APPROVED:
        raise Http404
    if request.POST.get("leave"):
        services.group_leave(member=member, group=group)
        messages.success(request, _("You left the group."))
    else:
        membership = services.group_join(member=member, group=group)
        if membership.status == GroupMembership.Status.PENDING:
            messages.success(request, _("Your request is sent to the group's moderators."))
        else:
            messages.success(request, _("You joined the group."))
    return redirect("forums:group_detail", group.slug)


@member_required
@require_POST
def group_request(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    member = request.member
    group = selectors.access_group(member, slug)
    if not selectors.is_group_moderator(member, group):
        raise Http404
    membership = selectors.access_membership(group, membership_id, GroupMembership.Status.PENDING)
    services.group_request_decide(
        membership=membership, decider=member, accept=request.POST.get("accept") == "1"
    )
    return redirect("forums:group_detail", group.slug)


@member_required
@require_POST
def group_moderator(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    member = request.member
    group = selectors.access_group(member, slug)
    if not selectors.is_group_moderator(member, group):
        raise Http404
    membership = selectors.access_membership(group, membership_id, GroupMembership.Status.MEMBER)
    services.group_moderator_name(group=group, member=membership.member, actor=member)
    messages.success(request, _("This member now moderates the group."))
    return redirect(reverse("forums:group_detail", args=[group.slug]))
