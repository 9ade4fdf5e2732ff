#!/usr/bin/env python3
"""The seed's example job: sums the integers FIRST..LAST, scaled by the number in input.dat.

Run as `run_remote.py FIRST LAST` in the job's working folder, where Katapult has copied
input.dat; uploaded.txt was uploaded next to this script. Writes output.dat.
"""
import sys
from pathlib import Path


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: run_remote.py FIRST LAST", file=sys.stderr)
        return 2
    first, last = int(sys.argv[1]), int(sys.argv[2])
    note = (Path(__file__).resolve().parent / "uploaded.txt").read_text().strip()
    scale = float(Path("input.dat").read_text().split()[0])
    total = scale * sum(range(first, last + 1))
    Path("output.dat").write_text(f"{first} {last} {total:g}\n")
    print(f"{note}: sum({first}..{last}) x {scale:g} = {total:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
