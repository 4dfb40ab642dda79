import PolicyModel
import TextCore

/// Turns fix plans into edits of the values file each value comes from.
///
/// Operations run one after another on the unit's texts; each changed file
/// then gets one minimal edit (common prefix and suffix trimmed).
struct HelmValuesFixWriter {
    let language: HelmValuesLanguage

    func edits(for plan: FixPlan, subject: Subject, at target: ValuePath?, in unit: AnalysisUnit) throws(FixWriteError) -> [FileEdits] {
        var current = unit
        for op in plan.operations {
            current = try apply(op, subject: subject, target: target, in: current, original: unit)
        }
        var out: [FileEdits] = []
        for (old, new) in zip(unit.files, current.files) where old.text != new.text {
            out.append(FileEdits(file: old.path, edits: [TextEdit.minimal(from: old.text, to: new.text)]))
        }
        return out
    }

    /// Applies one operation. The subject's origins (relative to the subject) say which file each value came from.
    private func apply(
        _ op: FixOperation, subject: Subject, target: ValuePath?, in unit: AnalysisUnit, original: AnalysisUnit
    ) throws(FixWriteError)
        -> AnalysisUnit
    {
        let origins = subject.origins
        switch op {
        case .set(let relative, let value):
            let path = subject.documentPath(of: relative)
            var probe = relative
            while origins[probe] == nil && !probe.isRoot { probe = probe.parent }
            let file = origins[probe]?.file ?? subject.file
            return try edit(file, in: unit, original: original) { editor throws(FixWriteError) in try editor.set(path, to: value) }
        case .remove(let relative):
            let path = subject.documentPath(of: relative)
            guard let origin = origins[relative] else { return unit }
            return try edit(origin.file, in: unit, original: original) { editor throws(FixWriteError) in try editor.remove(path) }
        case .transform("quote-scalar"):
            guard let target, let origin = origins[target] else {
                throw FixWriteError("quote-scalar needs the rule's 'at' path to name an existing value")
            }
            let path = subject.documentPath(of: target)
            return try edit(origin.file, in: unit, original: original) { editor throws(FixWriteError) in try editor.quote(path) }
        case .transform(let name):
            throw FixWriteError("helm-values has no transform named '\(name)' (known: quote-scalar)")
        case .insertSibling(let type, _, _):
            throw FixWriteError("helm-values cannot add a \(type)")
        }
    }

    /// Edits `file`; its first edit reads the parse the lowering made of it, a later one the text an operation wrote.
    private func edit(
        _ file: String, in unit: AnalysisUnit, original: AnalysisUnit, _ body: (YAMLEditor) throws(FixWriteError) -> String
    ) throws(FixWriteError)
        -> AnalysisUnit
    {
        guard let source = unit.files.first(where: { $0.path == file }) else { throw FixWriteError("no file \(file) in the chart") }
        let unedited = original.files.contains { $0.path == file && $0.text == source.text }
        let editor = try unedited ? YAMLEditor(source, parsed: language.parsed(source)) : YAMLEditor(source)
        return unit.replacing(file: file, with: try body(editor))
    }
}
