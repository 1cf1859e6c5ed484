"""The YAML view of a criteria version: the set's file as text, for those who prefer it; a
mistake is shown by line and column and nothing is saved until the whole file loads."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import PROVINCE_OFFICER
from ..platform import db
from ..platform.i18n import is_english
from ..platform.refusal import return_to
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404
from . import files as version_files
from . import services
from .blueprint import bp
from .forms import YamlForm
from .models import CriteriaVersion


@bp.route("/<int:version_id>/yaml", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def yaml_text(version_id: int):
    dbs = db.session()
    version = get_or_404(CriteriaVersion, version_id)
    if version.kind != "criteria":
        return redirect(url_for("criteria.show", version_id=version.id))
    name, text = version_files.main_file(version.files)
    form = YamlForm(text=text, lock_version=str(version.lock_version))
    problems = []
    if form.validate_on_submit():
        return_to(url_for("criteria.yaml_text", version_id=version.id))
        new_text = form.text.data.replace("\r\n", "\n")
        files = {**version.files, name: new_text}
        problems = services.text_problems(dbs, version, new_text)
        if not problems:
            try:
                lock = int(form.lock_version.data or -1)
            except ValueError:
                lock = -1
            try:
                services.save_files(dbs, current_user, version, files, lock_version=lock,
                                    what=_("YAML 文本"))
            except services.VersionRefused as error:
                form.text.errors = [*form.text.errors, error.zh]
            else:
                flash(_("已保存。"))
                return redirect(url_for("criteria.show", version_id=version.id))
        else:
            form.text.errors = [_("共 %(n)s 处问题，未保存；请按行号修改", n=len(problems))]
    english = is_english()
    shown = [(p.line, p.column, p.where, p.en if english else p.zh) for p in problems]
    status = 422 if form.errors or problems else 200
    return render_template("criteria/yaml.html", version=version, form=form, name=name,
                           problems=shown, editable=version.state == "draft"), status
