/* options.c -- what the commands share on the command line: usage texts
 * with the format table in place, usage errors, option values, and the
 * options run and diff both take.  It parses; it runs nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/term.h"
#include "cli/cli.h"

/* Prints a usage text with the format table's names and help in place. */
void cli_print_usage(const char *text)
{
    Buf b = {0};
    render_usage(&b, text);
    fputs(buf_cstr(&b), stdout);
    buf_free(&b);
}

int cli_usage_error(const char *fmt, const char *arg)
{
    Buf clean = {0};
    term_escape(&clean, arg, strlen(arg), 0); /* an argument's control bytes shown escaped */
    fputs("salesplan: ", stderr);
    fprintf(stderr, fmt, buf_cstr(&clean));
    fputs("\nTry 'salesplan --help'.\n", stderr);
    buf_free(&clean);
    return 2;
}

const char *cli_clean(Buf *b, const char *s)
{
    b->len = 0;
    term_escape(b, s, strlen(s), 0);
    return buf_cstr(b);
}

const char *cli_opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) == 0 && a[n] == '=')
        return a + n + 1;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

bool cli_is_opt(const char *a, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(a, opt, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

static int parse_format(const char *v, const RenderFormat **out)
{
    const RenderFormat *f = render_format(v);
    if (f) {
        *out = f;
        return 0;
    }
    Buf msg = {0};
    buf_printf(&msg, "unknown format '%s' (expected ", v ? v : "");
    render_format_names(&msg, ", ", " or ");
    buf_putc(&msg, ')');
    int rc = cli_usage_error("%s", buf_cstr(&msg));
    buf_free(&msg);
    return rc;
}

bool cli_max_steps_option(SessionOpts *so, int argc, char **argv, int *i, int *rc)
{
    if (!cli_is_opt(argv[*i], "--max-steps"))
        return false;
    if (!session_parse_max_steps(cli_opt_value(argc, argv, i, "--max-steps"), &so->max_steps))
        *rc = cli_usage_error("--max-steps needs a positive whole number%s", "");
    return true;
}

bool cli_source_option(SessionOpts *so, const char **sources, int argc, char **argv, int *i,
                       int *rc)
{
    if (!cli_is_opt(argv[*i], "--source"))
        return false;
    const char *v = cli_opt_value(argc, argv, i, "--source");
    const char *eq = v ? strchr(v, '=') : NULL;
    if (!v || !eq || eq == v || !eq[1])
        *rc = cli_usage_error("--source needs NAME=URI, such as crm=postgresql:///sales or "
                              "crm=sqlite:crm.db%s",
                              "");
    else
        sources[so->nsources++] = v;
    return true;
}

bool cli_lang_option(SessionOpts *so, int argc, char **argv, int *i, int *rc)
{
    if (!cli_is_opt(argv[*i], "--lang"))
        return false;
    const char *v = cli_opt_value(argc, argv, i, "--lang");
    Lang l;
    if (!v)
        *rc = cli_usage_error("--lang needs a language: en or zh%s", "");
    else if (!lang_parse(v, &l))
        *rc = cli_usage_error("unknown language '%s' for --lang (expected en or zh)", v);
    else
        so->lang = v;
    return true;
}

bool cli_shared_option(CliOpts *s, int argc, char **argv, int *i, int *rc)
{
    if (cli_max_steps_option(&s->so, argc, argv, i, rc) ||
        cli_source_option(&s->so, s->sources, argc, argv, i, rc))
        return true;
    static const struct {
        const char *opt, *need;
    } lists[] = {{"--show", "--show needs a value such as \"revenue by region\"%s"},
                 {"--actuals", "--actuals needs a CSV file%s"},
                 {"--allow-path", "--allow-path needs a directory%s"}};
    const char **arrays[] = {s->shows, s->actuals, s->allow};
    int *counts[] = {&s->nshows, &s->so.nactuals, &s->so.nallow};
    const char *a = argv[*i];
    for (int k = 0; k < 3; k++) {
        if (!cli_is_opt(a, lists[k].opt))
            continue;
        const char *v = cli_opt_value(argc, argv, i, lists[k].opt);
        if (!v)
            *rc = cli_usage_error(lists[k].need, "");
        else
            arrays[k][(*counts[k])++] = v;
        return true;
    }
    static const char *const flags[] = {"--csv-raw-text", "--csv-bom", "--labels"};
    bool *set[] = {&s->so.csv_raw_text, &s->so.csv_bom, &s->so.labels};
    for (int k = 0; k < 3; k++)
        if (strcmp(a, flags[k]) == 0) {
            *set[k] = true;
            return true;
        }
    if (cli_lang_option(&s->so, argc, argv, i, rc))
        return true;
    if (!cli_is_opt(a, "--format"))
        return false;
    *rc = parse_format(cli_opt_value(argc, argv, i, "--format"), &s->format);
    return true;
}

void cli_opts_init(CliOpts *o, int argc)
{
    memset(o, 0, sizeof *o);
    o->format = render_format_default();
    o->shows = xcalloc((size_t)argc + 1, sizeof *o->shows);
    o->actuals = xcalloc((size_t)argc + 1, sizeof *o->actuals);
    o->allow = xcalloc((size_t)argc + 1, sizeof *o->allow);
    o->files = xcalloc((size_t)argc + 1, sizeof *o->files);
    o->sources = xcalloc((size_t)argc + 1, sizeof *o->sources);
    o->so.sources = o->sources;
    o->so.actuals = o->actuals;
    o->so.allow = o->allow;
}

void cli_opts_free(CliOpts *o)
{
    free(o->shows);
    free(o->actuals);
    free(o->allow);
    free(o->files);
    free(o->sources);
}
