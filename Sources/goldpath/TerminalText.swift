/// Text that came from someone else (a justification, a snippet, an audit row), made safe to print on a
/// terminal: control characters other than newline and tab, and the C1 range, are shown as `\u{1B}`-style
/// escapes, so an escape sequence cannot hide or rewrite what the reviewer reads.
func terminalSafe(_ text: String, keepNewlines: Bool = true) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        let v = scalar.value
        let control = v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)
        if control && !(keepNewlines && (scalar == "\n" || scalar == "\t")) {
            out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}
