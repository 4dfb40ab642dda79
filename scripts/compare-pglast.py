#!/usr/bin/env python3
"""Compares goldpath's SQL statement splitting and statement kinds with pglast (PostgreSQL's own parser).

Usage: python scripts/compare-pglast.py DIR... [--bin .build/release/goldpath-sql-corpus] [--show N]

Every .sql file under DIR is split by pglast's scanner; each piece pglast parses
is matched with the goldpath statement that starts inside it, and the kinds
are compared through the mapping below. Pieces pglast rejects (the regression
suite's deliberate errors, psql variables) are counted apart. Needs pglast
(pip install pglast).
"""
import argparse
import collections
import json
import pathlib
import subprocess
import sys

from pglast import parse_sql, split
from pglast.enums import ObjectType, TransactionStmtKind, VariableSetKind

OBJECT = {
    "TABLE": "table", "INDEX": "index", "VIEW": "view", "MATVIEW": "materialized_view", "TYPE": "type", "SEQUENCE": "sequence",
    "SCHEMA": "schema", "EXTENSION": "extension", "FUNCTION": "function", "PROCEDURE": "procedure", "ROUTINE": "routine",
    "TRIGGER": "trigger", "DOMAIN": "domain", "POLICY": "policy", "RULE": "rule", "AGGREGATE": "aggregate", "OPERATOR": "operator",
    "CAST": "cast", "COLLATION": "collation", "CONVERSION": "conversion", "FOREIGN_SERVER": "server", "PUBLICATION": "publication",
    "STATISTIC_EXT": "statistics", "TRANSFORM": "transform", "LANGUAGE": "language", "ACCESS_METHOD": "access_method",
    "EVENT_TRIGGER": "event_trigger", "FOREIGN_TABLE": "foreign_table", "FDW": "foreign_data_wrapper", "OPCLASS": "operator_class",
    "OPFAMILY": "operator_family", "TSCONFIGURATION": "text_search_configuration", "TSDICTIONARY": "text_search_dictionary",
    "TSPARSER": "text_search_parser", "TSTEMPLATE": "text_search_template", "DATABASE": "database", "ROLE": "role",
    "TABLESPACE": "tablespace", "SUBSCRIPTION": "subscription", "LARGEOBJECT": "large", "COLUMN": "table", "TABCONSTRAINT": "table",
    "ATTRIBUTE": "type", "DOMCONSTRAINT": "domain", "USER_MAPPING": "user_mapping", "PUBLICATION_REL": "publication",
}


def obj(value):
    name = ObjectType(value).name.removeprefix("OBJECT_")
    return OBJECT.get(name, name.lower())


