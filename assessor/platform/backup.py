"""Backups: a consistent copy of the database with the files the app keeps, and their restore.

SQLite is copied with its online backup API (consistent while the app runs); PostgreSQL with
pg_dump. Files go into a tar by part name (uploads, certificates, job files, signing keys, the
secret key, config.py), each taken from and restored to wherever the configuration puts it, so
shared folders outside instance/ are included. A manifest records every part's SHA-256, and
restore checks them before touching anything.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def file_parts(instance: Path, config) -> dict[str, Path]:
    """Where each part of the files lives under this configuration."""
    return {"uploads": Path(config["UPLOAD_FOLDER"]),
            "certificates": Path(config["CERTIFICATE_FOLDER"]),
            "job-files": Path(config["JOB_FOLDER"]),
            "signing": instance / "signing",
            "secret_key": instance / "secret_key",
            "config.py": instance / "config.py"}


def backup(database_url: str, parts: dict[str, Path], target: Path) -> Path:
    """Write a backup folder under `target`; returns it. `parts` maps part names to paths."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = target / f"assessor-backup-{stamp}"
    folder.mkdir(parents=True)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        database = folder / "database.sqlite3"
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(database)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    elif url.get_backend_name() == "postgresql":
        database = folder / "database.dump"
        done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={database}",
                               _libpq(database_url)], capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    else:
        raise BackupError(f"no backup method for {url.get_backend_name()}")
    files = folder / "instance.tar.gz"
    with tarfile.open(files, "w:gz") as archive:
        for name, path in parts.items():
            if path.exists():
                archive.add(path, arcname=name)
    manifest = {"created": stamp, "backend": url.get_backend_name(),
                "parts": {p.name: _sha256(p) for p in (database, files)}}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def restore(folder: Path, database_url: str, parts: dict[str, Path]) -> None:
    """Bring a backup back: database and files. Refuses a damaged or mismatched backup."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{folder} is not a backup (no manifest.json)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name, digest in manifest["parts"].items():
        if not (folder / name).exists() or _sha256(folder / name) != digest:
            raise BackupError(f"{name} is missing or damaged: nothing was restored")
    url = make_url(database_url)
    if url.get_backend_name() != manifest["backend"]:
        raise BackupError(f"the backup is of {manifest['backend']}, the database is "
                          f"{url.get_backend_name()}")
    if manifest["backend"] == "sqlite":
        source = sqlite3.connect(folder / "database.sqlite3")
        live = sqlite3.connect(url.database)
        with live:
            source.backup(live)
        live.close()
        source.close()
    else:
        done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner",
                               f"--dbname={_libpq(database_url)}",
                               str(folder / "database.dump")], capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    with tempfile.TemporaryDirectory() as unpacked, \
            tarfile.open(folder / "instance.tar.gz", "r:gz") as archive:
        archive.extractall(unpacked, filter="data")
        for name, path in parts.items():  # replace only what the backup holds
            saved = Path(unpacked) / name
            if not saved.exists():
                continue
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(saved, path)
