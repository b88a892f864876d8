"""Strings of the fully connected layer page (pages/dense.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "dense.intro": {
        "en": "A small fully connected network: every unit of a layer is connected to every unit of the "
        "layer before it. Choose the layers, type any number into the grids, and follow the forward pass, "
        "the **δ of every layer** (computed backwards from the loss), the gradients and one step of gradient "
        "descent. Colours: blue negative, white zero, red positive.",
        "zh": "一个小型全连接网络：每一层的每个单元都与前一层的每个单元相连。设定各层，"
        "在网格中输入任意数值，然后依次查看前向传播、**每一层的 δ**（从损失出发反向算出）、梯度，"
        "以及一步梯度下降。颜色：蓝色为负，白色为零，红色为正。",
    },
    "dense.preset": {"en": "Start from", "zh": "初始数值"},
    "dense.preset.classic": {"en": "Classic 2-2-2 sigmoid example", "zh": "经典的 2-2-2 sigmoid 示例"},
    "dense.preset.random": {"en": "Random numbers", "zh": "随机数"},
    "dense.preset_help": {
        "en": "The classic example has inputs 0.05, 0.10, targets 0.01, 0.99 and its loss ½Σ(y − t)² is "
        "0.298371109. Random numbers fit any architecture you choose.",
        "zh": "经典示例的输入为 0.05、0.10，目标为 0.01、0.99，损失 ½Σ(y − t)² 为 0.298371109。"
        "随机数适用于你选择的任何网络结构。",
    },
    "dense.layers": {"en": "Layers", "zh": "层数"},
    "dense.layers_help": {
        "en": "Number of layers with weights (hidden layers + the output layer).",
        "zh": "带权重的层数（隐藏层 + 输出层）。",
    },
    "dense.batch": {"en": "Examples N", "zh": "样本数 N"},
    "dense.batch_help": {
        "en": "Examples in the batch: the gradients are averaged over them.",
        "zh": "一批中的样本数：梯度是对这些样本取平均。",
    },
    "dense.seed": {"en": "Random seed", "zh": "随机种子"},
    "dense.seed_help": {
        "en": "Changing the seed draws new random numbers for every grid.",
        "zh": "更换种子会为每个网格重新抽取随机数。",
    },
    "dense.lr": {"en": "Learning rate η", "zh": "学习率 η"},
    "dense.lr_help": {
        "en": "The step of gradient descent: W := W − η ∂L/∂W.",
        "zh": "梯度下降的步长：W := W − η ∂L/∂W。",
    },
    "dense.inputs": {"en": "Inputs n₀", "zh": "输入个数 n₀"},
    "dense.units": {"en": "Units of layer {l}", "zh": "第 {l} 层的单元数"},
    "dense.units_help": {
        "en": "From 1 to 8 (0 shows what happens with an empty layer).",
        "zh": "取 1 到 8（取 0 可以看看空层会怎样）。",
    },
    "dense.activation": {"en": "Activation f{l}", "zh": "激活函数 f{l}"},
    "dense.act.identity": {"en": "identity", "zh": "恒等"},
    "dense.act.relu": {"en": "ReLU", "zh": "ReLU"},
    "dense.act.leaky_relu": {"en": "leaky ReLU", "zh": "leaky ReLU"},
    "dense.act.sigmoid": {"en": "sigmoid", "zh": "sigmoid"},
    "dense.act.tanh": {"en": "tanh", "zh": "tanh"},
    "dense.numbers": {
        "en": "Numbers: inputs, targets, weights and biases (click a cell to edit it)",
        "zh": "数值：输入、目标、权重和偏置（点击格子即可编辑）",
    },
    "dense.example": {"en": "example {n}", "zh": "样本 {n}"},
    # The header of a grid's column of row names.
    "dense.grid.example_col": {"en": "example", "zh": "样本"},
    "dense.grid.unit_col": {"en": "unit", "zh": "单元"},
    "dense.grid.xt": {
        "en": "**Inputs x and targets t**: one row per example",
        "zh": "**输入 x 与目标 t**：每行一个样本",
    },
    "dense.grid.wb": {
        "en": "**Layer {l}: W{l} ({rows} × {cols}) and b{l}**. Row i: the weights into unit i, one per unit "
        "of the layer before, then its bias",
        "zh": "**第 {l} 层：W{l}（{rows} × {cols}）与 b{l}**。第 i 行：进入单元 i "
        "的权重（前一层的每个单元各一个），最后是它的偏置",
    },
    "dense.kept": {
        "en": "The results below are those of the last numbers that worked.",
        "zh": "下面的结果来自上一次可用的数值。",
    },
    "dense.loss": {"en": "Loss L", "zh": "损失 L"},
    "dense.loss_help": {
        "en": "L = Σ (y − t)² / (2N): for one example this is ½ Σ (y − t)².",
        "zh": "L = Σ (y − t)² / (2N)：只有一个样本时，就是 ½ Σ (y − t)²。",
    },
    "dense.new_loss": {"en": "Loss after one step", "zh": "更新一步后的损失"},
    "dense.check": {"en": "Gradient check (largest relative error)", "zh": "梯度检验（最大相对误差）"},
    "dense.check_help": {
        "en": "Every gradient compared with a numerical derivative of the loss (central differences): "
        "1e-7 or less means they agree.",
        "zh": "每个梯度都与损失的数值导数（中心差分）相比较：相对误差不超过 1e-7 即表示两者一致。",
    },
    "dense.convention": {
        "en": "Loss convention: L = Σ (y − t)² / (2N) over the N examples (engine.losses.mse_loss). For one "
        "example it is ½ Σ (y − t)²; with more, every δ below carries the factor 1/N.",
        "zh": "损失的约定：L = Σ (y − t)² / (2N)，对 N 个样本求和（engine.losses.mse_loss）。"
        "只有一个样本时就是 ½ Σ (y − t)²；样本更多时，下面的每个 δ 都带有因子 1/N。",
    },
    "dense.show": {"en": "Show on the diagram", "zh": "在图中显示"},
    "dense.show.forward": {"en": "forward: activations a and weights w", "zh": "前向：激活值 a 与权重 w"},
    "dense.show.backward": {"en": "backward: δ = ∂L/∂z and ∂L/∂w", "zh": "反向：δ = ∂L/∂z 与 ∂L/∂w"},
    "dense.shown": {"en": "Example shown", "zh": "显示的样本"},
    "dense.layer.input": {"en": "inputs", "zh": "输入"},
    "dense.layer": {"en": "layer {l} ({f})", "zh": "第 {l} 层（{f}）"},
    "dense.diagram.forward": {
        "en": "Forward pass, example {n}: activations on the units, weights on the edges",
        "zh": "前向传播，样本 {n}：单元上是激活值，连线上是权重",
    },
    "dense.diagram.backward": {
        "en": "Backward pass, example {n}: δ on the units, ∂L/∂w (whole batch) on the edges",
        "zh": "反向传播，样本 {n}：单元上是 δ，连线上是 ∂L/∂w（整批）",
    },
    "dense.diagram.value": {"en": "value", "zh": "数值"},
    "dense.diagram.gradient": {"en": "gradient", "zh": "梯度"},
    "dense.diagram_alt": {
        "en": "Diagram of a fully connected network with {L} layers: units as circles coloured by their "
        "value, edges coloured and thickened by their weight.",
        "zh": "{L} 层全连接网络的示意图：单元画成圆圈，颜色表示其数值；连线的颜色和粗细表示其权重。",
    },
    "dense.tab.forward": {"en": "Forward pass", "zh": "前向传播"},
    "dense.tab.delta": {"en": "δ of every layer", "zh": "每一层的 δ"},
    "dense.tab.gradients": {"en": "Gradients and update", "zh": "梯度与更新"},
    "dense.tab.shapes": {"en": "Shapes", "zh": "形状"},
    "dense.tab.check": {"en": "Gradient check", "zh": "梯度检验"},
    "dense.forward_text": {
        "en": "Each layer multiplies the previous activations by its weights, adds its biases and applies "
        "its activation function (example {n}, as columns):",
        "zh": "每一层把前一层的激活值乘以本层的权重，加上偏置，再经过本层的激活函数（样本 {n}，写成列向量）"
        "：",
    },
    "dense.delta_text": {
        "en": "δ = ∂L/∂z is computed from the output layer backwards: the output layer starts from the loss, "
        "every hidden layer takes the δ of the layer above, sends it back through the transposed weights "
        "and multiplies by its own f′(z) (example {n}):",
        "zh": "δ = ∂L/∂z 从输出层开始往回计算：输出层直接从损失得到 δ；"
        "每个隐藏层取后一层（更靠近输出的那一层）的 δ，经转置的权重传回，再乘以本层的 f′(z)（样本 {n}）：",
    },
    "dense.gradient_text": {
        "en": "With the batch in rows (Δ: one δ per row, A: one activation per row), each gradient collects "
        "all examples; then one step of gradient descent moves every parameter against its gradient:",
        "zh": "把整批样本按行排列（Δ：每行一个 δ；A：每行一个激活值），每个梯度都汇总了所有样本；"
        "然后做一步梯度下降，让每个参数沿其梯度的反方向移动：",
    },
    "dense.panel.w": {"en": "W{l}", "zh": "W{l}"},
    "dense.panel.dw": {"en": "∂L/∂W{l}", "zh": "∂L/∂W{l}"},
    "dense.panel.new_w": {"en": "W{l} after the step", "zh": "更新一步后的 W{l}"},
    "dense.panel_alt": {
        "en": "Heatmaps of W{l}, its gradient and its value after one step, with numbers.",
        "zh": "W{l}、它的梯度以及更新一步后的值的热力图，带数值。",
    },
    "dense.shapes_text": {
        "en": "Every gradient has exactly the shape of the quantity it belongs to: a quick check of any "
        "backward pass.",
        "zh": "每个梯度的形状都与它所对应的量完全相同：这是检查任何反向传播的一个快捷方法。",
    },
    "dense.table.parameter": {"en": "quantity", "zh": "变量"},
    "dense.table.shape": {"en": "shape", "zh": "形状"},
    "dense.table.gradient": {"en": "gradient", "zh": "梯度"},
    "dense.table.gradient_shape": {"en": "gradient's shape", "zh": "梯度的形状"},
    "dense.table.same": {"en": "same shape", "zh": "形状相同"},
    "dense.table.error": {"en": "relative error", "zh": "相对误差"},
    "dense.table.verdict": {"en": "agrees (≤ 1e-7)", "zh": "一致（≤ 1e-7）"},
    "dense.check_text": {
        "en": "Each weight and bias is nudged by ±ε and the loss recomputed: the slope must match the "
        "backpropagated gradient (Richardson extrapolation of central differences, so ε can be 1e-4).",
        "zh": "把每个权重和偏置分别扰动 ±ε 并重新计算损失："
        "得到的斜率必须与反向传播算出的梯度一致（对中心差分做 Richardson 外推，因此 ε 可以取 1e-4）。",
    },
    "dense.check_formula": {
        "en": r"\frac{\partial L}{\partial \theta} \approx \frac{L(\theta + \varepsilon) - L(\theta - "
        r"\varepsilon)}{2\varepsilon}, \qquad \text{relative error} = \frac{|a - n|}{|a| + |n|}",
        "zh": r"\frac{\partial L}{\partial \theta} \approx \frac{L(\theta + \varepsilon) - L(\theta - "
        r"\varepsilon)}{2\varepsilon}, \qquad 相对误差\;(\text{relative error}) = \frac{|a - n|}{|a| + |n|}",
    },
    "dense.source": {"en": "The engine's code behind these numbers", "zh": "这些数值背后的引擎代码"},
}
