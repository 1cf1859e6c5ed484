"""assessor: Guizhou zero-carbon factory and park assessment (零碳工厂 / 零碳工业园区).

Flask is imported inside create_app so that `assessor.engine` can be used without it.
"""

from __future__ import annotations


def create_app(test_config: dict | None = None):
    from flask import Flask

    from .cli import register_cli
    from .config import load_config

    app = Flask(__name__, instance_relative_config=True, template_folder="../templates",
                static_folder="../static")
    load_config(app, test_config)
    register_cli(app)
    return app
