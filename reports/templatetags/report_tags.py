"""``{{ user|reads_reports }}``: whether the report pages open for the user (reports.access)."""

from django import template

from reports import access

register = template.Library()


@register.filter
def reads_reports(user) -> bool:
    return access.reads_reports(user)
