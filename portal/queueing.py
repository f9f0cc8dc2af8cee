"""Putting a task on the broker without letting a broker outage fail the request.

A request whose change has committed must not fail because Redis is down: ``enqueue``
tries once, without Celery's publish retries (which can hold a web worker for seconds),
and logs instead of raising. What the lost message would have done is caught up by the
task's own recovery: the notifications sweeper (every minute), a printed form rendered
when it is first opened, a document's photos re-queued by the documents sweeper. In
eager mode (no broker) the task runs in-process and its errors do propagate.
"""

import logging

from celery.app.task import Task
from django.db import transaction
from kombu.exceptions import KombuError, OperationalError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, KombuError, ConnectionError, TimeoutError, OSError)


def enqueue(task: Task, *args, countdown: int | None = None, **kwargs) -> bool:
    """Queue ``task(*args, **kwargs)``; False (and a warning) if the broker can't be reached."""
    if task.app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, countdown=countdown)
        return True
    try:
        task.apply_async(args=args, kwargs=kwargs, countdown=countdown, retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("could not queue %s%r: %s (its sweeper or first use will catch up)", task.name, args, exc)
        return False
    return True


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """``enqueue`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
