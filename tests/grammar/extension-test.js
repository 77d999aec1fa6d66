#!/usr/bin/env node
// extension-test.js -- editors/vscode/extension.js against stand-ins for the
// `vscode` API and vscode-languageclient (no VS Code here): activation starts
// `<salesplan.path> lsp` over stdio for the salesplan language (no
// transport kind: vscode-languageclient appends `--stdio` for TransportKind.stdio), a change of
// salesplan.path restarts it with the new program, an empty setting means
// `salesplan`, a server that cannot start is reported once, and
// deactivation stops the client.
'use strict';
const Module = require('module');
const path = require('path');
const assert = require('assert');

const top = path.resolve(__dirname, '..', '..');
const log = [];
let config = { path: '/opt/sp/bin/salesplan' };
let failStart = false;
const listeners = [];
const commands = {};

class LanguageClient {
  constructor(id, name, server, client) {
    Object.assign(this, { id, name, server, client });
    LanguageClient.last = this;
    log.push(['new', server.run.command, server.run.args.join(' '), String(server.run.transport)]);
  }
  async start() {
    log.push(['start', this.server.run.command]);
    if (failStart)
      throw new Error('spawn salesplan ENOENT');
  }
  async stop() { log.push(['stop', this.server.run.command]); }
}

const vscode = {
  workspace: {
    getConfiguration: (section) => ({ get: (key) => (section === 'salesplan' ? config[key] : undefined) }),
    onDidChangeConfiguration: (f) => { listeners.push(f); return { dispose() {} }; },
    createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
  },
  window: { showErrorMessage: (m) => log.push(['error', m]) },
  commands: { registerCommand: (name, f) => { commands[name] = f; return { dispose() {} }; } },
};
const lc = { LanguageClient, TransportKind: { stdio: 0, ipc: 1 } };

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode' || request === 'vscode-languageclient/node')
    return request;
  return resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
require.cache['vscode-languageclient/node'] = { id: 'lc', filename: 'lc', loaded: true, exports: lc };

const tick = () => new Promise((r) => setImmediate(r));

async function main() {
  const ext = require(path.join(top, 'editors', 'vscode', 'extension.js'));
  const manifest = require(path.join(top, 'editors', 'vscode', 'package.json'));
  const context = { subscriptions: [] };
  await ext.activate(context);
  assert.deepStrictEqual(log.splice(0), [['new', '/opt/sp/bin/salesplan', 'lsp', 'undefined'],
    ['start', '/opt/sp/bin/salesplan']]);
  assert.ok(LanguageClient.last.client.documentSelector.every((d) => d.language === 'salesplan'),
    'the client serves the salesplan language');
  assert.strictEqual(LanguageClient.last.server.debug.command, '/opt/sp/bin/salesplan');
  assert.ok(commands['salesplan.restartServer'], 'the restart command is registered');
  // a repository's .vscode/settings.json cannot choose the program that runs
  const setting = manifest.contributes.configuration.properties['salesplan.path'];
  assert.strictEqual(setting.scope, 'machine');
  assert.deepStrictEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['salesplan.path']);
  assert.ok(manifest.contributes.commands.some((c) => c.command === 'salesplan.restartServer'),
    'the restart command is in the manifest');

  // the client is for salesplan documents
  config = { path: '  ' };
  listeners.forEach((f) => f({ affectsConfiguration: (s) => s === 'salesplan.path' }));
  await tick(); await tick();
  assert.deepStrictEqual(log.splice(0), [['stop', '/opt/sp/bin/salesplan'], ['new', 'salesplan', 'lsp', 'undefined'],
    ['start', 'salesplan']]);

  // another setting changes nothing
  listeners.forEach((f) => f({ affectsConfiguration: (s) => s === 'editor.tabSize' }));
  await tick();
  assert.deepStrictEqual(log.splice(0), []);

  // a program that does not start: one message, and no client to stop
  failStart = true;
  await commands['salesplan.restartServer']();
  const got = log.splice(0);
  assert.deepStrictEqual(got.slice(0, 3), [['stop', 'salesplan'], ['new', 'salesplan', 'lsp', 'undefined'], ['start', 'salesplan']]);
  assert.strictEqual(got.length, 4);
  assert.strictEqual(got[3][0], 'error');
  assert.match(got[3][1], /salesplan\.path/);
  await ext.deactivate();
  assert.deepStrictEqual(log.splice(0), []);

  // started again, then deactivated: stopped
  failStart = false;
  await commands['salesplan.restartServer']();
  log.splice(0);
  await ext.deactivate();
  assert.deepStrictEqual(log.splice(0), [['stop', 'salesplan']]);

  // the language configuration: '#' comments, words as the lexer reads names
  const conf = require(path.join(top, 'editors', 'vscode', 'language-configuration.json'));
  assert.strictEqual(conf.comments.lineComment, '#');
  const word = new RegExp(conf.wordPattern, 'g');
  assert.deepStrictEqual('提成.payout = 华北2027 + x_1，y'.match(word), ['提成', 'payout', '华北2027', 'x_1', 'y']);
  assert.ok(new RegExp(conf.indentationRules.increaseIndentPattern).test('dimension org {  # regions'));
  assert.ok(!new RegExp(conf.indentationRules.increaseIndentPattern).test('  north { a, b }'));
  assert.ok(new RegExp(conf.indentationRules.decreaseIndentPattern).test('  }'));
  console.log('grammar: extension.js starts, restarts and stops `salesplan lsp` as configured');
}

main().catch((e) => { console.error(`check-grammar: extension.js: ${e.message}`); process.exit(1); });
