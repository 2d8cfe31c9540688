"""Every HTML form, fuzzed: bad input re-renders with a message and loses nothing, never a 500.

The forms are the POST routes of the authorization matrices (tests/test_matrix_*.py, every
table of routes a matrix declares), minus the API's (fuzzed with its schema elsewhere), plus
allauth's sign-up and sign-in on a network. Each is posted as a role its matrix lets in,
with its matrix's valid data turned hostile: fixed cases (nothing, every field hostile
text, 1 MB in the longest field) and examples that hypothesis draws (each field kept or
replaced by one hostile value: empty, blank, NUL and control characters, look-alike and
right-to-left text, paths, markup, numbers out of range, huge ids, impossible dates, a list
for a scalar, a missing field). A route that posts nothing (a button) gets unexpected fields
and a ``next`` that is no address.

What every answer must be:
- never a 5xx (an exception in the view counts as one);
- a redirect (done), or a refusal: 403, 404, 405, 413, 429;
- a page (200, 400, 422) that says what is wrong (an error list, an alert, an error
  message), where every text typed into a text field is back in its field (not a
  password, not the 1 MB text); a route whose success is a 200 page may answer one without
  a message.

Each request runs in a savepoint rolled back after it, with the cache cleared and the
client's cookies put back: one variant's success (a suspension, a role changed, a rate
limit reached) does not turn the next one into a refusal. Problems are collected per matrix
module and reported together, so one failure hides nothing.
"""

import contextlib
import copy
import importlib
import inspect
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django_tenants.utils import schema_context, tenant_context
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.matrix import role_accounts  # noqa: F401 (the shared world's accounts, once)
from tests.members.factories import PASSWORD

pytestmark = pytest.mark.django_db

TESTS = Path(__file__).resolve().parents[1]
# Hypothesis' examples per form, on top of the fixed cases: each request costs 0.1 to 0.2 s
# on a loaded machine, and the file's budget is 90 s on one worker for 150 routes. A deeper
# run: FORM_FUZZ_EXAMPLES=50.
EXAMPLES = int(os.environ.get("FORM_FUZZ_EXAMPLES", "2"))

# Routes of the matrices that are not forms, with the reason.
NOT_FORMS = {
    "stripe_webhook": "Stripe's signed JSON, not a form (tests/test_matrix_billing_webhook.py"
    " refuses anything unsigned)",
    "csp_report": "browsers' JSON violation reports, not a form (tests/test_matrix_security.py)",
    "members_admin:domain_verify": "takes no input and asks the DNS, which the domains'"
    " tests fake (tests/test_matrix_domains.py)",
}
# Who posts, among the roles a matrix lets in: a plain member when they can.
PREFERENCE = ("member", "representative", "manager", "operator", "registrant", "author",
              "correspondent", "pro", "gl_coordinator", "coordinator", "caregiver",
              "group_member", "moderator", "admin", "follower", "anonymous")  # fmt: skip
# Where a module's routes find their objects, when it is not ``world``.
WORLDS = {"tests.test_matrix_console": "console_world"}

BIG = ("Une phrase assez longue pour remplir la page. " * 22_000)[:1_000_000]  # 1 MB


class _Big:
    """BIG in hypothesis' examples, whose repr would be 1 MB."""

    def __repr__(self) -> str:
        return "<1 MB>"


BIG_MARK = _Big()
HOSTILE_TEXT = "  \u202eLa\u0430ura\x01\x1b <script>alert(1)</script> ../../etc/passwd /\x00 "
HOSTILE = [
    "",
    "   \t\n ",
    "\x00",
    "a\x00b",
    "\x01\x02\x07\x08\x0b\x0c\x1b\x7f",
    "\u202e\u200f\u200bgnp.exe",
    "раураl",  # Cyrillic look-alikes
    "Ａｄｍｉｎ",  # full-width
    "/",
    "..",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "{{ 7|add:7 }} {% now 'Y' %}",
    "-1",
    "0",
    "2147483648",
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "1e309",
    "NaN",
    "3.14",
    "0000-00-00",
    "9999-12-31",
    "2024-02-30",
    "31/12/99999",
    "25:61",
    "true",
    "null",
    "[]",
    '{"a": 1}',
    "#zzzzzz",
    "javascript:alert(1)",
    "http://",
    "not-an-email@",
    BIG_MARK,
]
MISSING = object()  # the field is not sent
KEEP = object()  # the field keeps its valid value


