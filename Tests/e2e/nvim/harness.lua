-- Shared by the Neovim end-to-end scripts: loads editors/neovim, records the outcome as JSON in
-- $GOLDPATH_RESULT and exits, and lists a buffer's diagnostic codes.
local repo = os.getenv("GOLDPATH_REPO")
local out = os.getenv("GOLDPATH_RESULT")
package.path = repo .. "/editors/neovim/lua/?/init.lua;" .. package.path

local M = { result = {} }

-- Runs `body`, writes the result (ok, error and what body recorded) and quits with its status.
function M.run(body)
  local ok, err = pcall(body, M.result)
  M.result.ok = ok
  M.result.error = ok and nil or tostring(err)
  local f = io.open(out, "w")
  f:write(vim.fn.json_encode(M.result))
  f:close()
  vim.cmd(ok and "qall!" or "cquit 1")
end

-- The sorted LSP codes of a buffer's diagnostics.
function M.codes(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, d.user_data and d.user_data.lsp and d.user_data.lsp.code or d.code)
  end
  table.sort(list)
  return list
end

-- The LSP diagnostic of `code` in a buffer, its range rebuilt from Neovim's (0.7 keeps the code, not the range).
function M.diagnostic(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.user_data.lsp.code == code then
      return vim.tbl_extend("force", d.user_data.lsp, {
        message = d.message, severity = d.severity, source = d.source,
        range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } },
      })
    end
  end
end

-- The quick fix the server offers for a diagnostic whose title contains `needle`.
function M.quickfix(bufnr, target, needle)
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = target.range, context = { diagnostics = { target } },
  }, 60000)
  for _, response in pairs(responses or {}) do
    for _, a in ipairs(response.result or {}) do
      if a.kind == "quickfix" and a.title:find(needle, 1, true) then return a end
    end
  end
end

return M
