from __future__ import annotations

from io import BytesIO
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import NotFound

from .. import jobs
from ..accounts.models import PROVINCE_OFFICER
from ..applications import claim_ranges
from ..applications.models import Application
from ..certificates import issue as certificates
from ..certificates.settings import official, signing_pair
from ..platform import db, pagecache
from ..platform.engine_service import criteria_engine
from ..platform.formkit import flat_errors
from ..platform.hardening import framable_by_this_site
from ..platform.ratelimit import limiter
from ..platform.refusal import Refused, on_form
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404, today
from ..rounds.models import Round
from . import filing, queries, services
from .exports import list_pdf, list_workbook
from .forms import (
    FilingCallForm,
    HolidayForm,
    IssueForm,
    ObjectionDecisionForm,
    ObjectionForm,
    PublicityForm,
    PublishForm,
    ReasonForm,
    VerifyUploadForm,
    on_fields,
)
from .models import Certificate, FilingCall, Listing, Objection
from .official import PROGRAMMES

public = Blueprint("public", __name__)
LIST_PAGE_SIZE = 100  # lines of a published list on one page
bp = Blueprint("publication", __name__, url_prefix="/publication")


# -- public pages (no sign-in) -----------------------------------------------------------------

@public.get("/publicity")
def publicity_index():
    return render_template("publication/publicity_index.html",
                           current=queries.current_publicities(db.session(), today()))


def _round_key() -> str:
    return f"round-{request.view_args.get('round_id')}"


@public.route("/publicity/<int:round_id>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["OBJECTION_LIMIT_PER_ADDRESS"], methods=["POST"],
               error_message=lambda: _("您所在的网络地址提交异议过于频繁，暂不能再提交。"))
@limiter.limit(lambda: current_app.config["OBJECTION_LIMIT_PER_ROUND"], methods=["POST"],
               key_func=_round_key, error_message=lambda: _("本批次公示收到的异议已达上限，暂不能再提交。"))
def publicity(round_id: int):
    dbs = db.session()
    round_ = get_or_404(Round, round_id)
    period = services.publicity_of(dbs, round_)
    if period is None:
        abort(404)
    rows = services.publicity_rows(dbs, round_)
    form = ObjectionForm()
    if request.method == "POST":
        application = queries.objection_target(dbs, round_, form.application.data)
        if application is None:
            form.application.errors = [_("请选择异议对象")]
        else:
            try:  # the refusal is shown on its fields, the form keeping what was typed
                objection = _file_objection(dbs, application, form)
            except services.PublicationError as error:
                dbs.rollback()
                on_fields(form, getattr(error, "found", [(error.field, error.zh)]))
            else:
                return render_template("publication/objection_received.html",
                                       objection=objection, round=round_)
    failed = bool(flat_errors(form))
    return render_template("publication/publicity.html", round=round_, period=period, rows=rows,
                           open=services.in_period(period, today()), form=form,
                           values=form.values() if request.method == "POST" else {}
                           ), (422 if failed else 200)


def _file_objection(dbs, application: Application, form: ObjectionForm):
    largest = int(current_app.config["OBJECTION_ATTACHMENT_MAX_BYTES"])
    attachments = [(upload.filename, upload.read(largest + 1))  # enough to refuse
                   for field in request.files for upload in request.files.getlist(field)
                   if upload.filename]
    return services.file_objection(
        dbs, application, name=form.name.data, contact=form.contact.data,
        reason=form.reason.data, attachments=attachments,
        folder=Path(current_app.config["UPLOAD_FOLDER"]), today=today(),
        max_attachment_bytes=largest)


@public.get("/lists")
def lists_index():
    return render_template("publication/lists_index.html", programmes=PROGRAMMES,
                           rounds=services.published_rounds(db.session()))


def _published(round_id: int) -> Round:
    round_ = get_or_404(Round, round_id)
    period = services.publicity_of(db.session(), round_)
    if period is None or period.published_on is None:
        abort(404)
    return round_


@public.get("/lists/<int:round_id>")
def published_list(round_id: int):
    return pagecache.public_page(lambda: _published_list_page(round_id))


def _published_list_page(round_id: int) -> str:
    dbs = db.session()
    round_ = _published(round_id)
    entries, total, page, pages = services.listings_page(
        dbs, round_, request.args.get("page", 1, type=int), LIST_PAGE_SIZE)
    return render_template("publication/list.html", round=round_, entries=entries,
                           programme=PROGRAMMES[round_.subject],
                           period=services.publicity_of(dbs, round_),
                           serials=certificates.latest_of_listings(dbs, [e.id for e in entries]),
                           total=total, page=page, pages=pages, first=(page - 1) * LIST_PAGE_SIZE)