def matrix_modules() -> list[str]:
    """The matrix modules, found as tests/test_route_coverage.py finds them."""
    paths = sorted([*TESTS.glob("test_matrix*.py"), *TESTS.glob("*/test_matrix.py")])
    return [".".join(path.relative_to(TESTS.parent).with_suffix("").parts) for path in paths]


@dataclass(frozen=True)
class Form:
    name: str  # the route's name
    path: Callable[[Any], str]
    role: str
    data: Callable[[Any], dict] | None
    success: int  # the status of a valid post
    method: str = "post"


def _is_route(value) -> bool:
    return all(hasattr(value, attr) for attr in ("method", "path", "allowed"))


def _pick(route) -> str:
    allowed = set(route.allowed) & set(getattr(route, "roles", route.allowed))
    return next((role for role in PREFERENCE if role in allowed), None) or sorted(allowed)[0]


def module_forms(module_name: str) -> list[Form]:
    """A module's form routes: every table of routes it declares, POST and PUT, not the
    API's (JSON), not those of ``NOT_FORMS``."""
    module = importlib.import_module(module_name)
    forms, seen = [], set()
    for table in vars(module).values():
        if not isinstance(table, dict) or not table or not all(map(_is_route, table.values())):
            continue
        for name, route in table.items():
            if route.method not in ("post", "put") or getattr(route, "is_api", False):
                continue
            if name in NOT_FORMS or (name, route.method) in seen or not route.allowed:
                continue
            seen.add((name, route.method))
            forms.append(
                Form(name, route.path, _pick(route), route.data, route.status, route.method)
            )
    return forms


FORM_MODULES = [name for name in matrix_modules() if module_forms(name)]


# --- What a page shows -------------------------------------------------------------------

# Typed texts compared with what a re-rendered form shows, per route (for the summary).
COMPARED: Counter[str] = Counter()
ERROR_MARKERS = ('class="errorlist', 'role="alert"', "message-error", "message-warning")
TEXT_TYPES = {"text", "email", "url", "search", "tel", "number"}


class _Fields(HTMLParser):
    """The values of a page's text inputs and textareas, by name (a name may repeat)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self.secret: set[str] = set()
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if not name:
            return
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind == "password":
                self.secret.add(name)
            elif kind in TEXT_TYPES:
                self.values.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self.values.setdefault(name, []).append("")

    def handle_data(self, data):
        if self._textarea is not None:
            self.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def _normal(text: str) -> str:
    # An HTML parser drops a textarea's first newline and reads CRLF as LF; a text field
    # may be shown stripped of surrounding blanks (Django's CharField strips them).
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def problems_of(response, sent: dict, form: Form) -> list[str]:
    """What is wrong with the answer to a hostile post (empty when nothing is)."""
    status = response.status_code
    if status >= 500:
        return [f"answered {status}"]
    if 300 <= status < 400 or status in (403, 404, 405, 413, 429):
        return []
    kind = response.get("Content-Type", "")
    if "html" not in kind:
        if status == form.success or status in (400, 422):
            return []  # a non-page answer of its own (a fragment's JSON, a 204)
        return [f"answered {status} {kind}"]
    if status not in (200, 400, 422):
        return [f"answered {status}"]
    page = response.content.decode(errors="replace")
    if not any(marker in page for marker in ERROR_MARKERS):
        if status == form.success:
            return []  # a page that is the route's success
        return [f"answered {status} without an error message"]
    fields = _Fields()
    fields.feed(page)
    lost = []
    for name, value in sent.items():
        if not isinstance(value, str) or value is BIG or "password" in name:
            continue
        if name in fields.secret or name not in fields.values or not _normal(value):
            continue
        COMPARED[form.name] += 1
        if _normal(value) not in {_normal(shown) for shown in fields.values[name]}:
            lost.append(name)
    return [f"lost what was typed into {', '.join(sorted(lost))}"] if lost else []


# --- Hostile variants ----------------------------------------------------------------------

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
_scalar = st.one_of(
    st.sampled_from(HOSTILE),
    _text,
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
)
_hostile = st.one_of(
    _scalar,
    st.just(MISSING),
    st.lists(_scalar, min_size=2, max_size=3),  # a list where one value is expected
)


def variants(valid: dict) -> st.SearchStrategy[dict]:
    """The valid data with some fields (at least one) replaced by hostile values."""
    replaced = st.fixed_dictionaries(
        {key: st.one_of(st.just(KEEP), _hostile) for key in valid}
    ).filter(lambda chosen: any(value is not KEEP for value in chosen.values()))
    return replaced.map(lambda chosen: _apply(valid, chosen))


def _apply(valid: dict, chosen: dict) -> dict:
    data = {}
    for key, value in valid.items():
        new = chosen.get(key, KEEP)
        if new is KEEP:
            data[key] = value
        elif new is not MISSING:
            data[key] = _real(new)
    return data


def _real(value):
    if value is BIG_MARK:
        return BIG
    return [_real(item) for item in value] if isinstance(value, list) else value


def fixed_cases(valid: dict) -> list[dict]:
    """The cases every form gets, before hypothesis draws its own."""
    if not valid:
        # A button: unexpected fields, and a ``next`` that is no address (a word, which
        # ``redirect()`` would look up as a view's name).
        return [{"id": "99999999999999999999", "next": "queue", "body": HOSTILE_TEXT}]
    longest = max(valid, key=lambda key: len(str(valid[key])))
    return [
        {},  # as a form of checkboxes all unticked is sent
        dict.fromkeys(valid, HOSTILE_TEXT),
        {**valid, longest: BIG},
    ]


# --- Running ---------------------------------------------------------------------------------


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint undone on the way out. It stands in for the test's own block: a durable
    service's block may open inside it, as it may inside a test's."""
    block = transaction.atomic()
    block._from_testcase = True
    with block:
        yield
        transaction.set_rollback(True)


