import MCP
import Testing

@testable import MCPServer

/// Protocol params that do not decode are -32602 Invalid params naming the member, not the SDK's -32603.
@Suite struct CheckedParamsTests {
    @Test func malformedProtocolParamsAreInvalidParams() {
        func problem<M: Method>(_ params: Value, _ method: M.Type) -> String? {
            do {
                _ = try decodeParams(params, of: method)
                return nil
            } catch {
                return "\(error.code) \(error.errorDescription ?? "")"
            }
        }
        #expect(problem(.int(5), CallTool.self) == "-32602 Invalid params: params of tools/call must be an object")
        #expect(problem(.null, CallTool.self) == "-32602 Invalid params: params of tools/call must be an object, not null")
        #expect(
            problem(["arguments": [:]], CallTool.self) == "-32602 Invalid params: 'name' in the params of tools/call is missing")
        #expect(
            problem(["name": "check", "arguments": 5], CallTool.self)
                == "-32602 Invalid params: 'arguments' in the params of tools/call must be an object")
        #expect(problem(["url": "x"], ReadResource.self) == "-32602 Invalid params: 'uri' in the params of resources/read is missing")
        #expect(problem(.string("x"), ListTools.self) == "-32602 Invalid params: params of tools/list must be an object")
        #expect(problem(.null, ListTools.self) == nil)
        #expect(problem(["name": "check"], CallTool.self) == nil)
    }
}
