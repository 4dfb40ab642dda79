-- Driven by test_neovim.py: Neovim (headless) runs goldpath through editors/neovim,
-- waits for diagnostics, applies a quick fix and records what happened as JSON.
local h = dofile(os.getenv("GOLDPATH_REPO") .. "/Tests/e2e/nvim/harness.lua")

h.run(function(result)
  require("goldpath").setup({ cmd = { os.getenv("GOLDPATH_BIN"), "lsp" } })

  vim.cmd("edit " .. os.getenv("GOLDPATH_TF"))
  local tf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[tf].filetype
  assert(vim.wait(60000, function() return #vim.diagnostic.get(tf) > 0 end, 50), "no diagnostics for the Terraform file")
  result.terraform_codes = h.codes(tf)

  local target = h.diagnostic(tf, "AWS002")
  assert(target, "no AWS002 diagnostic")
  local action = h.quickfix(tf, target, "(AWS002)")
  assert(action, "no quick fix for AWS002")
  result.action_title = action.title
  vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
  local line = target.range.start.line
  result.fixed_line = vim.api.nvim_buf_get_lines(tf, line, line + 1, false)[1]
  assert(vim.wait(60000, function()
    return not vim.tbl_contains(h.codes(tf), "AWS002")
  end, 50), "AWS002 still reported after the fix")
  result.codes_after_fix = h.codes(tf)

  vim.cmd("edit " .. os.getenv("GOLDPATH_VALUES"))
  local values = vim.api.nvim_get_current_buf()
  assert(vim.wait(60000, function() return #vim.diagnostic.get(values) > 0 end, 50), "no diagnostics for the values file")
  result.values_codes = h.codes(values)
end)
