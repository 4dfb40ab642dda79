;;; goldpath-test.el --- driven by test_emacs.py  -*- lexical-binding: t; -*-

;; Emacs (batch, no window system) runs goldpath through editors/emacs/goldpath-eglot.el with Eglot:
;; diagnostics on a Terraform file (no Terraform package installed), a values file and a migration, a
;; quick fix chosen from `eglot-code-actions' as a user chooses it, and "Request review".  What happened
;; is written as JSON to $GOLDPATH_RESULT.

;;; Code:

(require 'cl-lib)
(require 'json)
(add-to-list 'load-path (expand-file-name "editors/emacs" (getenv "GOLDPATH_REPO")))
(require 'goldpath-eglot)
(setq goldpath-program (getenv "GOLDPATH_BIN"))
(goldpath-eglot-ensure)

(defvar goldpath-test-result nil "The outcome, an alist written as JSON.")

(defun goldpath-test-record (key value)
  "Record VALUE under KEY."
  (push (cons key value) goldpath-test-result))

(defun goldpath-test-wait (predicate what)
  "Run the event loop until PREDICATE holds, or fail after 60 seconds saying WHAT."
  (let ((deadline (+ (float-time) 60)))
    (while (not (funcall predicate))
      (when (> (float-time) deadline) (error "Timed out waiting for %s" what))
      ;; What Eglot's and Flymake's idle timers do in an interactive session (a batch session runs no idle
      ;; timers): send the buffer's pending changes, and ask for diagnostics.
      (when (bound-and-true-p eglot--managed-mode) (eglot--signal-textDocument/didChange))
      (when (bound-and-true-p flymake-mode) (flymake-start))
      (accept-process-output nil 0.05))))

(defun goldpath-test-codes ()
  "The sorted rule ids of the current buffer's diagnostics (Eglot writes `source [code]: message')."
  (sort (cl-loop for d in (flymake-diagnostics)
                 for text = (flymake-diagnostic-text d)
                 when (string-match "\\[\\([^]]+\\)\\]" text)
                 collect (match-string 1 text))
        #'string<))

(defun goldpath-test-open (file)
  "Visit FILE, let Eglot connect as after a command, and wait for diagnostics."
  (find-file file)
  ;; eglot-ensure connects from `post-command-hook', which a batch session never runs.
  (run-hooks 'post-command-hook)
  (goldpath-test-wait (lambda () (bound-and-true-p eglot--managed-mode)) (format "Eglot in %s" file))
  (goldpath-test-wait (lambda () (flymake-diagnostics)) (format "diagnostics in %s" file)))

(defun goldpath-test-diagnostic (code)
  "The flymake diagnostic of rule CODE in the current buffer."
  (cl-find-if (lambda (d) (string-match-p (regexp-quote (format "[%s]" code)) (flymake-diagnostic-text d)))
              (flymake-diagnostics)))

(defun goldpath-test-choose-action (code needle)
  "Offer the code actions at CODE's diagnostic, as `M-x eglot-code-actions' does, and choose NEEDLE's."
  (let* ((d (or (goldpath-test-diagnostic code) (error "No %s diagnostic" code)))
         (offered nil))
    (goto-char (flymake-diagnostic-beg d))
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt collection &rest _)
                 (setq offered (mapcar #'car collection))
                 (or (cl-find-if (lambda (title) (string-match-p (regexp-quote needle) title)) offered)
                     (error "No action with %s among %S" needle offered)))))
      ;; Invoked from the keyboard (M-x), as a user does: a menu would need a mouse event.
      (let ((last-nonmenu-event ?\r))
        (eglot-code-actions (flymake-diagnostic-beg d) (flymake-diagnostic-end d) nil t)))
    offered))

(defun goldpath-test-run ()
  "The scenario."
  (goldpath-test-open (getenv "GOLDPATH_TF"))
  (goldpath-test-record "terraform_mode" (symbol-name major-mode))
  (goldpath-test-record "terraform_codes" (vconcat (goldpath-test-codes)))
  ;; Hover at a finding, as eldoc asks for it: Eglot 1.9 declares plain text only.
  (goto-char (flymake-diagnostic-beg (goldpath-test-diagnostic "AWS001")))
  (let* ((hover (jsonrpc-request (eglot--current-server-or-lose) :textDocument/hover
                                 (eglot--TextDocumentPositionParams)))
         (contents (plist-get hover :contents)))
    (goldpath-test-record "hover_kind" (plist-get contents :kind))
    (goldpath-test-record "hover_first_line" (car (split-string (plist-get contents :value) "\n"))))
  (let ((line (line-number-at-pos (flymake-diagnostic-beg (goldpath-test-diagnostic "AWS002")))))
    (goldpath-test-record "fix_offered" (vconcat (goldpath-test-choose-action "AWS002" "(AWS002)")))
    (goldpath-test-wait (lambda () (not (member "AWS002" (goldpath-test-codes)))) "AWS002 to go after the fix")
    (goldpath-test-record "fixed_line"
                          (save-excursion (goto-char (point-min)) (forward-line (1- line))
                                          (buffer-substring-no-properties (line-beginning-position) (line-end-position)))))
  (goldpath-test-record "codes_after_fix" (vconcat (goldpath-test-codes)))

  (goldpath-test-open (getenv "GOLDPATH_NETWORK"))
  (goldpath-test-record "review_offered" (vconcat (goldpath-test-choose-action "needs-review" "Request review")))
  (let (listed)
    (goldpath-test-wait
     (lambda ()
       (setq listed (with-output-to-string
                      (call-process goldpath-program nil standard-output nil "review" "list" "--format" "json")))
       (string-match-p "aws_kinesis_stream.events" listed))
     "the review request in the store")
    (goldpath-test-record "requests" (json-read-from-string listed)))

  (goldpath-test-open (getenv "GOLDPATH_VALUES"))
  (goldpath-test-record "values_mode" (symbol-name major-mode))
  (goldpath-test-record "values_codes" (vconcat (goldpath-test-codes)))

  (goldpath-test-open (getenv "GOLDPATH_MIGRATION"))
  (goldpath-test-record "migration_mode" (symbol-name major-mode))
  (goldpath-test-record "migration_codes" (vconcat (goldpath-test-codes))))

(let ((ok t))
  (condition-case err
      (goldpath-test-run)
    (error (setq ok nil) (goldpath-test-record "error" (error-message-string err))))
  (goldpath-test-record "ok" (if ok t :json-false))
  (with-temp-file (getenv "GOLDPATH_RESULT")
    (insert (json-encode goldpath-test-result)))
  (kill-emacs (if ok 0 1)))

;;; goldpath-test.el ends here
