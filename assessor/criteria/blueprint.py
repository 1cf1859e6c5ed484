"""The criteria pages (评价标准管理), for province officers; changes for criteria editors."""

from flask import Blueprint

bp = Blueprint("criteria", __name__, url_prefix="/criteria")
