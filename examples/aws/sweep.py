"""One point of a parameter sweep: fits a noisy line with the given seed and writes the fit."""
import json
import random
import sys

seed, points = int(sys.argv[1]), int(sys.argv[2])
random.seed(seed)
xs = [i / points for i in range(points)]
ys = [2.0 * x + 1.0 + random.gauss(0, 0.1) for x in xs]
mx, my = sum(xs) / points, sum(ys) / points
slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
with open("fit.json", "w") as out:
    json.dump({"seed": seed, "slope": slope, "intercept": my - slope * mx}, out)
print(f"seed {seed}: slope {slope:.3f}")
