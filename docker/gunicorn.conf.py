"""gunicorn's settings for the web container (the Dockerfile's CMD): /metrics adds up the
request latency of every worker process through files in PROMETHEUS_MULTIPROC_DIR
(docs/adr/0031), emptied when gunicorn starts, and a dead worker's files are marked so."""

import os
import shutil
from pathlib import Path

from prometheus_client import multiprocess

# Read by prometheus_client when it is first imported in the workers: set here, before any.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/tmp/prometheus-multiproc")
bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# The portal logs one line per request itself (portal.request, with its request id).
accesslog = None


def on_starting(server) -> None:
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def child_exit(server, worker) -> None:
    multiprocess.mark_process_dead(worker.pid)
