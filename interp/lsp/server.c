/* server.c -- the message loop: lifecycle (initialize, shutdown, exit),
 * one table of methods, errors for what is not a request we know, and
 * analyses run when no input is waiting (a burst of keystrokes is one
 * analysis). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/version.h"
#include "lsp/lsp.h"
#include "lsp/lsp_int.h"

static const char lsp_usage[] =
    "usage: salesplan lsp [--stdio] [--settle MS]\n"
    "\n"
    "A Language Server Protocol server on standard input and output, for editors:\n"
    "diagnostics as `check` reports them (on every change), hover (what a name is,\n"
    "a target's amount, a member's shares, a cell's value and --explain chain),\n"
    "go to definition, references, completion, the outline, formatting (what\n"
    "`salesplan fmt` writes) and quick fixes for did-you-mean notes.\n"
    "Setup for Neovim and VS Code: docs/EDITORS.md.\n"
    "\n"
    "Diagnostics come in two steps: names and static checks on every change, then,\n"
    "once the text has not changed for MS milliseconds, what evaluating the splits,\n"
    "worked examples and assertions finds (everything `check` reports).\n"
    "\n"
    "  --stdio       accepted for editors that pass it (standard I/O is the default)\n"
    "  --settle MS   wait that long before the second step (default 150); 0: every\n"
    "                check on every change, diagnostics published once\n"
    "\n"
    "exit status: 0 after shutdown and exit, 1 when the client left without\n"
    "shutdown, 2 usage errors\n";

static json_t *capabilities(void)
{
    return json_pack(
        "{s:{s:s,s:{s:b,s:i,s:{s:b}},s:b,s:b,s:b,s:{s:[s],s:b},s:b,s:b,s:{s:[s]}},s:{s:s,s:s}}",
        "capabilities", "positionEncoding", "utf-16", "textDocumentSync", "openClose", 1, "change",
        2, "save", "includeText", 0, "hoverProvider", 1, "definitionProvider", 1,
        "referencesProvider", 1, "completionProvider", "triggerCharacters", ".", "resolveProvider",
        0, "documentSymbolProvider", 1, "documentFormattingProvider", 1, "codeActionProvider",
        "codeActionKinds", "quickfix", "serverInfo", "name", "salesplan", "version",
        SALESPLAN_VERSION);
}

/* The document a request or notification names, or NULL. */
static LsDoc *doc_of(LsServer *sv, json_t *params)
{
    json_t *td = json_object_get(params, "textDocument");
    return ls_doc_find(sv, json_string_value(json_object_get(td, "uri")));
}

static void did_open(LsServer *sv, json_t *params)
{
    const char *uri, *text;
    int version = 0;
    if (json_unpack(params, "{s:{s:s,s:s,s?i}}", "textDocument", "uri", &uri, "text", &text,
                    "version", &version) == 0)
        ls_doc_open(sv, uri, text, version);
}

static void did_change(LsServer *sv, json_t *params)
{
    LsDoc *d = doc_of(sv, params);
    json_t *changes = json_object_get(params, "contentChanges"), *c;
    size_t i;
    if (!d || !json_is_array(changes))
        return;
    json_array_foreach(changes, i, c)
    {
        if (!ls_doc_change(d, c))
            break;
    }
    json_t *v = json_object_get(json_object_get(params, "textDocument"), "version");
    if (json_is_integer(v))
        d->version = (int)json_integer_value(v);
    d->dirty = true;
}

static void did_close(LsServer *sv, json_t *params)
{
    LsDoc *d = doc_of(sv, params);
    if (!d)
        return;
    ls_notify(sv, "textDocument/publishDiagnostics",
              json_pack("{s:s,s:[]}", "uri", d->uri, "diagnostics"));
    ls_doc_close(sv, d);
}

static void did_save(LsServer *sv, json_t *params)
{
    LsDoc *d = doc_of(sv, params);
    if (d)
        d->dirty = true; /* the data files beside it may have changed too */
}

typedef json_t *(*DocRequest)(LsServer *sv, LsDoc *d, json_t *params);

static const struct {
    const char *method;
    DocRequest run;
} doc_requests[] = {
    {"textDocument/hover", ls_hover},
    {"textDocument/definition", ls_definition},
    {"textDocument/references", ls_references},
    {"textDocument/completion", ls_completion},
    {"textDocument/documentSymbol", ls_symbols},
    {"textDocument/codeAction", ls_code_actions},
};

static const struct {
    const char *method;
    void (*run)(LsServer *sv, json_t *params);
} notifications[] = {
    {"textDocument/didOpen", did_open},
    {"textDocument/didChange", did_change},
    {"textDocument/didClose", did_close},
    {"textDocument/didSave", did_save},
};

/* A request about a document, answered. */
static bool doc_request(LsServer *sv, const char *method, json_t *id, json_t *params)
{
    bool fmt = strcmp(method, "textDocument/formatting") == 0;
    size_t i = 0, n = sizeof doc_requests / sizeof doc_requests[0];
    while (!fmt && i < n && strcmp(method, doc_requests[i].method) != 0)
        i++;
    if (!fmt && i == n)
        return false;
    LsDoc *d = doc_of(sv, params);
    const char *err = NULL;
    if (!d)
        ls_reply_error(sv, id, LS_INVALID_PARAMS, "no open document has this textDocument.uri");
    else if (fmt) {
        json_t *r = ls_formatting(sv, d, params, &err);
        if (err)
            ls_reply_error(sv, id, LS_REQUEST_FAILED, err);
        else
            ls_reply(sv, id, r);
    } else
        ls_reply(sv, id, doc_requests[i].run(sv, d, params));
    return true;
}

