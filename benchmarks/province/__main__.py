"""`python benchmarks/province …`: the project's folder on the path, then the command."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.province.cli import main

main()
