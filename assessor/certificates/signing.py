"""PAdES signing of certificate PDFs with pyHanko, and validation against a trust root.

    key, cert, generated = ensure_signing_pair(Path("instance/signing"))
    signed = sign_pdf(render_certificate(facts), key, cert)
    validate_pdf(signed, cert)   # {"valid": True, "intact": True, "trusted": True, "signer": …}

The signature is PAdES B-B (subfilter ETSI.CAdES.detached, SHA-256) and a certification
signature with DocMDP "no changes allowed": any later incremental update makes it invalid.
ensure_signing_pair makes a self-signed *development* key and certificate; it proves integrity
only to whoever imports that certificate. Production needs a key whose certificate a recognised
CA issued (software.md §5.2). Keys live outside the repository (instance/ or a path from
config); tests use a temporary folder.
"""

from __future__ import annotations

import functools
import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from ..platform.createonce import create_once

KEY_FILE = "certificate-signing-key.pem"
CERT_FILE = "certificate-signing-cert.pem"
SUBJECT_CN = "贵州省工业和信息化厅（开发用自签名证书）"
SUBJECT_O = "Guizhou DIIT development"
REASON = "零碳工厂/园区培育名单证书"
LOCATION = "贵州省贵阳市 / Guiyang, Guizhou"
FIELD_NAME = "CertificateSignature"
DEV_CERT_DAYS = 3 * 365
HALF_PAIR_WAITS = 50  # tenths of a second a certificate may wait for its key


@dataclass(frozen=True)
class Signing:
    """The signing material: key and certificate files, and the signer as the PDF names it."""

    key: Path
    cert: Path
    signer: str


class SigningSetupError(RuntimeError):
    """The signing key folder is in a state we will not repair automatically."""


def ensure_signing_pair(folder: Path) -> tuple[Path, Path, bool]:
    """Key and certificate paths in ``folder``; make a self-signed development pair if none.

    Returns (key_path, cert_path, generated). Processes doing this at the same moment agree on
    one pair: the first to create the certificate file wins and then adds its key; the others
    wait for that key. Raises SigningSetupError when only one of the two files exists (a lost
    certificate or key is not silently replaced).
    """
    folder = Path(folder)
    key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
    if not key_path.exists() and not cert_path.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        key_pem, cert_pem = _development_pair()
        if create_once(cert_path, cert_pem, mode=0o644):
            try:
                create_once(key_path, key_pem)
            except OSError:
                cert_path.unlink(missing_ok=True)  # leave no half pair behind
                raise
            return key_path, cert_path, True
    for _ in range(HALF_PAIR_WAITS):  # a certificate alone: its key may be on its way
        if key_path.exists() and cert_path.exists():
            return key_path, cert_path, False
        if key_path.exists():  # a key alone is never a pair in the making
            break
        time.sleep(0.1)
    raise SigningSetupError(
        f"{folder} holds only one of {KEY_FILE} and {CERT_FILE}; restore or remove it")


