"""Strings of the chain-rule page (pages/chain_rule.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "chain_rule.intro": {
        "en": "Type a formula: it becomes a **computational graph**, one node per operation. The forward "
        "pass computes every node's value from left to right; the backward pass walks from the output "
        "back to the inputs, each node multiplying the gradient it received by its **local derivative** "
        "(the chain rule: ∂f/∂x = ∂f/∂q · ∂q/∂x)."
    },
    "chain_rule.preset": {"en": "Example"},
    "chain_rule.preset.circuit": {"en": "(x + y) · z"},
    "chain_rule.preset.max_gate": {"en": "1 / exp(−((x1 + x2)·w + max(y1, y2)))"},
    "chain_rule.preset.neuron": {"en": "Sigmoid neuron 1 / (1 + exp(−(w0·x0 + w1·x1 + w2)))"},
    "chain_rule.preset.custom": {"en": "My own expression"},
    "chain_rule.expression": {"en": "Expression f ="},
    "chain_rule.expression_help": {
        "en": "Numbers, variable names, + − * / and ** (power), and the functions exp, log, abs, sigmoid, "
        "relu, tanh, max, min. Example: sigmoid(w*x + b) * y"
    },
    "chain_rule.kept": {"en": "The graph below is the last expression that worked."},
    "chain_rule.figure_title": {
        "en": "Forward values in blue above each node, gradients ∂f/∂node in red below"
    },
    "chain_rule.colorbar": {"en": "∂f/∂node"},
    "chain_rule.value": {"en": "value"},
    "chain_rule.gradient": {"en": "∂f/∂node"},
    "chain_rule.backward_header": {"en": "Forward values, then the backward pass step by step"},
    "chain_rule.backward_text": {
        "en": "Step 0 shows the forward pass. Each further step visits one node, in reverse topological "
        "order: its gradient is complete (all its users have sent theirs), so it passes gradient × local "
        "derivative back along each input edge. A node used twice adds up what comes back."
    },
    "chain_rule.back": {"en": "◀ Back"},
    "chain_rule.next": {"en": "Next ▶"},
    "chain_rule.step": {"en": "Backward step"},
    "chain_rule.step_help": {"en": "0 = forward pass only; the last step reaches the inputs."},
    "chain_rule.alt": {
        "en": "A computational graph of {n} nodes with forward values and, during the backward pass, the "
        "gradients flowing back along the edges."
    },
    "chain_rule.step0": {
        "en": "Forward pass done: every node knows its value. Press **Next ▶** to start the backward pass "
        "at the output, where ∂f/∂f = 1."
    },
    "chain_rule.no_steps": {"en": "This expression has no operation: there is nothing to step through."},
    "chain_rule.step_text": {"en": "**Step {k} of {total}**: the node `{node}`."},
    "chain_rule.done": {
        "en": "The backward pass has reached every input. Backpropagation against a numerical derivative "
        "of the whole expression (central differences):"
    },
    "chain_rule.table.variable": {"en": "variable"},
    "chain_rule.table.backprop": {"en": "∂f/∂variable (backprop)"},
    "chain_rule.table.numerical": {"en": "numerical"},
    "chain_rule.table.error": {"en": "relative error"},
    "chain_rule.names": {"en": "Names of the intermediate nodes"},
    "chain_rule.source": {"en": "The engine's code: forward, backward and some local derivatives"},
}
