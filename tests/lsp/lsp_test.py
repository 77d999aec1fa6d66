"""lsp_test.py BIN -- `salesplan lsp` spoken to over JSON-RPC, method by method:
lifecycle, diagnostics (equal to `check --format json` on the golden and example plans),
incremental sync, UTF-16 positions on Chinese lines and astral characters, hover, definition,
references, completion, outline, formatting, quick fixes, and bad messages (malformed
JSON, unknown methods, no Content-Length, oversized, a client leaving mid-message)."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Client  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []
passed = 0


def check(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what)


def u16(s):
    return len(s.encode("utf-16-le")) // 2


def pos_of(text, word, nth=0, off=0):
    k = 0
    for i, line in enumerate(text.split("\n")):
        j = line.find(word)
        while j >= 0:
            if k == nth:
                return {"line": i, "character": u16(line[:j]) + off}
            k += 1
            j = line.find(word, j + 1)
    raise KeyError(word)


def start(init=True, settle="0"):
    c = Client([BIN, "lsp", "--settle", settle] if settle else [BIN, "lsp"])
    if init:
        r = c.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        assert "capabilities" in r["result"], r
        c.notify("initialized", {})
    return c


def stop(c):
    r = c.request("shutdown", None)
    c.notify("exit", None)
    return r, c.close()


def open_doc(c, path, text=None, version=1):
    uri = "file://" + os.path.abspath(path)
    if text is None:
        text = open(path, encoding="utf-8").read()
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "salesplan", "version": version, "text": text}})
    return uri, text


def lifecycle():
    c = start(init=False)
    r = c.request("textDocument/hover", {"textDocument": {"uri": "file:///x"},
                                         "position": {"line": 0, "character": 0}})
    check(r.get("error", {}).get("code") == -32002, "a request before initialize: -32002")
    r = c.request("initialize", {"capabilities": {}})
    caps = r["result"]["capabilities"]
    check(caps["textDocumentSync"]["change"] == 2, "incremental sync advertised")
    for k in ("hoverProvider", "definitionProvider", "referencesProvider",
              "documentSymbolProvider", "documentFormattingProvider"):
        check(caps.get(k) is True, "capability " + k)
    check(caps["completionProvider"]["triggerCharacters"] == ["."], "completion on '.'")
    r, rc = stop(c)
    check("result" in r and r["result"] is None, "shutdown answers null")
    check(rc == 0, "exit after shutdown: status 0 (got %s)" % rc)
    c = start()
    c.notify("exit", None)
    check(c.close() == 1, "exit without shutdown: status 1")
    c = start()
    check(c.close() == 1, "end of input without shutdown: status 1")


def bad_messages():
    c = start()
    r = c.request("no/such/method", {})
    check(r["error"]["code"] == -32601, "unknown request: MethodNotFound")
    c.notify("no/such/notification", {})
    c.notify("$/cancelRequest", {"id": 99})
    body = b'{"jsonrpc":"2.0","id":5,"method":'
    c.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    r = c.read()
    check(r.get("error", {}).get("code") == -32700 and r["id"] is None, "malformed JSON: ParseError")
    c.raw(b"Content-Type: application/json\r\n\r\n")
    r = c.read()
    check(r.get("error", {}).get("code") == -32600, "no Content-Length: an error")
    c.raw(b"Content-Length: 99999999999\r\n\r\n")
    r = c.read()
    check(r.get("error", {}).get("code") == -32600 and "larger" in r["error"]["message"],
          "oversized message: an error")
    c.close()
    c = start()
    c.raw(b"Content-Length: 1000\r\n\r\n")
    c.raw(b"\xff\xfe")  # invalid UTF-8
    c.raw(b"Content-Length: 4\r\n\r\n[1,2")
    c.raw(b"Content-Length: 3\r\n\r\n")
    t0 = time.monotonic()
    rc = c.close()
    check(rc == 1 and time.monotonic() - t0 < 5, "a client leaving mid-message: clean end (%s)" % rc)
    check(c.p.returncode >= 0, "no signal on a client leaving")
    c = start()
    c.p.stdout.close()  # the client stops reading: answers go nowhere
    for i in range(50):
        c.request("initialize", {}, wait=False)
    c.p.stdin.close()
    check(c.p.wait(10) == 1, "a client that stops reading: no SIGPIPE, status 1")
    c.p.stderr.close()
    c = start()
    r = c.request("shutdown", None)
    r = c.request("textDocument/hover", {})
    check(r["error"]["code"] == -32600, "a request after shutdown: InvalidRequest")
    c.notify("exit", None)
    check(c.close() == 0, "exit after shutdown")
    c = start()
    c.send([1, 2, 3])
    r = c.read()
    check(r["error"]["code"] == -32600, "a batch array: InvalidRequest")
    r = c.request("textDocument/hover", {"textDocument": {"uri": "file:///nowhere.plan"},
                                         "position": {"line": 0, "character": 0}})
    check(r["error"]["code"] == -32602, "a request on a closed document: InvalidParams")
    stop(c)


def cross_check():
    """Every golden and example plan: the diagnostics equal `check --format json`."""
    plans = sorted(glob.glob(os.path.join(ROOT, "tests/golden/*.plan")) +
                   glob.glob(os.path.join(ROOT, "examples/*.plan")))
    c = start()
    same = differ = 0
    for path in plans:
        cj = subprocess.run([BIN, "check", "--format", "json", os.path.abspath(path)],
                            capture_output=True, text=True)
        try:
            want = json.loads(cj.stdout)["diagnostics"]
        except ValueError:
            continue
        uri, _ = open_doc(c, path)
        got = c.diagnostics(uri)["diagnostics"]
        c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        c.diagnostics(uri)
        w = sorted((d["line"] - 1, d["message"]) if d["file"] == os.path.abspath(path)
                   else (0, "%s:%d:%d: %s" % (d["file"], d["line"], d["column"], d["message"]))
                   for d in want)
        g = sorted((d["range"]["start"]["line"], d["message"]) for d in got)
        if w == g:
            same += 1
        else:
            differ += 1
            print("differs:", os.path.relpath(path, ROOT), w[:3], g[:3])
    stop(c)
    check(differ == 0 and same > 200, "diagnostics equal check's on %d plans (%d differ)"
          % (same, differ))


PLAN = """plan "FY2027" { year = 2027, start = feb, currency = "CNY" }