def _development_pair() -> tuple[bytes, bytes]:
    """(private key, self-signed certificate), PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "贵州省"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, SUBJECT_O),
        x509.NameAttribute(NameOID.COMMON_NAME, SUBJECT_CN),
    ])
    now = datetime.now(UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=DEV_CERT_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def _file_version(path: Path) -> tuple[str, int, int]:
    stat = Path(path).stat()
    return str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size


class _ParsedKeySigner(signers.SimpleSigner):
    """SimpleSigner that parses its private key once.

    pyHanko 0.38's SimpleSigner.sign_raw re-parses the DER key for every raw signature (two per
    PDF: the size estimate and the real one), and cryptography's RSA key check makes each parse
    ~90 ms for RSA-3072. Plain RSA PKCS#1 v1.5 and ECDSA are signed here with the parsed key;
    every other mechanism goes to pyHanko unchanged.
    """

    @functools.cached_property
    def _private_key(self):
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            return super().sign_raw(data, digest_algorithm)
        key, hash_algo = self._private_key, get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), hash_algo)
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


@functools.lru_cache(maxsize=8)
def _signer(key_version: tuple, cert_version: tuple) -> signers.SimpleSigner:
    """The signer for a key/certificate file pair, reloaded when either file changes."""
    loaded = signers.SimpleSigner.load(key_version[0], cert_version[0])
    if loaded is None:
        raise SigningSetupError("could not load the signing key and certificate")
    return _ParsedKeySigner(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                            cert_registry=loaded.cert_registry)


def sign_pdf(pdf: bytes, key_path: Path, cert_path: Path) -> bytes:
    """``pdf`` with a PAdES B-B certification signature (no later changes allowed)."""
    signer = _signer(_file_version(key_path), _file_version(cert_path))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        reason=REASON, location=LOCATION, certify=True, docmdp_permissions=MDPPerm.NO_CHANGES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.sign_pdf(writer, meta, signer=signer, output=io.BytesIO(),
                           bytes_reserved=_room(signer))
    return out.getvalue()


def _room(signer: signers.SimpleSigner) -> int:
    """Hex digits to reserve for the signature: its certificates, the signature and the signed
    attributes fit in their DER size plus 8 KiB, twice over for hex. Without it pyHanko makes
    a whole dummy signature first to measure one (half the signing time)."""
    certificates = [signer.signing_cert, *signer.cert_registry]
    return 2 * (sum(len(c.dump()) for c in certificates) + 8192)


def _common_name(subject) -> str:
    names = [value for key, value in subject.native.items() if key == "common_name"]
    return str(names[0]) if names else subject.human_friendly


def certificate_fingerprint(cert_path: Path) -> str:
    """SHA-256 fingerprint (hex, lower case) of the PEM or DER certificate at ``cert_path``."""
    data = Path(cert_path).read_bytes()
    cert = (x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data
            else x509.load_der_x509_certificate(data))
    return cert.fingerprint(hashes.SHA256()).hex()


@functools.lru_cache(maxsize=8)
def _trust_root(cert_version: tuple):
    return load_cert_from_pemder(cert_version[0])


def validate_pdf(pdf: bytes, cert_path: Path) -> dict:
    """Check every signature in ``pdf`` with the certificate at ``cert_path`` as trust root.

    Returns {"valid", "intact", "trusted", "signer", "signed_at", "modified", "summary"}:
    intact: the signed bytes hash to what was signed; trusted: the signer chains to the
    trust root; valid: intact, trusted and no change after signing that the DocMDP policy
    forbids (pyHanko's bottom line), for every signature. signer is the signing certificate's
    common name (of the first signature), signed_at the signing time it claims (ISO 8601, not
    proof: B-B has no timestamp), modified whether anything was appended after it. A file that
    cannot be parsed, or has no signature, gives all False.
    """
    result = {"valid": False, "intact": False, "trusted": False, "signer": "", "signed_at": "",
              "modified": False, "summary": "no signature"}
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
        if not embedded:
            return result
        root = _trust_root(_file_version(cert_path))
        statuses = [validate_pdf_signature(
            sig, ValidationContext(trust_roots=[root], allow_fetching=False)) for sig in embedded]
    except Exception as exc:  # a damaged file is an answer, not a crash
        result["summary"] = f"unreadable: {type(exc).__name__}: {exc}"[:300]
        return result
    first = statuses[0]
    result.update(
        valid=all(s.bottom_line for s in statuses),
        intact=all(s.intact and s.valid for s in statuses),
        trusted=all(s.trusted for s in statuses),
        signer=_common_name(first.signing_cert.subject),
        signed_at=first.signer_reported_dt.isoformat() if first.signer_reported_dt else "",
        modified=any(s.coverage is None or s.coverage.name != "ENTIRE_FILE" for s in statuses),
        summary="; ".join(s.summary() for s in statuses),
    )
    return result