def kind(stmt):
    """goldpath's kind for a pglast statement node."""
    n = type(stmt).__name__
    simple = {
        "CreateStmt": "create_table", "CreateForeignTableStmt": "create_foreign_table", "IndexStmt": "create_index",
        "ReindexStmt": "reindex", "CommentStmt": "comment", "VariableShowStmt": "show", "TruncateStmt": "truncate",
        "UpdateStmt": "update", "DeleteStmt": "delete", "InsertStmt": "insert", "MergeStmt": "merge", "SelectStmt": "select",
        "ClusterStmt": "cluster", "CopyStmt": "copy", "DoStmt": "do", "LockStmt": "lock", "ExplainStmt": "explain",
        "ListenStmt": "listen", "NotifyStmt": "notify", "UnlistenStmt": "unlisten", "LoadStmt": "load", "DiscardStmt": "discard",
        "CheckPointStmt": "checkpoint", "DeclareCursorStmt": "declare", "ClosePortalStmt": "close", "ExecuteStmt": "execute",
        "DeallocateStmt": "deallocate", "PrepareStmt": "prepare", "CallStmt": "call", "ReassignOwnedStmt": "reassign",
        "SecLabelStmt": "security_label", "ImportForeignSchemaStmt": "import_foreign_schema",
        "RefreshMatViewStmt": "refresh_materialized_view", "ViewStmt": "create_view", "CreateSeqStmt": "create_sequence",
        "AlterSeqStmt": "alter_sequence", "CreateSchemaStmt": "create_schema", "CreateExtensionStmt": "create_extension",
        "AlterExtensionStmt": "alter_extension", "AlterExtensionContentsStmt": "alter_extension", "CreateTrigStmt": "create_trigger",
        "CreateEventTrigStmt": "create_event_trigger", "AlterEventTrigStmt": "alter_event_trigger", "CreateDomainStmt": "create_domain",
        "AlterDomainStmt": "alter_domain", "CompositeTypeStmt": "create_type", "CreateEnumStmt": "create_type",
        "CreateRangeStmt": "create_type", "AlterEnumStmt": "alter_type", "AlterTypeStmt": "alter_type", "CreatedbStmt": "create_database",
        "AlterDatabaseStmt": "alter_database", "AlterDatabaseSetStmt": "alter_database", "AlterDatabaseRefreshCollStmt": "alter_database",
        "CreateRoleStmt": "create_role", "AlterRoleStmt": "alter_role", "AlterRoleSetStmt": "alter_role", "DropRoleStmt": "drop_role",
        "CreatePolicyStmt": "create_policy", "AlterPolicyStmt": "alter_policy", "RuleStmt": "create_rule",
        "CreateFdwStmt": "create_foreign_data_wrapper", "AlterFdwStmt": "alter_foreign_data_wrapper",
        "CreateForeignServerStmt": "create_server", "AlterForeignServerStmt": "alter_server", "CreateUserMappingStmt": "create_user_mapping",
        "AlterUserMappingStmt": "alter_user_mapping", "DropUserMappingStmt": "drop_user_mapping",
        "CreatePublicationStmt": "create_publication", "AlterPublicationStmt": "alter_publication",
        "CreateSubscriptionStmt": "create_subscription", "AlterSubscriptionStmt": "alter_subscription",
        "DropSubscriptionStmt": "drop_subscription", "CreateStatsStmt": "create_statistics", "AlterStatsStmt": "alter_statistics",
        "CreateTableSpaceStmt": "create_tablespace", "AlterTableSpaceOptionsStmt": "alter_tablespace", "DropTableSpaceStmt": "drop_tablespace",
        "CreateCastStmt": "create_cast", "CreateConversionStmt": "create_conversion", "CreateTransformStmt": "create_transform",
        "CreatePLangStmt": "create_language", "CreateAmStmt": "create_access_method", "CreateOpClassStmt": "create_operator_class",
        "CreateOpFamilyStmt": "create_operator_family", "AlterOpFamilyStmt": "alter_operator_family", "AlterOperatorStmt": "alter_operator",
        "AlterCollationStmt": "alter_collation", "AlterDefaultPrivilegesStmt": "alter_default_privileges", "AlterSystemStmt": "alter_system",
        "AlterTSConfigurationStmt": "alter_text_search_configuration", "AlterTSDictionaryStmt": "alter_text_search_dictionary", "DropdbStmt": "drop_database",
        "DropOwnedStmt": "drop_owned", "ConstraintsSetStmt": "set", "CreateConversionStmt": "create_conversion",
    }
    if n in simple:
        return simple[n]
    if n == "CreateTableAsStmt":
        if obj(stmt.objtype) == "materialized_view":
            return "create_materialized_view"
        return "create_table_as"
    if n == "AlterTableStmt":
        return "alter_" + obj(stmt.objtype)
    if n == "AlterTableMoveAllStmt":
        return "alter_" + obj(stmt.objtype)
    if n == "DropStmt":
        return "drop_" + obj(stmt.removeType)
    if n == "RenameStmt":
        t = obj(stmt.renameType)
        if ObjectType(stmt.renameType).name == "OBJECT_COLUMN":
            t = obj(stmt.relationType)
        return "alter_" + t
    if n in ("AlterObjectSchemaStmt", "AlterOwnerStmt", "AlterObjectDependsStmt"):
        return "alter_" + obj(stmt.objectType)
    if n == "AlterFunctionStmt":
        return "alter_" + obj(stmt.objtype)
    if n in ("GrantStmt", "GrantRoleStmt"):
        return "grant" if stmt.is_grant else "revoke"
    if n == "VariableSetStmt":
        return "reset" if VariableSetKind(stmt.kind).name in ("VAR_RESET", "VAR_RESET_ALL") else "set"
    if n == "TransactionStmt":
        return {
            "TRANS_STMT_BEGIN": "begin", "TRANS_STMT_START": "begin", "TRANS_STMT_COMMIT": "commit", "TRANS_STMT_ROLLBACK": "rollback",
            "TRANS_STMT_SAVEPOINT": "savepoint", "TRANS_STMT_RELEASE": "release_savepoint", "TRANS_STMT_ROLLBACK_TO": "rollback_to_savepoint",
            "TRANS_STMT_PREPARE": "prepare_transaction", "TRANS_STMT_COMMIT_PREPARED": "commit_prepared",
            "TRANS_STMT_ROLLBACK_PREPARED": "rollback_prepared",
        }[TransactionStmtKind(stmt.kind).name]
    if n == "VacuumStmt":
        return "vacuum" if stmt.is_vacuumcmd else "analyze"
    if n == "FetchStmt":
        return "move" if stmt.ismove else "fetch"
    if n == "CreateFunctionStmt":
        return "create_procedure" if stmt.is_procedure else "create_function"
    if n == "DefineStmt":
        t = obj(stmt.kind)
        return "create_text_search" if t.startswith("text_search") else "create_" + t
    return "?" + n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--bin", default=".build/release/goldpath-sql-corpus")
    ap.add_argument("--show", type=int, default=15)
    ap.add_argument("--split-examples", type=int, default=0, help="print this many split differences")
    args = ap.parse_args()
    ours = collections.defaultdict(list)
    out = subprocess.run([args.bin, *args.dirs, "--dump"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        d = json.loads(line)
        ours[d["file"]].append(d)
    files = sorted(ours.keys() | {str(p) for d in args.dirs for p in pathlib.Path(d).rglob("*.sql")})
    agree = disagree = rejected = unmatched = 0
    pairs = collections.Counter()
    examples = collections.defaultdict(list)
    per_kind = collections.Counter()
    for f in files:
        raw = pathlib.Path(f).read_bytes()
        encoding = "utf-8"
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "latin-1"  # a file in a single-byte encoding: one character per byte
            text = raw.decode(encoding)
        # goldpath ranges are byte offsets; pglast slices are character offsets.
        char_of = {}
        pos = 0
        for i, ch in enumerate(text):
            char_of[pos] = i
            pos += len(ch.encode(encoding))
        char_of[pos] = len(text)
        mine = [(char_of.get(s["start"], -1), s["kind"]) for s in ours.get(f, [])]
        try:
            # The parser's split where the whole file parses; the scanner's (which splits inside
            # BEGIN ATOMIC bodies) where the file holds deliberate errors.
            try:
                slices = list(split(text, with_parser=True, only_slices=True))
            except Exception:
                slices = list(split(text, with_parser=False, only_slices=True))
        except Exception:
            rejected += 1
            continue
        for sl in slices:
            piece = text[sl]
            try:
                stmts = parse_sql(piece)
            except Exception:
                rejected += 1
                continue
            if len(stmts) != 1:
                rejected += 1
                continue
            theirs = kind(stmts[0].stmt)
            inside = [k for (start, k) in mine if sl.start <= start < sl.stop]
            if len(inside) != 1:
                unmatched += 1
                examples[("split", len(inside))].append(f"{f}@{sl.start}: {piece.strip()[:80]!r}")
                continue
            per_kind[theirs] += 1
            if inside[0] == theirs:
                agree += 1
            else:
                disagree += 1
                pairs[(theirs, inside[0])] += 1
                examples[(theirs, inside[0])].append(f"{f}@{sl.start}: {piece.strip()[:100]!r}")
    total = agree + disagree + unmatched
    print(f"{len(files)} files; pglast parsed {total} statements ({rejected} pieces it rejects, not compared)")
    print(f"kind agrees: {agree}/{total} = {100 * agree / max(total, 1):.2f}%; kind differs: {disagree}; split differs: {unmatched}")
    for (theirs, mine), n in pairs.most_common(args.show):
        print(f"  pglast {theirs} vs goldpath {mine}: {n}   e.g. {examples[(theirs, mine)][0]}")
    for key in [k for k in examples if k[0] == "split"]:
        for e in examples[key][: args.split_examples]:
            print("    ", key[1], e)
    for key in [k for k in examples if k[0] == "split"][: args.show]:
        print(f"  split: goldpath found {key[1]} statements in one pglast statement ({len(examples[key])}), e.g. {examples[key][0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
