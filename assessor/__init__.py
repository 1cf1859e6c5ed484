"""assessor: Guizhou zero-carbon factory and park assessment (零碳工厂 / 零碳工业园区).

Flask is imported inside create_app so that `assessor.engine` can be used without it.
"""

from __future__ import annotations

import warnings

# pyhanko 0.38 imports cryptography's DSA key type, which cryptography 48 marks deprecated at
# import time; certificates are signed with RSA/ECDSA, so the notice only alarms newcomers.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")

TASK_DOMAINS = ("applications", "certificates", "review", "whatif")  # each has a tasks.py


def create_app(test_config: dict | None = None):
    import os

    from flask import Flask

    from .cli import register_cli
    from .platform import db, hardening, i18n, pagecache, ratelimit, refusal, security
    from .platform.config import load_config

    # ASSESSOR_INSTANCE_PATH: runtime data outside the code (e.g. /var/lib/assessor)
    instance = os.environ.get("ASSESSOR_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates",
                static_folder="../static",
                instance_path=os.path.abspath(instance) if instance else None)
    load_config(app, test_config)
    db.init_app(app)
    pagecache.init_app(app)  # innermost: ProxyFix (hardening) sets the scheme it keys by
    security.init_app(app)
    hardening.init_app(app)
    i18n.init_app(app)
    ratelimit.init_app(app)  # objections: per address and per round
    refusal.init_app(app)  # what the user can put right: rolled back, shown, sent back

    from .accounts.views import bp as accounts_bp
    from .applications.excel_views import bp as excel_bp
    from .applications.views import bp as applications_bp
    from .criteria import (  # noqa: F401  (routes on criteria_bp)
        case_views,
        impact_views,
        item_views,
        reference_views,
        yaml_views,
    )
    from .criteria import views as criteria_views  # noqa: F401  (its routes are on criteria_bp)
    from .criteria.blueprint import bp as criteria_bp
    from .dashboard.views import bp as dashboard_bp
    from .jobs.views import bp as jobs_bp
    from .portal import download_views  # noqa: F401  (its routes are on portal_bp)
    from .portal.notice_views import bp as notices_bp
    from .portal.views import bp as portal_bp
    from .publication.filing_excel import bp as filing_excel_bp
    from .publication.filing_views import bp as filing_bp
    from .publication.views import bp as publication_bp
    from .publication.views import public as public_bp
    from .review.views import bp as review_bp
    from .rounds.views import bp as rounds_bp
    from .whatif.views import bp as whatif_bp

    for blueprint in (accounts_bp, rounds_bp, applications_bp, excel_bp, review_bp, publication_bp,
                      filing_bp, filing_excel_bp, public_bp, whatif_bp, dashboard_bp, portal_bp,
                      notices_bp, criteria_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(jobs_bp)
    from .applications.submit_views import bp as submission_bp

    app.register_blueprint(submission_bp)  # check your answers, submitting, the 申报书 PDF
    from . import api

    api.init_app(app)  # /api/v1 and the token pages
    from importlib import import_module

    for domain in TASK_DOMAINS:  # each registers its job tasks by name
        import_module(f"{__name__}.{domain}.tasks")

    register_cli(app)

    from flask import render_template

    from .api.errors import http_error, is_api_request

    @app.errorhandler(404)
    def not_found(error):
        if is_api_request():  # JSON for API clients, also for unknown paths
            return http_error(error)
        return render_template("errors/404.html"), 404

    return app
