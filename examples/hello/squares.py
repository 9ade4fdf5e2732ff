"""Writes squares.csv: each number of numbers.txt (up to a limit) with its square."""
import argparse
import os
import time

from formatting import csv_line


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("limit", type=int)
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    with open("numbers.txt") as numbers:
        values = [int(line) for line in numbers if line.strip()]
    time.sleep(1)  # pretend to work, so the progress shows
    with open("squares.csv", "w") as out:
        out.write(csv_line("n", "square"))
        for n in values:
            if n <= args.limit:
                out.write(csv_line(n, n * n))
    print(f"{args.label}: run {os.environ.get('KATAPULT_RUN_ID', '?')} wrote {len(values)} rows")


if __name__ == "__main__":
    main()
