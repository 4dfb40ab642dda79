import Foundation

/// A read or write on a file descriptor that failed.
struct IOFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// "read" or "write".
    let operation: String
    /// The `errno` value.
    let code: Int32

    /// The operation and the system's words for the error.
    var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
}

/// Blocking reads and writes on a file descriptor that retry interrupted calls and wait, with `poll`,
/// on a descriptor that another program left non-blocking.
enum FileDescriptorIO {
    /// Reads at most `buffer.count` bytes; returns how many, 0 at the end of the input.
    static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int {
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: waitUntilReady(fd, for: Int16(POLLIN))
            default: throw IOFailure(operation: "read", code: code)
            }
        }
    }

    /// Writes all of `bytes`; returns only when they are written or the write failed.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(IOFailure) {
        var offset = 0
        while offset < bytes.count {
            let count = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if count >= 0 {
                offset += count
                continue
            }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: waitUntilReady(fd, for: Int16(POLLOUT))
            default: throw IOFailure(operation: "write", code: code)
            }
        }
    }

    /// Blocks until `fd` is ready for `events` (or has failed, which the next call reports).
    private static func waitUntilReady(_ fd: Int32, for events: Int16) {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        _ = poll(&entry, 1, -1)
    }
}