static void request(LsServer *sv, const char *method, json_t *id, json_t *params)
{
    if (strcmp(method, "initialize") == 0) {
        sv->initialized = true;
        ls_reply(sv, id, capabilities());
    } else if (!sv->initialized) {
        ls_reply_error(sv, id, LS_NOT_INITIALIZED, "the server is not initialized yet");
    } else if (sv->shutdown) {
        ls_reply_error(sv, id, LS_INVALID_REQUEST, "the server is shutting down");
    } else if (strcmp(method, "shutdown") == 0) {
        sv->shutdown = true;
        ls_reply(sv, id, NULL);
    } else if (!doc_request(sv, method, id, params)) {
        ls_reply_error(sv, id, LS_METHOD_NOT_FOUND, method);
    }
}

static void notification(LsServer *sv, const char *method, json_t *params)
{
    if (strcmp(method, "exit") == 0) {
        sv->exited = true;
        return;
    }
    if (!sv->initialized || sv->shutdown)
        return;
    for (size_t i = 0; i < sizeof notifications / sizeof notifications[0]; i++)
        if (strcmp(method, notifications[i].method) == 0)
            notifications[i].run(sv, params);
}

/* One message's body. */
static void handle(LsServer *sv, const char *body, size_t len)
{
    json_error_t e;
    json_t *m = json_loadb(body, len, 0, &e);
    if (!m) {
        ls_reply_error(sv, NULL, LS_PARSE_ERROR, e.text);
        return;
    }
    json_t *id = json_object_get(m, "id"), *method = json_object_get(m, "method");
    json_t *params = json_object_get(m, "params");
    if (!json_is_object(m) || (method && !json_is_string(method)) ||
        (id && !json_is_integer(id) && !json_is_string(id) && !json_is_null(id)))
        ls_reply_error(sv, json_is_object(m) ? id : NULL, LS_INVALID_REQUEST,
                       "not a JSON-RPC request or notification");
    else if (method && id)
        request(sv, json_string_value(method), id, params);
    else if (method)
        notification(sv, json_string_value(method), params);
    json_decref(m); /* a response from the client: nothing asked for it */
}

/* Analyses the documents that changed, unless more input is waiting;
 * then, once no input came for LS_SETTLE_MS, the rest of their checks. */
static void idle(LsServer *sv)
{
    if (ls_pending(&sv->in))
        return;
    for (LsDoc *d = sv->docs; d; d = d->next)
        if (d->dirty)
            ls_analyse(sv, d);
    for (LsDoc *d = sv->docs; d; d = d->next)
        if (d->cur && !(d->cur->complete && d->cur->values) && !ls_wait(&sv->in, sv->settle_ms))
            ls_complete(sv, d);
}

static int serve(LsServer *sv)
{
    while (!sv->exited) {
        idle(sv);
        char *body = NULL;
        size_t len = 0;
        const char *err = NULL;
        int rc = ls_read_message(&sv->in, &body, &len, &err);
        if (rc == 0)
            break;
        if (rc < 0)
            ls_reply_error(sv, NULL, LS_INVALID_REQUEST, err);
        else
            handle(sv, body, len);
        free(body);
    }
    while (sv->docs)
        ls_doc_close(sv, sv->docs);
    return sv->shutdown ? 0 : 1;
}

int lsp_serve_bytes(const uint8_t *data, size_t len)
{
    LsServer *sv = xcalloc(1, sizeof *sv);
    sv->in.fd = -1;
    sv->in.mem = data;
    sv->in.memlen = len;
    sv->out_fd = -1;
    sv->no_files = true;
    sv->max_steps = 300000; /* as fuzz_eval's: the default runs long under sanitizers */
    int rc = serve(sv);
    free(sv);
    return rc;
}

/* --settle MS: a whole number of milliseconds up to a minute. */
static bool settle(const char *v, int *out)
{
    char *end;
    long n = v && *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : -1;
    if (n < 0 || n > 60000 || *end)
        return false;
    *out = (int)n;
    return true;
}

/* The options: 0, 1 after --help, 2 after a usage error. */
static int options(LsServer *sv, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(lsp_usage, stdout);
            return 1;
        }
        if (strcmp(argv[i], "--settle") == 0 && i + 1 < argc && settle(argv[i + 1], &sv->settle_ms))
            i++;
        else if (strcmp(argv[i], "--stdio") != 0) {
            fprintf(stderr, "salesplan: %s '%s' for lsp\n%s",
                    strcmp(argv[i], "--settle") == 0 ? "--settle needs milliseconds (0 to 60000),"
                                                     : "unknown option",
                    argv[i], lsp_usage);
            return 2;
        }
    }
    return 0;
}

int lsp_main(int argc, char **argv)
{
    LsServer *sv = xcalloc(1, sizeof *sv);
    sv->settle_ms = LS_SETTLE_MS;
    int orc = options(sv, argc, argv);
    if (orc) {
        free(sv);
        return orc == 1 ? 0 : 2;
    }
    sv->in.fd = 0;
    sv->out_fd = 1;
    signal(SIGPIPE, SIG_IGN); /* a client gone: writes fail, the next read ends the loop */
    int rc = serve(sv);
    free(sv);
    return rc;
}
