"""A long computation that survives spot interruptions.

On SIGTERM (a spot interruption notice) it saves where it is to checkpoint.json, which the job lists in
checkpoint_files: Katapult fetches it before the instance goes and puts it in the working folder of the
run's next attempt, on another instance, with KATAPULT_RESUMED set. That attempt goes on from there.

usage: count.py STEPS [SECONDS_PER_STEP]
"""
import json
import os
import signal
import sys
import time

CKPT = "checkpoint.json"
steps = int(sys.argv[1])
pause = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0

state = {"step": 0, "total": 0.0}
if os.environ.get("KATAPULT_RESUMED") and os.path.exists(CKPT):
    with open(CKPT) as f:
        state = json.load(f)
    print(f"resumed at step {state['step']}", flush=True)


def save_and_leave(signum, frame):
    with open(CKPT + ".part", "w") as f:
        json.dump(state, f)
    os.replace(CKPT + ".part", CKPT)  # whole or not at all
    sys.exit(143)


signal.signal(signal.SIGTERM, save_and_leave)
while state["step"] < steps:
    s = state["step"]
    # one unit of work; the new state is one assignment, so the handler never saves half a step
    state = {"step": s + 1, "total": state["total"] + s ** 0.5}
    time.sleep(pause)
with open("result.txt", "w") as out:
    out.write("%.6f\n" % state["total"])
