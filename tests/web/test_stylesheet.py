"""The stylesheet parses as written: a block left open (a merge that dropped a `}`) silently
puts every later rule inside a media query, and the phone layout of the pages after it is lost."""

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


def test_every_block_is_closed_and_no_media_query_is_nested():
    depth, problems = 0, []
    for number, line in enumerate(STYLESHEET.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("@media") and depth:
            problems.append(f"line {number}: @media inside an open block")
        depth += line.count("{") - line.count("}")
        if depth < 0:
            problems.append(f"line {number}: '}}' closes nothing")
            depth = 0
    assert not problems and depth == 0, (problems, depth)
