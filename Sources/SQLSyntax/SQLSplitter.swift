import TextCore

/// Splits a token stream into statements at `;` outside parentheses and outside SQL-standard
/// function bodies (`BEGIN ATOMIC ... END`); a psql meta-command also ends a statement.
enum SQLSplitter {
    struct Piece {
        var tokens: [SQLToken]
        var terminator: SourceRange?
        var leadingComments: [SQLToken]
    }

    static func split(_ all: [SQLToken]) -> [Piece] {
        var pieces: [Piece] = []
        var current: [SQLToken] = []
        var comments: [SQLToken] = []
        var depth = 0
        var atomicDepth = 0
        func finish(_ terminator: SourceRange?) {
            if !current.isEmpty { pieces.append(Piece(tokens: current, terminator: terminator, leadingComments: comments)) }
            current = []
            comments = []
            depth = 0
            atomicDepth = 0
        }
        for token in all {
            switch token.kind {
            case .lineComment, .blockComment:
                if current.isEmpty { comments.append(token) }
            case .psqlMeta:
                finish(nil)
            case .copyData:
                continue
            default:
                if token.isPunct(";") && depth <= 0 && atomicDepth == 0 {
                    finish(token.range)
                    continue
                }
                if token.isPunct("(") || token.isPunct("[") { depth += 1 }
                if token.isPunct(")") || token.isPunct("]") { depth -= 1 }
                if token.kind == .word {
                    if token.value == "atomic", current.last?.isWord("begin") == true, isRoutine(current) {
                        atomicDepth += 1
                    } else if atomicDepth > 0 && token.value == "case" {
                        atomicDepth += 1
                    } else if atomicDepth > 0 && token.value == "end" {
                        atomicDepth -= 1
                    }
                }
                current.append(token)
            }
        }
        finish(nil)
        return pieces
    }

    private static func isRoutine(_ tokens: [SQLToken]) -> Bool {
        guard tokens.first?.isWord("create") == true else { return false }
        return tokens.prefix(6).contains { $0.isWord("function") || $0.isWord("procedure") }
    }
}
