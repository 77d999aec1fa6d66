"""lsp_corpus.py DIR -- seeds for fuzz_lsp: framed client sessions on the example plans
(initialize, didOpen, an incremental didChange, every request of tests/lsp, shutdown, exit),
and a few broken frames."""
import glob
import json
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def frame(obj):
    body = json.dumps(obj, ensure_ascii=False).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def session(text):
    uri = "file:///fuzz/plan.plan"
    td = {"uri": uri}
    pos = {"line": 3, "character": 4}
    msgs = [{"id": 1, "method": "initialize", "params": {"capabilities": {}}},
            {"method": "initialized", "params": {}},
            {"method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": uri, "languageId": "salesplan", "version": 1, "text": text}}},
            {"method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 2},
             "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}]}}]
    for i, m in enumerate(["hover", "definition", "references", "completion", "documentSymbol",
                           "formatting", "codeAction"]):
        msgs.append({"id": 10 + i, "method": "textDocument/" + m, "params": {
            "textDocument": td, "position": pos, "context": {"includeDeclaration": True},
            "range": {"start": pos, "end": pos}, "options": {}}})
    msgs += [{"id": 99, "method": "shutdown"}, {"method": "exit"}]
    return b"".join(frame(dict(m, jsonrpc="2.0")) for m in msgs)


for path in sorted(glob.glob(os.path.join(root, "examples/*.plan"))):
    with open(path, encoding="utf-8") as f:
        data = session(f.read())
    with open(os.path.join(out, os.path.basename(path) + ".lsp"), "wb") as f:
        f.write(data)
for name, data in [("noheader", b"Content-Type: x\r\n\r\n{}"),
                   ("badjson", b"Content-Length: 5\r\n\r\n{\"id\""),
                   ("huge", b"Content-Length: 99999999999\r\n\r\n{}"),
                   ("half", b"Content-Length: 100\r\n\r\n{\"jsonrpc\":")]:
    with open(os.path.join(out, name + ".lsp"), "wb") as f:
        f.write(data)
