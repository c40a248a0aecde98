"""Moving a portal's local files into an object store (``manage.py media_to_storage``),
against the real S3 API of the tests (moto's server on loopback)."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _write(root, name: str, content: bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def test_local_files_go_to_the_buckets_under_their_names_once(s3_storage, tmp_path, capsys):
    public, private = tmp_path / "old-media", tmp_path / "old-private"
    _write(public, "institutes/logos/kaziss.png", b"png")
    _write(public, "documents/2024/soc-2024-ii-dec-2-v2.pdf", b"%PDF plan")
    _write(private, "publications/2025/water.pdf", b"%PDF water")

    call_command("media_to_storage", public_from=str(public), private_from=str(private))
    first = capsys.readouterr().out
    call_command("media_to_storage", public_from=str(public), private_from=str(private))
    second = capsys.readouterr().out

    server = s3_storage.server
    assert server.keys(s3_storage.public) == [
        "documents/2024/soc-2024-ii-dec-2-v2.pdf",
        "institutes/logos/kaziss.png",
    ]
    assert server.keys(s3_storage.private) == ["publications/2025/water.pdf"]
    body = server.client().get_object(Bucket=s3_storage.private, Key="publications/2025/water.pdf")
    assert body["Body"].read() == b"%PDF water"
    assert first.splitlines()[-1] == "copied 3 file(s); 0 already there."
    assert second.splitlines()[-1] == "copied 0 file(s); 3 already there."


def test_a_dry_run_copies_nothing(s3_storage, tmp_path, capsys):
    public, private = tmp_path / "p", tmp_path / "q"
    _write(public, "institutes/logos/a.png", b"png")
    private.mkdir()

    call_command(
        "media_to_storage", public_from=str(public), private_from=str(private), dry_run=True
    )

    assert s3_storage.server.keys(s3_storage.public) == []
    assert capsys.readouterr().out.splitlines()[-1] == "would copy 1 file(s); 0 already there."


def test_a_missing_folder_is_refused(s3_storage, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("media_to_storage", public_from=str(tmp_path / "none"), private_from=".")
