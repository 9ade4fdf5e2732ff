"""A stand-in for a training run: a score from a learning rate and a depth (deterministic, instant)."""
import argparse
import math

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--depth", type=int, required=True)
a = parser.parse_args()
score = math.exp(-((math.log10(a.lr) + 2) ** 2)) * (1 - 1 / (a.depth + 1))
with open("score.txt", "w") as f:
    f.write(f"{score:.6f}\n")
print(f"lr={a.lr} depth={a.depth} score={score:.6f}")
