import Foundation

/// The harness's command line. Paths default to the layout `Benchmarks/run.sh` sets up, relative
/// to the package directory the harness is started from.
struct BenchOptions: Sendable {
    var sizes = [10_000, 100_000, 1_000_000]
    var tools = ResultsTable.allTools
    var repetitions = 1
    var shipperPath = ".build/release/mimecast-shipper"
    var pythonPath = "Benchmarks/.venv/bin/python"
    var peerPath = "Benchmarks/python/peer.py"
    var minimalPeerPath = "Benchmarks/python/peer_minimal.py"
    var curlPath = "/usr/bin/curl"
    /// Cold starts measured against the fake (start → first request) for the start target: this
    /// many of `curl` and as many of the shipper (a run over an empty window), taken in turns.
    var curlStarts = 15
    var launcherPath = "Benchmarks/.build/bench-launch"
    var samplePath = "samples/mimecast-audit-sample.ndjson"
    var resultsDirectory = "Benchmarks/results"
    var pin = true
    var warmUp = true
    var microEvents = 100_000
    var microRounds = 3
    var pageSize = 500
    /// Run the shipper as a first scheduled run (`--since` and a `--lag` ending at the window's
    /// end) instead of a backfill (`--since`/`--until`): no existence check, for comparing its cost.
    var scheduled = false

    static let usage = """
        usage: shipper-bench [SIZE...] [--tools mimecast-shipper,mimecast-shipper-plain,python-peer,python-minimal]
                             [--repeat N] [--shipper PATH] [--python PATH] [--peer PATH]
                             [--minimal-peer PATH] [--curl PATH] [--curl-starts N] [--launcher PATH]
                             [--sample PATH] [--results DIR] [--micro-events N (0 skips)]
                             [--micro-rounds N] [--no-pin] [--no-warm-up] [--scheduled]
        Sizes default to 10000 100000 1000000. Run from the package directory (Benchmarks/run.sh does).
        --curl-starts N: cold starts of curl and of the shipper, in turns, for the start-up verdict
        (default 15 each; 0 skips it).
        """

    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var options = BenchOptions()
        var sizes: [Int] = []
        var iterator = arguments.makeIterator()
        func value(_ name: String) throws -> String {
            guard let next = iterator.next() else { throw HarnessError("\(name) needs a value\n\(usage)") }
            return next
        }
        func integer(_ name: String) throws -> Int {
            let text = try value(name)
            guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number >= 0 else {
                throw HarnessError("\(name) '\(text)' is not a whole number\n\(usage)")
            }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--tools": options.tools = try value(argument).split(separator: ",").map(String.init)
            case "--repeat": options.repetitions = max(1, try integer(argument))
            case "--shipper": options.shipperPath = try value(argument)
            case "--python": options.pythonPath = try value(argument)
            case "--peer": options.peerPath = try value(argument)
            case "--minimal-peer": options.minimalPeerPath = try value(argument)
            case "--curl": options.curlPath = try value(argument)
            case "--curl-starts": options.curlStarts = try integer(argument)
            case "--launcher": options.launcherPath = try value(argument)
            case "--sample": options.samplePath = try value(argument)
            case "--results": options.resultsDirectory = try value(argument)
            case "--micro-events": options.microEvents = try integer(argument)
            case "--micro-rounds": options.microRounds = max(1, try integer(argument))
            case "--no-pin": options.pin = false
            case "--no-warm-up": options.warmUp = false
            case "--scheduled": options.scheduled = true
            case "-h", "--help": throw HarnessError(usage)
            default:
                guard let size = Int(argument.replacingOccurrences(of: "_", with: "")), size > 0 else {
                    throw HarnessError("unknown argument '\(argument)'\n\(usage)")
                }
                sizes.append(size)
            }
        }
        if !sizes.isEmpty { options.sizes = sizes }
        let known = Set(ResultsTable.allTools)
        if let unknown = options.tools.first(where: { !known.contains($0) }) {
            throw HarnessError("unknown tool '\(unknown)'; use any of \(ResultsTable.allTools.joined(separator: ", "))")
        }
        return options
    }
}
