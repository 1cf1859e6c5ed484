"""The certificates' own copy of Noto Sans CJK SC: the same glyphs, fewer of them.

WeasyPrint embeds a subset of each font a PDF uses and keeps the glyph ids (its content streams
name glyphs by id), so the embedded font is as long as the highest glyph id used. Debian's Noto
Sans CJK is one collection for five languages, 65,535 glyphs, with common hanzi far up: each
certificate subset 650–780 KB of mostly empty glyphs per face, a third of the render. This copy
keeps Latin, punctuation, CJK symbols, Extension A (U+3400–4DBF, rare characters in some names)
and the 20,992 unified ideographs (U+4E00–9FFF) as Noto's Simplified Chinese face draws them,
29,037 glyphs. Anything else (an Extension B name) falls back to the full Noto and then HanaMin
by the stylesheets' family lists, so a page looks the same with or without it; only the speed
differs.

Made once per machine by `make` (`flask --app assessor certificates fonts`), into
static/certificates/fonts/ (not in git; generated from the Debian package like the .mo files),
with fontTools (a WeasyPrint dependency). Noto is under the SIL Open Font License 1.1, which allows
a modified copy with no reserved name.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

FAMILY = "Assessor Sans"  # the family the stylesheets name first
FOLDER = Path(__file__).resolve().parents[2] / "static" / "certificates" / "fonts"
FACES = {"normal": "AssessorSans-Regular.otf", "bold": "AssessorSans-Bold.otf"}
SOURCE_STYLE = {"normal": "Regular", "bold": "Bold"}
KEPT = [*range(0x20, 0x250), *range(0x2000, 0x2070), *range(0x2100, 0x2200),
        *range(0x2460, 0x2500), *range(0x3000, 0x3100), *range(0x3200, 0x4DC0),
        *range(0x4E00, 0xA000), *range(0xFF00, 0xFFF0)]


def font_face_css() -> str:
    """@font-face rules for the faces that have been made ("" when none: the family lists fall
    through to Noto)."""
    rules = []
    for weight, name in FACES.items():
        if (FOLDER / name).is_file():
            rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
                         f'src: url(cert-static:fonts/{name}); }}')
    return "\n".join(rules)


def source(style: str) -> tuple[Path, int]:
    """The installed Noto Sans CJK SC file of `style` and the SC face's index in it."""
    found = subprocess.run(["fc-match", "-f", "%{file}\t%{index}",
                            f"Noto Sans CJK SC:style={style}"],
                           capture_output=True, text=True, check=True).stdout
    path, index = found.split("\t")
    if "NotoSansCJK" not in path:
        raise FileNotFoundError(f"Noto Sans CJK SC {style} is not installed (fonts-noto-cjk)")
    return Path(path), int(index)


def make(folder: Path = FOLDER, *, force: bool = False) -> list[Path]:
    """Make the faces that are missing (all with `force`); returns the files written."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for weight, name in FACES.items():
        target = folder / name
        if target.is_file() and not force:
            continue
        path, index = source(SOURCE_STYLE[weight])
        font = TTFont(path, fontNumber=index)
        options = subset.Options()
        options.layout_features = ["kern", "liga"]  # no other language's forms
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=KEPT)
        subsetter.subset(font)
        partial = target.with_suffix(".partial")
        font.save(partial)
        partial.replace(target)  # a render never sees half a font
        written.append(target)
    return written
