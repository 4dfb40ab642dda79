// The vocabulary of Analysis's API — findings, subjects, ranges, rules, review requests — comes with it,
// so a front end imports Analysis and its protocol target and nothing below them.
@_exported import Decisions
@_exported import PolicyModel
@_exported import Rules
@_exported import TextCore
