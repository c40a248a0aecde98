"""Handing work to the Celery workers by task name.

A lower app can ask for a job an upper app defines (the catalogue asks for a PDF's text,
the circulation for its preparation) without importing across the layers, and the job
runs in a worker in production and in this process where tasks run eagerly (``make
run``): Celery's ``send_task`` would skip the eager setting and leave the job queued for
a worker that is not there.
"""

from celery import current_app


def enqueue(name: str, *args) -> None:
    """Runs the task ``name`` with ``args`` through Celery (``apply_async``)."""
    app = current_app
    if name not in app.tasks:
        app.loader.import_default_modules()  # the apps' tasks modules, once
    app.tasks[name].apply_async(args=args)


def enqueue_on_commit(name: str, *args) -> None:
    """``enqueue`` once the current transaction commits; a broker that cannot take it is
    logged, not raised (the write stands, and the periodic resume picks the job up)."""
    from django.db import transaction

    transaction.on_commit(lambda: enqueue(name, *args), robust=True)


def broker_reachable() -> bool:
    """Whether the job queue (the broker) answers now, within a second; always true where
    jobs run in-process. For pages that must say why nothing moves."""
    from celery import current_app

    if current_app.conf.task_always_eager:
        return True
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=1)
    except Exception:  # whatever the transport raises: it is not reachable
        return False
    return True
