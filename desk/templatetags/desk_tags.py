from django import template

from dossiers.workflow import ACTIONS

register = template.Library()


@register.filter
def action_label(name: str) -> str:
    """The Vietnamese label of a workflow action (as the state machine names it)."""
    action = ACTIONS.get(name)
    return action.label if action else name
