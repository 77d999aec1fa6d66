-- vimdump.lua -- run by tests/grammar/tokenize.js in a headless Neovim with
-- editors/vim first on 'runtimepath': opens each plan listed in the file
-- $VIMDUMP_LIST and writes, for each, $VIMDUMP_OUT/N.syn: the file type on
-- the first line, then a line per line of the plan with the syntax item at
-- each of its characters (code points), tab-separated ("" for none).
vim.cmd('filetype on')
vim.cmd('syntax on')
local list = vim.fn.readfile(vim.env.VIMDUMP_LIST)
for n, file in ipairs(list) do
  vim.cmd('silent edit ' .. vim.fn.fnameescape(file))
  local out = { vim.bo.filetype }
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  for l, text in ipairs(lines) do
    local names = {}
    local chars = vim.fn.strchars(text)
    for c = 0, chars - 1 do
      local byte = vim.str_byteindex(text, c) + 1
      names[#names + 1] = vim.fn.synIDattr(vim.fn.synID(l, byte, 0), 'name')
    end
    out[#out + 1] = table.concat(names, '\t')
  end
  vim.fn.writefile(out, vim.env.VIMDUMP_OUT .. '/' .. n .. '.syn')
  vim.cmd('silent bwipeout!')
end
