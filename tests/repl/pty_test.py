#!/usr/bin/env python3
"""pty_test.py -- `salesplan repl` through real GNU readline in a pseudo-terminal.

usage: python3 tests/repl/pty_test.py BIN      (run by tests/repl/run.sh)

Starts `BIN repl small.plan` on a pty with HOME and SALESPLAN_HISTORY in a
scratch directory and checks, as a user at a terminal would see them:
  1. the prompt "salesplan> ", an entry and its answer, then Ctrl-D leaves
     with exit status 0;
  2. a second session: Up (ESC [ A) and Enter recall and run the entry of the
     first session (the history file is kept across sessions);
  3. Tab completes a partial metric name ("reven" -> "revenue"), an attribute after its
     level ("rep.base_s" -> "rep.base_salary") and a command
     (":he" -> ":help");
  4. the continuation prompt "...> " while a bracket is open;
  5. Ctrl-C drops the entry being typed and gives a fresh prompt;
  6. :quit leaves with exit status 0;
  7. after "CARD." Tab offers only a scorecard's fields ("rep_card.rat" ->
     "rep_card.rating", and the answer: the field is only known in an
     incentive or a flag).
  8. after "NAME." Tab offers only the incentive's lines, a Chinese name too
     ("提成." Tab Tab lists base, bonus and payout and nothing else; "提成.bo"
     -> "提成.bonus"), and after "LEVEL." the level's attributes;
  9. :save onto an existing file asks "(y/N)": Enter or n keeps the file, y
     overwrites it; the plan file itself is asked about too.
Exits 0 when all hold, 1 otherwise; prints a skip message and exits 0 only
when no pty can be opened.
"""
import os
import re
import select
import shutil
import signal
import sys
import tempfile
import time

TIMEOUT = float(os.environ.get("PTY_TIMEOUT", "20"))
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r")


class Session:
    """salesplan ARGS in a real terminal (tests/limits/pty_interrupt.py uses it too)."""

    def __init__(self, binary, cwd, env, args=("repl", "small.plan")):
        import pty

        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            os.execve(binary, [binary, *args], env)
        self.seen = b""  # everything printed so far, escapes removed

    def read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the child closed the terminal
            return None
        if not chunk:
            return None
        self.seen += ANSI.sub(b"", chunk)
        return True

    def expect(self, text, what):
        """Waits until text appears after the last match; returns what came before it."""
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
        time.sleep(0.05)  # readline reads key by key; let it keep up

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


