"""bench.py BIN -- `salesplan lsp` on a generated 100,000-line plan (bench/parse/gen_plan.sh),
through the real binary: didOpen, then N keystrokes (didChange, incremental) each waiting for
the diagnostics of its version, keystrokes after a 400 ms pause (while the second step of the
checks runs), the complete diagnostics, then N hovers on a metric, N on members and N
completions, and N/4 edits each followed by a hover on a member at once (its values pending)
and another after the second step (its values); prints min/median/p90/max latencies and fails
when the median keystroke-to-diagnostics passes 1 s or a median hover 50 ms.
env: BENCH_LINES (default 100000), N (default 20)."""
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "tests", "lsp"))
from lspclient import Client  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
LINES = int(os.environ.get("BENCH_LINES", "100000"))
N = int(os.environ.get("N", "20"))


def stats(name, xs):
    xs = sorted(xs)
    p90 = xs[min(len(xs) - 1, int(len(xs) * 0.9))]
    print("%-26s n=%-3d min %8.1f ms  median %8.1f ms  p90 %8.1f ms  max %8.1f ms"
          % (name, len(xs), xs[0] * 1e3, statistics.median(xs) * 1e3, p90 * 1e3, xs[-1] * 1e3))
    return statistics.median(xs)


def main():
    tmp = tempfile.mkdtemp(prefix="lsp_bench.")
    path = os.path.join(tmp, "bench.plan")
    with open(path, "w") as f:
        subprocess.run(["sh", os.path.join(here, "..", "parse", "gen_plan.sh"), str(LINES)],
                       stdout=f, check=True)
    text = open(path, encoding="utf-8").read() + "let bench_x = 1\n"
    lines = text.split("\n")
    print("plan: %d lines, %d KiB" % (len(lines) - 1, len(text.encode()) // 1024))
    c = Client([BIN, "lsp"])
    c.request("initialize", {"capabilities": {}})
    c.notify("initialized", {})
    uri = "file://" + path
    t0 = time.monotonic()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "salesplan",
                                                       "version": 1, "text": text}})
    d = c.diagnostics(uri, 1, timeout=120)
    print("didOpen to diagnostics: %.1f ms (%d diagnostics)"
          % ((time.monotonic() - t0) * 1e3, len(d["diagnostics"])))
    last = len(lines) - 2  # "let bench_x = 1"
    keys = []
    for i in range(N):
        ch = len(lines[last]) + i
        t0 = time.monotonic()
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": i + 2},
            "contentChanges": [{"range": {"start": {"line": last, "character": ch},
                                          "end": {"line": last, "character": ch}},
                                "text": str(i % 10)}]})
        d = c.diagnostics(uri, i + 2, timeout=120)
        keys.append(time.monotonic() - t0)
        assert d["diagnostics"] == [], d["diagnostics"][:2]
    # a keystroke after a pause: the second step of the checks (evaluation) has started
    paused = []
    for i in range(max(3, N // 4)):
        v = N + 2 + i
        time.sleep(0.4)
        ch = len(lines[last]) + N + i
        t0 = time.monotonic()
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": v},
            "contentChanges": [{"range": {"start": {"line": last, "character": ch},
                                          "end": {"line": last, "character": ch}},
                                "text": "1"}]})
        c.diagnostics(uri, v, timeout=120)
        paused.append(time.monotonic() - t0)
    t0 = time.monotonic()
    c.diagnostics(uri, v, timeout=120)  # the second step's, once the text settles
    full = time.monotonic() - t0
    metric_line = next(i for i, l in enumerate(lines) if l.startswith("metric "))
    hovers, comps = [], []
    for i in range(N):
        t0 = time.monotonic()
        r = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                             "position": {"line": metric_line, "character": 8}})
        hovers.append(time.monotonic() - t0)
        assert r.get("result"), r
    rep_lines = [i for i, l in enumerate(lines) if l.strip().startswith("rep_")][:3 * N]

    def member_hover(ln):
        t0 = time.monotonic()
        r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {
            "line": ln, "character": lines[ln].index("rep_") + 2}})
        took = time.monotonic() - t0
        assert r.get("result"), r
        return took, r["result"]["contents"]["value"]

    members = []
    for ln in rep_lines[:N]:
        took, h = member_hover(ln)
        members.append(took)
        assert "revenue[rep_" in h, h
    # the first member hover after an edit: from the names and static checks
    # at once, its values pending; and after the second step, with values
    after_edit, after_settle = [], []
    for i in range(max(3, N // 4)):
        v += 1  # the first digit of bench_x changed (the number grows no longer)
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": v},
            "contentChanges": [{"range": {"start": {"line": last, "character": 14},
                                          "end": {"line": last, "character": 15}},
                                "text": str(2 + i % 8)}]})
        assert c.diagnostics(uri, v, timeout=120)["diagnostics"] == []
        took, h = member_hover(rep_lines[N + 2 * i])
        after_edit.append(took)
        assert "values pending" in h, h
        c.diagnostics(uri, v, timeout=120)  # the second step's
        took, h = member_hover(rep_lines[N + 2 * i + 1])
        after_settle.append(took)
        assert "revenue[rep_" in h, h
    for i in range(N):
        t0 = time.monotonic()
        r = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                  "position": {"line": last, "character": 14}})
        comps.append(time.monotonic() - t0)
        assert r.get("result"), r
    t0 = time.monotonic()
    r = c.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    outline = time.monotonic() - t0
    with open("/proc/%d/status" % c.p.pid) as f:
        hwm = [l.split()[1] for l in f if l.startswith("VmHWM")]
    mk = stats("keystroke -> diagnostics", keys)
    stats("keystroke after 400 ms pause", paused)
    print("%-26s %.1f ms after the last keystroke's first diagnostics" % ("complete diagnostics", full * 1e3))
    mh = stats("hover (metric)", hovers)
    mm = max(stats("hover (member)", members),
             stats("member, first after edit", after_edit),
             stats("member, first after settle", after_settle))
    stats("completion", comps)
    print("%-26s %.1f ms (%d top-level symbols)" % ("outline", outline * 1e3, len(r["result"])))
    if hwm:
        print("%-26s %d MiB" % ("server peak RSS", int(hwm[0]) // 1024))
    c.request("shutdown", None)
    c.notify("exit", None)
    rc = c.close()
    os.remove(path)
    os.rmdir(tmp)
    ok = mk < 1.0 and mh < 0.05 and mm < 0.05 and rc == 0
    print("bench-lsp: %s (limits: keystroke median < 1000 ms, hover medians < 50 ms)"
          % ("ok" if ok else "TOO SLOW"))
    return 0 if ok else 1


sys.exit(main())
