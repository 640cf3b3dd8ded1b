import Artifacts
import Foundation

/// Hands run locations to reader threads and their reads back to the writer in walk order, so the
/// outcome never depends on which thread finished first. Readers stay at most `window` runs ahead
/// of the writer, which bounds the memory held by reads waiting their turn.
final class OrderedReads: @unchecked Sendable {
    private let condition = NSCondition()
    private let locations: [RunLocation]
    private let window: Int
    private var handedOut = 0
    private var delivered: [Int: RunRead] = [:]
    private var written = 0
    private var cancelled = false
    private var readersRunning = 0
    /// Who sleeps on the condition: wake-ups are sent only to a party that waits for the change,
    /// since on a small machine a needless wake-up costs more than reading an unchanged run.
    private var writerWaiting = false
    private var readersWaitingForRoom = 0

    init(_ locations: [RunLocation], window: Int) {
        self.locations = locations
        self.window = max(1, window)
    }

    /// For a reader: the next location to read with its position, or nil when there is none left.
    func nextLocation() -> (position: Int, location: RunLocation)? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && handedOut < locations.count && handedOut >= written + window {
            readersWaitingForRoom += 1
            condition.wait()
            readersWaitingForRoom -= 1
        }
        guard !cancelled, handedOut < locations.count else { return nil }
        handedOut += 1
        return (handedOut - 1, locations[handedOut - 1])
    }

    /// For a reader: the read of the location at `position`.
    func deliver(_ read: RunRead, at position: Int) {
        condition.lock()
        delivered[position] = read
        if writerWaiting && position == written { condition.broadcast() }
        condition.unlock()
    }

    /// For the writer: the next read in walk order, waiting for it; nil after the last one.
    func nextInOrder() -> RunRead? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && written < locations.count && delivered[written] == nil {
            writerWaiting = true
            condition.wait()
            writerWaiting = false
        }
        guard !cancelled, written < locations.count else { return nil }
        let read = delivered.removeValue(forKey: written)
        written += 1
        if readersWaitingForRoom > 0 { condition.broadcast() }
        return read
    }

    /// Stops handing out work (the writer failed); readers finish the run in hand and stop.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    func readerStarted() {
        condition.lock()
        readersRunning += 1
        condition.unlock()
    }

    func readerFinished() {
        condition.lock()
        readersRunning -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every reader thread has returned.
    func waitForReaders() {
        condition.lock()
        while readersRunning > 0 { condition.wait() }
        condition.unlock()
    }
}
