"""A real S3 API on loopback for the storage tests: moto's standalone server, run as its
own process (``python -m moto.server``), reached over HTTP by the same django-storages
backend production uses. Each test gets its own pair of buckets."""

import contextlib
import itertools
import json
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3

ACCESS_KEY, SECRET_KEY, REGION = "portal-tests", "portal-tests-secret", "us-east-1"
SETTINGS = Path(__file__).resolve().parents[1] / "portal" / "settings.py"
_buckets = itertools.count(1)


def public_read_policy(bucket: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{bucket}/*"],
            }
        ],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class S3Server:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "S3Server":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1)
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto's S3 server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def new_buckets(self) -> tuple[str, str]:
        n = next(_buckets)
        public, private = f"portal-public-{n}", f"portal-private-{n}"
        client = self.client()
        client.create_bucket(Bucket=public)
        client.create_bucket(Bucket=private)
        # As docker-compose makes MinIO's: anyone may read the public bucket's objects.
        client.put_bucket_policy(Bucket=public, Policy=json.dumps(public_read_policy(public)))
        return public, private

    def keys(self, bucket: str) -> list[str]:
        response = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in response.get("Contents", []))

    def environment(self, public: str, private: str) -> dict[str, str]:
        """The variables an operator sets for ``MEDIA_STORAGE=s3`` (README, "Files")."""
        return {
            "MEDIA_STORAGE": "s3",
            "S3_ENDPOINT_URL": self.url,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_REGION": REGION,
            "S3_ADDRESSING_STYLE": "path",
            "S3_PUBLIC_BUCKET": public,
            "S3_PRIVATE_BUCKET": private,
            "S3_PUBLIC_URL": f"{self.url}/{public}",
        }

    def storages(self, public: str, private: str, staticfiles: dict) -> dict:
        """The ``STORAGES`` setting exactly as ``portal/settings.py`` makes it from those
        variables (the settings module run again with them), so the tests use what
        production configures, not a copy of it."""
        with _environ(self.environment(public, private)):
            made = runpy.run_path(str(SETTINGS))["STORAGES"]
        return {**made, "staticfiles": staticfiles}


@contextlib.contextmanager
def _environ(values: dict[str, str]):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
