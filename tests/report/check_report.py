#!/usr/bin/python3
"""The html report (salesplan report) opened in headless Chromium.

For every examples/*.plan (with its own actuals; a few with --as-of or
--scenario), the report is generated and Chromium
  - dumps the DOM: every chart mark (an SVG rect with data-row, data-col and
    data-value) must equal the cell of the table beside it (<tr data-row>,
    <td data-col data-value> or the row's data-cN of a column people do not
    see); the CSP meta must be there, and no <script>, <link> or <img>;
  - logs: no console message at all ("CONSOLE" or "Uncaught" on stderr with
    --enable-logging=stderr), so neither a script error nor a refused fetch;
  - writes a net log: every URL requested is the file itself or data:;
  - takes a screenshot: more than a handful of distinct colours;
  - prints to PDF: pdfinfo's page count equals the count recorded in
    expected_pages (one A4 page per section -- print CSS breaks before each
    -- and more where a section's tables are longer than a page), and is at
    least the number of sections.
A doctored page (an external image and a failing script, no CSP) must be
caught by the net log and console checks, so that those checks can fail.

usage: check_report.py ./salesplan (UPDATE=1 in the environment rewrites
expected_pages; REPORT_PLANS=a,b checks examples/a.plan and b.plan only)
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXTRA = {  # plan: extra runs (name suffix, arguments)
    "team_review.plan": [("asof", ["--as-of", "2027-06"])],
    "team_small.plan": [("soft", ["--scenario", "soft_year"])],
}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio",
         "--enable-logging=stderr", "--v=0"]


class Dom(HTMLParser):
    """Sections with their rows' values and their charts' marks."""

    def __init__(self):
        super().__init__()
        self.sections = {}  # id -> {"rows": {row: {col: value}}, "marks": [...]}
        self.sec = None
        self.row = None
        self.csp = False
        self.fetching = []  # tags that could fetch

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = "default-src 'none'" in a.get("content", "")
        if tag in ("script", "link", "img", "iframe", "object", "embed", "image", "use"):
            self.fetching.append(tag)
        if tag == "section" and a.get("id", "").startswith("item-"):
            self.sec = self.sections.setdefault(a["id"], {"rows": {}, "marks": []})
        if self.sec is None:
            return
        if tag == "tr":
            self.row = None
            if "data-row" in a:
                self.row = self.sec["rows"].setdefault(a["data-row"], {})
                for k, v in a.items():
                    if k.startswith("data-c") and k[6:].isdigit():
                        self.row[k[6:]] = v
        if tag == "td" and self.row is not None and "data-value" in a:
            self.row[a["data-col"]] = a["data-value"]
        if tag == "rect" and "data-value" in a:
            self.sec["marks"].append((a.get("data-row"), a.get("data-col"), a["data-value"]))

    def handle_endtag(self, tag):
        if tag == "section":
            self.sec = None


def chromium(args, html, tmp):
    prof = tempfile.mkdtemp(dir=tmp)
    cmd = [CHROMIUM] + FLAGS + ["--user-data-dir=" + prof] + args + ["file://" + html]
    r = subprocess.run(cmd, capture_output=True, timeout=120)
    return r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def console_errors(stderr):
    return [l for l in stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]


def net_urls(netlog):
    """The URLs the page asked for: every request job of the net log but the
    browser's own (time, update and account queries have no initiating
    document: their initiator is "not an origin"; a file: page's requests
    have the opaque origin "null")."""
    with open(netlog, encoding="utf-8") as f:
        text = f.read()
    try:
        log = json.loads(text)
    except ValueError:  # a log cut short: close it
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for e in log.get("events", []):
        p = e.get("params", {})
        if e.get("type") == start and p.get("initiator") != "not an origin":
            urls.append(p.get("url", ""))
    return urls


def foreign(urls, html):
    own = "file://" + html
    return [u for u in urls if not (u.startswith("data:") or u == own or u.startswith(own + "#")
                                    or u in ("", "null"))]


def check_dom(name, dom):
    errs, marks = [], 0
    if not dom.csp:
        errs.append("no Content-Security-Policy meta")
    if dom.fetching:
        errs.append("elements that could fetch: %s" % sorted(set(dom.fetching)))
    for sid, sec in dom.sections.items():
        for row, col, value in sec["marks"]:
            marks += 1
            cell = sec["rows"].get(row, {}).get(col)
            if cell != value:
                errs.append("%s: mark row %s col %s is %s, its table says %s"
                            % (sid, row, col, value, cell))
    return errs, marks


def distinct_colours(png):
    from PIL import Image
    with Image.open(png) as im:
        return len(set(im.convert("RGB").getdata()))


def pdf_pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    return int([l for l in out.splitlines() if l.startswith("Pages:")][0].split()[1])


def one_report(sp, plan, suffix, args, tmp, expected, found):
    name = os.path.basename(plan)[:-5] + ("_" + suffix if suffix else "")
    html = os.path.join(tmp, name + ".html")
    r = subprocess.run([sp, "report", plan, "-o", html] + args, capture_output=True, text=True)
    if r.returncode != 0:
        return ["%s: report exited %d: %s" % (name, r.returncode, r.stderr.strip())], 0
    errs = []
    netlog = os.path.join(tmp, name + ".netlog.json")
    dom_text, log = chromium(["--dump-dom", "--log-net-log=" + netlog], html, tmp)
    errs += ["console: " + l for l in console_errors(log)]
    errs += ["request: " + u for u in foreign(net_urls(netlog), html)]
    dom = Dom()
    dom.feed(dom_text)
    derrs, marks = check_dom(name, dom)
    errs += derrs
    png = os.path.join(tmp, name + ".png")
    chromium(["--screenshot=" + png, "--window-size=1000,1400", "--hide-scrollbars"], html, tmp)
    colours = distinct_colours(png) if os.path.exists(png) else 0
    if colours <= 8:
        errs.append("screenshot nearly blank: %d colours" % colours)
    pdf = os.path.join(tmp, name + ".pdf")
    chromium(["--print-to-pdf=" + pdf, "--no-pdf-header-footer"], html, tmp)
    pages = pdf_pages(pdf)
    found[name] = (pages, len(dom.sections))
    if pages < len(dom.sections):
        errs.append("%d pages for %d sections" % (pages, len(dom.sections)))
    if not os.environ.get("UPDATE") and expected.get(name) != pages:
        errs.append("%d pages, expected %s" % (pages, expected.get(name)))
    return ["%s: %s" % (name, e) for e in errs], marks


def doctored(tmp):
    """A page that fetches and fails in a script must be caught: the
    checks themselves can fail."""
    html = os.path.join(tmp, "doctored.html")
    with open(html, "w") as f:
        f.write("<!DOCTYPE html><html><body><p>x</p>"
                "<img src=\"http://127.0.0.1:9/x.png\"><script>nosuchfn()</script></body></html>")
    netlog = os.path.join(tmp, "doctored.netlog.json")
    _, log = chromium(["--dump-dom", "--log-net-log=" + netlog], html, tmp)
    return bool(foreign(net_urls(netlog), html)) and bool(console_errors(log))


def read_expected(with_sections=False):
    path = os.path.join(HERE, "expected_pages")
    exp = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                w = line.split()
                exp[w[0]] = (int(w[1]), int(w[2])) if with_sections else int(w[1])
    return path, exp


def main():
    sp = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "./salesplan")
    if not CHROMIUM:
        sys.exit("check-report: chromium is needed (tools/install-deps.sh installs it)")
    path, expected = read_expected()
    found, errors, marks, runs = {}, [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        if not doctored(tmp):
            errors.append("a doctored page's request or script error went unseen")
        only = os.environ.get("REPORT_PLANS")  # e.g. "team_review,fy2027": those only
        for plan in sorted(glob.glob(os.path.join(ROOT, "examples", "*.plan"))):
            if only and os.path.basename(plan)[:-5] not in only.split(","):
                continue
            cases = [("", [])] + EXTRA.get(os.path.basename(plan), [])
            for suffix, args in cases:
                e, m = one_report(sp, plan, suffix, args, tmp, expected, found)
                errors += e
                marks += m
                runs += 1
    if os.environ.get("UPDATE"):
        found = dict(read_expected(True)[1], **found)  # REPORT_PLANS: the others kept
        with open(path, "w", encoding="utf-8") as f:
            f.write("# report: printed A4 pages (tests/report/check_report.py): one per\n"
                    "# section (a table or sheet with its charts), more where a section's\n"
                    "# tables run longer than a page; then the number of sections\n")
            for k in sorted(found):
                f.write("%s %d %d\n" % (k, found[k][0], found[k][1]))
    if marks == 0:
        errors.append("no chart mark in any report")
    for e in errors:
        print("check-report: " + e, file=sys.stderr)
    if errors:
        sys.exit(1)
    print("check-report: %d reports, %d chart marks equal to their tables' cells" % (runs, marks))


main()
