"""The directory's filters as GET parameters, shared by the pages, the export and the API:
``?q=…&kind=initiative&pathology=<slug>&region=53&department=29&form=…&carrier=…&format=…
&theme=<slug>``, each but ``q`` repeatable. Unknown values are dropped, never an error: a
filter link from an old page still lists something."""

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict

from core import geo
from shared_apps.directory.models import Initiative
from shared_apps.directory.selectors import KINDS, Filters

QUERY_LENGTH = 200
# GET parameter → Filters field.
PARAMETERS = {
    "kind": "kinds",
    "pathology": "pathologies",
    "region": "regions",
    "department": "departments",
    "form": "forms",
    "carrier": "carriers",
    "format": "formats",
    "theme": "themes",
}
_SLUG_LENGTH = 60


def _known(name: str, value: str) -> bool:
    if name == "kinds":
        return value in KINDS
    if name == "regions":
        return value in geo.REGIONS
    if name == "departments":
        return value in geo.DEPARTMENT_REGION
    if name == "forms":
        return value in Initiative.Form.values
    if name == "carriers":
        return value in Initiative.Carrier.values
    # Slugs and event formats: checked by the query itself (an unknown one matches nothing).
    return 0 < len(value) <= _SLUG_LENGTH and value.replace("-", "").replace("_", "").isalnum()


def _values(data: Mapping[str, Any], parameter: str) -> list[str]:
    if isinstance(data, QueryDict):
        return data.getlist(parameter)
    value = data.get(parameter)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def filters_from(data: Mapping[str, Any]) -> Filters:
    """The filters a query string asks for (``request.GET``), cleaned."""
    fields: dict[str, Any] = {}
    for parameter, name in PARAMETERS.items():
        seen: list[str] = []
        for value in _values(data, parameter):
            value = value.strip()
            if value and _known(name, value) and value not in seen:
                seen.append(value)
        fields[name] = tuple(sorted(seen))
    q = data.get("q") or ""
    # A NUL byte cannot reach PostgreSQL's text (a 500): read as a space, like other controls.
    q = "".join(c if c.isprintable() else " " for c in str(q)[: QUERY_LENGTH * 4])
    fields["q"] = " ".join(q.split())[:QUERY_LENGTH]
    return Filters(**fields)


def query_string(filters: Filters, **changes: Any) -> str:
    """The GET parameters of these filters (with changes), for links and the export."""
    filters = filters.replace(**changes) if changes else filters
    data = QueryDict(mutable=True)
    if filters.q:
        data["q"] = filters.q
    for parameter, name in PARAMETERS.items():
        values = getattr(filters, name)
        if values:
            data.setlist(parameter, list(values))
    return data.urlencode()
