-- Driven by test_neovim.py: in Neovim (headless), through editors/neovim, the hover of a finding, the
-- "Request review" code action chosen as a user chooses it (vim.lsp.buf.code_action and the selection
-- menu; Neovim resolves it first), and a .goldpath.yaml edited on disk, outside the editor, taking effect.
local h = dofile(os.getenv("GOLDPATH_REPO") .. "/Tests/e2e/nvim/harness.lua")

h.run(function(result)
  result.started_by = require("goldpath").enable({ cmd = { os.getenv("GOLDPATH_BIN"), "lsp" } })

  vim.cmd("edit " .. os.getenv("GOLDPATH_TF"))
  local tf = vim.api.nvim_get_current_buf()
  assert(vim.wait(60000, function() return vim.tbl_contains(h.codes(tf), "needs-review") end, 50),
    "no needs-review diagnostic for the Terraform file")
  result.codes_before = h.codes(tf)

  local finding = h.diagnostic(tf, "AWS020")
  local hover = vim.lsp.buf_request_sync(tf, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(tf) }, position = finding.range.start,
  }, 60000)
  for _, response in pairs(hover or {}) do
    if response.result then
      result.hover_kind = response.result.contents.kind
      result.hover_first_line = vim.split(response.result.contents.value, "\n")[1]
    end
  end

  local review = h.diagnostic(tf, "needs-review")
  vim.api.nvim_win_set_cursor(0, { review.range.start.line + 1, review.range.start.character })
  local offered = {}
  vim.ui.select = function(items, opts, on_choice)
    for i, item in ipairs(items) do
      local action = item.action or item[2]
      local title = action and action.title or tostring(item)
      table.insert(offered, title)
      if title:find("Request review", 1, true) then
        on_choice(item, i)
        return
      end
    end
    on_choice(nil, nil)
  end
  vim.lsp.buf.code_action({ diagnostics = { review } })
  local listed
  assert(vim.wait(60000, function()
    listed = vim.fn.system({ os.getenv("GOLDPATH_BIN"), "review", "list", "--format", "json" })
    return vim.v.shell_error == 0 and listed:find("aws_kinesis_stream.events", 1, true) ~= nil
  end, 200), "no review request stored; offered: " .. table.concat(offered, " | ") .. "; list: " .. tostring(listed))
  result.offered = offered
  result.requests = vim.fn.json_decode(listed)

  -- Written by another program: Neovim 0.7 watches no files, so the server notices the config's new
  -- modification time before its next analysis.
  local config = io.open(".goldpath.yaml", "a")
  config:write("severity: {AWS020: off}\n")
  config:close()
  vim.api.nvim_buf_set_lines(tf, -1, -1, false, { "" })
  assert(vim.wait(60000, function() return not vim.tbl_contains(h.codes(tf), "AWS020") end, 50),
    "AWS020 still reported after .goldpath.yaml switched it off on disk")
  result.codes_after_config = h.codes(tf)
end)
