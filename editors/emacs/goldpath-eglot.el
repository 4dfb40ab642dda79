;;; goldpath-eglot.el --- goldpath's language server in Eglot  -*- lexical-binding: t; -*-

;; Registers `goldpath lsp' with Eglot for Terraform, YAML (Helm values) and
;; SQL (migrations) buffers.  Eglot is built into Emacs 29; on Emacs 28
;; install it first (Debian: `elpa-eglot', or `M-x package-install RET eglot').
;;
;; Terraform and YAML need a major mode for Eglot to start in.  When no
;; `terraform-mode' (or `hcl-mode') is installed, `.tf' and `.tfvars' files
;; open in `goldpath-terraform-mode', and when no `yaml-mode' is installed,
;; `.yaml' and `.yml' files open in `goldpath-yaml-mode': minimal modes with
;; comments and strings, enough for diagnostics, quick fixes and hover.
;; `goldpath-eglot-ensure' starts Eglot in every one of these modes.

;;; Code:

(require 'eglot)

(defgroup goldpath nil "Golden-path guidance for infrastructure code." :group 'tools)

(defcustom goldpath-program "goldpath"
  "The goldpath binary."
  :type 'string)

(defcustom goldpath-config nil
  "A .goldpath.yaml other than the one at the project root, or nil."
  :type '(choice (const nil) file))

(defvar goldpath-terraform-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?/ ". 124" table)
    (modify-syntax-entry ?* ". 23b" table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?- "_" table)
    table)
  "Comments (#, // and /* */) and strings of Terraform.")

(define-derived-mode goldpath-terraform-mode prog-mode "Terraform"
  "A minimal major mode for Terraform files, for Eglot, when no Terraform mode is installed."
  :syntax-table goldpath-terraform-mode-syntax-table
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "\\(?:#+\\|//+\\) *")
  (setq-local indent-tabs-mode nil))

(define-derived-mode goldpath-yaml-mode prog-mode "YAML"
  "A minimal major mode for YAML files, for Eglot, when no YAML mode is installed."
  (modify-syntax-entry ?# "<" goldpath-yaml-mode-syntax-table)
  (modify-syntax-entry ?\n ">" goldpath-yaml-mode-syntax-table)
  (modify-syntax-entry ?' "\"" goldpath-yaml-mode-syntax-table)
  (setq-local comment-start "# ")
  (setq-local indent-tabs-mode nil))

(unless (or (fboundp 'terraform-mode) (fboundp 'hcl-mode))
  (add-to-list 'auto-mode-alist '("\\.tf\\(?:vars\\)?\\'" . goldpath-terraform-mode)))
(unless (fboundp 'yaml-mode)
  (add-to-list 'auto-mode-alist '("\\.ya?ml\\'" . goldpath-yaml-mode)))

(defconst goldpath-eglot-modes
  '(terraform-mode hcl-mode goldpath-terraform-mode yaml-mode yaml-ts-mode goldpath-yaml-mode sql-mode)
  "The major modes goldpath serves.")

(defun goldpath-eglot-contact (_interactive)
  "The command and initialization options Eglot starts goldpath with."
  (append (list goldpath-program "lsp")
          (when goldpath-config
            (list :initializationOptions (list :config (expand-file-name goldpath-config))))))

(add-to-list 'eglot-server-programs (cons goldpath-eglot-modes #'goldpath-eglot-contact))

(defun goldpath-eglot-ensure ()
  "Start Eglot with goldpath in every buffer of `goldpath-eglot-modes'."
  (dolist (mode goldpath-eglot-modes)
    (add-hook (intern (format "%s-hook" mode)) #'eglot-ensure)))

(provide 'goldpath-eglot)
;;; goldpath-eglot.el ends here
