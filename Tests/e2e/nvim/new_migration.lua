-- Driven by test_neovim.py: Neovim (headless) applies goldpath's fix that moves a concurrent index to a
-- new migration (a workspace edit with CreateFile), saves every buffer, and records the outcome as JSON.
local repo = os.getenv("GOLDPATH_REPO")
local out = os.getenv("GOLDPATH_RESULT")
package.path = repo .. "/editors/neovim/lua/?/init.lua;" .. package.path

local result = {}
local function finish(ok, err)
  result.ok = ok
  result.error = err
  local f = io.open(out, "w")
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd(ok and "qall!" or "cquit 1")
end

local function codes(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, d.user_data and d.user_data.lsp and d.user_data.lsp.code or d.code)
  end
  table.sort(list)
  return list
end

local ok, err = pcall(function()
  require("goldpath").setup({ cmd = { os.getenv("GOLDPATH_BIN"), "lsp" } })
  vim.cmd("edit " .. os.getenv("GOLDPATH_MIGRATION"))
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.wait(60000, function() return vim.tbl_contains(codes(buf), "PG006") end, 50), "no PG006 diagnostic")
  result.codes = codes(buf)
  local target
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.user_data.lsp.code == "PG006" then
      target = vim.tbl_extend("force", d.user_data.lsp, {
        message = d.message, severity = d.severity, source = d.source,
        range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } },
      })
    end
  end
  local responses = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(buf) }, range = target.range, context = { diagnostics = { target } },
  }, 60000)
  local action
  for _, response in pairs(responses or {}) do
    for _, a in ipairs(response.result or {}) do
      if a.kind == "quickfix" and a.title:find("(PG006)", 1, true) then action = a end
    end
  end
  assert(action, "no quick fix for PG006")
  result.action_title = action.title
  vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
  vim.cmd("silent wall")
  assert(vim.wait(60000, function() return not vim.tbl_contains(codes(buf), "PG006") end, 50), "PG006 still reported")
  result.codes_after_fix = codes(buf)
end)
finish(ok, ok and nil or tostring(err))
