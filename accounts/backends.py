"""Login by any identifier a person knows: ID number, tax code, e-mail or username."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


def find_user(identifier: str):
    """The one active-or-not account an identifier names, or ``None``.

    Order of preference: username (officers, and citizens whose username is their ID
    number), personal ID number, tax code, e-mail (case-insensitive). An e-mail shared
    by several accounts names none of them.
    """
    User = get_user_model()
    ident = (identifier or "").strip()
    if not ident:
        return None
    if "@" in ident:
        users = list(User.objects.filter(email__iexact=ident)[:2])
        return users[0] if len(users) == 1 else None
    compact = ident.replace(" ", "")
    candidates = list(
        User.objects.filter(Q(username=ident) | Q(national_id=compact) | Q(tax_code=compact)).order_by("pk")[:5]
    )
    for match in (
        lambda u: u.username == ident,
        lambda u: u.national_id == compact,
        lambda u: u.tax_code == compact,
    ):
        found = [u for u in candidates if match(u)]
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


class IdentifierBackend(ModelBackend):
    """ModelBackend whose ``username`` may be any identifier of the account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Same cost as a real check, so timing does not tell which identifiers exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request, credentials=None) -> str:
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE).

    The ID number, tax code and e-mail of one account are one name, so switching
    identifiers does not reset the count; unknown identifiers count as typed.
    """
    raw = ""
    if credentials:
        raw = credentials.get("username") or ""
    elif request is not None and hasattr(request, "POST"):
        raw = request.POST.get("username", "")
    raw = (raw or "").strip()
    if not raw:
        return ""
    user = find_user(raw)
    return user.username if user is not None else raw.lower()
