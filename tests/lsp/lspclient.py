"""lspclient.py -- a minimal LSP client over a child's stdin/stdout (stdlib only),
for tests/lsp/lsp_test.py and bench/lsp/bench.py."""
import json
import os
import select
import subprocess
import time


class Client:
    def __init__(self, argv, cwd=None):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=cwd)
        self.buf = b""
        self.next_id = 1
        self.notes = []  # notifications received, in order

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj, ensure_ascii=False).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, wait=True):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.response(rid) if wait else rid

    def _fill(self, deadline):
        fd = self.p.stdout.fileno()
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError("no answer from the server")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise EOFError("the server closed its output")
        self.buf += chunk

    def read(self, timeout=30):
        """The next message from the server."""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        n = None
        for line in head.split(b"\r\n"):
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                n = int(v)
        assert n is not None, head
        parts, have = [rest], len(rest)
        while have < n:  # a large body: chunks kept apart, joined once
            self.buf = b""
            self._fill(deadline)
            parts.append(self.buf)
            have += len(self.buf)
        body = b"".join(parts)
        self.buf = body[n:]
        return json.loads(body[:n])

    def response(self, rid, timeout=30):
        while True:
            m = self.read(timeout)
            if "method" in m:
                self.notes.append(m)
            elif m.get("id") == rid or rid is None:
                return m

    def diagnostics(self, uri, version=None, timeout=30):
        """The next publishDiagnostics for uri (and version, when given)."""
        for i, m in enumerate(self.notes):
            if self._is_diag(m, uri, version):
                del self.notes[i]
                return m["params"]
        while True:
            m = self.read(timeout)
            if self._is_diag(m, uri, version):
                return m["params"]
            if "method" in m:
                self.notes.append(m)

    @staticmethod
    def _is_diag(m, uri, version):
        return (m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and (version is None or m["params"].get("version") == version))

    def close(self, timeout=10):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.p.wait(timeout)
        finally:
            self.p.stdout.close()
            self.p.stderr.close()
