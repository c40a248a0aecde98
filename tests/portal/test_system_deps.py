"""`make run` and `make test` set up the system themselves (scripts/system-deps): a user
who may not install packages is stopped at once with one line naming what is missing and
the command that installs it. The system's own commands are stood in for by small scripts
on PATH (the packages of this machine cannot be uninstalled for a test)."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fake(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)


def _run(tmp_path, what: str, *, installed: set[str]):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    known = " ".join(sorted(installed)) or "none"
    _fake(
        bin_dir,
        "dpkg-query",
        f'for p in {known}; do [ "$p" = "$3" ] && echo "install ok installed" && exit 0; done; '
        "exit 1",
    )
    _fake(bin_dir, "id", "echo 1000")  # not root
    _fake(bin_dir, "sudo", "exit 1")  # and no password-less sudo
    _fake(bin_dir, "apt-get", f'echo apt-get "$@" >> {tmp_path}/apt.log')
    env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "system-deps"), what],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_user_who_cannot_install_is_told_what_and_how_in_one_line(tmp_path):
    installed = {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "gettext"}

    run = _run(tmp_path, "test", installed=installed | {"fonts-noto-core"})

    assert run.returncode == 1
    assert run.stderr == (
        "Missing system packages: fonts-noto-cjk poppler-utils chromium. Install them with: "
        "sudo apt-get install fonts-noto-cjk poppler-utils chromium\n"
    )
    assert not (tmp_path / "apt.log").exists()


def test_make_run_does_not_ask_for_the_test_tools(tmp_path):
    installed = {
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-noto-core",
        "fonts-noto-cjk",
        "gettext",
    }

    run = _run(tmp_path, "run", installed=installed)

    assert (run.returncode, run.stderr) == (0, "")
