"""Publishing a list signs the audit log's head, and the list's PDF prints that head and its
signature, so anyone holding the PDF can check that the log has not been cut off or rewritten."""

import io
import re

from pypdf import PdfReader
from sqlmodel import select

from assessor.audit import AuditCheckpoint, AuditEvent
from assessor.audit.keys import signature_problem


def test_the_list_pdf_prints_the_head_signed_at_publication(app, dbs, published, runner):
    made = dbs.exec(select(AuditCheckpoint).where(AuditCheckpoint.occasion == "publication")).one()
    publish_event = dbs.exec(select(AuditEvent).where(AuditEvent.action == "publish_list")).one()
    assert (made.round_id, made.head_id, made.head_hash) == (published.id, publish_event.id,
                                                              publish_event.hash)
    assert signature_problem(made.statement(), made.signer, made.signature) is None
    pdf = app.test_client().get(f"/lists/{published.id}.pdf")
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data))
                                      .pages))
    assert made.head_hash in text and made.signature in text
    assert f"--head{made.head_id}:{made.head_hash}" in text
    # the head printed is what `audit verify --head` checks
    result = runner.invoke(args=["audit", "verify", "--head", f"{made.head_id}:{made.head_hash}"])
    assert result.exit_code == 0, result.output
