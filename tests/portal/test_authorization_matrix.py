"""The authorization matrix: every address the portal serves, tried as each of the ten
kinds of people, against the declared table of who may do what (tests/portal/access_table.py).

The addresses come from the URL configuration (and the API operations from the OpenAPI
schema); the admin's from the admin site itself. A new address without an entry in the
table fails; so does any person reaching what the table does not give them, any allowed
person refused, and any answer 500.

Each request runs in a transaction that is rolled back, so an allowed action (withdraw,
return a result, delete a saved filter) leaves the world as it was for the next request.
"""

import json
import re
from collections import Counter
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.portal.access_table import TABLE
from tests.portal.access_world import CITIZEN_A, OFFICER_X, PERSONAS, PROVINCIAL_ADMIN, build_world

pytestmark = pytest.mark.django_db

LOGIN_WALLS = ("accounts:login", "accounts:register", "admin:login")
# Figures of the last run, for docs/SECURITY.md (printed by the summary test's -s output).
RUN_FIGURES: Counter = Counter()


class _Rollback(Exception):
    pass


def named_patterns(patterns=None, namespace: str = "", prefix: str = ""):
    """(full name, route) of every named URL pattern outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or pattern.app_name == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern.url_patterns, ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def api_operations() -> set[tuple[str, str]]:
    """(url name, METHOD) of every operation in the OpenAPI schema."""
    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = set()
    for path, operations in schema["paths"].items():
        sample = re.sub(r"\{[^}]+\}", lambda m: _sample(m.group(0)), path)
        match = resolve(sample)
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                found.add((name, method.upper()))
    return found


def _sample(placeholder: str) -> str:
    if "public_id" in placeholder:
        return "00000000-0000-0000-0000-000000000000"
    if placeholder.endswith("_id}") or placeholder == "{id}":
        return "1"
    return "x"


def outcome(response) -> str:
    """ "allowed", "refused" or "error", from the answer alone."""
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (401, 403, 404, 405):
        return "refused"
    if status in (301, 302, 303, 307):
        target = urlsplit(response["Location"]).path
        walls = {reverse(name) for name in LOGIN_WALLS}
        if target in walls:
            return "refused"
    return "allowed"


def _client(user) -> Client:
    client = Client(HTTP_USER_AGENT="matrix", REMOTE_ADDR="10.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def _request(client: Client, method: str, url: str, *, api: bool):
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:  # rate-limit counters: the matrix is not a burst
        caches[alias].clear()
    # The session as it was: a logout, a language choice or a login rotating the key would
    # otherwise carry over to the next request, whose database changes were rolled back.
    cookies = client.cookies
    client.cookies = SimpleCookie(cookies.output(header="", sep=";").strip()) if cookies else SimpleCookie()
    try:
        with transaction.atomic():
            if api:
                body = {} if method == "GET" else {"data": json.dumps({}), "content_type": "application/json"}
                response = getattr(client, method.lower())(url, **body)
            else:
                response = getattr(client, method.lower())(url)
            # Stream file answers to the end, as a browser would, before rolling back.
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            raise _Rollback(response)
    except _Rollback as done:
        return done.args[0]
    finally:
        client.cookies = cookies


def admin_addresses(world) -> list[tuple[str, str, dict[str, bool]]]:
    """(label, url, {method: provincial admin allowed}) for every admin page of every model
    and the site's own pages; what the provincial admin may do is what each model's admin
    declares (some records are read-only for everybody)."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(pk=world.user(PROVINCIAL_ADMIN).pk)
    found = []
    for model, model_admin in admin.site._registry.items():
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = model._default_manager.order_by("pk").first()
        views = model_admin.has_view_or_change_permission(request)
        found.append((f"{label}_changelist", reverse(f"{label}_changelist"), {"GET": views}))
        adds = model_admin.has_add_permission(request)
        found.append((f"{label}_add", reverse(f"{label}_add"), {"GET": adds, "POST": adds}))
        if obj is not None:
            sees = model_admin.has_view_or_change_permission(request, obj)
            changes = model_admin.has_change_permission(request, obj)
            deletes = model_admin.has_delete_permission(request, obj)
            args = [obj.pk]
            found.append((f"{label}_change", reverse(f"{label}_change", args=args), {"GET": sees, "POST": changes}))
            found.append((f"{label}_history", reverse(f"{label}_history", args=args), {"GET": sees}))
            found.append((f"{label}_delete", reverse(f"{label}_delete", args=args), {"GET": deletes, "POST": deletes}))
        for extra in ("import", "export"):
            try:
                url = reverse(f"{label}_{extra}")
            except NoReverseMatch:  # only some admins import or export
                continue
            found.append((f"{label}_{extra}", url, {"GET": True}))
    found.append(("admin:index", reverse("admin:index"), {"GET": True}))
    found.append(("admin:password_change", reverse("admin:password_change"), {"GET": True, "POST": True}))
    for app in sorted({m._meta.app_label for m in admin.site._registry}):
        found.append((f"admin:app_list[{app}]", reverse("admin:app_list", args=[app]), {"GET": True}))
    return found