@public.get("/lists/<int:round_id>.xlsx")
def published_list_xlsx(round_id: int):
    round_ = _published(round_id)
    return send_file(BytesIO(list_workbook(db.session(), round_)), as_attachment=True,
                     download_name=f"cultivation-list-{round_.id}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@public.get("/lists/<int:round_id>.pdf")
def published_list_pdf(round_id: int):
    round_ = _published(round_id)
    return send_file(BytesIO(list_pdf(db.session(), round_, official())), as_attachment=True,
                     download_name=f"cultivation-list-{round_.id}.pdf",
                     mimetype="application/pdf")


@public.get("/verify")
def verify_form():
    serial = request.args.get("serial", "").strip()
    if serial:
        return redirect(url_for("public.verify", serial=serial.upper()))
    return render_template("publication/verify_form.html")


@public.route("/verify/<serial>", methods=["GET", "POST"])
def verify(serial: str):
    try:
        if request.method == "GET":
            return pagecache.public_page(lambda: _verify_page(serial))
        return _verify_page(serial)
    except NotFound:
        # not kept (only found pages are): rendered here, out of the kept page's CSRF stand-in
        return render_template("publication/verify_form.html", unknown=serial), 404


def _verify_page(serial: str) -> str:
    certificate = certificates.find(db.session(), serial)
    if certificate is None:
        abort(404)
    check, form = None, None
    if request.method == "POST":
        form = VerifyUploadForm()
        upload = form.pdf.data
        if upload is None or not upload.filename:
            form.pdf.errors = [_("请选择文件")]
        else:
            check = "match" if certificates.matches(certificate, upload.read()) else "mismatch"
    return render_template("publication/verify.html", certificate=certificate, upload=form,
                           status=certificates.status(certificate, today()), check=check,
                           removed=queries.listing_removed(db.session(), certificate))


# -- the officer's publication page ------------------------------------------------------------

@bp.get("/rounds/<int:round_id>")
@roles_required(PROVINCE_OFFICER)
def manage(round_id: int):
    return _manage_page(get_or_404(Round, round_id))


def _manage_page(round_: Round, failed=None):
    """The page; with `failed`, the form whose problems it lists at the top (422)."""
    dbs = db.session()
    publish_form = failed if isinstance(failed, PublishForm) else PublishForm(formdata=None)
    page = render_template("publication/manage.html", round=round_, failed=failed,
                           publish_form=publish_form, **queries.manage_page(dbs, round_, today()),
                           job=jobs.visible(dbs, current_user, request.args.get("job", type=int)))
    return page, (422 if failed else 200)


def _manage_url(round_id: int, **extra) -> str:
    return url_for("publication.manage", round_id=round_id, **extra)


def _on_page(round_: Round, form, act, default: str | None = None):
    """`act()` once the form is valid; an invalid form, or a refusal, shows the page again with
    the problem on the form's field (`default` when the refusal names none), listed at the top."""
    if not form.validate():
        return _manage_page(round_, form)
    try:
        return act()
    except Refused as error:
        on_form(form, error, default)
        return _manage_page(round_, form)


def _named(form, field: str, element_id: str, label: str):
    """A form of one line of the page: its field's id and label name the line."""
    form[field].id, form[field].label.text = element_id, label
    return form


def _done(round_id: int, message: str):
    flash(message)
    return redirect(_manage_url(round_id))


@bp.post("/rounds/<int:round_id>/publicity")
@roles_required(PROVINCE_OFFICER)
def open_publicity(round_id: int):
    round_ = get_or_404(Round, round_id)
    form = PublicityForm()

    def act():
        services.open_publicity(db.session(), criteria_engine(), current_user, round_,
                                form.starts_on.data, today())
        return _done(round_id, _("公示已开始。"))
    return _on_page(round_, form, act, "starts_on")


@bp.post("/holidays")
@roles_required(PROVINCE_OFFICER)
def holidays():
    form = HolidayForm()
    round_ = get_or_404(Round, form.round.data or 0)

    def act():
        if form.remove.data:
            services.unmark_holiday(db.session(), current_user, form.day.data)
            return _done(round_.id, _("已取消节假日。"))
        services.mark_holiday(db.session(), current_user, form.day.data, form.name.data)
        return _done(round_.id, _("已标记节假日。"))
    return _on_page(round_, form, act, "name")


@bp.post("/objections/<int:objection_id>")
@roles_required(PROVINCE_OFFICER)
def handle_objection(objection_id: int):
    objection = get_or_404(Objection, objection_id)
    round_ = get_or_404(Round, get_or_404(Application, objection.application_id).round_id)
    form = _named(ObjectionDecisionForm(), "reason", f"objection-{objection.id}-reason",
                  _("异议 %(ref)s 的处理理由", ref=objection.reference))

    def act():
        services.handle_objection(db.session(), criteria_engine(), current_user, objection,
                                  upheld=form.upheld, reason=form.reason.data, today=today())
        return _done(round_.id, _("异议已处理。"))
    return _on_page(round_, form, act, "reason")


@bp.get("/objections/<int:objection_id>/attachment")
@roles_required(PROVINCE_OFFICER)
def objection_attachment(objection_id: int):
    """The objection's file, opened in place (PDF or image) for the officers."""
    objection = get_or_404(Objection, objection_id)
    if not objection.attachment_stored:
        abort(404)
    path = Path(current_app.config["UPLOAD_FOLDER"]) / objection.attachment_stored
    if not path.is_file():
        abort(404)
    return framable_by_this_site(send_file(
        path, mimetype=objection.attachment_type, download_name=objection.attachment_name,
        as_attachment=not (objection.attachment_type or "").startswith(("image/", "application/pdf"))))


@bp.post("/rounds/<int:round_id>/publish")
@roles_required(PROVINCE_OFFICER)
def publish(round_id: int):
    round_ = get_or_404(Round, round_id)

    form = PublishForm()

    def act():
        services.publish_list(db.session(), criteria_engine(), current_user, round_, today(),
                              document_number=form.document_number.data)
        return _done(round_id, _("培育名单已发布。"))
    return _on_page(round_, form, act, "confirm")


@bp.post("/rounds/<int:round_id>/certificates")
@roles_required(PROVINCE_OFFICER)
def issue(round_id: int):
    round_ = get_or_404(Round, round_id)
    return _on_page(round_, IssueForm(), lambda: _start_issuing(round_), "confirm")


def _start_issuing(round_: Round):
    _signing, generated = signing_pair()
    if generated:
        flash(_("未配置签名证书：已生成开发用自签名证书（仅供测试）。"), "error")
    job = jobs.start("certificates", _("%(round)s 证书签发", round=round_.title), current_user.id,
                     "certificates.issue_round", round_id=round_.id, officer_id=current_user.id,
                     today=today().isoformat(), served_at=request.host_url)
    return redirect(_manage_url(round_.id, job=job.id))


@bp.get("/jobs/<int:job_id>")
@roles_required(PROVINCE_OFFICER)
def job_status(job_id: int):
    """The job page's old address."""
    return redirect(url_for("jobs.show", job_id=job_id), 301)


@bp.post("/listings/<int:listing_id>/remove")
@roles_required(PROVINCE_OFFICER)
def remove(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    form = _named(ReasonForm(), "reason", f"listing-{listing.id}-reason",
                  _("%(name)s 的移出理由", name=listing.organisation_name))

    def act():
        services.remove_listing(db.session(), criteria_engine(), current_user, listing,
                                form.reason.data, today())
        return _done(listing.round_id, _("已移出名单，证书已撤销。"))
    return _on_page(get_or_404(Round, listing.round_id), form, act, "reason")


@bp.post("/certificates/<int:certificate_id>/revoke")
@roles_required(PROVINCE_OFFICER)
def revoke(certificate_id: int):
    certificate = get_or_404(Certificate, certificate_id)
    listing = get_or_404(Listing, certificate.listing_id)
    form = _named(ReasonForm(), "reason", f"certificate-{certificate.id}-reason",
                  _("证书 %(serial)s 的撤销理由", serial=certificate.serial))

    def act():
        services.revoke(db.session(), current_user, certificate, form.reason.data)
        return _done(listing.round_id, _("证书已撤销。"))
    return _on_page(get_or_404(Round, listing.round_id), form, act, "reason")


@bp.get("/certificates/<int:certificate_id>.pdf")
def certificate_pdf(certificate_id: int):
    """The signed PDF: for officers, and for the certificate holder's own users."""
    if not current_user.is_authenticated:
        abort(404)
    certificate = get_or_404(Certificate, certificate_id)
    if not certificates.may_download(db.session(), current_user, certificate):
        abort(404)
    return send_file(Path(current_app.config["CERTIFICATE_FOLDER"]) / certificate.stored_name,
                     mimetype="application/pdf", as_attachment=True,
                     download_name=f"certificate-{certificate.serial}.pdf")


# -- annual filing -----------------------------------------------------------------------------

@bp.post("/rounds/<int:round_id>/filings")
@roles_required(PROVINCE_OFFICER)
def open_filing(round_id: int):
    round_ = get_or_404(Round, round_id)
    form = FilingCallForm()

    def act():
        filing.open_call(db.session(), current_user, round_, form.year.data, form.deadline.data,
                         today())
        return _done(round_id, _("已发起年度数据报送。"))
    return _on_page(round_, form, act, "year")


@bp.get("/filings/<int:call_id>")
@roles_required(PROVINCE_OFFICER)
def filing_overview(call_id: int):
    call = get_or_404(FilingCall, call_id)
    rows = filing.overview(db.session(), criteria_engine(), call, today())
    return render_template("publication/filing_overview.html", call=call,
                           round=get_or_404(Round, call.round_id), rows=rows,
                           claims_elsewhere=claim_ranges.shown_for_filings(
                               db.session(), [r["filing"].id for r in rows if r["filing"]]))
