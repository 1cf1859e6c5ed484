"""PAdES signing of certificates: sign, validate, tamper, wrong trust root, key handling."""

from __future__ import annotations

import io
import stat
from datetime import date

import pytest
from cryptography import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm

from assessor.certificates.render import render_certificate
from assessor.certificates.signing import (
    REASON,
    SUBJECT_CN,
    SigningSetupError,
    certificate_fingerprint,
    ensure_signing_pair,
    sign_pdf,
    validate_pdf,
)

FACTS = {
    "organisation": "贵州㵲阳河喆堃新材料有限公司",
    "level_title_zh": "零碳工厂（培育）",
    "level_title_en": "Zero-Carbon Factory (Cultivation)",
    "round_title": "2025年贵州省零碳工厂培育名单（第一批）",
    "criteria_id": "GZ-F-2024",
    "criteria_version": "2024.1",
    "issue_date": date(2025, 6, 1),
    "valid_until": date(2028, 5, 31),
    "serial": "ZC25-SIGN-TEST-0001",
    "verify_url": "http://127.0.0.1:5000/verify/ZC25-SIGN-TEST-0001",
}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    key_path, cert_path, generated = ensure_signing_pair(tmp_path_factory.mktemp("keys"))
    assert generated
    return key_path, cert_path


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    return render_certificate(FACTS)


@pytest.fixture(scope="module")
def signed(unsigned, pair) -> bytes:
    return sign_pdf(unsigned, *pair)


def test_signed_certificate_is_valid_intact_and_trusted(signed, pair):
    result = validate_pdf(signed, pair[1])
    assert result["valid"] is True
    assert result["intact"] is True
    assert result["trusted"] is True
    assert result["modified"] is False
    assert result["signer"] == SUBJECT_CN


def test_signature_is_pades_certification_with_no_changes_allowed(signed):
    signatures = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert len(signatures) == 1
    sig = signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig.sig_object["/Reason"] == REASON
    assert sig.docmdp_level == MDPPerm.NO_CHANGES
    assert sig.md_algorithm == "sha256"


def test_a_flipped_byte_in_the_signed_range_is_not_intact(signed, pair):
    offset = signed.index(b"\n", 9) - 2  # inside the binary comment on line 2: parses the same
    byte_range = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].sig_object["/ByteRange"]
    start, length = int(byte_range[0]), int(byte_range[1])
    assert start <= offset < start + length
    tampered = signed[:offset] + bytes([signed[offset] ^ 0x01]) + signed[offset + 1:]
    result = validate_pdf(tampered, pair[1])
    assert result["valid"] is False
    assert result["intact"] is False
    assert not result["summary"].startswith("unreadable")


def test_a_flipped_byte_in_the_page_content_is_not_intact(signed, pair):
    offset = signed.index(b"stream\n") + 200  # inside the first (page content) stream
    tampered = signed[:offset] + bytes([signed[offset] ^ 0xFF]) + signed[offset + 1:]
    result = validate_pdf(tampered, pair[1])
    assert result["valid"] is False
    assert result["intact"] is False


def test_an_incremental_update_after_signing_is_not_valid(signed, pair):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    info = generic.DictionaryObject({generic.NameObject("/Title"):
                                     generic.TextStringObject("改过的证书")})
    writer.set_info(writer.add_object(info))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    result = validate_pdf(out.getvalue(), pair[1])
    assert result["valid"] is False
    assert result["intact"] is True  # the signed revision itself is untouched
    assert result["modified"] is True


def test_a_different_trust_root_is_not_trusted(signed, tmp_path):
    _, other_cert, generated = ensure_signing_pair(tmp_path / "other")
    assert generated
    result = validate_pdf(signed, other_cert)
    assert result["trusted"] is False
    assert result["valid"] is False
    assert result["intact"] is True


def test_unsigned_or_unreadable_pdfs_are_not_valid(unsigned, pair):
    assert validate_pdf(unsigned, pair[1])["valid"] is False
    for junk in (b"", b"not a pdf", b"%PDF-1.7\n%%EOF\n"):
        result = validate_pdf(junk, pair[1])
        assert not (result["valid"] or result["intact"] or result["trusted"])


def test_signing_twice_keeps_one_valid_signature_each(unsigned, pair):
    first, second = sign_pdf(unsigned, *pair), sign_pdf(unsigned, *pair)
    assert validate_pdf(first, pair[1])["valid"] and validate_pdf(second, pair[1])["valid"]


def test_ensure_signing_pair_makes_a_private_development_pair_once(tmp_path):
    folder = tmp_path / "signing"
    key_path, cert_path, generated = ensure_signing_pair(folder)
    assert generated and key_path.parent == cert_path.parent == folder
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == SUBJECT_CN
    assert cert.subject == cert.issuer  # self-signed
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    key_bytes, fingerprint = key_path.read_bytes(), certificate_fingerprint(cert_path)
    assert ensure_signing_pair(folder) == (key_path, cert_path, False)
    assert key_path.read_bytes() == key_bytes and certificate_fingerprint(cert_path) == fingerprint
    assert len(fingerprint) == 64


def test_ensure_signing_pair_will_not_replace_half_a_pair(tmp_path):
    key_path, cert_path, _ = ensure_signing_pair(tmp_path)
    cert_path.unlink()
    with pytest.raises(SigningSetupError):
        ensure_signing_pair(tmp_path)
    assert key_path.exists()
