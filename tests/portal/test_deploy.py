import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    test_only = {
        "DEBUG",
        "SECRET_KEY",
        "SECURE_SSL_REDIRECT",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,  # a guard against a hang: a migration on a busy machine takes minutes
    )


S3 = {
    "MEDIA_STORAGE": "s3",
    "S3_ENDPOINT_URL": "http://minio:9000",
    "S3_ACCESS_KEY_ID": "portal",
    "S3_SECRET_ACCESS_KEY": "a-long-secret-for-minio",
    "S3_PUBLIC_BUCKET": "portal-public",
    "S3_PRIVATE_BUCKET": "portal-private",
    "S3_PUBLIC_URL": "https://files.forums.example.org/portal-public",
}


@pytest.mark.parametrize("files", ["local", "s3"])
def test_check_deploy_is_clean_with_production_settings(files):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 20 + "production-like-secret-0123456789abcdefghijklmnop",
        ALLOWED_HOSTS="forums.example.org",
        **(S3 if files == "s3" else {"MEDIA_STORAGE": "local"}),
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode == 1
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_compose_keeps_files_in_minio_buckets_it_creates():
    """The Compose set-up keeps no file on the app containers: MinIO's buckets, made on
    start, the public one readable by anyone (the tests' S3 server gets the same policy)."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    app_environment = services["web"]["environment"]
    buckets = "\n".join(services["minio-buckets"]["entrypoint"])

    assert app_environment["MEDIA_STORAGE"] == "s3"
    assert services["web"]["depends_on"]["minio-buckets"] == {
        "condition": "service_completed_successfully"
    }
    assert 'mc anonymous set download "local/$$S3_PUBLIC_BUCKET"' in buckets
    assert 'mc anonymous set none "local/$$S3_PRIVATE_BUCKET"' in buckets
    assert all("volumes" not in services[name] for name in ("web", "worker", "beat"))
