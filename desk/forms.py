"""How a POST on the dossier page becomes an action's data.

What each action asks for (``Action.inputs``) and the rules about the values (required,
dates, who may be chosen) are the state machine's (``dossiers.workflow``); this module only
reads the POST."""

from dossiers import workflow
from dossiers.constants import ResultDelivery

RESULT_DELIVERY_CHOICES = ResultDelivery.choices


def action_data(action: str, post) -> dict[str, str]:
    """The values of the action's fields from a POST (anything else is ignored), whole: the
    state machine refuses a value that is too long at its field instead of cutting it."""
    spec = workflow.ACTIONS.get(action)
    return spec.data_from(post) if spec else {}
