"""`flask --app assessor certificates setup|issue|fonts`: signing material, a round's certificates
issued from the command line with a progress bar (the web's job task, run here and now)."""

from __future__ import annotations

import subprocess
import sys

import click
from flask.cli import AppGroup
from sqlmodel import select

from ..accounts.models import PROVINCE_OFFICER, User
from ..jobs.registry import lookup
from ..platform import db
from ..platform.viewkit import today as app_today
from ..publication.services import PublicationError
from ..rounds.models import Round
from .settings import NoPublicAddress, public_base_url, signing_pair, write_specimen_seal

certificates_group = AppGroup("certificates", help="Certificates. 证书签发。")


@certificates_group.command("setup", help="Make sure a signing key and certificate exist.")
def setup():
    signing, generated = signing_pair()
    if generated:
        click.echo("证书签名使用开发用自签名证书（已在 instance/signing/ 生成，供开发和演示）；"
                   "正式使用时在 instance/config.py 设置 CERT_SIGNING_KEY 和 CERT_SIGNING_CERT。\n"
                   "Certificates are signed with a self-signed development pair (made in "
                   f"{signing.cert.parent}, for development and the demo); set CERT_SIGNING_KEY "
                   "and CERT_SIGNING_CERT in instance/config.py for the department's own.")
    else:
        click.echo(f"签名证书 signing certificate: {signing.signer}")
    specimen = write_specimen_seal()
    if specimen is not None:
        click.echo(f"印章：开发和演示使用样章 {specimen}；正式使用时在 instance/config.py 设置 "
                   "CERT_SEAL_IMAGE（或放置 instance/seal.png）。\nSeal: a specimen (样章) for "
                   "development and the demo; set CERT_SEAL_IMAGE for the department's own.")


@certificates_group.command("issue", help="Issue the certificates of a published round.")
@click.option("--round", "round_id", type=int, required=True)
@click.option("--officer", "officer_email", required=True, help="Province officer's e-mail.")
@click.option("--base-url", default="", help="The site's public address for the verify links, "
              "e.g. http://127.0.0.1:8000 (needed when PUBLIC_BASE_URL is not set).")
def issue(round_id: int, officer_email: str, base_url: str):
    try:
        public_base_url(base_url)
    except NoPublicAddress:
        click.echo("错误 error: 未配置 PUBLIC_BASE_URL，请用 --base-url 指定证书验证链接的网址 / "
                   "PUBLIC_BASE_URL is not set: give the verify links' address with --base-url, "
                   "e.g. --base-url http://127.0.0.1:5000", err=True)
        sys.exit(1)
    session = db.session()
    round_ = session.get(Round, round_id)
    officer = session.exec(select(User).where(User.email == officer_email.lower(),
                                              User.role == PROVINCE_OFFICER)).first()
    if round_ is None or officer is None:
        click.echo("错误 error: 批次或省厅工作人员不存在 / no such round or province officer",
                   err=True)
        sys.exit(1)
    task = lookup("certificates.issue_round")  # the same task as the web's job
    with click.progressbar(length=1, label="签发证书 issuing") as bar:
        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        try:
            message = task(session, progress, round_id=round_.id, officer_id=officer.id,
                           today=app_today().isoformat(), served_at=base_url)
        except PublicationError as error:
            click.echo(f"\n错误 error: {error.zh}", err=True)
            sys.exit(1)
    click.echo(message)


@certificates_group.command(
    "fonts", help="Make the certificates' compact copy of Noto Sans CJK SC (once per machine; "
                  "make does it). 生成证书用精简字体。")
@click.option("--force", is_flag=True, help="Make them again even if they exist.")
def make_fonts(force: bool):
    from . import fonts

    try:
        written = fonts.make(force=force)
    except (FileNotFoundError, subprocess.CalledProcessError) as error:
        click.echo(f"错误 error: 未找到 Noto Sans CJK SC 字体（Debian 软件包 fonts-noto-cjk）/ "
                   f"{error}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"已生成 made {path}")
    if not written:
        click.echo(f"字体已存在 fonts exist in {fonts.FOLDER}")
