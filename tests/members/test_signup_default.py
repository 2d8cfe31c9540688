"""The sign-up form's default profile type follows the network's spaces: a network of one
space (a caregivers' network) proposes that space's profile type, not "Patient"."""

import pytest

from tenant_apps.forums.models import Category
from tenant_apps.members.models import ProfileType, Space
from tenant_apps.members.signup import AccountSignupForm

pytestmark = pytest.mark.django_db

SIGNUP = "/comptes/signup/"


def only_space(slug: str) -> Space:
    """Leave the network with one space (rolled back after the test)."""
    others = Space.objects.exclude(slug=slug)
    Category.objects.filter(space__in=others).delete()
    others.delete()
    return Space.objects.get(slug=slug)


def test_with_several_spaces_no_profile_type_is_preselected(tenant):
    assert Space.objects.count() > 1
    assert AccountSignupForm().fields["profile_type"].initial is None


def test_a_network_of_caregivers_only_proposes_caregiver(tenant, client_for):
    only_space("proches-aidants")
    assert AccountSignupForm().fields["profile_type"].initial == ProfileType.CAREGIVER
    html = client_for(tenant).get(SIGNUP).content.decode()
    assert '<option value="caregiver" selected>' in html
    assert '<option value="patient" selected>' not in html


def test_the_one_space_s_first_profile_type_is_proposed(tenant):
    only_space("patients")
    assert AccountSignupForm().fields["profile_type"].initial == ProfileType.PATIENT


def test_a_one_space_network_without_audience_preselects_nothing(tenant):
    space = only_space("patients")
    Space.objects.filter(pk=space.pk).update(audience=[])
    assert AccountSignupForm().fields["profile_type"].initial is None
