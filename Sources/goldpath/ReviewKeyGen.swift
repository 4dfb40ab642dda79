import Analysis
import ArgumentParser
import Foundation

extension ReviewCommand {
    /// `goldpath review keygen`: a reviewer's signing key.
    struct KeyGen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Create a reviewer's Ed25519 signing key (mode 0600, outside the repository) and print the line that trusts it.")
        @Option(help: "The reviewer's name, which every decision signed with the key carries.") var name: String
        @Option(help: "Where to write the private key (default: GOLDPATH_KEY, else ~/.config/goldpath/reviewer.key).") var output: String?

        func run() throws {
            let path = ReviewerKey.defaultPath(explicit: output)
            if let repository = Self.repositoryRoot(containing: path) {
                printError(
                    "error: \(path) lies inside the repository \(repository): a private key there could be committed or read by anything the repository runs; choose a path outside it"
                )
                throw ExitCode(2)
            }
            do {
                let key = try ReviewerKey.generate(name: name)
                try key.write(to: path)
                print("wrote \(name)'s private key to \(path) (mode 0600)")
                print("trust it by adding this line to the trust file (--trust, GOLDPATH_TRUST or ~/.config/goldpath/trusted-reviewers):")
                print(key.trustLine)
            } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
        }

        /// The git work tree that holds `path` (as far as it exists), if any.
        static func repositoryRoot(containing path: String) -> String? {
            var directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
            while !FileManager.default.fileExists(atPath: directory.path) {
                let parent = directory.deletingLastPathComponent()
                guard parent.path != directory.path else { return nil }
                directory = parent
            }
            directory = directory.resolvingSymlinksInPath()
            while true {
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent(".git").path) { return directory.path }
                let parent = directory.deletingLastPathComponent()
                guard parent.path != directory.path else { return nil }
                directory = parent
            }
        }
    }
}
