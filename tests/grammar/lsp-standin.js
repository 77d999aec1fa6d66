// lsp-standin.js -- stands in for `salesplan lsp` in tests/grammar/nvim.sh:
// answers `initialize` with no capabilities and `shutdown` with null, and
// exits on `exit` or at the end of its input.  Only the editor's side of the
// setup is under test here.
'use strict';
let buf = Buffer.alloc(0);

function send(msg) {
  const body = Buffer.from(JSON.stringify(msg));
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

function handle(msg) {
  if (msg.method === 'initialize')
    send({ jsonrpc: '2.0', id: msg.id, result: { capabilities: {}, serverInfo: { name: 'stand-in' } } });
  else if (msg.method === 'shutdown')
    send({ jsonrpc: '2.0', id: msg.id, result: null });
  else if (msg.method === 'exit')
    process.exit(0);
}

process.stdin.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  for (;;) {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0)
      return;
    const m = /Content-Length: *(\d+)/i.exec(buf.slice(0, end).toString());
    const len = m ? Number(m[1]) : 0;
    if (buf.length < end + 4 + len)
      return;
    const body = buf.slice(end + 4, end + 4 + len).toString();
    buf = buf.slice(end + 4 + len);
    try {
      handle(JSON.parse(body));
    } catch (_) {
      // not for this test
    }
  }
});
process.stdin.on('end', () => process.exit(0));
