/// The ranges of one of an event's lists (its addresses): the first two held inline, any more in
/// an array.
///
/// An `eventInfo` names one or two addresses of each kind; as `[Range<Int>]`, every list that
/// found one cost an allocation and its release, per event.
struct RangeList: RandomAccessCollection, Equatable, Sendable, ExpressibleByArrayLiteral {
    private var first: Range<Int> = 0..<0
    private var second: Range<Int> = 0..<0
    private var more: [Range<Int>] = []
    private(set) var count = 0

    init() {}

    init(_ ranges: some Sequence<Range<Int>>) {
        for range in ranges { append(range) }
    }

    init(arrayLiteral ranges: Range<Int>...) {
        self.init(ranges)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(position: Int) -> Range<Int> {
        precondition(position >= 0 && position < count, "RangeList index out of range")
        switch position {
        case 0: return first
        case 1: return second
        default: return more[position &- 2]
        }
    }

    mutating func append(_ range: Range<Int>) {
        switch count {
        case 0: first = range
        case 1: second = range
        default: more.append(range)
        }
        count &+= 1
    }

    static func == (lhs: RangeList, rhs: RangeList) -> Bool {
        lhs.elementsEqual(rhs)
    }
}
