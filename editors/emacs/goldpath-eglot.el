;;; goldpath-eglot.el --- goldpath's language server in Eglot  -*- lexical-binding: t; -*-

;; Registers `goldpath lsp' with Eglot (built into Emacs 29) for Terraform,
;; HCL and YAML buffers. Load it, then `M-x eglot' in such a buffer, or add
;; `eglot-ensure' to the modes' hooks.

;;; Code:

(require 'eglot)

(defgroup goldpath nil "Golden-path guidance for infrastructure code." :group 'tools)

(defcustom goldpath-program "goldpath"
  "The goldpath binary."
  :type 'string)

(defcustom goldpath-config nil
  "A .goldpath.yaml other than the one at the project root, or nil."
  :type '(choice (const nil) file))

(defun goldpath-eglot-contact (_interactive)
  "The command and initialization options Eglot starts goldpath with."
  (append (list goldpath-program "lsp")
          (when goldpath-config
            (list :initializationOptions (list :config (expand-file-name goldpath-config))))))

(add-to-list 'eglot-server-programs
             '((terraform-mode hcl-mode yaml-mode yaml-ts-mode sql-mode) . goldpath-eglot-contact))

(provide 'goldpath-eglot)
;;; goldpath-eglot.el ends here
