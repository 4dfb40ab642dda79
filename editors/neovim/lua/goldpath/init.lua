-- goldpath language server for Neovim 0.7 and later.
--
--   require("goldpath").setup({ cmd = { "goldpath", "lsp" } })
--
-- starts (or reuses) one goldpath client per workspace root for Terraform,
-- HCL and YAML buffers, with vim.lsp.start_client, which Neovim 0.7 has.
-- With nvim-lspconfig, use require("goldpath").lspconfig() instead; on Neovim
-- 0.11 and later, require("goldpath").enable() uses vim.lsp.config and
-- vim.lsp.enable (and falls back to setup() on older versions).
local M = {}

M.defaults = {
  cmd = { "goldpath", "lsp" },
  filetypes = { "terraform", "terraform-vars", "hcl", "tf", "yaml", "helm", "sql" },
  root_markers = { ".goldpath.yaml", ".git" },
  -- Passed to the server in initialize; `config` is a path to a .goldpath.yaml.
  init_options = {},
}

local clients = {}

--- The directory holding the nearest root marker above `path`, else the file's directory.
function M.root_dir(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while dir and dir ~= "/" and dir ~= "" do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    dir = vim.fn.fnamemodify(dir, ":h")
  end
  return vim.fn.fnamemodify(path, ":p:h")
end

--- Attaches the goldpath client for the buffer's root, starting it when needed.
function M.attach(bufnr, opts)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" then
    return nil
  end
  local root = M.root_dir(path, opts.root_markers)
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = "goldpath",
      cmd = opts.cmd,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      init_options = opts.init_options,
      on_attach = opts.on_attach,
      capabilities = opts.capabilities or vim.lsp.protocol.make_client_capabilities(),
    })
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Starts goldpath for matching buffers (an autocommand on FileType).
function M.setup(user)
  local opts = vim.tbl_deep_extend("force", M.defaults, user or {})
  local group = vim.api.nvim_create_augroup("goldpath", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
  return opts
end

--- The configuration for Neovim 0.11's built-in `vim.lsp.config` (cmd, filetypes, root_markers, init_options).
function M.config(user)
  local opts = vim.tbl_deep_extend("force", M.defaults, user or {})
  return {
    cmd = opts.cmd,
    filetypes = opts.filetypes,
    root_markers = opts.root_markers,
    init_options = opts.init_options,
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
end

--- Starts goldpath the way the running Neovim prefers: `vim.lsp.config` and `vim.lsp.enable` on 0.11 and
--- later, else the FileType autocommand of `setup` (0.7 to 0.10). Returns which one it used.
function M.enable(user)
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    vim.lsp.config("goldpath", M.config(user))
    vim.lsp.enable("goldpath")
    return "vim.lsp.enable"
  end
  M.setup(user)
  return "setup"
end

--- Registers goldpath with nvim-lspconfig (`require("lspconfig").goldpath.setup({})` afterwards).
function M.lspconfig(user)
  local configs = require("lspconfig.configs")
  local util = require("lspconfig.util")
  local opts = vim.tbl_deep_extend("force", M.defaults, user or {})
  if not configs.goldpath then
    configs.goldpath = {
      default_config = {
        cmd = opts.cmd,
        filetypes = opts.filetypes,
        root_dir = util.root_pattern(unpack(opts.root_markers)),
        init_options = opts.init_options,
      },
      docs = { description = "goldpath: golden-path guidance for Terraform, Helm values and SQL migrations." },
    }
  end
  require("lspconfig").goldpath.setup(user or {})
end

return M
