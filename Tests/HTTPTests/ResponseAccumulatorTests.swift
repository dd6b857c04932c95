@testable import ShipperHTTP
import Testing

@Suite struct ResponseAccumulatorTests {
    @Test func parsesHeadersCaseInsensitivelyAndKeepsTheLastResponseOnly() {
        var accumulator = ResponseAccumulator(maxBodyBytes: 100)
        accumulator.receiveHeaderLine("HTTP/1.1 100 Continue\r\n")
        accumulator.receiveHeaderLine("X-Interim: yes\r\n")
        accumulator.receiveHeaderLine("\r\n")
        accumulator.receiveHeaderLine("HTTP/2 200\r\n")
        accumulator.receiveHeaderLine("content-type:  application/json \r\n")
        accumulator.receiveHeaderLine("X-RateLimit-Reset: 1500\r\n")
        accumulator.receiveHeaderLine("\r\n")
        #expect(accumulator.statusLineVersion == "2")
        #expect(accumulator.headers["Content-Type"] == "application/json")
        #expect(accumulator.headers["x-ratelimit-reset"] == "1500")
        #expect(accumulator.headers["X-Interim"] == nil)
    }

    @Test func refusesBodyPastTheCap() {
        var accumulator = ResponseAccumulator(maxBodyBytes: 10)
        let chunk: [UInt8] = Array(repeating: 1, count: 6)
        #expect(chunk.withUnsafeBytes { accumulator.receiveBody($0) })
        #expect(!chunk.withUnsafeBytes { accumulator.receiveBody($0) })
        #expect(accumulator.exceededLimit)
        #expect(accumulator.body.count == 6)
    }

    /// The body gets the announced length as room at its first chunk (within the cap), and still
    /// takes a body longer than announced.
    @Test func reservesTheAnnouncedLengthWithinTheCap() {
        var accumulator = ResponseAccumulator(maxBodyBytes: 5000)
        accumulator.receiveHeaderLine("HTTP/1.1 200 OK\r\n")
        accumulator.receiveHeaderLine("Content-Length: 3000\r\n")
        let chunk: [UInt8] = Array(repeating: 7, count: 1000)
        #expect(chunk.withUnsafeBytes { accumulator.receiveBody($0) })
        #expect(accumulator.body.capacity >= 3000)
        for _ in 0..<4 { #expect(chunk.withUnsafeBytes { accumulator.receiveBody($0) }) }
        #expect(accumulator.body == Array(repeating: 7, count: 5000))

        var lying = ResponseAccumulator(maxBodyBytes: 100)
        lying.receiveHeaderLine("HTTP/1.1 200 OK\r\n")
        lying.receiveHeaderLine("Content-Length: 99999999999\r\n")
        #expect(lying.expectedBodyBytes == 100)
        lying.receiveHeaderLine("HTTP/1.1 200 OK\r\n")
        lying.receiveHeaderLine("Content-Length: nonsense\r\n")
        #expect(lying.expectedBodyBytes == nil)
    }
}
