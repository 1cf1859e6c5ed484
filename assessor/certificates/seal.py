"""The department's seal printed on certificates and lists: an image the department puts in
instance/ (CERT_SEAL_IMAGE, or instance/seal.png / seal.svg), read as a data: URL for the
renderer. Development and the demo get a drawn specimen that says 样章 (`demo_seal_svg`), written
to instance/seal-demo.svg and used only while certificates are signed with the development pair,
so a specimen never reaches a certificate signed with the department's own key.
"""

from __future__ import annotations

import base64
import logging
import math
from pathlib import Path
from xml.sax.saxutils import escape

log = logging.getLogger(__name__)

SEAL_FILES = ("seal.png", "seal.svg")  # looked for in instance/ when none is configured
DEMO_SEAL = "seal-demo.svg"
SEAL_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_SEAL_BYTES = 1_000_000  # a seal scan is far smaller; more is a wrong file


def seal_file(instance: Path, configured: str, development: bool) -> Path | None:
    """Which seal image to print: the configured one, else instance/seal.png or seal.svg, else
    the demo specimen while the development signing pair is in use; None: no seal."""
    if configured:
        path = instance / configured  # an absolute path stays as it is
        if not path.is_file():
            log.warning("CERT_SEAL_IMAGE %s is not a file: certificates carry no seal", path)
            return None
        return path
    names = SEAL_FILES + ((DEMO_SEAL,) if development else ())
    return next((instance / n for n in names if (instance / n).is_file()), None)


def seal_data_url(path: Path | None) -> str:
    """The image as a data: URL, or "" (no seal) when there is none or it cannot be one."""
    if path is None:
        return ""
    media_type = SEAL_TYPES.get(path.suffix.lower())
    content = path.read_bytes()
    if media_type is None or not content or len(content) > MAX_SEAL_BYTES:
        log.warning("seal image %s is not a PNG, JPEG, WebP or SVG under 1 MB: no seal", path)
        return ""
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


def demo_seal_svg(department: str) -> str:
    """A round red seal with the department's name along the top, a star, and 样章 (specimen)
    across the middle: plainly not the department's seal."""
    size, centre, ring = 200, 100, 70
    names = list(department)[:14] or ["样"]
    spread = min(250, 23 * len(names))  # degrees of arc the name takes
    letters = []
    for index, char in enumerate(names):
        angle = -90 - spread / 2 + spread * (index + 0.5) / len(names)
        x = centre + ring * math.cos(math.radians(angle))
        y = centre + ring * math.sin(math.radians(angle))
        letters.append(f'<text x="{x:.1f}" y="{y:.1f}" transform="rotate({angle + 90:.1f} '
                       f'{x:.1f} {y:.1f})">{escape(char)}</text>')
    star = " ".join(f"{centre + r * math.cos(math.radians(-90 + 36 * k)):.1f},"
                    f"{centre + 4 + r * math.sin(math.radians(-90 + 36 * k)):.1f}"
                    for k in range(10) for r in ((24 if k % 2 == 0 else 9.5),))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 {size} {size}">'
            f'<g fill="none" stroke="#c8161d" opacity="0.85">'
            f'<circle cx="{centre}" cy="{centre}" r="94" stroke-width="6"/></g>'
            f'<g fill="#c8161d" opacity="0.85" font-family="Assessor Sans, Noto Sans CJK SC" font-size="18" '
            f'font-weight="bold" text-anchor="middle" dominant-baseline="central">'
            f'{"".join(letters)}'
            f'<polygon points="{star}"/>'
            f'<text x="{centre}" y="{centre + 50}" font-size="30" letter-spacing="6">样章</text>'
            f'</g></svg>')


def write_demo_seal(instance: Path, department: str) -> Path:
    """instance/seal-demo.svg, written once (kept when it is already there)."""
    path = instance / DEMO_SEAL
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(demo_seal_svg(department), encoding="utf-8")
    return path