dimension org "销售组织" levels region > rep {
  north "华北" { zhang "张三" { base = 8000 }, li { base = 7000 } }
  east "华东😀" { sun { base = 8000 } }
}

metric revenue "销售额" money
let leads = 1000
target revenue = 1200万
split revenue by region { north: 60%, east: rest }
split revenue by rep proportional to base

incentive commission per rep {
  quota  = revenue.target
  payout = bracket revenue.actual { 0: 1%, quota: 5% }
}

let north_all = revenue[north]
let east_q1 = revenue[east, Q1]
assert revenue[north] == 720万 "north gets 60%"
"""


def plan_dir():
    d = tempfile.mkdtemp(prefix="lsp_test.")
    with open(os.path.join(d, "plan.plan"), "w", encoding="utf-8") as f:
        f.write(PLAN)
    return d, os.path.join(d, "plan.plan")


def diagnostics_and_fixes():
    d, path = plan_dir()
    c = start()
    uri, text = open_doc(c, path)
    check(c.diagnostics(uri, 1)["diagnostics"] == [], "a valid plan: no diagnostics")
    td = {"uri": uri, "version": 2}
    # incremental: 'revenue' of the first split becomes 'revnue'
    p = pos_of(text, "revenue by region")
    c.notify("textDocument/didChange", {"textDocument": td, "contentChanges": [
        {"range": {"start": p, "end": {"line": p["line"], "character": p["character"] + 7}},
         "text": "revnue"}]})
    ds = c.diagnostics(uri, 2)["diagnostics"]
    check(len(ds) == 1 and "revnue" in ds[0]["message"], "an unknown name reported: %s" % ds)
    rng = ds[0]["range"] if ds else None
    check(rng and rng["start"] == p and rng["end"]["character"] == p["character"] + 6,
          "its range is the word")
    rel = ds[0].get("relatedInformation", []) if ds else []
    check(any("did you mean 'revenue'" in r["message"] for r in rel), "the note as related info")
    acts = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng,
                                                 "context": {"diagnostics": ds}})["result"]
    check(len(acts) == 1 and acts[0]["kind"] == "quickfix", "one quick fix: %s" % acts)
    edit = acts[0]["edit"]["changes"][uri][0] if acts else None
    check(edit and edit["newText"] == "revenue" and edit["range"] == rng, "it puts the suggestion")
    # a full-text change back, on a CJK line with an astral character: UTF-16 columns
    bad = text.replace('east "华东😀" { sun', 'east "华东😀" { sun { base = 8000 } }\n  x "华" { sun')
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"text": bad}]})
    ds = c.diagnostics(uri, 3)["diagnostics"]
    want = pos_of(bad, "sun", 1)
    check(any(x["range"]["start"] == want for x in ds), "a duplicate after CJK: column %s in %s"
          % (want, [x["range"] for x in ds]))
    # typing on a line after an astral character, incrementally
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                        "contentChanges": [{"text": text}]})
    p = pos_of(text, "sun")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5},
                                        "contentChanges": [{"range": {"start": p, "end": p},
                                                            "text": "x"}]})
    ds = c.diagnostics(uri, 5)["diagnostics"]
    check(ds == [], "an edit after 😀 lands in the name (xsun is fine): %s" % ds)
    c.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    stop(c)
    shutil.rmtree(d)


def hover_etc():
    d, path = plan_dir()
    with open(os.path.join(d, "rates.plan"), "w") as f:
        f.write("let bonus_rate = 3%\n")
    text = PLAN.replace('plan "FY2027" { year = 2027, start = feb, currency = "CNY" }\n',
                        'plan "FY2027" { year = 2027, start = feb, currency = "CNY" }\n'
                        'import "rates.plan"\nlet b = bonus_rate\n')
    c = start()
    uri, text = open_doc(c, path, text)
    check(c.diagnostics(uri)["diagnostics"] == [], "the plan with an import checks")
    td = {"uri": uri}

    def hover(word, nth=0, off=0):
        r = c.request("textDocument/hover", {"textDocument": td,
                                             "position": pos_of(text, word, nth, off)})
        return (r.get("result") or {}).get("contents", {}).get("value", "")

    h = hover("revenue", 1)
    check("metric" in h and "销售额" in h and "12,000,000.00" in h, "hover on a metric: " + h)
    h = hover("sun")
    check("member" in h and "revenue[sun]" in h and "% of east" in h,
          "hover on a member after 😀, with its share: " + h)
    h = hover("leads")
    check("let" in h and "1000" in h, "hover on a let: " + h)
    h = hover("revenue[north]", 0, 2)
    check("revenue[north] = 7,200,000.00" in h and "exact value" in h and "split revenue by region"
          in h, "hover on a cell: " + h)
    h = hover("revenue[east, Q1]", 0, 2)
    check("no value: revenue is not split by quarter" in h, "a cell without a value: why: " + h)
    h = hover("commission")
    check("incentive" in h and "payout" in h, "hover on an incentive")
    h = hover("region", 1)
    check("level" in h and "`org` (depth 0): 2 members" in h, "hover on a level: " + h)

    def definition(word, nth=0):
        r = c.request("textDocument/definition", {"textDocument": td,
                                                  "position": pos_of(text, word, nth)})
        return r.get("result")

    r = definition("leads", 0)
    check(r and r["range"]["start"] == pos_of(text, "leads"), "definition of a let (itself)")
    r = definition("quota", 1)
    check(r and r["range"]["start"] == pos_of(text, "quota"), "definition of an incentive line")
    r = definition("base", 1)
    check(r and r["range"]["start"]["line"] == pos_of(text, "base")["line"], "an attribute")
    r = definition("bonus_rate")
    check(r and r["uri"].endswith("/rates.plan") and r["range"]["start"]["line"] == 0,
          "definition in an import")
    r = definition('import "rates')
    check(r and r["uri"].endswith("/rates.plan"), "definition of an import: the file")
    r = definition("north", 1)
    check(r and r["range"]["start"] == pos_of(text, "north"), "definition of a member")
    r = c.request("textDocument/references", {"textDocument": td,
                                              "position": pos_of(text, "revenue", 2),
                                              "context": {"includeDeclaration": True}})["result"]
    n = sum(line.count("revenue") for line in text.split("\n"))
    check(len(r) == n, "references of revenue: %d of %d" % (len(r), n))
    r = c.request("textDocument/references", {"textDocument": td,
                                              "position": pos_of(text, "revenue", 2),
                                              "context": {"includeDeclaration": False}})["result"]
    check(len(r) == n - 1, "references without the declaration")

    def complete(line_text):
        # appended at the end of the text, then taken back
        full = text + line_text
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 9},
                                            "contentChanges": [{"text": full}]})
        lines = full.split("\n")
        r = c.request("textDocument/completion", {"textDocument": td, "position": {
            "line": len(lines) - 1, "character": u16(lines[-1])}})["result"]
        return [i["label"] for i in r["items"]]

    labels = complete("let z = rev")
    check(sorted(labels) == ["revenue", "review"], "completion of 'rev': %s" % labels)
    labels = complete("let z = commission.")
    check(sorted(labels) == ["payout", "quota"], "an incentive's lines: %s" % labels)
    labels = complete("sp")
    check("split" in labels, "keywords complete")
    labels = complete("let z = zh")
    check("zhang" in labels, "members complete")
    labels = complete("let z = reg")
    check("region" in labels, "levels complete")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 10},
                                        "contentChanges": [{"text": text}]})
    syms = c.request("textDocument/documentSymbol", {"textDocument": td})["result"]
    names = [s["name"] for s in syms]
    check("org" in names and "revenue" in names and "commission" in names, "outline: %s" % names)
    org = [s for s in syms if s["name"] == "org"][0]
    kids = [k["name"] for k in org.get("children", [])]
    check("north" in kids and "rep" in kids, "a dimension's levels and members: %s" % kids)
    stop(c)
    shutil.rmtree(d)


def formatting():
    d, path = plan_dir()
    messy = PLAN.replace("let leads = 1000", "let   leads=1000").replace("  quota  =", " quota =")
    c = start()
    uri, _ = open_doc(c, path, messy)
    r = c.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                              "options": {"tabSize": 2, "insertSpaces": True}})
    edits = r["result"]
    with open(path, "w", encoding="utf-8") as f:
        f.write(messy)
    want = subprocess.run([BIN, "fmt", path], capture_output=True, text=True).stdout
    check(len(edits) == 1 and edits[0]["newText"] == want, "formatting: what fmt writes")
    lines = messy.split("\n")
    check(edits and edits[0]["range"]["end"] == {"line": len(lines) - 1,
                                                 "character": u16(lines[-1])},
          "the edit covers the whole text")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                        "contentChanges": [{"text": want}]})
    r = c.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {}})
    check(r["result"] == [], "a formatted plan: no edit")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"text": "plan {{{"}]})
    r = c.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {}})
    check(r.get("error", {}).get("code") == -32803, "formatting a plan that does not parse")
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": {"line": 0, "character": 0}})
    check("result" in r, "hover on a broken plan answers")
    stop(c)
    shutil.rmtree(d)


def sandbox():
    d = tempfile.mkdtemp(prefix="lsp_test.")
    path = os.path.join(d, "p.plan")
    text = ('plan "x" { year = 2027 }\nmetric revenue money\ntarget revenue = 1\n'
            'history h = "../../../../etc/passwd"\n')
    c = start()
    uri, _ = open_doc(c, path, text)
    ds = c.diagnostics(uri)["diagnostics"]
    with open(path, "w") as f:
        f.write(text)
    cj = json.loads(subprocess.run([BIN, "check", "--format", "json", path],
                                   capture_output=True, text=True).stdout)["diagnostics"]
    check(ds and sorted(x["message"] for x in ds) == sorted(x["message"] for x in cj),
          "a path outside the plan's directory: refused as check refuses it")
    stop(c)
    shutil.rmtree(d)


def two_steps():
    """With the default --settle: names first, then what evaluation finds."""
    d, path = plan_dir()
    c = start(settle=None)
    text = PLAN.replace('"north gets 60%"', '"north gets 60%"\nassert revenue[east] == 1 "wrong"')
    uri, _ = open_doc(c, path, text)
    first = c.diagnostics(uri, 1)["diagnostics"]
    second = c.diagnostics(uri, 1)["diagnostics"]
    check(first == [] and len(second) == 1 and "wrong" in json.dumps(second, ensure_ascii=False),
          "two steps: %s then %s" % (first, second))
    typo = text.replace("let leads = 1000", "let leads = 1000 +")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                        "contentChanges": [{"text": typo}]})
    ds = c.diagnostics(uri, 2)["diagnostics"]
    check(len(ds) == 1 and ds[0]["severity"] == 1, "a syntax error at once: %s" % ds)
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": pos_of(typo, "revenue", 1)})
    h = (r.get("result") or {}).get("contents", {}).get("value", "")
    check("metric" in h, "hover from the last good analysis while the text does not parse: " + h)
    r, rc = stop(c)
    check(rc == 0, "stopped")
    shutil.rmtree(d)
    c = Client([BIN, "lsp", "--settle", "x"])
    check(c.close() == 2, "--settle x: a usage error")


def member_values():
    """A member's hover after an edit: at once, what the member is and its values pending;
    once the text has settled, its value, equal to the cell of run's table."""
    d, path = plan_dir()
    text = PLAN[:PLAN.index("let north_all")]
    c = start(settle="700")  # long enough that the first hover comes before the second step
    uri, _ = open_doc(c, path, text)
    c.diagnostics(uri, 1)
    c.diagnostics(uri, 1)
    edited = text.replace("north: 60%", "north: 55%")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                        "contentChanges": [{"text": edited}]})

    def hover():
        r = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                             "position": pos_of(edited, "zhang")})
        return (r.get("result") or {}).get("contents", {}).get("value", "")

    check(c.diagnostics(uri, 2)["diagnostics"] == [], "the edit checks")
    h = hover()
    check("of `org`, level `rep`, under `north`" in h and "values pending" in h
          and "revenue[zhang]" not in h, "a member's hover right after an edit: " + h)
    check(c.diagnostics(uri, 2)["diagnostics"] == [], "the edit's second step")
    h = hover()
    with open(path, "w", encoding="utf-8") as f:
        f.write(edited)
    csv = subprocess.run([BIN, "run", "--show", "revenue by rep", "--format", "csv", path],
                         capture_output=True, text=True).stdout
    cell = [ln.split(",")[1] for ln in csv.splitlines() if ln.startswith("zhang,")]
    shown = h.split("`revenue[zhang] = ")[1].split("`")[0] if "`revenue[zhang] = " in h else ""
    check(cell == ["3520000.00"] and shown.replace(",", "") == cell[0]
          and "values pending" not in h, "a member's hover once the text settled: %s (run: %s)"
          % (h, cell))
    stop(c)
    shutil.rmtree(d)


