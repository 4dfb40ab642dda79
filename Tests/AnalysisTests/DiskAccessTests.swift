import Foundation
import PolicyModel
import Testing

@testable import Analysis

@Suite struct DiskAccessTests {
    /// A listing names files (and links to files) and directories in order; a link to a directory, a broken link and
    /// an excluded entry are left out.
    @Test func aListingReadsEntryKindsAndDoesNotFollowLinksToDirectories() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("goldpath-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/vendor", withIntermediateDirectories: true)
        try "x = 1\n".write(toFile: dir + "/b.tf", atomically: true, encoding: .utf8)
        try "x = 2\n".write(toFile: dir + "/a.tf", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: dir + "/linked.tf", withDestinationPath: dir + "/a.tf")
        try fm.createSymbolicLink(atPath: dir + "/linked-dir", withDestinationPath: dir + "/sub")
        try fm.createSymbolicLink(atPath: dir + "/broken.tf", withDestinationPath: dir + "/missing.tf")
        let listing = try #require(DiskAccess(exclude: ["**/vendor"]).listing(of: dir))
        #expect(listing.files == ["a.tf", "b.tf", "linked.tf"])
        #expect(listing.directories == ["sub"])
        #expect(DiskAccess(exclude: []).listing(of: dir + "/missing") == nil)
    }
}