class Fuzz:
    def __init__(self, world, client_of: Callable[[str], Any], on: Callable[[], Any]):
        self.world, self.client_of, self.on = world, client_of, on
        self.problems: list[str] = []
        self.requests = 0
        self.clients: dict[str, Any] = {}

    def form(self, form: Form) -> None:
        self.world.role = form.role  # for data that depends on who sends it
        # One client per role, signed in outside the route's savepoint, so that its session
        # outlives the route; its cookies are put back after each request.
        if form.role not in self.clients:
            self.clients[form.role] = self.client_of(form.role)
        client = self.clients[form.role]
        cookies = copy.deepcopy(client.cookies)
        with rolled_back():
            path = form.path(self.world)
            valid = form.data(self.world) if form.data else {}

            def post(data: dict) -> None:
                with rolled_back(), self.on():
                    self.requests += 1
                    try:
                        response = getattr(client, form.method)(path, data)
                    except Exception as error:  # the test client re-raises a view's error
                        found = [f"raised {type(error).__name__}: {str(error)[:200]}"]
                    else:
                        found = problems_of(response, data, form)
                cache.clear()  # no rate limit carried to the next variant
                client.cookies = copy.deepcopy(cookies)
                self.problems += [f"{form.name} {path} {_show(data)}: {it}" for it in found]

            for data in fixed_cases(valid):
                post(data)
            if not valid:
                return  # a button: its fixed cases are all there is to send

            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(variants(valid))
            def drawn(data):
                post(data)

            drawn()


def _show(data: dict) -> str:
    def short(value):
        if value is BIG:
            return "<1 MB>"
        if isinstance(value, list):
            return [short(item) for item in value]
        return value[:40] if isinstance(value, str) else value

    return repr({key: short(value) for key, value in data.items()})


def _resolve(module, name: str, values: dict, request):
    """A module's fixture by name, built from its own fixtures and the session's (as
    tests/browser/test_sweep.py builds the matrices' worlds)."""
    if name in values:
        return values[name]
    own = getattr(module, name, None)
    if own is not None and hasattr(own, "__wrapped__"):
        function = own.__wrapped__
        arguments = {
            parameter: _resolve(module, parameter, values, request)
            for parameter in inspect.signature(function).parameters
        }
        result = function(**arguments)
        if inspect.isgenerator(result):
            result = next(result)  # a yield fixture: what it yields
    else:
        result = request.getfixturevalue(name)
    values[name] = result
    return result


@pytest.mark.parametrize("module_name", FORM_MODULES)
def test_matrix_forms(module_name, request, shared_world, tenant, other_tenant):
    module = importlib.import_module(module_name)
    # A copy of the world per module: what one module's world adds does not outlive it.
    own_world = copy.copy(shared_world)
    own_world.accounts = dict(shared_world.accounts)
    values = {"shared_world": own_world, "request": request, "db": None}
    if not hasattr(getattr(module, "world", None), "__wrapped__"):
        values["world"] = own_world
    the_world = _resolve(module, WORLDS.get(module_name, "world"), values, request)
    platform = getattr(module, "PLATFORM", False)
    maker = next((name for name in ("client_for", "platform_client") if hasattr(module, name)), "")
    if maker:
        client_of = _resolve(module, maker, values, request)
    else:
        accounts = _resolve(module, "role_accounts", values, request)
        client_as = request.getfixturevalue("client_as")

        def client_of(role: str):
            return client_as(role if role == "anonymous" else accounts[role])

    def on():
        return schema_context("public") if platform else tenant_context(tenant)

    fuzz = Fuzz(the_world, client_of, on)
    for form in module_forms(module_name):
        fuzz.form(form)
    assert fuzz.requests > 0
    forms = module_forms(module_name)
    compared = sum(COMPARED[form.name] for form in forms)
    print(f"{module_name}: {len(forms)} routes, {fuzz.requests} requests, {compared} texts kept")
    assert fuzz.problems == [], "\n".join(fuzz.problems)