def interrupted():
    """Typing during the evaluation step stops it; it runs again and nothing says so."""
    d = tempfile.mkdtemp(prefix="lsp_test.")
    path = os.path.join(d, "big.plan")
    with open(path, "w") as f:
        subprocess.run(["sh", os.path.join(ROOT, "bench/parse/gen_plan.sh"), "30000"], stdout=f,
                       check=True)
    c = start(settle="20")
    text = open(path, encoding="utf-8").read() + "let typed = 1\n"
    uri, _ = open_doc(c, path, text)
    c.diagnostics(uri, 1, timeout=120)
    last = len(text.split("\n")) - 2
    seen = []
    for i in range(6):
        time.sleep(0.05 * i)  # into the second step, at different points
        ch = 13 + i
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": i + 2},
                                            "contentChanges": [{"range": {
                                                "start": {"line": last, "character": ch},
                                                "end": {"line": last, "character": ch}},
                                                "text": "1"}]})
        seen.append(c.diagnostics(uri, i + 2, timeout=120)["diagnostics"])
    seen.append(c.diagnostics(uri, 7, timeout=120)["diagnostics"])  # the complete one
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": {"line": last, "character": 5}})
    check(all(x == [] for x in seen), "typing through the second step: no stray diagnostic %s"
          % [x[:1] for x in seen])
    check("1111111" in r["result"]["contents"]["value"], "the let as typed: %s" % r)
    r, rc = stop(c)
    check(rc == 0, "stopped after the interruptions")
    shutil.rmtree(d)


