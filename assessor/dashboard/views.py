"""Dashboards: what waits for each user, and their notifications."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..accounts.models import APPLICANT, CITY_OFFICER, PROVINCE_OFFICER
from ..accounts.regions import city_name
from ..applications import services
from ..applications.workflow import MOVES, STATE_TITLES
from ..charts import round_charts
from ..platform import db, versioned
from ..platform.engine_service import criteria_engine
from ..platform.formkit import flat_errors
from ..platform.viewkit import beijing_date, beijing_time
from ..platform.viewkit import today as app_today
from ..portal.views import front_door
from ..review.aggregate import method_title
from ..rounds.statistics import round_statistics
from . import queries

bp = Blueprint("dashboard", __name__)

WAITING = {APPLICANT: ("draft", "returned"), CITY_OFFICER: ("submitted",),
           PROVINCE_OFFICER: ("recommended", "in_review")}
ACTION_TITLES = {
    **{m.action: (m.zh, m.en) for m in MOVES.values()},
    "create": ("创建申报", "Created"), "add_evidence": ("上传证明材料", "Evidence added"),
    "remove_evidence": ("删除证明材料", "Evidence removed"),
    "change_evidence_kind": ("更改证明材料用途", "Evidence kind changed"),
    "assign_expert": ("分配评审专家", "Expert assigned"),
    "declare_no_conflict": ("专家声明无利益冲突", "Expert declared no conflict"),
    "decline_assignment": ("专家谢绝评审", "Expert declined"),
    "review_conflict": ("专家存在利益冲突，评审中止", "Expert conflict of interest: review stopped"),
    "save_review": ("专家保存评审草稿", "Review draft saved"),
    "submit_review": ("专家提交评审", "Review submitted"),
    "add_inspection_photo": ("专家上传现场核查照片", "Site inspection photo added"),
    "reopen_review": ("评审退回专家修改", "Review reopened"),
    "expire_assignment": ("评审任务逾期收回", "Assignment expired"),
    "file_objection": ("公示期收到异议", "Objection filed"),
    "handle_objection": ("处理公示异议", "Objection handled"),
}
ROLE_TITLES = {"applicant": ("申报单位", "Applicant"), "city_officer": ("市（州）工作人员", "City officer"),
               "province_officer": ("省厅工作人员", "Province officer"),
               "expert": ("评审专家", "Expert"), "admin": ("系统管理员", "Administrator")}


@bp.app_template_filter("localtime")
def localtime(value) -> str:
    """A stored time as Beijing time (whatever the server's zone)."""
    return beijing_time(value) if value else "—"


@bp.app_template_filter("localdate")
def localdate(value) -> str:
    return beijing_date(value).isoformat() if value else "—"


bp.add_app_template_global(flat_errors, "flat_errors")


_UNREAD = "assessor.unread_count"  # on the request: g outlives it when an app context is open


@bp.app_context_processor
def helpers():
    from flask_babel import get_locale

    english = str(get_locale()) == "en"

    def pick(pair):
        return pair[1] if english else pair[0]

    unread = 0
    if current_user.is_authenticated:  # asked once however many templates a page renders
        if _UNREAD not in request.environ:
            request.environ[_UNREAD] = queries.unread_count(db.session(), current_user)
        unread = request.environ[_UNREAD]
    return {
        "role_title": lambda role: pick(ROLE_TITLES.get(role, (role, role))),
        "state_title": lambda state: pick(STATE_TITLES.get(state, (state, state))),
        "action_title": lambda action: pick(ACTION_TITLES.get(action, (action, action))),
        "city_name": lambda city: city_name(city, english) or "—",
        "method_title": method_title,
        "subject_title": lambda s: pick({"factory": ("零碳工厂", "Zero-carbon factory"),
                                         "park": ("零碳工业园区", "Zero-carbon park")}.get(s, (s, s))),
        "today": app_today(),
        "unread_count": unread,
        "english": english,
        "get_locale": get_locale,
        "pick": pick,
    }


@bp.get("/")
def home():
    if not current_user.is_authenticated:  # visitors get the public front door
        return front_door()
    dbs = db.session()
    charts_html = ""
    if current_user.role in (CITY_OFFICER, PROVINCE_OFFICER):  # whole cities: kept per version
        lang = "en" if str(get_locale()) == "en" else "zh"
        counts, charts_html = versioned.kept(
            ("dashboard", current_user.role, current_user.city, lang),
            lambda: (services.state_counts(dbs, current_user), Markup(render_template(
                "dashboard/round_charts.html",
                round_chart_sets=_round_chart_sets(dbs, current_user, lang)))))
    else:
        counts = services.state_counts(dbs, current_user)
    waiting = {s: counts.get(s, 0) for s in WAITING.get(current_user.role, ())}
    rounds = queries.rounds_not_closed(dbs, current_user, app_today())
    return render_template("dashboard/home.html", counts=counts, waiting=waiting, rounds=rounds,
                           no_access=current_user.role not in WAITING,
                           round_charts=charts_html)


def _round_chart_sets(dbs, user, lang) -> list[tuple[str, list[dict]]]:
    """(title, charts) of the latest four rounds, from the counts the database makes."""
    latest = queries.latest_rounds(dbs)
    statistics = round_statistics(dbs, criteria_engine(), user, latest)
    return [(r.title, round_charts(None, summary=statistics[r.id], marks=_level_marks(r, lang),
                                   lang=lang, all_cities=user.role == PROVINCE_OFFICER))
            for r in latest]


def _level_marks(round_, lang):
    return [(lv.title.en if lang == "en" else lv.title.zh, lv.min_total)
            for lv in criteria_engine().criteria(round_.criteria_id).model.levels
            if not lv.fallback]


@bp.get("/notifications")
@login_required
def notifications():
    return render_template("dashboard/notifications.html", title=_("消息"),
                           items=queries.read_notifications(db.session(), current_user))