# allauth's forms on a network: the most hostile-facing ones.
ALLAUTH = {
    "account_signup": Form(
        "account_signup",
        lambda w: "/comptes/signup/",
        "anonymous",
        lambda w: {
            "username": "Alizé",
            "email": "alize@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "profile_type": "caregiver",
            "pathologies": [w.pathology.pk],
            "department": "2A",
            "accept_charter": "on",
            "consent_health_data": "on",
        },  # fmt: skip
        302,
    ),
    "account_login": Form(
        "account_login",
        lambda w: "/comptes/login/",
        "anonymous",
        lambda w: {"login": w.accounts["member"].email, "password": PASSWORD},
        302,
    ),
}


@pytest.mark.parametrize("name", ALLAUTH)
def test_allauth_forms(name, shared_world, tenant, client_as):
    fuzz = Fuzz(shared_world, client_as, lambda: tenant_context(tenant))
    fuzz.form(ALLAUTH[name])
    assert fuzz.problems == [], "\n".join(fuzz.problems)


# --- The checks can fail ----------------------------------------------------------------


class _Answer(dict):
    def __init__(self, status: int, content: str, kind: str = "text/html; charset=utf-8"):
        super().__init__({"Content-Type": kind})
        self.status_code, self.content = status, content.encode()


FORM = Form("essai", lambda w: "/", "member", None, 302)


def test_the_checks_catch_a_500_a_bare_re_render_and_lost_text():
    typed = {"title": "<b>Mon titre</b>", "password": "secret"}
    assert problems_of(_Answer(500, "Erreur"), typed, FORM) == ["answered 500"]
    bare = _Answer(200, '<form><input name="title" value="&lt;b&gt;Mon titre&lt;/b&gt;"></form>')
    assert problems_of(bare, typed, FORM) == ["answered 200 without an error message"]
    lost = _Answer(200, '<ul class="errorlist"><li>Requis</li></ul><input name="title" value="">')
    assert problems_of(lost, typed, FORM) == ["lost what was typed into title"]
    kept = _Answer(
        200,
        '<ul class="errorlist"><li>Requis</li></ul>'
        '<input name="title" value="&lt;b&gt;Mon titre&lt;/b&gt;">'
        '<input type="password" name="password">',
    )
    assert problems_of(kept, typed, FORM) == []
    area = _Answer(400, '<p role="alert">Non</p><textarea name="title">\n&lt;b&gt;Mon titre'
                   "&lt;/b&gt;</textarea>")  # fmt: skip
    assert problems_of(area, typed, FORM) == []
    assert problems_of(_Answer(302, ""), typed, FORM) == []
    assert problems_of(_Answer(404, "Introuvable"), typed, FORM) == []
    # A route whose success is a page: that page needs no message.
    assert problems_of(bare, typed, Form("essai", lambda w: "/", "member", None, 200)) == []


@pytest.mark.parametrize("platform", [False, True], ids=["network", "platform"])
def test_a_form_too_large_or_with_too_many_fields_is_a_400_page_that_says_so(
    platform, tenant, client_as
):
    """Past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (5 MB) or ``DATA_UPLOAD_MAX_NUMBER_FIELDS``,
    Django cannot read the form: the product's 400 page says why, not a bare "Bad Request"."""
    if platform:
        with schema_context("public"):
            client = Client(HTTP_HOST="localhost")
    else:
        client = client_as("anonymous")
    too_large = {f"champ{number}": BIG for number in range(6)}
    too_many = {f"champ{number}": "x" for number in range(1100)}
    for data in (too_large, too_many):
        response = client.post("/comptes/signup/" if not platform else "/comptes/login/", data)
        assert response.status_code == 400
        page = response.content.decode()
        assert 'role="alert"' in page and "plus de 5 Mo" in page, page[:2000]
