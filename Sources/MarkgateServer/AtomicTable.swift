import Synchronization

/// A fixed number of atomic integers in one allocation.
final class AtomicTable: Sendable {
    private nonisolated(unsafe) let slots: UnsafeMutablePointer<Atomic<Int>>
    let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        for index in 0..<count { (slots + index).initialize(to: Atomic(0)) }
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func add(_ index: Int, _ value: Int) {
        slots[index].wrappingAdd(value, ordering: .relaxed)
    }

    func load(_ index: Int) -> Int {
        slots[index].load(ordering: .relaxed)
    }

    func store(_ index: Int, _ value: Int) {
        slots[index].store(value, ordering: .relaxed)
    }
}
