"""The what-if page's form: where the draft comes from, one field per gate threshold and level
minimum of the current set (named as the page posts them), so a refusal is shown on its field."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField


class WhatIfForm(FlaskForm):
    source = StringField(default="edit")
    criteria_id = StringField(_l("评价标准"))
    draft = FileField(_l("评价标准草案文件"))


def whatif_form(gates, levels, english: bool) -> WhatIfForm:
    """The form with a field per gate (`gate-<id>`) and level minimum (`level-<id>`)."""
    fields = {f"gate-{g.id}": StringField(f"{g.id} {g.title.en if english else g.title.zh}")
              for g in gates}
    fields.update({f"level-{lv.id}": StringField(
        _("等级最低总分") + "·" + (lv.title.en if english else lv.title.zh)) for lv in levels})
    return type("RoundWhatIfForm", (WhatIfForm,), fields)()
