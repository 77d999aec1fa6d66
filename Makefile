# salesplan -- one plain GNU Makefile.  `make help` lists the targets.
CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
BIN     ?= salesplan

WARN     = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
# ICU (libicu-dev): the spoof checker that refuses look-alike names (base/ident.c)
ICU_CFLAGS := $(shell pkg-config --cflags icu-uc icu-i18n 2>/dev/null)
ICU_LIBS   := $(shell pkg-config --libs icu-uc icu-i18n 2>/dev/null || echo -licui18n -licuuc)
CPPFLAGS_ALL = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinterp -I$(BUILD) -MMD -MP $(ICU_CFLAGS) $(PQ_CFLAGS) $(CPPFLAGS)
XLSX_LIBS  := $(shell pkg-config --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter -lz)
# Jansson (libjansson-dev): the JSON of the language server's messages (interp/lsp)
JSON_LIBS  := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
# libpq (libpq-dev) and SQLite (libsqlite3-dev): actuals read where they live (data/source_pg.c,
# data/source_sqlite.c).  libpq is not linked: source_pg.c loads libpq.so.5 when a PostgreSQL
# source first opens (it and its TLS, Kerberos and LDAP libraries cost every command ~3 ms)
PQ_CFLAGS  := $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
DB_LIBS    := $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
LIBS     = -pthread -lreadline -lutf8proc $(ICU_LIBS) $(XLSX_LIBS) $(JSON_LIBS) $(DB_LIBS)
ASAN     = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# interp/ holds one folder per module (see the README, "How the code is organised")
SRCS     = $(wildcard interp/*/*.c)
LIBOBJS  = $(patsubst interp/%.c,$(BUILD)/%.o,$(filter-out interp/cli/main.c,$(SRCS))) \
           $(BUILD)/parser.o $(BUILD)/lexer.o $(BUILD)/stdlib.o
UNITS    = $(patsubst tests/unit/%.c,$(BUILD)/%,$(wildcard tests/unit/test_*.c))
STDLIB   = $(sort $(wildcard stdlib/*.plan))

.PHONY: all check check-units check-golden check-hostile check-actuals check-examples check-docs check-lang check-prop check-asan fuzz bench bench-alloc \
        install uninstall clean help
.SUFFIXES:

all: $(BIN)

$(BIN): $(BUILD)/cli/main.o $(BUILD)/libsalesplan.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(BUILD)/cli/main.o $(BUILD)/libsalesplan.a $(LIBS)

$(BUILD)/libsalesplan.a: $(LIBOBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/parser.c $(BUILD)/parser.h &: interp/syntax/parser.y | $(BUILD)
	bison -Wall -Werror -d -o $(BUILD)/parser.c $<

$(BUILD)/lexer.c $(BUILD)/lexer.h &: interp/syntax/lexer.l | $(BUILD)
	flex --header-file=$(BUILD)/lexer.h -o $(BUILD)/lexer.c $<

$(BUILD)/lexer.o: $(BUILD)/lexer.c $(BUILD)/parser.h
	$(CC) $(CPPFLAGS_ALL) $(WARN) -Wno-unused-function -Wno-sign-compare $(CFLAGS) -c -o $@ $<

$(BUILD)/parser.o: $(BUILD)/parser.c $(BUILD)/lexer.h
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -c -o $@ $<

$(BUILD)/stdlib.c: tools/embed.c $(STDLIB) | $(BUILD)
	$(CC) -O1 -o $(BUILD)/embed tools/embed.c
	$(BUILD)/embed $(STDLIB) > $@.tmp && mv $@.tmp $@

$(BUILD)/stdlib.o: $(BUILD)/stdlib.c
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.o: interp/%.c | $(BUILD)/parser.h $(BUILD)/lexer.h $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -c -o $@ $<

$(BUILD)/test_%: tests/unit/test_%.c $(BUILD)/libsalesplan.a
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libsalesplan.a -lcmocka $(LIBS)

$(BUILD):
	mkdir -p $(BUILD)

# ---- tests ---------------------------------------------------------------
check: check-units check-golden check-hostile check-actuals check-examples check-docs check-prop check-asan \
       check-lang
	@echo "make check: all suites passed"

check-units: $(UNITS)
	@set -e; for t in $(UNITS); do echo "== $$t"; $$t; done

check-golden: $(BIN)
	@sh tests/run-golden.sh ./$(BIN)

# hostile inputs: run.sh (check on hostile plans), run2.sh (every command: cycles, depth,
# special files, -o, fmt -w, escapes, names...; each case within HOSTILE_LIMIT s, default 5)
check-hostile: $(BIN)
	@sh tests/hostile/run.sh ./$(BIN) && sh tests/hostile/run2.sh ./$(BIN)

# evaluation limits: nesting, steps, interrupts, long entries (tests/limits)
.PHONY: check-limits
check: check-limits
check-limits: $(BIN)
	@sh tests/limits/run.sh ./$(BIN)

check-actuals: $(BIN)
	@sh tests/actuals/run.sh ./$(BIN)

# data files opened safely, output files and standard output, signals, memory
.PHONY: check-files
check: check-files
check-files: $(BIN)
	@sh tests/files/run.sh ./$(BIN)

check-docs: $(BIN)
	@sh tests/docs/run.sh ./$(BIN)

# the chrome's words: docs/LANGUAGE.md's table (Chinese output) is LANG_WORDS
check-lang:
	@sh tests/lang/words.sh --check

# csv for spreadsheets: the byte-order mark only when asked, labels that read back
.PHONY: check-excel
check: check-excel
check-excel: $(BIN)
	@sh tests/excel/run.sh ./$(BIN)
# the xlsx format read back with openpyxl: every cell against the csv of the same run,
# number formats, frozen panes, fills, sheet names, same bytes, refusals (tests/xlsx)
.PHONY: check-xlsx
check: check-xlsx
check-xlsx: $(BIN)
	@sh tests/xlsx/run.sh ./$(BIN)
# the html report in headless Chromium (every example plan: charts equal to tables, no
# request, no console error, a screenshot, the PDF's pages) and its bad requests
.PHONY: check-report
check: check-report
check-report: $(BIN)
	@sh tests/report/run.sh ./$(BIN)

check-examples: $(BIN)
	@set -e; for f in examples/*.plan; do ./$(BIN) check $$f; done
	@./$(BIN) fmt --check examples/*.plan || { echo "examples: run salesplan fmt -w on the files above" >&2; exit 1; }

# property tests of the allocation tables (PROP_N plans, default 2000; PROP_SEED), then
# 1,000 with every table by time rounded member by member (round_tall_from, alloc/flow.h)
check-prop: $(BIN)
	python3 tests/prop/alloc_prop.py ./$(BIN)
	SALESPLAN_ROUND_TALL_FROM=0 PROP_N=1000 python3 tests/prop/alloc_prop.py ./$(BIN)

# cross-view property tests: derived metrics, counts, percents, ratios, scorecards, reviews
# and incentives show one number everywhere (VIEWS_N plans, default 2000; VIEWS_SEED;
# VIEWS_KEEP=DIR keeps the failing plans); first the checks on tables made from the oracle
# by a reference rounding, which must pass
.PHONY: check-views
check: check-views
check-views: $(BIN)
	python3 tests/prop/views_prop.py --selftest 100
	python3 tests/prop/views_prop.py ./$(BIN)
	SALESPLAN_ROUND_TALL_FROM=0 VIEWS_N=500 python3 tests/prop/views_prop.py ./$(BIN)
	python3 tests/prop/weeks_prop.py ./$(BIN)

check-asan:
	FMT_PROP_N=40 $(MAKE) BUILD=build/asan BIN=build/asan/salesplan CFLAGS='$(ASAN)' LDFLAGS='$(ASAN)' \
	    build/asan/salesplan check-units check-golden check-hostile check-actuals check-examples check-xlsx \
	    check-docs check-fmt
	$(MAKE) BUILD=build/asan BIN=build/asan/salesplan CFLAGS='$(ASAN)' LDFLAGS='$(ASAN)' check-repl
	$(MAKE) BUILD=build/asan BIN=build/asan/salesplan CFLAGS='$(ASAN)' LDFLAGS='$(ASAN)' check-lsp
	LIMITS_QUICK=1 $(MAKE) BUILD=build/asan BIN=build/asan/salesplan CFLAGS='$(ASAN)' LDFLAGS='$(ASAN)' \
	    check-limits

# the module rules (tools/check-layers.sh, tested by tests/layers on planted mistakes),
# the function-length rule (tools/fn-lengths.sh) and the layout (.clang-format)
.PHONY: check-layers check-functions check-format format
check: check-layers check-functions check-format
check-layers:
	@sh tools/check-layers.sh . && sh tests/layers/run.sh

check-functions:
	@sh tools/fn-lengths.sh --check interp

CLANG_FORMAT ?= clang-format
FORMATTED = $(wildcard interp/*/*.c interp/*/*.h)
check-format:
	@$(CLANG_FORMAT) --dry-run -Werror $(FORMATTED) && echo "check-format: interp/ is in the .clang-format layout"

format:
	$(CLANG_FORMAT) -i $(FORMATTED)

# ---- fuzzing and benchmarks ----------------------------------------------
# make fuzz: every harness for FUZZTIME seconds, one after the other: fuzz_plan (plan text to
# check), fuzz_csv (the CSV reader, and its split into parts), fuzz_eval (plans checked,
# evaluated, every show in every format), fuzz_repl (a plan and REPL entries); make fuzz-NAME
# runs one.  Corpora are copied from tests/ and examples/ at run time into
# build/fuzz/NAME_corpus; findings go to build/fuzz/artifacts/NAME-*.
FUZZTIME  ?= 60
FUZZFLAGS  = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZRUN    = -max_total_time=$(FUZZTIME) -rss_limit_mb=2048 -timeout=10
.PHONY: fuzz-lib fuzz-files fuzz-plan fuzz-csv fuzz-eval fuzz-repl fuzz-lsp
fuzz:
	$(MAKE) fuzz-plan
	$(MAKE) fuzz-csv
	$(MAKE) fuzz-eval
	$(MAKE) fuzz-repl
	$(MAKE) fuzz-lsp

fuzz-lib:
	$(MAKE) BUILD=build/fuzz CC=clang CFLAGS='$(FUZZFLAGS) -fsanitize=fuzzer-no-link' \
	    build/fuzz/libsalesplan.a
	mkdir -p build/fuzz/artifacts

# the data files plans under fuzz_eval and fuzz_repl may read ($FUZZ_DATA_DIR): copies
fuzz-files:
	rm -rf build/fuzz/files && mkdir -p build/fuzz/files/data
	cp examples/data/*.csv tests/golden/data/*.csv build/fuzz/files/data/
	cp tests/repl/*.csv build/fuzz/files/

# build/fuzz/fuzz_NAME from tests/fuzz/fuzz_NAME.c
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c fuzz-lib
	clang $(FUZZFLAGS) -fsanitize=fuzzer $(FUZZ_CFLAGS) -Iinterp -Ibuild/fuzz \
	    -o $@ $< build/fuzz/libsalesplan.a $(LIBS)

fuzz-plan: build/fuzz/fuzz_plan
	mkdir -p build/fuzz/corpus
	cp tests/fuzz/corpus/* examples/*.plan stdlib/*.plan build/fuzz/corpus/
	build/fuzz/fuzz_plan $(FUZZRUN) -max_len=65536 -dict=tests/fuzz/plan.dict \
	    -artifact_prefix=build/fuzz/artifacts/ build/fuzz/corpus

fuzz-csv: build/fuzz/fuzz_csv
	mkdir -p build/fuzz/csv_corpus
	cp tests/fuzz/csv_corpus/* build/fuzz/csv_corpus/
	build/fuzz/fuzz_csv $(FUZZRUN) -max_len=16384 -artifact_prefix=build/fuzz/artifacts/ \
	    build/fuzz/csv_corpus

# every plan of tests/ and examples/ (golden plans prefixed: their names repeat)
fuzz-eval: build/fuzz/fuzz_eval fuzz-files
	mkdir -p build/fuzz/eval_corpus
	cp tests/fuzz/corpus/* examples/*.plan stdlib/*.plan tests/repl/*.plan build/fuzz/eval_corpus/
	for f in tests/golden/*.plan tests/fmt/cases/*.plan; do \
	    cp "$$f" "build/fuzz/eval_corpus/$$(echo $$f | tr / _)"; done
	FUZZ_DATA_DIR=build/fuzz/files build/fuzz/fuzz_eval $(FUZZRUN) -max_len=65536 -dict=tests/fuzz/plan.dict \
	    -artifact_prefix=build/fuzz/artifacts/eval- build/fuzz/eval_corpus

fuzz-repl: build/fuzz/fuzz_repl fuzz-files
	sh tests/fuzz/repl_corpus.sh build/fuzz/repl_corpus
	cat tests/fuzz/plan.dict tests/fuzz/repl.dict >build/fuzz/repl.dict
	FUZZ_DATA_DIR=build/fuzz/files build/fuzz/fuzz_repl $(FUZZRUN) -max_len=65536 -dict=build/fuzz/repl.dict \
	    -artifact_prefix=build/fuzz/artifacts/repl- build/fuzz/repl_corpus

# the language server's message loop: framed client sessions on the example plans as seeds
fuzz-lsp: build/fuzz/fuzz_lsp
	python3 tests/fuzz/lsp_corpus.py build/fuzz/lsp_corpus
	cat tests/fuzz/plan.dict tests/fuzz/lsp.dict >build/fuzz/lsp.dict
	build/fuzz/fuzz_lsp $(FUZZRUN) -max_len=65536 -dict=build/fuzz/lsp.dict \
	    -artifact_prefix=build/fuzz/artifacts/lsp- build/fuzz/lsp_corpus

bench: $(BIN)
	sh bench/parse/run.sh ./$(BIN)

bench-alloc: $(BIN)
	sh bench/alloc/run.sh ./$(BIN)

# the xlsx writer: a 10,000-rep x 12-month table as xlsx and as csv, timed
.PHONY: bench-xlsx
bench-xlsx: $(BIN)
	sh bench/xlsx/run.sh ./$(BIN)

# workload W1 of the shared peer benchmark: salesplan against the C reference, byte for byte
# (tests/w1: hand-made edge cases, S and M data); bench-w1 times it against every peer
.PHONY: check-w1 bench-w1
check: check-w1
check-w1: $(BIN)
	@BUILD='$(BUILD)' sh tests/w1/run.sh ./$(BIN)

SIZE ?= M
bench-w1: $(BIN)
	bash bench/w1.sh $(SIZE)

# actuals, rosters, histories and targets from PostgreSQL (a private server: tests/db/pg.sh)
# and SQLite against the same plans reading CSV: W1 at S and M, the examples, bad data,
# failing databases, SQL injection (tests/db/run.sh); bench-db times W1 from PostgreSQL
# (SIZE, default L) against psql alone and the CSV, and a 100M-row table (bench/db.sh)
.PHONY: check-db bench-db
check: check-db
check-db: $(BIN)
	@BUILD='$(BUILD)' sh tests/db/run.sh ./$(BIN)

bench-db: $(BIN)
	bash bench/db.sh $(if $(filter command line environment,$(origin SIZE)),$(SIZE),L)

# workload W2 of the shared peer benchmark: the allocation table against the DuckDB peer
.PHONY: bench-w2
REPS ?= 100000
bench-w2: $(BIN)
	bash bench/w2.sh $(REPS)

# salesplan repl: transcripts (tests/repl/NAME.in -> NAME.expected, without a terminal) and
# readline in a pty (tests/repl/pty_test.py); bench-repl times what-ifs on 10,000 reps
.PHONY: check-repl bench-repl
check: check-repl
check-repl: $(BIN)
	@sh tests/repl/run.sh ./$(BIN)

bench-repl: $(BIN)
	sh bench/repl/run.sh ./$(BIN)

# make install / uninstall into a scratch DESTDIR: binary and man page in, then out
.PHONY: check-install
check: check-install
check-install: $(BIN)
	@sh tests/install/run.sh

# salesplan fmt: before/after cases, every plan of the repository (idempotent, same syntax
# tree, same check verdict and run output), random plans (FMT_PROP_N, default 300)
.PHONY: check-fmt
.PHONY: check-tables
check: check-tables
check-tables: $(BIN)
	python3 tests/tables/tables_prop.py ./$(BIN)

check: check-fmt
check-fmt: $(BIN)
	@sh tests/fmt/run.sh ./$(BIN)

# libFuzzer on the formatter: no internal error, idempotent (FUZZTIME seconds)
.PHONY: fuzz-fmt
fuzz-fmt: build/fuzz/fuzz_fmt
	mkdir -p build/fuzz/fmt_corpus
	@# each seed named after its folder too: two folders may hold files of one name
	@for f in tests/fuzz/corpus/* examples/*.plan stdlib/*.plan tests/fmt/cases/*.plan; do \
	    cp "$$f" "build/fuzz/fmt_corpus/$$(echo "$$f" | tr / _)" || exit 1; done
	build/fuzz/fuzz_fmt $(FUZZRUN) -max_len=65536 -dict=tests/fuzz/plan.dict \
	    -artifact_prefix=build/fuzz/artifacts/fmt- build/fuzz/fmt_corpus

# the git workflow of docs/CI.md in a scratch repository: textconv, git salesplan-diff and
# the CI examples' commands, read from docs/CI.md (tests/git)
.PHONY: check-git
check: check-git
check-git: $(BIN)
	@sh tests/git/run.sh ./$(BIN)
# salesplan lsp: the protocol method by method (tests/lsp/lsp_test.py, diagnostics equal to
# check's on every golden and example plan) and a scripted Neovim session (tests/lsp/nvim_test.lua)
.PHONY: check-lsp bench-lsp
check: check-lsp
check-lsp: $(BIN)
	@sh tests/lsp/run.sh ./$(BIN)

# keystrokes on a generated 100,000-line plan: diagnostics, hover and completion latencies
bench-lsp: $(BIN)
	/usr/bin/python3 bench/lsp/bench.py ./$(BIN)

# ---- install ---------------------------------------------------------------
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/salesplan
	install -m 755 tools/git-salesplan-diff $(DESTDIR)$(PREFIX)/bin/git-salesplan-diff
	install -m 644 salesplan.1 $(DESTDIR)$(PREFIX)/share/man/man1/salesplan.1
	@# git salesplan-diff --help opens man git-salesplan-diff: salesplan's page
	echo '.so man1/salesplan.1' > $(DESTDIR)$(PREFIX)/share/man/man1/git-salesplan-diff.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/salesplan $(DESTDIR)$(PREFIX)/bin/git-salesplan-diff \
	    $(DESTDIR)$(PREFIX)/share/man/man1/salesplan.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man1/git-salesplan-diff.1

clean:
	rm -rf build $(BIN)

help:
	@echo "make              build ./salesplan"
	@echo "make check        unit, golden and hostile-input tests, examples, and the same under"
	@echo "                  ASan+UBSan"
	@echo "make check-asan   only the sanitizer pass"
	@echo "make check-layers the module rules of interp/ (includes only go down; no other module's"
	@echo "                  internal header), and a test that planted mistakes are caught"
	@echo "make check-functions  no function over 80 lines, the 90th percentile at most 30"
	@echo "make check-format the .clang-format layout (make format applies it)"
	@echo "make check-prop   property tests: random plans against exact values (PROP_N, PROP_SEED)"
	@echo "make check-views  cross-view property tests: every table, cell, scorecard, review and"
	@echo "                  incentive shows the same number (VIEWS_N, VIEWS_SEED, VIEWS_KEEP=DIR)"
	@echo "make check-hostile"
	@echo "                  hostile inputs through check, run, diff, fmt -w, -o and the REPL: no crash,"
	@echo "                  hang, sanitizer report, damaged file or read outside the plan's directory"
	@echo "make check-limits evaluation limits: deep chains, exponential work, --max-steps, Ctrl-C"
	@echo "make check-actuals"
	@echo "                  malformed actuals CSVs: each its FILE:LINE:COL diagnostic and exit status"
	@echo "make check-files   data files opened inside the plan's directory (no FIFO, no symbolic link"
	@echo "                  out, not even raced), -o, fmt -w, :save, standard output errors, signals"
	@echo "make fuzz         run the libFuzzer harnesses (plan text, CSV, evaluation, REPL, language"
	@echo "                  server) for FUZZTIME s each (default 60; make fuzz-plan, fuzz-csv, fuzz-eval,"
	@echo "                  fuzz-repl, fuzz-lsp: one);"
	@echo "                  crashing inputs go to build/fuzz/artifacts/"
	@echo "make bench        parse/check benchmark on a generated 100,000-line plan"
	@echo "make bench-alloc  run benchmark: 100,000 reps x 12 months x 20 products (REPS=N)"
	@echo "make check-repl   repl transcripts (tests/repl) and readline through a pty"
	@echo "make bench-repl   what-ifs answered on 10,000 reps x 12 months (median under 50 ms)"
	@echo "make check-w1     workload W1 (quarterly commission) against its C reference, byte for byte"
	@echo "make bench-w1     W1 timed against the peers of ../shared/bench (SIZE=S|M|L, default M)"
	@echo "make bench-w2     W2 (allocation table) against the DuckDB peer of ../shared/bench (REPS=N)"
	@echo "make check-fmt    the formatter: cases, every plan idempotent and unchanged, random plans"
	@echo "make check-tables metrics side by side equal their own tables, reforecast periods their"
	@echo "                  months' sums, over every example and golden plan"
	@echo "make fuzz-fmt     libFuzzer on the formatter for FUZZTIME s (no internal error, idempotent)"
	@echo "make check-xlsx   --format xlsx read back with openpyxl, cell by cell against the csv"
	@echo "make bench-xlsx   a 10,000-rep x 12-month table written as xlsx (fails at 2 s)"
	@echo "make check-grammar the TextMate grammar against the lexer on every plan (npm ci in"
	@echo "                  editors/vscode), the VS Code extension packaged, the Neovim setup run"
	@echo "make grammar      rewrite the grammar and editors/vim from the keywords (check-grammar-keywords)"
	@echo "make bench-grammar  the grammar in VS Code's engine on a 100,000-line plan (lines/s)"
	@echo "make check-git    the git workflow of docs/CI.md in a scratch repository (textconv,"
	@echo "                  git salesplan-diff, the CI examples' commands)"
	@echo "make check-lsp    the language server: every method over JSON-RPC, bad messages, Neovim"
	@echo "make bench-lsp    language server latencies on a 100,000-line plan (diagnostics, hover)"
	@echo "make install      install binary, git-salesplan-diff and man page (PREFIX=$(PREFIX) DESTDIR=)"
	@echo "make uninstall    remove them"
	@echo "make clean        remove build products"

-include $(wildcard $(BUILD)/*.d $(BUILD)/*/*.d)