def test_every_address_has_an_entry():
    names = {name for name, _ in named_patterns()}
    missing = sorted(names - set(TABLE))
    stale = sorted(set(TABLE) - names)
    assert not missing, f"addresses without an entry in tests/portal/access_table.py: {missing}"
    assert not stale, f"entries for addresses that no longer exist: {stale}"


def test_every_api_operation_has_an_entry():
    operations = api_operations()
    declared = {(name, method) for name, rule in TABLE.items() if name.startswith("api:") for method in rule.allowed}
    declared -= {("api:schema", "GET"), ("api:docs", "GET")}
    assert operations - declared == set(), "API operations without an entry"
    assert declared - operations == set(), "entries for API operations the schema does not have"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_reaches_exactly_what_the_table_gives_them(persona, settings):
    settings.NATIONAL_SSO = {
        **settings.NATIONAL_SSO,
        "ENABLED": True,
        "CLIENT_ID": "matrix",
        "TOKEN_URL": "http://127.0.0.1:9/token",
        "USERINFO_URL": "http://127.0.0.1:9/userinfo",
    }
    world = build_world()
    client = _client(world.user(persona))
    wrong = []
    tried = Counter()
    for name, rule in TABLE.items():
        url = reverse(name, kwargs=rule.kwargs(world))
        query = rule.query(world)
        if query:
            url += "?" + urlencode(query)
        for method, allowed in rule.allowed.items():
            response = _request(client, method, url, api=name.startswith("api:"))
            got = outcome(response)
            expected = "allowed" if persona in allowed else "refused"
            tried[got] += 1
            if got != expected:
                wrong.append(f"{method} {url} ({name}): {got} ({response.status_code}), table says {expected}")
    for label, url, methods in admin_addresses(world):
        for method, admin_may in methods.items():
            response = _request(client, method, url, api=False)
            got = outcome(response)
            expected = "allowed" if persona == PROVINCIAL_ADMIN and admin_may else "refused"
            tried[got] += 1
            if got != expected:
                wrong.append(f"{method} {url} ({label}): {got} ({response.status_code}), table says {expected}")
    RUN_FIGURES.update({f"{persona}:{k}": v for k, v in tried.items()})
    print(f"\nmatrix {persona}: {sum(tried.values())} requests, {dict(tried)}")
    assert not wrong, f"{len(wrong)} answers differ from the table for {persona}:\n" + "\n".join(wrong)


# Posted to by other systems, not by a browser with the portal's pages.
CSRF_EXEMPT = {"national:sandbox"}


@pytest.mark.parametrize("persona", [CITIZEN_A, OFFICER_X, PROVINCIAL_ADMIN])
def test_no_state_change_goes_through_without_the_csrf_token(persona):
    """Every POST, PUT, PATCH and DELETE of the table (and the admin's) from a browser
    session without the CSRF token is refused with 403, before the view runs."""
    world = build_world()
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.2")
    client.force_login(world.user(persona))
    wrong, tried = [], 0
    targets = [
        (name, reverse(name, kwargs=rule.kwargs(world)), method, name.startswith("api:"))
        for name, rule in TABLE.items()
        for method in rule.allowed
        if method != "GET" and name not in CSRF_EXEMPT
    ]
    if persona == PROVINCIAL_ADMIN:
        targets += [
            (label, url, method, False)
            for label, url, methods in admin_addresses(world)
            for method in methods
            if method == "POST"
        ]
    for name, url, method, api in targets:
        response = _request(client, method, url, api=api)
        tried += 1
        if response.status_code != 403:
            wrong.append(f"{method} {url} ({name}): {response.status_code}")
    print(f"\ncsrf {persona}: {tried} requests without the token")
    assert tried > 20
    assert not wrong, "accepted without the CSRF token:\n" + "\n".join(wrong)
