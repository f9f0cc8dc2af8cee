"""Putting a task on the broker without letting a broker outage fail the request.

A request whose change has committed must not fail because Redis is down: ``enqueue``
tries once, without Celery's publish retries (which can hold a web worker for seconds),
and logs instead of raising. What the lost message would have done is caught up by the
task's own recovery: the notifications sweeper (every minute), a printed form rendered
when it is first opened, a document's photos re-queued by the documents sweeper. In
eager mode (no broker) the task runs in-process and its errors do propagate.
"""

import logging
import time

from celery.app.task import Task
from django.db import transaction
from kombu.exceptions import KombuError, OperationalError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, KombuError, ConnectionError, TimeoutError, OSError)


# After a failure, publishing is not tried again for this long (per process): a broker
# that refuses connections would otherwise cost every request a connection attempt.
PAUSE_AFTER_FAILURE = 5.0
_paused_until = 0.0


def enqueue(task: Task, *args, countdown: int | None = None, **kwargs) -> bool:
    """Queue ``task(*args, **kwargs)``; False (and a warning) if the broker can't be reached.

    One connection attempt, no publish retries: kombu's defaults would keep a request
    retrying for ~6 s against a Redis that is down."""
    global _paused_until
    if task.app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, countdown=countdown)
        return True
    if time.monotonic() < _paused_until:
        logger.warning("not queueing %s%r: the broker was unreachable moments ago", task.name, args)
        return False
    try:
        with task.app.pool.acquire(block=True, timeout=5) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            task.apply_async(args=args, kwargs=kwargs, countdown=countdown, retry=False, connection=connection)
    except BROKER_ERRORS as exc:
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        logger.warning("could not queue %s%r: %s (its sweeper or first use will catch up)", task.name, args, exc)
        return False
    return True


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """``enqueue`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