# the TextMate grammar of editors/vscode and the Vim syntax file of editors/vim: their keywords are
# SYNTAX_KEYWORDS (check-grammar-keywords; `make grammar` rewrites them), and vscode-textmate +
# vscode-oniguruma (npm, pinned in editors/vscode/package-lock.json, installed by `npm ci`) and a
# headless Neovim give every lexeme of every example, stdlib, test and documentation plan the scope
# salesplan's own lexer implies (build/lextokens); then the extension is packaged with @vscode/vsce
# and the .vsix must hold the grammar, and the Neovim setup of docs/EDITORS.md is run (tests/grammar)
.PHONY: check-grammar check-grammar-keywords grammar
check: check-grammar
check-grammar: $(BIN) $(BUILD)/lextokens check-grammar-keywords
	@sh tests/grammar/run.sh $(BUILD)

check-grammar-keywords:
	@node editors/vscode/tools/gen-grammar.js --check

grammar:
	node editors/vscode/tools/gen-grammar.js

$(BUILD)/lextokens: tests/grammar/lextokens.c $(BUILD)/libsalesplan.a
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libsalesplan.a $(LIBS)

# how fast VS Code's engine highlights a generated 100,000-line plan with the grammar
.PHONY: bench-grammar
bench-grammar:
	@sh tests/grammar/run.sh --npm-only
	@sh bench/parse/gen_plan.sh 100000 >$(BUILD)/bench-grammar.plan
	@node bench/grammar/run.js $(BUILD)/bench-grammar.plan
