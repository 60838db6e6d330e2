/// Sorts small arrays of hashes in place without allocating (the standard sort is stable and allocates a buffer).
enum InPlaceSort {
    static func sort(_ values: inout [UInt32]) {
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 1 else { return }
            quicksort(base, 0, buffer.count - 1)
        }
    }

    private static func quicksort(_ values: UnsafeMutablePointer<UInt32>, _ low: Int, _ high: Int) {
        var low = low
        var high = high
        while high - low > 16 {
            let middle = low + (high - low) / 2
            // Median of three as the pivot.
            if values[middle] < values[low] { swap(values, middle, low) }
            if values[high] < values[low] { swap(values, high, low) }
            if values[high] < values[middle] { swap(values, high, middle) }
            let pivot = values[middle]
            var left = low
            var right = high
            while left <= right {
                while values[left] < pivot { left += 1 }
                while values[right] > pivot { right -= 1 }
                if left <= right {
                    swap(values, left, right)
                    left += 1
                    right -= 1
                }
            }
            // Recurse into the smaller side so the stack stays logarithmic.
            if right - low < high - left {
                quicksort(values, low, right)
                low = left
            } else {
                quicksort(values, left, high)
                high = right
            }
        }
        if high > low { insertionSort(values, low, high) }
    }

    private static func insertionSort(_ values: UnsafeMutablePointer<UInt32>, _ low: Int, _ high: Int) {
        guard high > low else { return }
        for index in (low + 1)...high {
            let value = values[index]
            var position = index
            while position > low && values[position - 1] > value {
                values[position] = values[position - 1]
                position -= 1
            }
            values[position] = value
        }
    }

    @inline(__always)
    private static func swap(_ values: UnsafeMutablePointer<UInt32>, _ first: Int, _ second: Int) {
        let value = values[first]
        values[first] = values[second]
        values[second] = value
    }
}
