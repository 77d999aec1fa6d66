// extension.js -- starts `salesplan lsp` (the salesplan language server, over
// stdio) for .plan files and restarts it when `salesplan.path` changes.  The
// highlighting needs none of this: it is the TextMate grammar of
// syntaxes/salesplan.tmLanguage.json.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function serverPath() {
  const configured = vscode.workspace.getConfiguration('salesplan').get('path');
  return typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : 'salesplan';
}

function makeClient() {
  const command = serverPath();
  // No `transport`: with TransportKind.stdio the client would append `--stdio`
  // to the arguments; without it, it talks over the process's stdin and stdout
  // all the same and runs exactly `salesplan lsp`.
  const run = { command, args: ['lsp'] };
  return new LanguageClient('salesplan', 'salesplan language server', { run, debug: run }, {
    documentSelector: [
      { scheme: 'file', language: 'salesplan' },
      { scheme: 'untitled', language: 'salesplan' },
    ],
    synchronize: {
      // data files and imported plans change what a plan says
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{plan,csv}'),
    },
  });
}

async function start() {
  client = makeClient();
  try {
    await client.start();
  } catch (err) {
    const path = serverPath();
    client = undefined;
    vscode.window.showErrorMessage(
      `salesplan: cannot start the language server "${path} lsp" (${err && err.message ? err.message : err}). ` +
        'Install salesplan or set "salesplan.path" to the program.');
  }
}

async function stop() {
  if (!client)
    return;
  const old = client;
  client = undefined;
  try {
    await old.stop();
  } catch (_) {
    // a server that already exited
  }
}

async function restart() {
  await stop();
  await start();
}

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('salesplan.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('salesplan.path'))
        restart();
    }),
    { dispose: () => stop() });
  return start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
