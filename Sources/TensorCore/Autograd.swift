/// Reverse-mode automatic differentiation, micrograd style: every op builds its output and
/// a closure that adds the output's gradient, times the local derivative, into its inputs'
/// gradients. `backward()` orders the graph so that each node's gradient is complete before
/// its closure runs, then runs the closures from the output back to the leaves.
public enum Autograd {
    /// Whether ops record the graph. Off inside `withoutGradients` (inference, rollouts,
    /// evaluation), where ops only compute numbers and keep nothing alive.
    ///
    /// The course computes on one thread at a time (parallel loops live inside ops), so a
    /// process-wide flag is enough.
    nonisolated(unsafe) public private(set) static var isRecording = true

    /// Runs `body` with graph recording off and restores the previous mode afterwards.
    public static func withoutGradients<T>(_ body: () throws -> T) rethrows -> T {
        let previous = isRecording
        isRecording = false
        defer { isRecording = previous }
        return try body()
    }
}

extension Tensor {
    /// Back-propagates from this scalar: afterwards every tensor that requires a gradient
    /// and fed into this one holds d(self)/d(tensor) added to what its `grad` held before
    /// (gradients accumulate across calls until `zeroGrad()`).
    ///
    /// The graph is released as it is consumed, so call it once per forward pass.
    public func backward() {
        precondition(count == 1, "backward() starts from a scalar loss, got shape \(shape)")
        precondition(requiresGrad, "backward() on a tensor that does not depend on any parameter")
        backward(seed: [1])
    }

    /// Back-propagates a given output gradient (the vector in a vector-Jacobian product).
    public func backward(seed: [Float]) {
        precondition(seed.count == count, "backward(seed:) needs \(count) values, got \(seed.count)")
        guard requiresGrad else { return }
        let order = topologicalOrder()
        accumulateGrad { g in
            for i in 0..<seed.count { g[i] += seed[i] }
        }
        for node in order.reversed() {
            if let step = node.backwardStep {
                if !node.grad.isEmpty { step() }
                // Free the graph behind us: activations' buffers can go as soon as used.
                node.backwardStep = nil
                node.parents = []
                if !node.isParameter { node.grad = [] }
            }
        }
    }

    /// Nodes reachable from self, each after all of its inputs (iterative depth-first
    /// search, so deep graphs do not overflow the stack).
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(node: Tensor, expanded: Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded {
                order.append(node)
                continue
            }
            let id = ObjectIdentifier(node)
            if visited.contains(id) { continue }
            visited.insert(id)
            stack.append((node, true))
            for parent in node.parents where parent.requiresGrad && !visited.contains(ObjectIdentifier(parent)) {
                stack.append((parent, false))
            }
        }
        return order
    }
}
