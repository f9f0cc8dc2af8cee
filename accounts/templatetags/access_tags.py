"""``{{ user|administers_any_agency }}``, ``{{ user|is_provincial_admin }}``: whether the agency
administration pages, and the admin site, open for the user (accounts.access); the header's
links."""

from django import template

from accounts import access

register = template.Library()


@register.filter
def administers_any_agency(user) -> bool:
    return access.administers_any_agency(user)


@register.filter
def is_provincial_admin(user) -> bool:
    """The header's link to the admin site: for those it opens to (accounts.access), not for
    every account with the admin-site flag, as the demo's officers have."""
    return access.is_provincial_admin(user)
