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
import select
import shutil
import signal
import sys
import tempfile
import time

TIMEOUT = float(os.environ.get("PTY_TIMEOUT", "30"))
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r")

PLAN = ['plan "slow" { year = 2027 }', "dimension r { a, b }", "fn f0(x) = x + 1"]
PLAN += [f"fn f{i}(x) = f{i - 1}(x) + f{i - 1}(x)" for i in range(1, 32)]
PLAN += ["metric m money", "target m = 100", "split m by r equally"]


def fail(msg):
    print("pty_interrupt.py: FAIL: " + msg)
    sys.exit(1)


class Session:
    def __init__(self, binary, cwd, env):
        import pty

        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            os.execve(binary, [binary, "repl", "slow.plan", "--max-steps", "1000000000000"], env)
        self.seen = b""

    def read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return None
        if not chunk:
            return None
        self.seen += ANSI.sub(b"", chunk)
        return True

    def expect(self, text, what):
        want = text.encode()
        end = time.monotonic() + TIMEOUT
        while want not in self.seen:
            left = end - time.monotonic()
            if left <= 0 or self.read(left) is None and want not in self.seen:
                fail(f"{what}: expected {text!r}; the terminal shows:\n" +
                     self.seen.decode(errors="replace")[-1500:])
        before, _, self.seen = self.seen.partition(want)
        return before.decode(errors="replace")

    def type(self, keys):
        os.write(self.fd, keys.encode())
        time.sleep(0.05)

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

    def wait(self):
        end = time.monotonic() + TIMEOUT
        while time.monotonic() < end:
            if self.read(0.1) is None:
                break
        pid, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        if b"Sanitizer" in self.seen or b"runtime error:" in self.seen:
            fail("a sanitizer finding:\n" + self.seen.decode(errors="replace")[-3000:])
        return os.waitstatus_to_exitcode(status)


def run(binary, tmp, env):
    s = Session(binary, tmp, env)
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
