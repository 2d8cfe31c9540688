"""The network's home page, the followed discussions with news, and the legal notice.

The home sits above the feature apps (forums, knowledge, notifications) because it shows a
little of each; each section comes from a provider in ``home.sections``.
"""

from allauth.account.adapter import get_adapter
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tenant_apps.forums.selectors import Cursor
from tenant_apps.home import onboarding, sections, selectors
from tenant_apps.members import selectors as members
from tenant_apps.members.permissions import current_member, member_required

FOLLOWED_PER_PAGE = 25


def home(request: HttpRequest) -> HttpResponse:
    """A member's news since their previous visit and their places; for anyone else, what
    the network is, who runs it and how to join."""
    member = current_member(request.user)
    if member is not None:
        viewer = sections.Viewer(member=member, since=member.previous_visit)
        return render(
            request,
            "home/home.html",
            {
                "member": member,
                "viewer": viewer,
                "sections": sections.sections_for(viewer),
                # A new network's checklist, for its admins until it is done.
                "onboarding": onboarding.checklist_for(member),
            },
        )
    return render(
        request,
        "home/welcome.html",
        {
            "organization": getattr(request.tenant, "organization", None),
            "signup_open": get_adapter(request).is_open_for_signup(request),
            "spaces": members.spaces_list(),
            "charter": members.charter_current(),
        },
    )


@member_required
def followed(request: HttpRequest) -> HttpResponse:
    """Every followed discussion with messages the member has not read, by keyset."""
    after = None
    if request.GET.get("apres"):
        try:
            after = Cursor.decode(request.GET["apres"])
        except (ValueError, OverflowError, OSError) as error:
            raise Http404 from error
    page = selectors.followed_page(request.member, after=after, per_page=FOLLOWED_PER_PAGE)
    return render(request, "home/followed.html", {"page": page, "first_page": after is None})


def legal_notice(request: HttpRequest) -> HttpResponse:
    """The legal notice the association writes in its settings, open to everyone."""
    return render(
        request,
        "home/legal_notice.html",
        {"organization": getattr(request.tenant, "organization", None)},
    )
