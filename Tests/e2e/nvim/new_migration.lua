-- Driven by test_neovim.py: Neovim (headless) applies goldpath's fix that moves a concurrent index to a
-- new migration (a workspace edit with CreateFile), saves every buffer, and records the outcome as JSON.
local h = dofile(os.getenv("GOLDPATH_REPO") .. "/Tests/e2e/nvim/harness.lua")

h.run(function(result)
  require("goldpath").setup({ cmd = { os.getenv("GOLDPATH_BIN"), "lsp" } })
  vim.cmd("edit " .. os.getenv("GOLDPATH_MIGRATION"))
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.wait(60000, function() return vim.tbl_contains(h.codes(buf), "PG006") end, 50), "no PG006 diagnostic")
  result.codes = h.codes(buf)
  local action = h.quickfix(buf, h.diagnostic(buf, "PG006"), "(PG006)")
  assert(action, "no quick fix for PG006")
  result.action_title = action.title
  vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
  vim.cmd("silent wall")
  assert(vim.wait(60000, function() return not vim.tbl_contains(h.codes(buf), "PG006") end, 50), "PG006 still reported")
  result.codes_after_fix = h.codes(buf)
end)