def long_line():
    # 20,000 lets on one line, then the same with a Chinese name and an astral character before
    # them: each symbol's UTF-16 column is found without a walk from the line's start per symbol
    # (the outline took 21 s before), and is right on either kind of line
    d = tempfile.mkdtemp(prefix="lsp_test.")
    for head in ("", 'let 销售😀 = 1 '):
        lets = "".join("let e%d = %d " % (i, i) for i in range(1, 20001))
        text = 'plan "p" { year = 2027 }\n' + head + lets + "\n"
        c = start()
        uri, _ = open_doc(c, os.path.join(d, "long.plan"), text)
        t = time.monotonic()
        syms = c.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})["result"]
        took = time.monotonic() - t
        last = [s for s in syms if s["name"] == "e20000"]
        line = head + lets
        want = u16(line[:line.find("let e20000 ")])
        got = last[0]["range"]["start"] if last else None
        check(len(syms) >= 20000 and got == {"line": 1, "character": want},
              "the last of 20,000 lets on one line at character %d: %s" % (want, got))
        check(took < 5, "an outline of 20,000 symbols on one line in %.2f s" % took)
        stop(c)
    shutil.rmtree(d)


for t in (interrupted, member_values, two_steps, lifecycle, bad_messages, diagnostics_and_fixes, hover_etc, formatting, sandbox,
          cross_check, long_line):
    t()
print("lsp: %d checks passed, %d failed" % (passed, len(failures)))
sys.exit(1 if failures else 0)
