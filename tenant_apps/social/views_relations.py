"""Pages of the relations between members: a member's social profile, follow and block
buttons, my followers, whom I follow, whom I blocked, "people like me" and the feed.

Every page needs a signed-in active member of this network. A member hidden by a block
(either way), suspended or erased answers the same 404 as one who does not exist.
"""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from tenant_apps.members.models import Member
from tenant_apps.members.permissions import member_required
from tenant_apps.members.selectors import access_member, visible_profile
from tenant_apps.social import feed as social_feed
from tenant_apps.social import matching, relations
from tenant_apps.social.models import Block, Follow
from tenant_apps.social.selectors import experiences_page

PER_PAGE = 30
PROFILE_EXPERIENCES = 5


def noindex(view: Callable) -> Callable:
    """Nothing of the social layer is for search engines (signed-out visitors are already
    sent to sign in by the members' middleware)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def cursor(value: str | None) -> int | None:
    """A keyset cursor (an id) from the query string; anything else is a missing page."""
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 19:
        raise Http404
    return int(value)


def access_social_member(viewer: Member, pseudonym: str) -> Member:
    """An active member of this network, unless a block hides them from ``viewer`` (either
    way): the same 404 as for a pseudonym nobody has."""
    member = access_member(viewer, pseudonym)
    if relations.is_blocked(viewer, member):
        raise Http404
    return member


def _page(rows: list, size: int) -> tuple[list, int | None]:
    """The first ``size`` rows, and the cursor of the next page when there is one."""
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, rows[-1].pk


@noindex
@member_required
def profile(request: HttpRequest, pseudonym: str) -> HttpResponse:
    viewer = request.member
    member = access_social_member(viewer, pseudonym)
    # What they shared that I may read (social.access), newest first.
    shared, more = experiences_page(viewer, where=Q(author=member), size=PROFILE_EXPERIENCES)
    return render(
        request,
        "social/profile.html",
        {
            "profile_member": member,
            "experiences": shared,
            "more_experiences": more is not None,
            "fields": visible_profile(viewer, member),
            "itself": member.pk == viewer.pk,
            "following": relations.follows(viewer, member),
            "counts": relations.relation_counts(member),
            "site_section": "community",
        },
    )


@noindex
@member_required
@require_POST
def follow(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """Follow (``follow=1``, the default) or stop following (``follow=0``)."""
    viewer = request.member
    member = access_social_member(viewer, pseudonym)
    following = request.POST.get("follow") != "0"
    try:
        if following:
            relations.follow_create(follower=viewer, followed=member)
            said = _("You follow %(name)s.") % {"name": member.display_name}
        else:
            relations.follow_delete(follower=viewer, followed=member)
            said = _("You no longer follow %(name)s.") % {"name": member.display_name}
    except ValidationError as error:  # oneself
        raise Http404 from error
    if request.htmx:
        return render(
            request,
            "social/_follow_form.html",
            {"profile_member": member, "following": following, "said": said},
        )
    messages.success(request, said)
    return redirect("relations:profile", pseudonym=member.user.username)


@noindex
@member_required
@require_POST
def block(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """Block a member in one click: they disappear from my pages, I from theirs. A second
    submit finds them blocked already and answers as the first."""
    viewer = request.member
    member = access_member(viewer, pseudonym)
    if not relations.has_blocked(viewer, member) and relations.is_blocked(viewer, member):
        raise Http404  # they blocked me: the same as nobody
    try:
        relations.block_create(blocker=viewer, blocked=member)
    except ValidationError as error:  # oneself
        raise Http404 from error
    messages.success(
        request,
        _("You blocked %(name)s. Neither of you sees the other any more; they are not told.")
        % {"name": member.display_name},
    )
    target = reverse("relations:blocked")
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


@noindex
@member_required
@require_POST
def unblock(request: HttpRequest, pseudonym: str) -> HttpResponse:
    viewer = request.member
    if "\x00" in pseudonym:  # never in a pseudonym, refused by PostgreSQL
        raise Http404
    found = (
        Block.objects.filter(blocker=viewer, blocked__user__username=pseudonym)
        .select_related("blocked__user")
        .first()
    )
    if found is None:
        raise Http404
    relations.block_delete(blocker=viewer, blocked=found.blocked)
    messages.success(request, _("You unblocked %(name)s.") % {"name": found.blocked.display_name})
    return redirect("relations:blocked")


@noindex
@member_required
@require_POST
def follower_remove(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """Remove a member from my followers (they are not told)."""
    viewer = request.member
    found = (
        Follow.objects.filter(followed=viewer, follower__user__username=pseudonym)
        .select_related("follower__user")
        .first()
    )
    if found is None:
        raise Http404
    relations.follower_remove(member=viewer, follower=found.follower)
    messages.success(
        request,
        _("%(name)s no longer follows you.") % {"name": found.follower.display_name},
    )
    return redirect("relations:followers")


def _relation_list(request: HttpRequest, page_of, template: str) -> HttpResponse:
    """One of my relation lists (followers, whom I follow, whom I blocked), by keyset."""
    after = cursor(request.GET.get("avant"))
    rows, next_cursor = _page(page_of(request.member, after=after, size=PER_PAGE + 1), PER_PAGE)
    return render(
        request,
        template,
        {
            "rows": rows,
            "next_cursor": next_cursor,
            "first_page": after is None,
            "site_section": "community",
        },
    )


@noindex
@member_required
def followers(request: HttpRequest) -> HttpResponse:
    return _relation_list(request, relations.followers_page, "social/followers.html")


@noindex
@member_required
def following(request: HttpRequest) -> HttpResponse:
    return _relation_list(request, relations.following_page, "social/following.html")


@noindex
@member_required
def blocked(request: HttpRequest) -> HttpResponse:
    return _relation_list(request, relations.blocks_page, "social/blocked.html")


class MatchingForm(forms.Form):
    matching = forms.BooleanField(
        label=gettext_lazy("Suggest me to members who live the same thing"),
        help_text=gettext_lazy(
            "Only members who share one of your pathologies and chose this too see your "
            "pseudonym and the pathologies you share. You can stop at any time."
        ),
        required=False,
    )
    matching_same_region = forms.BooleanField(
        label=gettext_lazy("Only with members of my région"),
        help_text=gettext_lazy(
            "Your région is used, and shown, only with members who chose this too."
        ),
        required=False,
    )


@noindex
@member_required
def matching_page(request: HttpRequest) -> HttpResponse:
    """Opt in or out of "people like me", and the suggestions when there are enough."""
    member = request.member
    chosen = matching.settings_of(member)
    form = MatchingForm(
        request.POST if request.method == "POST" else None,
        initial={
            "matching": chosen.matching,
            "matching_same_region": chosen.matching_same_region,
        },
    )
    if request.method == "POST" and form.is_valid():
        matching.matching_settings_update(member=member, **form.cleaned_data)
        if form.cleaned_data["matching"]:
            messages.success(request, _("Your choice is saved: you may be suggested."))
        else:
            messages.success(request, _("Your choice is saved: you are suggested to nobody."))
        return redirect("relations:matching")
    return render(
        request,
        "social/matching.html",
        {
            "form": form,
            "suggestions": matching.suggestions_for(member),
            "minimum": matching.MINIMUM,
            "site_section": "community",
        },
    )


@noindex
@member_required
def feed(request: HttpRequest) -> HttpResponse:
    """What the people and topics I follow published, and what the association pins."""
    page = social_feed.feed_page(request.member, before=request.GET.get("avant") or None)
    return render(
        request,
        "social/feed.html",
        {"page": page, "first_page": not request.GET.get("avant"), "site_section": "community"},
    )
