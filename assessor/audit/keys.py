"""The audit log's keys.

Seal: every event carries an HMAC of its hash with a key of the log's own (AUDIT_SEAL_KEY, or
instance/signing/audit-seal-key made on first use), so someone who can write to the database but
not read the app's files cannot add or re-hash events. Hosts that do not share instance/ set
AUDIT_SEAL_KEY to one value, as they do SECRET_KEY; backups carry instance/signing/.

Checkpoints are signed with the certificate signing key (certificates/settings.py), so
whoever holds the department's certificate can check a head printed on a published list.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from flask import current_app

from ..platform.createonce import create_once

SEAL_FILE = "audit-seal-key"


def seal_key() -> bytes:
    configured = current_app.config.get("AUDIT_SEAL_KEY")
    if configured:
        return str(configured).encode("utf-8")
    cached = current_app.extensions.get("audit_seal_key")
    if cached is None:
        folder = Path(current_app.instance_path) / "signing"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / SEAL_FILE
        if not path.exists():
            create_once(path, secrets.token_hex(32).encode("ascii"))
        cached = current_app.extensions["audit_seal_key"] = path.read_bytes().strip()
    return cached


def seal(event_hash: str) -> str:
    return hmac.new(seal_key(), event_hash.encode("ascii"), hashlib.sha256).hexdigest()


def seal_matches(event_hash: str, event_seal: str) -> bool:
    return hmac.compare_digest(seal(event_hash), event_seal or "")


def _version(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=8)
def _private_key(version: tuple):
    return serialization.load_pem_private_key(Path(version[0]).read_bytes(), password=None)


@functools.lru_cache(maxsize=8)
def _certificate(version: tuple) -> x509.Certificate:
    data = Path(version[0]).read_bytes()
    return (x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data
            else x509.load_der_x509_certificate(data))


def _pair() -> tuple[Path, Path]:
    from ..certificates.settings import signing_pair

    signing = signing_pair()[0]
    return Path(signing.key), Path(signing.cert)


def fingerprint() -> str:
    """SHA-256 fingerprint of the configured signing certificate."""
    return _certificate(_version(_pair()[1])).fingerprint(hashes.SHA256()).hex()


def sign(statement: bytes) -> tuple[str, str]:
    """(the certificate's fingerprint, the signature in base64)."""
    key_path, cert_path = _pair()
    key = _private_key(_version(key_path))
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(statement, padding.PKCS1v15(), hashes.SHA256())
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(statement, ec.ECDSA(hashes.SHA256()))
    else:
        raise ValueError(f"cannot sign checkpoints with a {type(key).__name__}")
    certificate = _certificate(_version(cert_path))
    return certificate.fingerprint(hashes.SHA256()).hex(), base64.b64encode(signature).decode()


def signature_problem(statement: bytes, signer: str, signature: str) -> str | None:
    """None when `signature` is the configured certificate's over `statement`."""
    certificate = _certificate(_version(_pair()[1]))
    if signer != certificate.fingerprint(hashes.SHA256()).hex():
        return f"signed with another certificate ({signer[:16]}…)"
    public = certificate.public_key()
    try:
        raw = base64.b64decode(signature, validate=True)
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(raw, statement, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(raw, statement, ec.ECDSA(hashes.SHA256()))
        else:
            return f"cannot check a {type(public).__name__} signature"
    except (InvalidSignature, ValueError):
        return "the signature does not match"
    return None
