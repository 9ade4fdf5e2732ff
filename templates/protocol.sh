# shellcheck shell=bash
# shellcheck disable=SC2034  # every name here is read by the scripts that source this file
# The instance protocol's words, defined once for the scripts (sourced by lib.sh, never run).
# Java's katapult.remote.Protocol holds the same words; ProtocolSpec checks that both agree, and
# docs/PROTOCOL.md says what each one means.

# Run states, as a run's state file and poll.sh spell them.
ST_WAIT=WAIT           # queued, its environment not ready yet
ST_QUEUE=QUEUE         # queued, waiting for cpus
ST_IDLE=IDLE           # the agent is starting it
ST_RUNNING=RUNNING     # run.sh runs its command
ST_DONE=DONE           # exit 0 and every output present
ST_ABORTED=ABORTED     # anything else; the files reason and reason_code say why
ST_PREEMPTED=PREEMPTED # its spot instance got an interruption notice; Katapult places it again elsewhere

# Environment statuses, as poll.sh reports them.
ENV_PENDING=PENDING    # a spec, no set-up running
ENV_SETUP=SETUP        # env.sh is setting it up
ENV_READY=READY
ENV_FAILED=FAILED

# The agent, as `agent.sh R start` and poll.sh report it.
AGENT_RUNNING=running
AGENT_STARTED=started
AGENT_NONE=none

# What a shutdown does to the machine, as the instance's lifecycle file says (Katapult writes it).
SD_NONE=none           # the provider does not own the machine (local, ssh): never shut it down
SD_STOP=stop           # stopped, disk kept (an on-demand instance)
SD_TERMINATE=terminate # destroyed with its disk (a one-time spot instance)

# Why the agent shut the machine down, as lifecycle.sh and the agent's log say it.
LC_IDLE=idle           # nothing to do, every result fetched, idle_stop elapsed
LC_DEADMAN=deadman     # Katapult silent for heartbeat_timeout, nothing running
LC_ABANDON=abandon     # Katapult silent for abandon_after, results a shutdown destroys unfetched

# Reason codes: why a run is ABORTED, written to its reason_code file beside the prose reason.
RC_STOPPED=STOPPED                    # `agent.sh R stop`, or a signal to run.sh
RC_LOST_PROCESS=LOST_PROCESS          # run.sh vanished without a verdict (killed)
RC_LOST_REBOOT=LOST_REBOOT            # the instance rebooted while the run was IDLE/RUNNING
RC_EXIT_NONZERO=EXIT_NONZERO          # the command exited with a code other than 0
RC_EXIT_SIGNAL=EXIT_SIGNAL            # the command was killed by a signal
RC_OUTPUT_MISSING=OUTPUT_MISSING      # a listed output was not produced
RC_OUTPUT_LINK_OUT=OUTPUT_LINK_OUT    # a listed output is a link leading out of the run, or nowhere
RC_OUTPUT_NOT_FILE=OUTPUT_NOT_FILE    # a listed output is a folder, a FIFO, a socket or a device
RC_WORK_MISSING=WORK_MISSING          # the run's work folder was missing when it started
RC_WORK_REPLACED=WORK_REPLACED        # the work folder was removed or replaced by a link while it ran
RC_ENV_NOT_READY=ENV_NOT_READY        # run.sh found its environment not ready
RC_ENV_FAILED=ENV_FAILED              # its environment's set-up failed (or its name is invalid)
RC_ENV_NOT_INSTALLED=ENV_NOT_INSTALLED  # its environment was never installed on this instance
RC_PREEMPTED=PREEMPTED                # the spot instance got an interruption notice (state PREEMPTED)
RC_SCHEDULER=SCHEDULER                # the batch scheduler ended it: a time or memory limit (slurm)
RC_COPY_FAILED=COPY_FAILED            # run.sh could not make the run's private copy of an upload (disk full)

# Exit codes of the scripts.
EX_OK=0
EX_FAIL=1              # could not do its work (a missing folder, a failed set-up)
EX_USAGE=2             # called wrong (fetch.sh: also a folder it cannot enter)
EX_SIGNAL=143          # run.sh and env.sh ended by TERM, INT or HUP
