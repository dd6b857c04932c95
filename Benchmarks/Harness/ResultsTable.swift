import Foundation

/// The one table the issue asks for: per size, both tools and the peer ÷ shipper ratios, then the
/// targets with met/missed, in Markdown so it pastes straight into the README.
enum ResultsTable {
    static let shipper = "mimecast-shipper"
    /// The shipper with `MIMECAST_SHIPPER_GZIP_LEVEL=0`: the same work as the peers.
    static let plainShipper = "mimecast-shipper-plain"
    static let peer = "python-peer"
    /// `peer_minimal.py`: the lightest mapping a script would do.
    static let minimalPeer = "python-minimal"
    static let allTools = [shipper, plainShipper, peer, minimalPeer]

    /// The median run (by wall time) of each tool and size.
    static func representative(_ runs: [RunResult], tool: String, events: Int) -> RunResult? {
        let matching = runs.filter { $0.tool == tool && $0.events == events }.sorted { $0.wallSeconds < $1.wallSeconds }
        return matching.isEmpty ? nil : matching[matching.count / 2]
    }

    static func markdown(_ runs: [RunResult]) -> String {
        var lines = [
            "| Events | Tool | Wall s | CPU s | CPU µs/event | Events/s | Peak RSS MB | Mimecast calls | To ES raw MB | To ES sent MB | Start→1st request ms |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        let sizes = Array(Set(runs.map(\.events))).sorted()
        for size in sizes {
            let measured = allTools.compactMap { representative(runs, tool: $0, events: size) }
            for run in measured {
                lines.append(row(size: size, label: run.tool, cells: cells(run)))
            }
            // Each peer against the shipper doing the same work (no compression).
            let reference = representative(runs, tool: plainShipper, events: size) ?? representative(runs, tool: shipper, events: size)
            for python in measured where python.tool == peer || python.tool == minimalPeer {
                guard let reference else { continue }
                let ratios = zip(values(python), values(reference)).map { pair -> String in
                    guard let peerValue = pair.0, let shipperValue = pair.1, shipperValue > 0 else { return "–" }
                    return String(format: "%.2f×", peerValue / shipperValue)
                }
                lines.append(row(size: size, label: "\(python.tool) ÷ \(reference.tool)", cells: ratios))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func row(size: Int, label: String, cells: [String]) -> String {
        "| \(grouped(size)) | \(label) | " + cells.joined(separator: " | ") + " |"
    }

    private static func values(_ run: RunResult) -> [Double?] {
        [
            run.wallSeconds, run.cpuSeconds, run.cpuMicrosecondsPerEvent, run.eventsPerSecond, run.peakRSSMegabytes,
            Double(run.mimecastCalls), Double(run.elasticsearch.inflatedBytes) / 1_048_576,
            Double(run.elasticsearch.wireBytes) / 1_048_576, run.startToFirstRequestMilliseconds,
        ]
    }

    private static func cells(_ run: RunResult) -> [String] {
        let formats = ["%.2f", "%.2f", "%.1f", "%.0f", "%.1f", "%.0f", "%.1f", "%.1f", "%.1f"]
        return zip(values(run), formats).map { value, format in
            guard let value else { return "–" }
            return format == "%.0f" && value >= 10_000 ? grouped(Int(value.rounded())) : String(format: format, value)
        }
    }

    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    static func median(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        return sorted.isEmpty ? nil : sorted[sorted.count / 2]
    }

    /// The issue's targets, judged on the representative runs.
    static func targets(_ runs: [RunResult], micro: MicroBenchmarkResult?, curlStarts: [Double] = [], shipperStarts paired: [Double] = []) -> [String] {
        var lines: [String] = []
        let sizes = Array(Set(runs.map(\.events))).sorted()
        func verdict(_ met: Bool) -> String { met ? "met" : "MISSED" }
        func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        for size in sizes {
            let label = "\(grouped(size)) events"
            for (shipperTool, limit, what) in [(plainShipper, 10.0, "gzip off"), (shipper, 6.0, "gzip on")] {
                guard let swift = representative(runs, tool: shipperTool, events: size) else { continue }
                for peerTool in [peer, minimalPeer] {
                    guard let python = representative(runs, tool: peerTool, events: size) else { continue }
                    let ratio = swift.cpuMicrosecondsPerEvent / python.cpuMicrosecondsPerEvent
                    lines.append("- \(label): CPU per event, shipper \(what) \(f(swift.cpuMicrosecondsPerEvent)) µs vs \(peerTool) "
                        + "\(f(python.cpuMicrosecondsPerEvent)) µs = 1/\(f(1 / ratio)) (target ≤ 1/\(Int(limit))): \(verdict(ratio <= 1 / limit))")
                }
            }
            for shipperTool in [shipper, plainShipper] {
                guard let swift = representative(runs, tool: shipperTool, events: size) else { continue }
                lines.append("- \(label): \(shipperTool) \(grouped(Int(swift.eventsPerSecond))) events/s on one pinned core (target ≥ 50,000): "
                    + verdict(swift.eventsPerSecond >= 50_000))
            }
        }
        // The paired cold starts when they were taken; otherwise the measured runs' own starts.
        let runStarts = runs.filter { $0.tool == shipper || $0.tool == plainShipper }.compactMap(\.startToFirstRequestMilliseconds)
        let shipperStarts = paired.isEmpty ? runStarts : paired
        let samples = paired.isEmpty ? "runs" : "cold starts, taken in turns with curl's"
        if let shipperStart = median(shipperStarts) {
            if let curlStart = median(curlStarts) {
                lines.append("- start → first request: shipper median \(f(shipperStart)) ms (\(shipperStarts.count) \(samples), "
                    + "\(f(shipperStarts.min() ?? 0))–\(f(shipperStarts.max() ?? 0))) vs curl median \(f(curlStart)) ms "
                    + "(\(curlStarts.count) cold starts, \(f(curlStarts.min() ?? 0))–\(f(curlStarts.max() ?? 0))) = \(f(shipperStart / curlStart, 2))× "
                    + "(target ≤ 2×): \(verdict(shipperStart <= 2 * curlStart))")
            } else {
                lines.append("- start → first request: shipper median \(f(shipperStart)) ms; curl not measured (target ≤ 2× curl): not judged")
            }
        }
        if !paired.isEmpty, let runStart = median(runStarts) {
            lines.append("- start → first request within the measured runs (after each run before it): median \(f(runStart)) ms "
                + "(\(runStarts.count) runs, \(f(runStarts.min() ?? 0))–\(f(runStarts.max() ?? 0))), not judged")
        }
        if let big = representative(runs, tool: shipper, events: 1_000_000) {
            lines.append("- 1,000,000 events: peak RSS \(f(big.peakRSSMegabytes)) MB (target ≤ 64 MB): \(verdict(big.peakRSSMegabytes <= 64))")
            if let mid = representative(runs, tool: shipper, events: 100_000) {
                let growth = big.peakRSSMegabytes / mid.peakRSSMegabytes - 1
                lines.append("- peak RSS 1M vs 100k: \(f(big.peakRSSMegabytes)) MB vs \(f(mid.peakRSSMegabytes)) MB, "
                    + "\(growth >= 0 ? "+" : "")\(f(growth * 100))% (target within 10%): \(verdict(abs(growth) <= 0.10))")
            }
        } else if let largest = sizes.last, let run = representative(runs, tool: shipper, events: largest) {
            lines.append("- \(grouped(largest)) events: peak RSS \(f(run.peakRSSMegabytes)) MB (the ≤ 64 MB target is for 1,000,000 events: not judged)")
        }
        if let micro {
            lines.append("- micro-benchmark of the shipped stages (one core, in process, \(grouped(micro.events)) events × \(micro.rounds)): "
                + "\(grouped(Int(micro.eventsPerSecondParseMapEncode))) events/s parse+map+encode, "
                + "\(grouped(Int(micro.eventsPerSecondWithGzip))) with gzip; µs/event: parse \(f(micro.parseMicrosecondsPerEvent, 2)), "
                + "map \(f(micro.mapMicrosecondsPerEvent, 2)), encode \(f(micro.encodeMicrosecondsPerEvent, 2)), gzip \(f(micro.gzipMicrosecondsPerEvent, 2))")
        }
        return lines
    }
}
