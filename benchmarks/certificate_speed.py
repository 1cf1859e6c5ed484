"""Certificate speed: one certificate rendered and signed, 200 in sequence, and the fontTools path.

    .venv/bin/python benchmarks/certificate_speed.py [--runs 20] [--batch 200] [--fonttools-runs 3]

Target (issue 18): one certificate (WeasyPrint render + PAdES signature), warm, median at most
0.15 s, and 200 in a row at the same time each. The same process also renders and signs as
before issue 18 (the system's Noto Sans CJK SC alone, the compact copy of
assessor/certificates/fonts.py hidden; pyHanko sizing each signature with a dummy one first), in
blocks alternating with today's: the before and after of one run.
The last measurement forces WeasyPrint 70's font subsetting onto fontTools, which is what
runs when libharfbuzz-subset0 is missing: weasyprint.pdf.fonts.Font.subset() uses HarfBuzz
only while the module global ``harfbuzz_subset`` (the dlopen()ed library, None when it is
absent) is set, so setting it to None in this process takes the fallback. The ratio
fontTools/HarfBuzz is taken within this run. Keys are made in a temporary folder.
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import weasyprint
import weasyprint.pdf.fonts as weasyprint_fonts
from timing import timed

from assessor.certificates import fonts, render, signing
from assessor.certificates.render import render_certificate
from assessor.certificates.seal import demo_seal_svg
from assessor.certificates.signing import ensure_signing_pair, sign_pdf, validate_pdf

NAMES = ["贵州㵲阳河喆堃新材料有限公司", "贵州黔东南州凯里经济开发区零碳产业园管理委员会",
         "贵阳磷化（集团）绿色化工有限责任公司", "遵义市播州区铝业新材料股份有限公司",
         "毕节市赫章县喆鑫硅材料有限公司"]


TARGET_S = 0.15  # issue 18 (issue 8: 0.3 s)
BATCH_RATIO = 1.1  # 200 in a row at the same time each: within 10 % of one alone (names vary)

# The demo's seal (样章, an SVG with text) as issuing prints it: a data: URL.
SEAL = "data:image/svg+xml;base64," + base64.b64encode(
    demo_seal_svg("贵州省工业和信息化厅").encode("utf-8")).decode("ascii")


def facts(k: int) -> dict:
    serial = f"ZC25-{k:04d}-BENCH-{(k * 7919) % 10000:04d}"
    return {
        "organisation": NAMES[k % len(NAMES)],
        "organisation_en": "Guizhou Demonstration Enterprise Co., Ltd.",
        "level_title_zh": "零碳工厂（培育）" if k % 2 else "零碳工业园区（培育）",
        "level_title_en": "Zero-Carbon Factory (Cultivation)" if k % 2
        else "Zero-Carbon Industrial Park (Cultivation)",
        "round_title": "2025年贵州省零碳工厂和零碳工业园区培育名单（第一批）",
        "round_title_en": "Guizhou Zero-Carbon Factory and Park Cultivation List 2025 (Batch 1)",
        "criteria_id": "GZ-F-2024", "criteria_version": "2024.1",
        "issue_date": date(2025, 6, 1), "valid_until": date(2028, 5, 31),
        "serial": serial, "verify_url": f"http://127.0.0.1:5000/verify/{serial}",
        "programme_title_zh": "贵州省零碳工厂培育名单",
        "programme_title_en": "Guizhou Zero-Carbon Factory Cultivation List",
        "uscc": "91520100MA6DK7XX3T", "document_number": "黔工信节能〔2025〕12号", "seal": SEAL,
    }



def issue_batch(issue: Callable[..., bytes], batch: int) -> tuple[list[int], float]:
    """`batch` certificates one after another: their sizes and the total seconds."""
    sizes = []
    start = time.perf_counter()
    for k in range(1, batch + 1):
        sizes.append(len(issue(k)))
        if k % 50 == 0 or k == batch:
            elapsed = time.perf_counter() - start
            print(f"issued {k}/{batch} certificates, {elapsed:.1f} s, "
                  f"{elapsed / k * 1000:.0f} ms each", file=sys.stderr, flush=True)
    return sizes, time.perf_counter() - start


def as_before(on: bool) -> None:
    """As before issue 18 (on): the system's Noto alone, and pyHanko measuring a dummy signature
    before each real one; or as today (off). The renderer's shared state is made again."""
    fonts.FOLDER = EMPTY if on else MADE
    signing._room = (lambda _signer: None) if on else ROOM
    render._STATE.clear()


