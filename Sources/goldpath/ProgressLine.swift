import Analysis
import Foundation

/// The progress of a long `check` on a terminal's standard error: `checking 40/164 units (212 files)`, redrawn in
/// place at most ten times a second (and once at the end), shown only once the run has taken `delay` seconds and erased before the report.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private let enabled: Bool
    /// Seconds before a run counts as long: `GOLDPATH_PROGRESS_DELAY`, default 1.
    let delay: TimeInterval
    private var total = 0
    private var done = 0
    private var files = 0
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// A progress line that draws only when `enabled` (standard error is a terminal and the run is not quiet).
    init(enabled: Bool) {
        self.enabled = enabled
        delay = ProcessInfo.processInfo.environment["GOLDPATH_PROGRESS_DELAY"].flatMap(TimeInterval.init).map { max(0, $0) } ?? 1
    }

    /// Whether the run has taken long enough for a progress line and a summary on standard error.
    var isLong: Bool { elapsed >= delay }

    /// Seconds since the run started.
    var elapsed: TimeInterval { Date().timeIntervalSince(start) }

    /// Takes one step of the analysis.
    func update(_ step: Workspace.AnalysisProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        switch step {
        case .found(let units): total = units
        case .analysed(let n):
            done += 1
            files += n
        }
        let now = Date()
        // The last step is always drawn, so the line ends on the total.
        let last = total > 0 && done == total
        guard now.timeIntervalSince(start) >= delay, last || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        drawn = true
        FileHandle.standardError.write(Data("\r\u{1B}[Kchecking \(done)/\(total) units (\(files) files)".utf8))
    }

    /// Erases the line, if it was drawn.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
