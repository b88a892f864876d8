"""Strings of the chain-rule page (pages/chain_rule.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "chain_rule.intro": {
        "en": "Type a formula: it becomes a **computational graph**, one node per operation. The forward "
        "pass computes every node's value from left to right; the backward pass walks from the output "
        "back to the inputs, each node multiplying the gradient it received by its **local derivative** "
        "(the chain rule: ∂f/∂x = ∂f/∂q · ∂q/∂x).",
        "zh": "输入一个表达式：它会变成一张**计算图**，每个运算对应一个节点。"
        "前向传播从左到右算出每个节点的值；反向传播从输出走回各个输入，"
        "每个节点把收到的梯度乘以自己的**局部导数**（链式法则：∂f/∂x = ∂f/∂q · ∂q/∂x）。",
    },
    "chain_rule.preset": {"en": "Example", "zh": "示例"},
    "chain_rule.preset.circuit": {"en": "(x + y) · z", "zh": "(x + y) · z"},
    "chain_rule.preset.max_gate": {
        "en": "1 / exp(−((x1 + x2)·w + max(y1, y2)))",
        "zh": "max 门 1 / exp(−((x1 + x2)·w + max(y1, y2)))",
    },
    "chain_rule.preset.neuron": {
        "en": "Sigmoid neuron 1 / (1 + exp(−(w0·x0 + w1·x1 + w2)))",
        "zh": "Sigmoid 神经元 1 / (1 + exp(−(w0·x0 + w1·x1 + w2)))",
    },
    "chain_rule.preset.custom": {"en": "My own expression", "zh": "自定义表达式"},
    "chain_rule.expression": {"en": "Expression f =", "zh": "表达式 f ="},
    "chain_rule.expression_help": {
        "en": "Numbers, variable names, + − * / and ** (power), and the functions exp, log, abs, sigmoid, "
        "relu, tanh, max, min. Example: sigmoid(w*x + b) * y",
        "zh": "可以使用数字、变量名、+ − * /、乘方 ** 以及函数 exp、log、abs、sigmoid、relu、tanh、max、"
        "min。例如：sigmoid(w*x + b) * y",
    },
    "chain_rule.kept": {
        "en": "The graph below is the last expression that worked.",
        "zh": "下面的计算图对应最近一次有效的表达式。",
    },
    "chain_rule.figure_title": {
        "en": "Forward values in blue above each node, gradients ∂f/∂node in red below",
        "zh": "各节点上方的蓝色数字是前向值，下方的红色数字是梯度 ∂f/∂node",
    },
    "chain_rule.colorbar": {"en": "∂f/∂node", "zh": "∂f/∂node"},
    "chain_rule.value": {"en": "value", "zh": "值"},
    "chain_rule.gradient": {"en": "∂f/∂node", "zh": "∂f/∂node"},
    "chain_rule.backward_header": {
        "en": "Forward values, then the backward pass step by step",
        "zh": "先看前向值，再逐步进行反向传播",
    },
    "chain_rule.backward_text": {
        "en": "Step 0 shows the forward pass. Each further step visits one node, in reverse topological "
        "order: its gradient is complete (all its users have sent theirs), so it passes gradient × local "
        "derivative back along each input edge. A node used twice adds up what comes back.",
        "zh": "第 0 步显示前向传播。之后每一步按逆拓扑序访问一个节点："
        "此时它的梯度已经完整（用到它的所有节点都已把梯度传回），于是它沿每条输入边把“梯度 × "
        "局部导数”传回去。被使用两次的节点会把传回来的梯度相加。",
    },
    "chain_rule.back": {"en": "◀ Back", "zh": "◀ 上一步"},
    "chain_rule.next": {"en": "Next ▶", "zh": "下一步 ▶"},
    "chain_rule.step": {"en": "Backward step", "zh": "反向传播步骤"},
    "chain_rule.step_help": {
        "en": "0 = forward pass only; the last step reaches the inputs.",
        "zh": "0 = 只做前向传播；最后一步到达各个输入。",
    },
    "chain_rule.alt": {
        "en": "A computational graph of {n} nodes with forward values and, during the backward pass, the "
        "gradients flowing back along the edges.",
        "zh": "一张有 {n} 个节点的计算图，标有前向值；反向传播时，还显示沿边回流的梯度。",
    },
    "chain_rule.step0": {
        "en": "Forward pass done: every node knows its value. Press **Next ▶** to start the backward pass "
        "at the output, where ∂f/∂f = 1.",
        "zh": "前向传播完成：每个节点都已知道自己的值。点击 **下一步 ▶**，从输出处开始反向传播，那里 ∂f/∂f "
        "= 1。",
    },
    "chain_rule.no_steps": {
        "en": "This expression has no operation: there is nothing to step through.",
        "zh": "这个表达式不含任何运算：没有可以逐步演示的内容。",
    },
    "chain_rule.step_text": {
        "en": "**Step {k} of {total}**: the node `{node}`.",
        "zh": "**第 {k} 步，共 {total} 步**：节点 `{node}`。",
    },
    "chain_rule.done": {
        "en": "The backward pass has reached every input. Backpropagation against a numerical derivative "
        "of the whole expression (central differences):",
        "zh": "反向传播已到达所有输入。下面把反向传播的结果与整个表达式的数值导数（中心差分）进行比较：",
    },
    "chain_rule.table.variable": {"en": "variable", "zh": "变量"},
    "chain_rule.table.backprop": {"en": "∂f/∂variable (backprop)", "zh": "∂f/∂变量（反向传播）"},
    "chain_rule.table.numerical": {"en": "numerical", "zh": "数值导数"},
    "chain_rule.table.error": {"en": "relative error", "zh": "相对误差"},
    "chain_rule.names": {"en": "Names of the intermediate nodes", "zh": "中间节点的名称"},
    "chain_rule.source": {
        "en": "The engine's code: forward, backward and some local derivatives",
        "zh": "引擎代码：前向传播、反向传播以及部分局部导数",
    },
}