MADE, ROOM = fonts.FOLDER, signing._room
EMPTY = Path(tempfile.mkdtemp(prefix="no-fonts-"))


def before_and_after(issue: Callable[..., bytes], runs: int, blocks: int = 3) -> dict:
    """Render + sign medians as before issue 18 and as today, in alternating blocks (each
    block warmed first)."""
    found: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(blocks):
        for when in ("before", "after"):
            as_before(when == "before")
            issue()
            found[when] += timed(issue, max(runs // blocks, 3))
    as_before(False)
    return {when: round(statistics.median(times), 3) for when, times in found.items()}


def with_fonttools(issue: Callable[..., bytes], cert, runs: int) -> tuple[bytes, list[float]]:
    """A certificate and `runs` timings on WeasyPrint's fontTools path (harfbuzz's subsetter
    unloaded in this process only)."""
    saved = weasyprint_fonts.harfbuzz_subset
    weasyprint_fonts.harfbuzz_subset = None
    try:
        pdf = issue()
        assert validate_pdf(pdf, cert)["valid"]
        return pdf, timed(issue, runs)
    finally:
        weasyprint_fonts.harfbuzz_subset = saved


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--fonttools-runs", type=int, default=3)
    args = parser.parse_args()
    # The fontTools fallback logs a deprecation warning for every font of every render.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory() as folder:
        key, cert, _ = ensure_signing_pair(Path(folder) / "keys")

        def issue(k: int = 0) -> bytes:
            return sign_pdf(render_certificate(facts(k)), key, cert)

        start = time.perf_counter()
        first = issue()
        cold = time.perf_counter() - start
        assert validate_pdf(first, cert)["valid"], "benchmark certificate does not validate"
        unsigned = render_certificate(facts(0))

        render_runs = timed(lambda: render_certificate(facts(0)), args.runs)
        sign_runs = timed(lambda: sign_pdf(unsigned, key, cert), args.runs)
        single_runs = timed(issue, args.runs)

        compared = before_and_after(issue, args.runs)
        sizes, batch_total = issue_batch(issue, args.batch)
        saved = weasyprint_fonts.harfbuzz_subset
        fonttools_pdf, fonttools_runs = with_fonttools(issue, cert, args.fonttools_runs)

    single = statistics.median(single_runs)
    fonttools = statistics.median(fonttools_runs)
    report = {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "weasyprint": weasyprint.__version__,
        "pyhanko": version("pyhanko"),
        "harfbuzz_subset_loaded": saved is not None,
        "runs": args.runs,
        "cold_first_certificate_s": round(cold, 3),
        "single_render_median_s": round(statistics.median(render_runs), 3),
        "single_sign_median_s": round(statistics.median(sign_runs), 3),
        "single_render_and_sign_median_s": round(single, 3),
        "single_render_and_sign_min_max_s": [round(min(single_runs), 3),
                                             round(max(single_runs), 3)],
        "compact_font_made": bool(fonts.font_face_css()),
        "render_and_sign_before_after_s": compared,
        "batch_size": args.batch,
        "batch_total_s": round(batch_total, 2),
        "batch_per_certificate_s": round(batch_total / args.batch, 3),
        "signed_pdf_kib_median": round(statistics.median(sizes) / 1024, 1),
        "fonttools_runs": args.fonttools_runs,
        "fonttools_render_and_sign_median_s": round(fonttools, 3),
        "fonttools_signed_pdf_kib": round(len(fonttools_pdf) / 1024, 1),
        "ratio_fonttools_vs_harfbuzz": round(fonttools / single, 1),
        "batch_vs_single": round(batch_total / args.batch / single, 2),
        "targets": {"single_s": TARGET_S, "batch_vs_single": BATCH_RATIO},
    }
    report["meets_targets"] = (report["single_render_and_sign_median_s"] <= TARGET_S
                               and report["batch_vs_single"] <= BATCH_RATIO)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
