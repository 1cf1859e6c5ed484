"""The review pages' blueprint: the officer's (views.py) and the expert's (expert_views.py)."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")
