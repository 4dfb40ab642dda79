import Foundation
import FuzzTargets

#if FUZZING
    /// The target libFuzzer drives: `GOLDPATH_FUZZ_TARGET` names it (see `scripts/fuzz`).
    let fuzzTarget: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["GOLDPATH_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(
                Data("GOLDPATH_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }()

    /// libFuzzer's entry point: one input.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        fuzzTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
#else
    /// Without the fuzzer: replays inputs through a target (`goldpath-fuzz TARGET FILE...`), to reproduce a finding.
    @main
    struct Replay {
        static func main() {
            let args = Array(CommandLine.arguments.dropFirst())
            guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
                print("usage: goldpath-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE...")
                exit(2)
            }
            for path in args.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("error: cannot read \(path)")
                    exit(2)
                }
                target.run(Array(data))
                print("\(path): ok")
            }
        }
    }
#endif