def fail(msg):
    print(os.path.basename(sys.argv[0]) + ": FAIL: " + msg)
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        print("usage: pty_test.py BIN", file=sys.stderr)
        sys.exit(2)
    binary = os.path.abspath(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        import pty

        master, slave = pty.openpty()
        os.close(master)
        os.close(slave)
    except (ImportError, OSError) as e:
        print(f"pty_test.py: skipped: no pseudo-terminal can be opened ({e})")
        sys.exit(0)
    tmp = tempfile.mkdtemp(prefix="repl-pty.")
    try:
        shutil.copy(os.path.join(here, "small.plan"), tmp)
        history = os.path.join(tmp, "history")
        env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
        env.update(HOME=tmp, SALESPLAN_HISTORY=history, TERM="dumb", INPUTRC="/dev/null",
                   NO_COLOR="1", LANG="C")
        env.pop("XDG_STATE_HOME", None)
        run(binary, tmp, env, history)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("pty_test.py: prompt, history across sessions, completion, continuation, "
          "Ctrl-C and Ctrl-D, :save's question work through readline")


def run(binary, tmp, env, history):
    # 1. a first session: the prompt, an entry, its answer, :quit
    s = Session(binary, tmp, env)
    s.expect("salesplan> ", "the first prompt")
    s.type("revenue[north, Q1] + 1\r")
    s.expect("1,584,001.00", "the answer to the first entry")
    s.expect("salesplan> ", "the prompt after an answer")
    s.type("\x04")  # Ctrl-D: leaves, and is not an entry of the history
    if s.wait() != 0:
        fail("Ctrl-D did not exit with status 0")
    with open(history, encoding="utf-8") as f:
        if "revenue[north, Q1] + 1" not in f.read():
            fail(f"the entry is not in the history file {history}")

    # 2. a second session: Up and Enter run the first session's entry again
    s = Session(binary, tmp, env)
    s.expect("salesplan> ", "the prompt of the second session")
    s.type("\x1b[A")
    s.expect("revenue[north, Q1] + 1", "Up recalling the first session's entry")
    s.type("\r")
    s.expect("1,584,001.00", "the recalled entry's answer")
    s.expect("salesplan> ", "the prompt after the recalled entry")

    # 3. Tab completes a metric name and a command
    s.type("reven\t")
    s.expect("revenue", "Tab completing 'reven'")
    s.type("[east, Q1]\r")
    s.expect("1,056,000.00", "the answer to the completed entry")
    s.expect("salesplan> ", "the prompt after the completed entry")
    s.type("sum(rep.base_s\t")
    s.expect("rep.base_salary", "Tab completing an attribute after its level")
    s.type(")\r")
    s.expect("32,000", "the answer to sum(rep.base_salary)")
    s.expect("salesplan> ", "the prompt after the sum")
    s.type("working_d\t")
    s.expect("working_days", "Tab completing 'working_d'")
    s.type("\r")
    s.expect("261", "the year's working days (mon-fri, no holidays)")
    s.expect("salesplan> ", "the prompt after working_days")
    s.type(":he\t")
    s.expect(":help", "Tab completing ':he'")
    s.type("\r")
    s.expect("commands:", "the answer to :help")
    s.expect("salesplan> ", "the prompt after :help")

    # 4. the continuation prompt while a bracket is open
    s.type("max(1,\r")
    s.expect("...> ", "the continuation prompt")
    s.type("2)\r")
    answer = s.expect("salesplan> ", "the prompt after a continued entry")
    if not re.search(r"(^|\n)2\n", answer.replace("\r", "")):
        fail(f"max(1, 2) over two lines did not answer 2: {answer!r}")

    # 5. Ctrl-C drops the entry being typed
    s.type("split revenue by region {\r")
    s.expect("...> ", "the continuation prompt before Ctrl-C")
    s.type("north: 10%")
    s.type("\x03")
    s.expect("^C", "Ctrl-C")
    s.expect("salesplan> ", "a fresh prompt after Ctrl-C")
    s.type("1 + 1\r")
    answer = s.expect("salesplan> ", "the prompt after the entry following Ctrl-C")
    if "error" in answer or not re.search(r"(^|\n)2\n", answer):
        fail(f"the entry after Ctrl-C was not run alone: {answer!r}")

    # 6. :quit leaves
    s.type(":quit\r")
    if s.wait() != 0:
        fail(":quit did not exit with status 0")

    # 7. a scorecard's fields after "CARD."
    with open(os.path.join(tmp, "cards.plan"), "w", encoding="utf-8") as f:
        f.write('plan "cards" { year = 2027  start = feb }\n'
                "dimension org levels rep { zhang, li }\n"
                "metric revenue money\ntarget revenue = 100万\nsplit revenue by rep equally\n"
                "scorecard rep_card per rep { kpi revenue weight 100%  rating { A: 100, B: 0 } }\n")
    s = Session(binary, tmp, env, ("repl", "cards.plan"))
    s.expect("salesplan> ", "the prompt of the cards session")
    s.type("rep_card.rat\t")
    s.expect("rep_card.rating", "Tab completing 'rep_card.rat'")
    s.type("\r")
    s.expect("only known inside an incentive", "the answer to rep_card.rating")
    s.expect("salesplan> ", "the prompt after rep_card.rating")
    s.type(":quit\r")
    if s.wait() != 0:
        fail(":quit did not exit with status 0 (cards session)")

    # 8. an incentive's lines after "NAME." (a UTF-8 terminal: the name is Chinese)
    with open(os.path.join(tmp, "pay.plan"), "w", encoding="utf-8") as f:
        f.write('plan "pay" { year = 2027  start = feb }\n'
                "dimension org levels rep { zhang { base_salary = 8000 }, li { base_salary = 7000 } }\n"
                "metric revenue money\ntarget revenue = 100万\nsplit revenue by rep equally\n"
                "incentive 提成 per rep {\n  base = revenue.target * 3%\n  bonus = 100\n"
                "  payout = base + bonus\n}\n")
    utf8 = dict(env, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    s = Session(binary, tmp, utf8, ("repl", "pay.plan"))
    s.expect("salesplan> ", "the prompt of the incentive session")
    s.type("提成.\t\t")
    listed = s.expect("salesplan> ", "Tab Tab listing the lines after '提成.'")
    words = set(listed.split())
    if not {"base", "bonus", "payout"} <= words or words & {"revenue", "target", "zhang", "sum"}:
        fail(f"Tab Tab after '提成.' should list the incentive's lines only: {listed!r}")
    s.type("bo\t")
    s.expect("提成.bonus", "Tab completing '提成.bo'")
    s.type(" = 200\r")
    answer = s.expect("salesplan> ", "the prompt after 提成.bonus = 200")
    if "error" in answer:
        fail(f"提成.bonus = 200 was not applied: {answer!r}")
    s.type("sum(rep.\t")
    s.expect("rep.base_salary", "Tab completing the only attribute after 'rep.'")
    s.type(")\r")
    s.expect("15,000", "the answer to sum(rep.base_salary)")
    s.expect("salesplan> ", "the prompt after the sum")
    s.type(":quit\r")
    if s.wait() != 0:
        fail(":quit did not exit with status 0 (incentive session)")

    # 9. :save onto an existing file asks first
    shutil.copy(os.path.join(tmp, "small.plan"), os.path.join(tmp, "own.plan"))
    with open(os.path.join(tmp, "other.plan"), "w", encoding="utf-8") as f:
        f.write("# other.plan\n")
    s = Session(binary, tmp, env, ("repl", "own.plan"))
    s.expect("salesplan> ", "the prompt of the save session")
    s.type("target revenue = 1400万\r")
    s.expect("salesplan> ", "the prompt after the what-if")
    s.type(":save own.plan\r")
    s.expect("overwrite 'own.plan', the session's plan file? (y/N) ",
             ":save onto the plan file asking")
    s.type("\r")
    s.expect("not saved: own.plan is left as it was", "Enter answering no")
    s.expect("salesplan> ", "the prompt after no")
    s.type(":save other.plan\r")
    s.expect("overwrite 'other.plan'? (y/N) ", ":save onto an existing file asking")
    s.type("n\r")
    s.expect("not saved: other.plan is left as it was", "n answering no")
    s.expect("salesplan> ", "the prompt after n")
    s.type(":save other.plan\r")
    s.expect("overwrite 'other.plan'? (y/N) ", ":save asking again")
    s.type("y\r")
    s.expect("saved other.plan: the plan with 1 what-if", "y overwriting")
    s.expect("salesplan> ", "the prompt after y")
    s.type(":quit\r")
    if s.wait() != 0:
        fail(":quit did not exit with status 0 (save session)")
    with open(os.path.join(tmp, "own.plan"), encoding="utf-8") as f:
        if "1400万" in f.read():
            fail("own.plan was overwritten after the answer no")
    with open(os.path.join(tmp, "other.plan"), encoding="utf-8") as f:
        if "1400万" not in f.read():
            fail("other.plan was not overwritten after the answer y")


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    main()
