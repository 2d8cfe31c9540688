"""A member's social data, for their export and their erasure (see core.hooks): their
experiences, comments and reactions, whom they follow and block, and their choices."""

from django.db.models import Q

from tenant_apps.members.models import Member
from tenant_apps.social.models import (
    Block,
    Experience,
    ExperienceComment,
    ExperienceReaction,
    Follow,
    SocialSettings,
)
from tenant_apps.social.services import experience_counts_recount


def export(*, member: Member) -> dict:
    """What the member published and commented, and how they reacted. Another's experience
    they commented is named by id only, and only while they may still read it (access)."""
    comments = list(ExperienceComment.objects.filter(author=member).order_by("id"))
    readable = set(
        Experience.objects.visible_to(member)
        .filter(pk__in={c.experience_id for c in comments})
        .values_list("pk", flat=True)
    )
    return {
        "experiences": [
            {
                "id": e.pk,
                "body": e.body,
                "audience": e.audience,
                "status": e.status,
                "content_warnings": list(e.warning_names),
                "image_description": e.image_alt,
                "has_image": bool(e.image),
                "created": e.created.isoformat(),
                "edited": e.edited.isoformat() if e.edited else None,
            }
            for e in Experience.objects.filter(author=member).order_by("id")
        ],
        "experience_comments": [
            {
                "id": c.pk,
                "experience": c.experience_id if c.experience_id in readable else None,
                "body": c.body,
                "status": c.status,
                "created": c.created.isoformat(),
            }
            for c in comments
        ],
        "following": [
            f.followed.display_name
            for f in Follow.objects.filter(follower=member).select_related("followed__user")
        ],
        "followers": Follow.objects.filter(followed=member).count(),
        "blocked": [
            b.blocked.display_name
            for b in Block.objects.filter(blocker=member).select_related("blocked__user")
        ],
        "social_settings": [
            {
                "matching": s.matching,
                "matching_same_region": s.matching_same_region,
                "first_contact": s.first_contact,
            }
            for s in SocialSettings.objects.filter(member=member)
        ],
        "experience_reactions": [
            {"experience": r["experience_id"], "kind": r["kind"]}
            for r in ExperienceReaction.objects.filter(member=member)
            .filter(experience__in=Experience.objects.visible_to(member))
            .values("experience_id", "kind")
            .order_by("id")
        ],
    }


def erase(*, member: Member, delete_content: bool) -> None:
    """Forget the member's reactions, follows (both ways), blocks (both ways) and choices;
    with ``delete_content``, their experiences (images included) and comments too.
    Otherwise what they wrote stays, signed "Membre supprimé"."""
    reacted = set(
        ExperienceReaction.objects.filter(member=member).values_list("experience_id", flat=True)
    )
    ExperienceReaction.objects.filter(member=member).delete()
    Follow.objects.filter(Q(follower=member) | Q(followed=member)).delete()
    Block.objects.filter(Q(blocker=member) | Q(blocked=member)).delete()
    SocialSettings.objects.filter(member=member).delete()
    if delete_content:
        commented = set(
            ExperienceComment.objects.filter(author=member).values_list("experience_id", flat=True)
        )
        ExperienceComment.objects.filter(author=member).delete()
        for experience in Experience.objects.filter(author=member).exclude(image=""):
            experience.image.delete(save=False)
        Experience.objects.filter(author=member).delete()
        reacted |= commented
    experience_counts_recount(experience_ids=reacted)
