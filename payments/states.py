"""The payment attempt's state graph (lần thanh toán): the one place that says which move
is allowed. A correction goes only towards what the gateway confirms: an attempt that
ended failed, cancelled or expired may still become succeeded (or needs review) when the
gateway says the money was taken; a succeeded one only ever becomes refunded."""

from .constants import AttemptState as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.CREATED: frozenset({S.PENDING, S.FAILED, S.CANCELLED, S.EXPIRED}),
    S.PENDING: frozenset({S.SUCCEEDED, S.FAILED, S.CANCELLED, S.EXPIRED, S.NEEDS_REVIEW}),
    S.NEEDS_REVIEW: frozenset({S.SUCCEEDED, S.FAILED, S.REFUNDED}),
    S.FAILED: frozenset({S.SUCCEEDED, S.NEEDS_REVIEW}),
    S.CANCELLED: frozenset({S.SUCCEEDED, S.NEEDS_REVIEW}),
    S.EXPIRED: frozenset({S.SUCCEEDED, S.NEEDS_REVIEW}),
    S.SUCCEEDED: frozenset({S.REFUNDED}),
    S.REFUNDED: frozenset(),
}
# The gateway has answered: an IPN for such an attempt is a replay ("already confirmed").
SETTLED = frozenset({S.SUCCEEDED, S.FAILED, S.CANCELLED, S.EXPIRED, S.NEEDS_REVIEW, S.REFUNDED})
OPEN = frozenset({S.CREATED, S.PENDING})


def allowed(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())
