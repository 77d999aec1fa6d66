#!/usr/bin/env python3
"""pty_interrupt.py -- Ctrl-C interrupts an evaluation in `salesplan repl`
and the session goes on (issue 12).

usage: python3 tests/limits/pty_interrupt.py BIN      (run by tests/limits/run.sh)

On a pseudo-terminal (real GNU readline), with a plan whose functions
double their work at every level (f30 takes minutes; --max-steps is raised
so that only Ctrl-C can stop it):
  1. a what-if that takes minutes, Ctrl-C after a second: "evaluation
     interrupted", "what-if not applied" and the prompt, within seconds;
  2. the plan is unchanged: the target asks for its old value;
  3. an expression that takes minutes, Ctrl-C: interrupted, the prompt;
  4. a quick expression then answers, and :quit exits with status 0.
Exits 0 when all hold, 1 otherwise; prints a skip message and exits 0 when
no pty can be opened.
"""
import os
import re
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "repl"))
from pty_test import TIMEOUT, Session, fail  # noqa: E402  (one terminal driver for both)

PLAN = ['plan "slow" { year = 2027 }', "dimension r { a, b }", "fn f0(x) = x + 1"]
PLAN += [f"fn f{i}(x) = f{i - 1}(x) + f{i - 1}(x)" for i in range(1, 32)]
PLAN += ["metric m money", "target m = 100", "split m by r equally"]


class SlowSession(Session):
    """The REPL on slow.plan with a budget large enough to run until Ctrl-C."""

    def __init__(self, binary, cwd, env):
        super().__init__(binary, cwd, env, ("repl", "slow.plan", "--max-steps", "1000000000000"))

    def interrupt_after(self, seconds, what):
        """Lets the evaluation run, then Ctrl-C; the prompt must come back soon."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.read(0.1)
        if b"salesplan> " in self.seen:
            fail(f"{what}: the evaluation ended before Ctrl-C:\n" + self.seen.decode(errors="replace"))
        start = time.monotonic()
        self.type("\x03")
        answer = self.expect("salesplan> ", f"the prompt after Ctrl-C during {what}")
        if "evaluation interrupted" not in answer:
            fail(f"{what}: no 'evaluation interrupted' after Ctrl-C: {answer!r}")
        if time.monotonic() - start > TIMEOUT / 2:
            fail(f"{what}: the prompt took {time.monotonic() - start:.1f} s to come back")
        return answer


def run(binary, tmp, env):
    s = SlowSession(binary, tmp, env)
    s.expect("salesplan> ", "the first prompt")
    s.type("target m = f30(1)\r")
    s.expect("f30(1)", "the echo of the what-if")
    answer = s.interrupt_after(1.0, "a what-if")
    if "what-if not applied" not in answer:
        fail(f"the interrupted what-if was applied: {answer!r}")
    s.type("m\r")
    answer = s.expect("salesplan> ", "the prompt after asking for the target")
    if "100.00" not in answer:
        fail(f"the target changed after an interrupted what-if: {answer!r}")
    s.type("f30(1) + 1\r")
    s.expect("f30(1) + 1", "the echo of the expression")
    s.interrupt_after(1.0, "an expression")
    s.type("f3(1) + 1\r")
    answer = s.expect("salesplan> ", "the prompt after a quick expression")
    if not re.search(r"(^|\n)17\n", answer):
        fail(f"f3(1) + 1 did not answer 17 after the interrupts: {answer!r}")
    s.type(":quit\r")
    if s.wait() != 0:
        fail(":quit did not exit with status 0")


def main():
    if len(sys.argv) != 2:
        print("usage: pty_interrupt.py BIN", file=sys.stderr)
        sys.exit(2)
    binary = os.path.abspath(sys.argv[1])
    try:
        import pty

        master, slave = pty.openpty()
        os.close(master)
        os.close(slave)
    except (ImportError, OSError) as e:
        print(f"pty_interrupt.py: skipped: no pseudo-terminal can be opened ({e})")
        sys.exit(0)
    tmp = tempfile.mkdtemp(prefix="limits-pty.")
    try:
        with open(os.path.join(tmp, "slow.plan"), "w", encoding="utf-8") as f:
            f.write("\n".join(PLAN) + "\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
        env.update(HOME=tmp, SALESPLAN_HISTORY=os.path.join(tmp, "history"), TERM="dumb",
                   INPUTRC="/dev/null", NO_COLOR="1", LANG="C")
        env.pop("XDG_STATE_HOME", None)
        run(binary, tmp, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("pty_interrupt.py: Ctrl-C interrupts a what-if and an expression; the session goes on")


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    main()
