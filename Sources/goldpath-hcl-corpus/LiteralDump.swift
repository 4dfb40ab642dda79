import HCLSyntax

/// Flattens literal attribute values to `[path, attribute, kind, value]` rows.
///
/// A path element is `type label... #occurrence`, counting blocks with the
/// same type and labels within one body, so both sides of a comparison can
/// name the same block the same way.
enum LiteralDump {
    static func collect(_ body: HCLBody, path: [String], into rows: inout [[Any]]) {
        var occurrences: [String: Int] = [:]
        for item in body.items {
            switch item {
            case .attribute(let a):
                if let (kind, value) = literal(a.expression) { rows.append([path.joined(separator: "/"), a.name, kind, value]) }
            case .block(let b):
                let name = ([b.type] + b.labels.map(\.value)).joined(separator: " ")
                let n = occurrences[name, default: 0]
                occurrences[name] = n + 1
                collect(b.body, path: path + ["\(name) #\(n)"], into: &rows)
            }
        }
    }

    static func literal(_ e: HCLExpression) -> (String, Any)? {
        switch e.kind {
        case .number(let n): return ("number", n)
        case .bool(let b): return ("bool", b)
        case .template(let t) where !t.isHeredoc: return t.literal.map { ("string", $0) }
        case .unary("-", let inner):
            if case .number(let n) = inner.kind { return ("number", "-" + n) }
            return nil
        default: return nil
        }
    }
}
