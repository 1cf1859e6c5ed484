"""What certificates take from the configuration: the department's signing key and certificate
(configured paths in instance/, or a self-signed development pair generated there, and said so,
when none is configured), the department's name and seal, the folder, the validity and the
public verify link."""

from __future__ import annotations

import logging
from pathlib import Path

from cryptography import x509
from flask import current_app

from ..publication.official import department
from .seal import seal_data_url, seal_file, write_demo_seal
from .signing import Signing, ensure_signing_pair

log = logging.getLogger(__name__)


def signing_pair() -> tuple[Signing, bool]:
    """(the signing material, whether a development pair was just generated)."""
    config = current_app.config
    instance = Path(current_app.instance_path)
    if config.get("CERT_SIGNING_KEY") and config.get("CERT_SIGNING_CERT"):
        key, cert = instance / config["CERT_SIGNING_KEY"], instance / config["CERT_SIGNING_CERT"]
        generated = False
    else:
        key, cert, generated = ensure_signing_pair(instance / "signing")
        if generated:
            # info: `certificates setup` and the publication page tell the user themselves
            log.info("no signing certificate configured: generated a self-signed "
                        "development pair in %s", cert.parent)
    subject = x509.load_pem_x509_certificate(cert.read_bytes()).subject.rfc4514_string()
    return Signing(key, cert, subject), generated


def development_signing() -> bool:
    """Whether certificates are signed with the development pair (no department key set)."""
    config = current_app.config
    return not (config.get("CERT_SIGNING_KEY") and config.get("CERT_SIGNING_CERT"))


def seal() -> str:
    """The seal to print, as a data: URL; "" when there is none (nothing is printed)."""
    return seal_data_url(seal_file(Path(current_app.instance_path),
                                   current_app.config.get("CERT_SEAL_IMAGE") or "",
                                   development_signing()))


def official() -> dict:
    """The department's name and seal, as the certificate and the list's PDF print them."""
    named = department(current_app.config)
    return {"issuer_zh": named["zh"], "issuer_en": named["en"], "seal": seal()}


def write_specimen_seal() -> Path | None:
    """The demo's 样章 in instance/, while the development signing pair is in use and no seal
    of the department's is configured (`demo`, `certificates setup`)."""
    if not development_signing() or current_app.config.get("CERT_SEAL_IMAGE"):
        return None
    return write_demo_seal(Path(current_app.instance_path), department(current_app.config)["zh"])


def verify_url(public_base_url: str, serial: str) -> str:
    """The public page that says whether a certificate is valid (printed on it as a QR code)."""
    return f"{public_base_url.rstrip('/')}/verify/{serial}"


class NoPublicAddress(Exception):
    """Neither PUBLIC_BASE_URL nor the address the app is served at is known."""


def public_base_url(served_at: str = "") -> str:
    """Where verify links point: PUBLIC_BASE_URL when set, else the address the app is served at
    (the request that started the issuing, or the command line's --base-url)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or served_at
    if not base:
        raise NoPublicAddress("PUBLIC_BASE_URL is not set and the address the app is served "
                              "at is not known")
    return base


def issue_settings(served_at: str = "") -> dict:
    """What issuing certificates needs from the configuration, as keyword arguments of
    certificates.issue_for_round: the folder, the signing material, the validity, the verify link
    (on `served_at` when PUBLIC_BASE_URL is not set)."""
    config = current_app.config
    base = public_base_url(served_at)
    return {"folder": Path(config["CERTIFICATE_FOLDER"]), "signing": signing_pair()[0],
            "valid_years": int(config["CERTIFICATE_VALID_YEARS"]), "official": official(),
            "verify_url": lambda serial: verify_url(base, serial)}
