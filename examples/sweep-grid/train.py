"""A stand-in for a training run: a loss and an accuracy from a learning rate, a depth and a seed (instant).

It reads its parameters from its arguments and checks them against the KATAPULT_PARAM_* variables, then writes
metrics.json, whose fields become columns of results/sweep-grid/train/runs.csv.
"""
import argparse
import json
import math
import os
import random

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--depth", type=int, required=True)
parser.add_argument("--seed", type=int, required=True)
a = parser.parse_args()
assert float(os.environ["KATAPULT_PARAM_LR"]) == a.lr
assert int(os.environ["KATAPULT_PARAM_DEPTH"]) == a.depth

random.seed(a.seed)
loss = (math.log10(a.lr) + 2) ** 2 + 1 / a.depth + random.uniform(0, 0.01)
metrics = {"loss": round(loss, 6), "accuracy": round(1 / (1 + loss), 6), "converged": loss < 0.5}
with open("metrics.json", "w") as f:
    json.dump(metrics, f)
print(f"run {os.environ['KATAPULT_RUN_INDEX']} of {os.environ['KATAPULT_RUN_COUNT']}: {metrics}")
