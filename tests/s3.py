"""A real S3 API on loopback for the storage tests: moto's standalone server, run as its
own process (``python -m moto.server``), reached over HTTP by the same django-storages
backend production uses. Each test gets its own pair of buckets."""

import itertools
import json
import socket
import subprocess
import sys
import time
import urllib.request

import boto3

ACCESS_KEY, SECRET_KEY, REGION = "portal-tests", "portal-tests-secret", "us-east-1"
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

    def storages(self, public: str, private: str, staticfiles: dict) -> dict:
        """A ``STORAGES`` setting as production's ``MEDIA_STORAGE=s3`` makes it."""
        common = {
            "endpoint_url": self.url,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": REGION,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "file_overwrite": False,
            "default_acl": None,
        }
        return {
            "default": {
                "BACKEND": "portal.storage.PublicS3Storage",
                "OPTIONS": {
                    **common,
                    "bucket_name": public,
                    "querystring_auth": False,
                    "custom_domain": f"127.0.0.1:{self.port}/{public}",
                    "url_protocol": "http:",
                },
            },
            "private": {
                "BACKEND": "portal.storage.PrivateS3Storage",
                "OPTIONS": {**common, "bucket_name": private},
            },
            "staticfiles": staticfiles,
        }
