"""Filters for the printed forms: Vietnamese dates and times in local time."""

from django import template

from printing import formats

register = template.Library()


@register.filter
def moment(value) -> str:
    """ "HH giờ mm phút, ngày dd/mm/yyyy"."""
    return formats.moment(value)


@register.filter
def day(value) -> str:
    """ "dd/mm/yyyy"."""
    return formats.day(value)


@register.filter
def long_day(value) -> str:
    """ "ngày dd tháng mm năm yyyy"."""
    return formats.long_day(value)


@register.filter
def two_digits(value) -> str:
    """Counts on forms are written with two digits: 1 → "01"."""
    try:
        return f"{int(value):02d}"
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def issued_forms(dossier) -> list:
    """The forms issued for a dossier, for pages of other apps (the citizen's dossier page)
    to list without depending on this app: ``{% issued_forms d as forms %}``."""
    from printing.selectors import forms_of

    return list(forms_of(dossier))
