"""Build `deploy/Dockerfile` for real with buildah, without a Docker engine or Docker Hub.

The base, `python:3.11-slim`, cannot be pulled here, so a stand-in is made from
Debian packages with debootstrap (the same Debian release and Python 3.11 as the
real image) and tagged with the real name; the Dockerfile is then built
unchanged with `--pull-never`. See `/work/shared/docs/building-the-image.md`.

Everything slow is cached outside the repository, in `IMAGE_CACHE_DIR`
(default `/var/cache/timoniere-image/`): the debootstrap rootfs tarball (about
3 minutes to make) and a private buildah storage holding the imported base.
Each is keyed by what it was made from, so a changed recipe or CA bundle is
rebuilt instead of reused. A lock file serialises concurrent runs.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

CACHE_DIR: Final = Path(os.environ.get("IMAGE_CACHE_DIR", "/var/cache/timoniere-image"))
BASE_TAG: Final = "docker.io/library/python:3.11-slim"
# python:3.11-slim is Debian bookworm with Python 3.11, as is bookworm's python3.
SUITE: Final = "bookworm"
MIRROR: Final = "http://deb.debian.org/debian"
PACKAGES: Final = ("python3", "python3-venv", "python3-pip", "ca-certificates")
# Emptied like in the real slim image (no package cache, apt lists, docs,
# man pages or translations), which also keeps every vfs copy of it smaller.
PRUNED: Final = (
    "var/cache/apt/archives",
    "var/lib/apt/lists",
    "usr/share/doc",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
)
# Image config of the real python:3.11-slim that the Dockerfile relies on:
# `ENV PATH="/opt/venv/bin:${PATH}"` needs a PATH to extend.
BASE_ENV: Final = {
    "PATH": "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
}
# pip inside the build reaches the package index through a TLS proxy whose CA
# is only in the host's bundle.
HOST_CA_BUNDLE: Final = Path("/etc/ssl/certs/ca-certificates.crt")
RECIPE_LABEL: Final = "timoniere.test.standin-recipe"
INSTALL_HINT: Final = "apt-get install -y buildah debootstrap"


class ImageError(AssertionError):
    """A step failed; the message carries the command and the end of its output."""


def _digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()[:12]


RECIPE: Final = _digest(SUITE, MIRROR, *PACKAGES, *PRUNED, "python->python3")


def tarball_path(cache_dir: Path = CACHE_DIR) -> Path:
    return cache_dir / f"python-3.11-slim-standin-{SUITE}-{RECIPE}.tar"


def why_unavailable(cache_dir: Path = CACHE_DIR) -> str | None:
    """One line saying why the image cannot be built here, or None if it can."""
    if not sys.platform.startswith("linux"):
        return f"image test skipped: buildah needs Linux, not {sys.platform}"
    if os.geteuid() != 0:
        return f"image test skipped: buildah with chroot isolation needs root (uid {os.geteuid()})"
    missing = [tool for tool in ("buildah", "tar") if shutil.which(tool) is None]
    if shutil.which("debootstrap") is None and not tarball_path(cache_dir).exists():
        missing.append("debootstrap")
    if missing:
        return f"image test skipped: {', '.join(missing)} not installed ({INSTALL_HINT})"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"image test skipped: cache folder {cache_dir} not usable ({exc.strerror})"
    return None


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


def run_checked(argv: Sequence[str], *, timeout: float, what: str) -> str:
    """Run a setup step; its combined output on success, ImageError otherwise."""
    try:
        result = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        output = exc.output if isinstance(exc.output, str) else ""
        raise ImageError(f"{what}: timed out after {timeout:.0f} s\n{_tail(output)}") from None
    if result.returncode != 0:
        raise ImageError(
            f"{what}: exit {result.returncode}\n$ {' '.join(argv)}\n{_tail(result.stdout)}"
        )
    return result.stdout


@dataclass(frozen=True)
class Buildah:
    """buildah on a private vfs storage (no overlay or fuse needed), chroot isolation."""

    cache_dir: Path = CACHE_DIR

    def argv(self, *args: str) -> list[str]:
        return [
            "buildah",
            "--root",
            str(self.cache_dir / "storage"),
            "--runroot",
            str(self.cache_dir / "runroot"),
            "--storage-driver",
            "vfs",
            *args,
        ]

    def __call__(self, *args: str, timeout: float = 120, what: str = "buildah") -> str:
        return run_checked(self.argv(*args), timeout=timeout, what=what)

    def run_argv(
        self,
        container: str,
        command: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        volumes: Sequence[tuple[Path, str]] = (),
    ) -> list[str]:
        """`buildah run` as the image's own user. chroot isolation shares the host
        network, so the container reaches and serves 127.0.0.1 like the host."""
        options = ["--isolation", "chroot"]
        for key, value in (env or {}).items():
            options += ["--env", f"{key}={value}"]
        for source, target in volumes:
            options += ["--volume", f"{source}:{target}:ro"]
        return self.argv("run", *options, container, "--", *command)

    def image_config(self, image: str) -> dict[str, Any] | None:
        """The image's Docker-format config, or None if the storage has no such image."""
        result = subprocess.run(
            self.argv("inspect", "--type", "image", image),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            return None
        config: dict[str, Any] = json.loads(result.stdout)["Docker"]["config"]
        return config

    def remove_leftovers(self) -> None:
        """Containers and test images of an earlier run that was killed. Call it
        under `cache_lock`: this storage is private to the test, so whatever is
        in it then belongs to no running test."""
        subprocess.run(self.argv("rm", "--all"), capture_output=True, timeout=300, check=False)
        listing = subprocess.run(
            self.argv("images", "--format", "{{.Name}}:{{.Tag}}"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        for image in listing.stdout.split():
            if image != BASE_TAG:
                self.remove_image(image)
        subprocess.run(self.argv("rmi", "--prune"), capture_output=True, timeout=300, check=False)

    def remove_container(self, container: str) -> None:
        subprocess.run(self.argv("rm", container), capture_output=True, timeout=120, check=False)

    def remove_image(self, image: str) -> None:
        subprocess.run(self.argv("rmi", image), capture_output=True, timeout=120, check=False)


@contextmanager
def cache_lock(cache_dir: Path = CACHE_DIR) -> Iterator[None]:
    """Held while building and using images: two runs must not share a half-made base."""
    with (cache_dir / "lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_rootfs_tarball(cache_dir: Path = CACHE_DIR) -> Path:
    """The debootstrapped stand-in rootfs as a tarball, made once per recipe."""
    tarball = tarball_path(cache_dir)
    if tarball.exists():
        return tarball
    workdir = cache_dir / f"rootfs-{RECIPE}.tmp"
    shutil.rmtree(workdir, ignore_errors=True)
    try:
        run_checked(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={','.join(PACKAGES)}",
                SUITE,
                str(workdir),
                MIRROR,
            ],
            timeout=900,
            what="debootstrap of the python:3.11-slim stand-in",
        )
        for pruned in PRUNED:
            for entry in (workdir / pruned).glob("*"):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
        # The real image has its interpreter at /usr/local/bin/python.
        (workdir / "usr/local/bin/python").symlink_to("/usr/bin/python3")
        partial = tarball.with_suffix(".partial")
        run_checked(
            ["tar", "--numeric-owner", "-C", str(workdir), "-cf", str(partial), "."],
            timeout=300,
            what="tar of the stand-in rootfs",
        )
        partial.rename(tarball)  # atomic: a killed run never leaves a truncated tarball
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return tarball


def ensure_base_image(buildah: Buildah) -> None:
    """The stand-in tagged as python:3.11-slim in the private storage."""
    ca_bundle = HOST_CA_BUNDLE.read_bytes() if HOST_CA_BUNDLE.exists() else b""
    wanted = f"{RECIPE}-{_digest(ca_bundle)}"
    if ((buildah.image_config(BASE_TAG) or {}).get("Labels") or {}).get(RECIPE_LABEL) == wanted:
        return
    tarball = ensure_rootfs_tarball(buildah.cache_dir)
    container = buildah("from", "--pull-never", "scratch", what="buildah from scratch").strip()
    try:
        buildah("add", container, str(tarball), "/", timeout=600, what="import of the stand-in")
        if ca_bundle:
            buildah("copy", container, str(HOST_CA_BUNDLE), str(HOST_CA_BUNDLE), what="CA bundle")
        config = ["--label", f"{RECIPE_LABEL}={wanted}", "--cmd", "python3"]
        for key, value in BASE_ENV.items():
            config += ["--env", f"{key}={value}"]
        buildah("config", *config, container, what="stand-in config")
        buildah.remove_image(BASE_TAG)  # an outdated stand-in
        buildah("commit", "--quiet", container, BASE_TAG, timeout=600, what="stand-in commit")
    finally:
        buildah.remove_container(container)


def build_image(buildah: Buildah, context: Path, dockerfile: Path, tag: str) -> str:
    """Build the Dockerfile unchanged, as `docker build` would; returns the build log."""
    return buildah(
        "bud",
        # Docker's image format, as `docker build` makes: OCI has no HEALTHCHECK.
        "--format",
        "docker",
        "--isolation",
        "chroot",
        "--pull-never",
        "--network",
        "host",
        "--file",
        str(dockerfile),
        "--tag",
        tag,
        str(context),
        timeout=900,
        what=f"build of {dockerfile.relative_to(context)}",
    )
