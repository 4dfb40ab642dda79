-- Driven by test_neovim.py: Neovim (headless) runs goldpath through editors/neovim,
-- waits for diagnostics, applies a quick fix and records what happened as JSON.
local repo = os.getenv("GOLDPATH_REPO")
local out = os.getenv("GOLDPATH_RESULT")
package.path = repo .. "/editors/neovim/lua/?/init.lua;" .. package.path

local result = { steps = {} }
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

  vim.cmd("edit " .. os.getenv("GOLDPATH_TF"))
  local tf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[tf].filetype
  assert(vim.wait(60000, function() return #vim.diagnostic.get(tf) > 0 end, 50), "no diagnostics for the Terraform file")
  result.terraform_codes = codes(tf)

  -- Neovim 0.7 keeps the LSP code but not the range in user_data; the range is rebuilt from the diagnostic (ASCII here).
  local target
  for _, d in ipairs(vim.diagnostic.get(tf)) do
    if d.user_data.lsp.code == "AWS002" then
      target = vim.tbl_extend("force", d.user_data.lsp, {
        message = d.message, severity = d.severity, source = d.source,
        range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } },
      })
    end
  end
  assert(target, "no AWS002 diagnostic")
  local responses = vim.lsp.buf_request_sync(tf, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(tf) },
    range = target.range,
    context = { diagnostics = { target } },
  }, 60000)
  local action
  for _, response in pairs(responses or {}) do
    for _, a in ipairs(response.result or {}) do
      if a.kind == "quickfix" and a.title:sub(-8) == "(AWS002)" then action = a end
    end
  end
  assert(action, "no quick fix for AWS002")
  result.action_title = action.title
  vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
  local line = target.range.start.line
  result.fixed_line = vim.api.nvim_buf_get_lines(tf, line, line + 1, false)[1]
  assert(vim.wait(60000, function()
    return not vim.tbl_contains(codes(tf), "AWS002")
  end, 50), "AWS002 still reported after the fix")
  result.codes_after_fix = codes(tf)

  vim.cmd("edit " .. os.getenv("GOLDPATH_VALUES"))
  local values = vim.api.nvim_get_current_buf()
  assert(vim.wait(60000, function() return #vim.diagnostic.get(values) > 0 end, 50), "no diagnostics for the values file")
  result.values_codes = codes(values)
end)
finish(ok, ok and nil or tostring(err))
