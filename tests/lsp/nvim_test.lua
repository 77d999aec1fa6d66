-- nvim_test.lua -- a scripted Neovim (0.7+) session with `salesplan lsp`: open every example
-- plan (no diagnostic), then on one of them introduce an error and wait for its diagnostic, hover, go to definition, complete after a
-- prefix, format; every result asserted.  Run by tests/lsp/run.sh:
--   LSP_BIN=... LSP_PLAN=... LSP_FORMATTED=... LSP_EXAMPLES='a.plan b.plan' nvim --headless -u NONE -c 'luafile nvim_test.lua'
local bin, plan, formatted = os.getenv('LSP_BIN'), os.getenv('LSP_PLAN'), os.getenv('LSP_FORMATTED')
local failed = 0

local function check(cond, what)
  if cond then
    io.stdout:write('ok: ' .. what .. '\n')
  else
    failed = failed + 1
    io.stdout:write('FAIL: ' .. what .. '\n')
  end
end

local function finish()
  io.stdout:write(string.format('nvim: %d failed\n', failed))
  vim.cmd(failed == 0 and 'qall!' or 'cquit! 1')
end

-- the diagnostics each document received, by URI (the default handler still runs)
local published = {}
local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  published[result.uri] = result.diagnostics
  return default_handler(err, result, ctx, config)
end

-- every example plan opens with no diagnostic
local function open_examples(client)
  for _, path in ipairs(vim.split(os.getenv('LSP_EXAMPLES') or '', ' ', { trimempty = true })) do
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local b = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(b, client)
    local uri = vim.uri_from_bufnr(b)
    local got = vim.wait(20000, function() return published[uri] ~= nil end, 50)
    check(got and #published[uri] == 0, 'example ' .. vim.fn.fnamemodify(path, ':t') .. ' opens clean'
      .. (got and #published[uri] > 0 and (': ' .. published[uri][1].message) or ''))
  end
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(plan))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({ name = 'salesplan', cmd = { bin, 'lsp' },
    root_dir = vim.fn.fnamemodify(plan, ':h') })
  check(client ~= nil, 'the server starts')
  vim.lsp.buf_attach_client(buf, client)
  check(vim.wait(10000, function()
    local c = vim.lsp.get_client_by_id(client)
  open_examples(client)
  vim.cmd('buffer ' .. buf)
    return c and c.initialized
  end, 50), 'initialized')
  local c = vim.lsp.get_client_by_id(client)

  -- the line of a text, 0-based
  local function line_of(pat)
    for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local col = l:find(pat, 1, true)
      if col then return i - 1, col - 1 end
    end
    error('no line with ' .. pat)
  end

  local function params_at(pat, off)
    local l, col = line_of(pat)
    vim.api.nvim_win_set_cursor(0, { l + 1, col + (off or 0) })
    return vim.lsp.util.make_position_params()
  end

  -- an error typed into the plan: its diagnostic arrives
  local l, col = line_of('split revenue by region')
  vim.api.nvim_buf_set_text(buf, l, col + 6, l, col + 13, { 'revnue' })
  check(vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 50),
    'a diagnostic for the typo')
  local d = vim.diagnostic.get(buf)[1]
  check(d and d.message:find('revnue', 1, true) and d.lnum == l and d.col == col + 6,
    'at the typo: ' .. vim.inspect(d and { d.lnum, d.col, d.message }))
  vim.api.nvim_buf_set_text(buf, l, col + 6, l, col + 12, { 'revenue' })
  check(vim.wait(10000, function() return #vim.diagnostic.get(buf) == 0 end, 50),
    'fixed: no diagnostic')

  -- hover on the metric
  local r = c.request_sync('textDocument/hover', params_at('metric revenue', 8), 10000, buf)
  local v = r and r.result and r.result.contents.value or ''
  check(v:find('metric', 1, true) and v:find('1400', 1, true) or v:find('14,000,000', 1, true),
    'hover: ' .. v)

  -- go to definition of a let
  r = c.request_sync('textDocument/definition', params_at('= leads', 2), 10000, buf)
  local res = r and r.result
  if res and res[1] then res = res[1] end
  local dl = line_of('let leads')
  check(res and res.range and res.range.start.line == dl, 'definition of leads: ' .. vim.inspect(res))

  -- completion after a prefix
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { 'let z = new_cu' })
  vim.api.nvim_win_set_cursor(0, { last + 1, 14 })
  r = c.request_sync('textDocument/completion', vim.lsp.util.make_position_params(), 10000, buf)
  local labels = {}
  for _, it in ipairs(r and r.result and (r.result.items or r.result) or {}) do
    labels[#labels + 1] = it.label
  end
  check(vim.tbl_contains(labels, 'new_customers'), 'completion: ' .. table.concat(labels, ' '))
  vim.api.nvim_buf_set_lines(buf, last, last + 1, false, {})

  -- format: the buffer becomes what `salesplan fmt` writes
  local first = vim.api.nvim_buf_get_lines(buf, 0, 1, false)[1]
  vim.api.nvim_buf_set_lines(buf, 0, 1, false, { '   ' .. first .. '   ' })
  vim.lsp.buf.formatting_sync(nil, 10000)
  local want = vim.fn.readfile(formatted)
  local got = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  check(vim.deep_equal(got, want), 'formatted as fmt writes it (' .. #got .. ' lines)')
  vim.lsp.stop_client(client)
end)
if not ok then check(false, 'error: ' .. tostring(err)) end
finish()
