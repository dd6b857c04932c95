import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy between the shipper and one fake server, on 127.0.0.1 and a free port. It frames
/// HTTP/1.1 exchanges just enough to act at exact points (see `ProxyPlan`): slow a request down,
/// reset the connection mid-body, or kill the shipper while a request or its answer is in flight.
///
/// Plain POSIX sockets, one thread per connection polling both sides: test tooling that must see
/// bytes, which the fakes' HTTP server never shows.
final class FaultProxy: Sendable {
    let port: Int
    private let listener: Int32

    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(upstreamPort: Int, director: any ProxyDirector) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProxyError.socket("socket: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ProxyError.socket("bind/listen: errno \(errno)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        Thread.detachNewThread {
            Self.acceptLoop(listener: fd, upstreamPort: upstreamPort, director: director)
        }
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func acceptLoop(listener: Int32, upstreamPort: Int, director: any ProxyDirector) {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = loopback(port: UInt16(upstreamPort))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(upstream)
                close(client)
                continue
            }
            for fd in [client, upstream] {
                var yes: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            }
            Thread.detachNewThread {
                var connection = ProxiedConnection(client: client, upstream: upstream, director: director)
                connection.run()
            }
        }
    }
}

enum ProxyError: Error, CustomStringConvertible {
    case socket(String)
    var description: String {
        switch self { case .socket(let detail): "fault proxy: \(detail)" }
    }
}

/// One client connection and its upstream twin; all state lives on the connection's thread.
private struct ProxiedConnection {
    let client: Int32
    let upstream: Int32
    let director: any ProxyDirector

    private var requests = MessageStream(missingLengthMeansEmpty: true)
    private var responses = MessageStream(missingLengthMeansEmpty: false)
    private var requestKind = RequestKind.other
    private var requestAction = RequestAction.forward
    /// The plan for the answer to the request in flight, and the kind of that request.
    private var pendingResponse = ResponseAction.forward
    private var responseAction = ResponseAction.forward
    private var responseKind = RequestKind.other

    init(client: Int32, upstream: Int32, director: any ProxyDirector) {
        self.client = client
        self.upstream = upstream
        self.director = director
    }

    mutating func run() {
        var reset = false
        defer { finish(reset: reset) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            for side in 0..<2 where fds[side].revents != 0 {
                let capacity = buffer.count
                let count = read(fds[side].fd, &buffer, capacity)
                guard count > 0 else { return }
                let chunk = Array(buffer[0..<count])
                switch side == 0 ? fromClient(chunk) : fromUpstream(chunk) {
                case .keepGoing: continue
                case .close: return
                case .reset:
                    reset = true
                    return
                }
            }
        }
    }

    private func finish(reset: Bool) {
        if reset {
            // SO_LINGER 0: close sends RST instead of FIN, as a crashed peer or middlebox would.
            var option = linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        }
        close(client)
        close(upstream)
    }

    private mutating func fromClient(_ chunk: [UInt8]) -> ProxyOutcome {
        var stream = requests
        defer { requests = stream }
        return stream.feed(chunk, to: upstream) { event in
            switch event {
            case .begins:
                return .proceed
            case .headerComplete(let header):
                requestKind = RequestKind(path: HTTPFraming.requestPath(header))
                let plan = director.plan(for: requestKind)
                if plan.delayMilliseconds > 0 { usleep(UInt32(plan.delayMilliseconds * 1000)) }
                requestAction = plan.request
                pendingResponse = plan.response
                responseKind = requestKind
                return plan.request == .cutMidBody ? .cutMidBody : .proceed
            case .cut:
                director.didReset(requestKind, midResponse: false)
                return .proceed
            case .complete:
                guard case .forwardThenKill(let moment) = requestAction else { return .proceed }
                director.kill(moment)
                return .stop(.close)
            }
        }
    }

    private mutating func fromUpstream(_ chunk: [UInt8]) -> ProxyOutcome {
        var stream = responses
        defer { responses = stream }
        return stream.feed(chunk, to: client) { event in
            switch event {
            case .begins:
                guard case .withholdAndKill(let moment) = pendingResponse else { return .proceed }
                director.kill(moment)
                return .stop(.close)
            case .headerComplete:
                responseAction = pendingResponse
                pendingResponse = .forward
                return responseAction == .cutMidBody ? .cutMidBody : .proceed
            case .cut:
                director.didReset(responseKind, midResponse: true)
                return .proceed
            case .complete:
                guard case .forwardThenKill(let moment) = responseAction else { return .proceed }
                director.kill(moment)
                return .stop(.close)
            }
        }
    }
}

private enum ProxyOutcome { case keepGoing, close, reset }

/// One direction of a connection: splits the byte stream into HTTP messages (header block plus
/// `Content-Length` body), forwards them, and tells its owner where each message begins, when its
/// header is complete and when it ends, so faults land at exact points.
private struct MessageStream {
    enum Event {
        /// The first bytes of a new message arrived (nothing of it forwarded yet).
        case begins
        case headerComplete(ArraySlice<UInt8>)
        /// The message was cut halfway through its body as asked; the connection is reset next.
        case cut
        /// The whole message was forwarded.
        case complete
    }

    enum Decision: Equatable {
        case proceed
        /// Only after `headerComplete`: forward the header and half the body, then reset.
        case cutMidBody
        case stop(ProxyOutcome)
    }

    /// Requests without `Content-Length` have no body; answers without one cannot be framed.
    let missingLengthMeansEmpty: Bool
    private var header: [UInt8] = []
    private var remaining = 0
    private var cutBudget: Int?
    /// After an answer without `Content-Length` the stream is forwarded blindly.
    private var unframed = false

    init(missingLengthMeansEmpty: Bool) {
        self.missingLengthMeansEmpty = missingLengthMeansEmpty
    }

    mutating func feed(_ chunk: [UInt8], to fd: Int32, _ handle: (Event) -> Decision) -> ProxyOutcome {
        if unframed { return Self.send(chunk[...], to: fd) ? .keepGoing : .close }
        var data = chunk[...]
        while !data.isEmpty {
            if remaining == 0 {
                if header.isEmpty, case .stop(let outcome) = handle(.begins) { return outcome }
                header += data
                data = []
                guard let headerLength = HTTPFraming.headerLength(header) else { return .keepGoing }
                let decision = handle(.headerComplete(header[..<headerLength]))
                if case .stop(let outcome) = decision { return outcome }
                guard let bodyLength = HTTPFraming.contentLength(header[..<headerLength]) ?? (missingLengthMeansEmpty ? 0 : nil) else {
                    unframed = true
                    return Self.send(header[...], to: fd) ? .keepGoing : .close
                }
                cutBudget = decision == .cutMidBody && bodyLength > 1 ? headerLength + bodyLength / 2 : nil
                remaining = headerLength + bodyLength
                data = header[...]
                header = []
            }
            let piece = data.prefix(remaining)
            data = data.dropFirst(piece.count)
            if let budget = cutBudget, piece.count >= budget {
                _ = Self.send(piece.prefix(budget), to: fd)
                _ = handle(.cut)
                return .reset
            }
            cutBudget = cutBudget.map { $0 - piece.count }
            guard Self.send(piece, to: fd) else { return .close }
            remaining -= piece.count
            if remaining == 0, case .stop(let outcome) = handle(.complete) { return outcome }
        }
        return .keepGoing
    }

    private static func send(_ bytes: ArraySlice<UInt8>, to fd: Int32) -> Bool {
        var rest = bytes
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            rest = rest.dropFirst(written)
        }
        return true
    }
}
