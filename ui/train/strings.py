"""Strings of the training page (pages/train.py, ui/train/view.py): ids "train.*"."""

STRINGS: dict[str, dict[str, str]] = {
    "train.intro": {
        "en": "The payoff: the **same forward and backward passes** as on the other pages, chained into a "
        "small network, **learn**. Each mini-batch goes forward through conv → activation → pool → dense → "
        "softmax, the loss's gradient flows back through every layer, and SGD with momentum nudges every "
        "weight downhill. Press **Train** and watch the loss fall and the kernels take shape.",
        "zh": "收获的时刻到了：把其他页面上**同样的前向与反向传播**串成一个小网络，它就能**学习**。"
        "每个小批量先做前向传播，依次经过卷积 → 激活 → 池化 → 全连接 → softmax；"
        "然后损失的梯度反向流过每一层，带动量的 SGD 把每个权重朝下坡方向推一小步。点击**训练**，"
        "看损失如何下降、卷积核如何逐渐成形。",
    },
    # Settings
    "train.settings": {"en": "⚙️ Network and training settings", "zh": "⚙️ 网络与训练设置"},
    "train.dataset": {"en": "Data set", "zh": "数据集"},
    "train.dataset.digits": {"en": "Handwritten digits 8 × 8", "zh": "手写数字 8 × 8"},
    "train.dataset.bars": {"en": "Bars 16 × 16 (synthetic)", "zh": "线条 16 × 16（合成数据）"},
    "train.dataset_help": {
        "en": "Digits: 1,797 handwritten digits (UCI), 1,437 to train on and 360 held out. Bars: a bar in "
        "one of four directions, generated here; the kernels learn to see directions.",
        "zh": "手写数字：1,797 个手写数字（UCI），其中 1,437 个用于训练，360 个留作测试集。线条："
        "朝四个方向之一的一条线段，在这里现场生成；卷积核会学会识别方向。",
    },
    "train.kernels": {"en": "Kernels (conv 1)", "zh": "卷积核个数（conv 1）"},
    "train.kernel_size": {"en": "Kernel size K × K", "zh": "卷积核大小 K × K"},
    "train.activation": {"en": "Activation", "zh": "激活函数"},
    "train.activation.identity": {"en": "None (identity)", "zh": "无（恒等）"},
    "train.activation.relu": {"en": "ReLU", "zh": "ReLU"},
    "train.activation.leaky_relu": {"en": "Leaky ReLU", "zh": "Leaky ReLU"},
    "train.activation.sigmoid": {"en": "Sigmoid", "zh": "Sigmoid"},
    "train.activation.tanh": {"en": "tanh", "zh": "tanh"},
    "train.pool": {"en": "Pooling 2 × 2", "zh": "池化 2 × 2"},
    "train.pool.max": {"en": "Max", "zh": "最大值"},
    "train.pool.avg": {"en": "Average", "zh": "平均值"},
    "train.second": {"en": "Second conv block", "zh": "第二个卷积块"},
    "train.second_help": {
        "en": "Add conv → activation → pool again before the dense layer.",
        "zh": "在全连接层之前再加一组“卷积 → 激活 → 池化”。",
    },
    "train.kernels2": {"en": "Kernels (conv 2)", "zh": "卷积核个数（conv 2）"},
    "train.lr": {"en": "Learning rate η", "zh": "学习率 η"},
    "train.lr_help": {
        "en": "How far each step moves the weights along the negative gradient.",
        "zh": "每一步沿负梯度方向把权重移动多远。",
    },
    "train.momentum": {"en": "Momentum μ", "zh": "动量 μ"},
    "train.momentum_help": {
        "en": "v ← μ·v + g, θ ← θ − η·v: past gradients keep pushing, so steps along a steady direction "
        "grow up to 1 / (1 − μ) times.",
        "zh": "v ← μ·v + g，θ ← θ − η·v：过去的梯度会继续推动，因此沿稳定方向前进时，步长最多可增大到 1 / "
        "(1 − μ) 倍。",
    },
    "train.batch": {"en": "Batch size", "zh": "批大小"},
    "train.epochs": {"en": "Epochs", "zh": "轮数"},
    "train.seed": {"en": "Seed", "zh": "随机种子"},
    "train.seed_help": {
        "en": "The same seed gives the same starting weights and batch order: the same run.",
        "zh": "相同的种子给出相同的初始权重和批次顺序：也就是完全相同的一次训练。",
    },
    "train.architecture": {"en": "The network: {layers}", "zh": "网络结构：{layers}"},
    "train.layer.input": {"en": "input {shape}", "zh": "输入 {shape}"},
    "train.layer.conv": {"en": "conv {F} @ {K}×{K} → {act}", "zh": "卷积 {F} @ {K}×{K} → {act}"},
    "train.layer.pool": {"en": "{mode} pool → {shape}", "zh": "{mode}池化 → {shape}"},
    "train.layer.dense": {"en": "dense {D} → {classes}", "zh": "全连接 {D} → {classes}"},
    "train.layer.softmax": {"en": "softmax", "zh": "softmax"},
    "train.parameters": {"en": "{count:,} parameters.", "zh": "· 共 {count:,} 个参数。"},
    # Controls of the run
    "train.start": {"en": "▶ Train", "zh": "▶ 训练"},
    "train.restart": {"en": "↺ Train again", "zh": "↺ 重新训练"},
    "train.start_help": {
        "en": "Start a new run from fresh random weights with the settings above.",
        "zh": "用上面的设置，从新的随机权重开始一次新的训练。",
    },
    "train.stop": {"en": "⏸ Stop", "zh": "⏸ 暂停"},
    "train.resume": {"en": "▶ Resume", "zh": "▶ 继续"},
    "train.changed": {
        "en": "The settings changed since this run started: the figures show the run as it was trained. "
        "Press **Train again** to train with the new settings.",
        "zh": "本次训练开始后设置有改动：图中显示的仍是按原设置训练的结果。点击**重新训练**，"
        "用新的设置训练。",
    },
    "train.progress": {
        "en": "Epoch {epoch} / {epochs} · batch {batch} / {batches} · held-out accuracy {acc}",
        "zh": "第 {epoch} / {epochs} 轮 · 第 {batch} / {batches} 批 · 测试集准确率 {acc}",
    },
    "train.progress_ready": {
        "en": "Not trained yet: held-out accuracy {acc} (chance: {chance})",
        "zh": "尚未训练：测试集准确率 {acc}（随机猜测：{chance}）",
    },
    "train.progress_done": {
        "en": "Done: {epochs} epoch(s), held-out accuracy {acc}",
        "zh": "完成：共 {epochs} 轮，测试集准确率 {acc}",
    },
    "train.status.running": {
        "en": "Training… the figures update a few times per epoch.",
        "zh": "正在训练……每一轮中图表会更新几次。",
    },
    "train.status.paused": {
        "en": "Paused. Resume to continue where it stopped.",
        "zh": "已暂停。点击“继续”即可从停下的地方接着训练。",
    },
    "train.step_time": {
        "en": "Last step: {batches} mini-batches of {B} images, then the loss and accuracy of all {images:,} "
        "images, in {ms} ms.",
        "zh": "上一步：{batches} 个小批量（每批 {B} 张图像），再计算全部 {images:,} 张图像的损失和准确率，"
        "共用时 {ms} ms。",
    },
    # Live figures
    "train.live_header": {"en": "Training, live", "zh": "训练实况"},
    "train.fig.loss": {"en": "Loss (cross-entropy)", "zh": "损失（交叉熵）"},
    "train.fig.accuracy": {"en": "Accuracy", "zh": "准确率"},
    "train.fig.epoch": {"en": "epoch", "zh": "轮"},
    "train.fig.train": {"en": "training set", "zh": "训练集"},
    "train.fig.test": {"en": "held-out set", "zh": "测试集"},
    "train.fig.batch": {"en": "each mini-batch", "zh": "每个小批量"},
    "train.curves_alt": {
        "en": "Loss and accuracy against epochs, for the training set and the held-out set.",
        "zh": "训练集和测试集上的损失与准确率随轮数的变化。",
    },
    "train.fig.kernels": {
        "en": "The kernels of conv 1, as they are now",
        "zh": "conv 1 的卷积核（当前状态）",
    },
    "train.fig.kernel": {"en": "kernel", "zh": "卷积核"},
    "train.fig.weight": {"en": "weight", "zh": "权重"},
    "train.kernels_alt": {
        "en": "The first conv layer's kernels as small heatmaps: red positive, blue negative.",
        "zh": "第一个卷积层的卷积核，画成小热力图：红色为正，蓝色为负。",
    },
    "train.kernels_caption": {
        "en": "They start as random noise; training turns them into detectors of what tells the classes "
        "apart.",
        "zh": "它们一开始只是随机噪声；训练把它们变成检测器，专门捕捉能把各个类别区分开的特征。",
    },
    "train.fig.gradients": {"en": "Size of each layer's gradient", "zh": "各层梯度的大小"},
    "train.fig.rms": {"en": "RMS of ∂L/∂θ", "zh": "∂L/∂θ 的均方根"},
    "train.fig.param.w": {"en": "{layer} weights", "zh": "{layer} 权重"},
    "train.fig.param.b": {"en": "{layer} biases", "zh": "{layer} 偏置"},
    "train.gradients_alt": {
        "en": "The root-mean-square gradient of every layer's weights and biases at each mini-batch, "
        "on a log scale.",
        "zh": "每个小批量上各层权重和偏置梯度的均方根，纵轴为对数刻度。",
    },
    "train.gradients_caption": {
        "en": "How hard backprop pushes each layer: the root mean square of its gradient, averaged over an "
        "eighth of an epoch.",
        "zh": "反向传播对每一层的推动有多大：该层梯度的均方根，在每八分之一轮内取平均。",
    },
    # Results
    "train.results_header": {
        "en": "Where the network goes wrong (held-out set)",
        "zh": "网络在哪里出错（测试集）",
    },
    "train.results_none": {
        "en": "Train the network to see its confusion matrix and its mistakes here.",
        "zh": "训练网络之后，这里会显示它的混淆矩阵和分错的样本。",
    },
    "train.results_running": {
        "en": "The confusion matrix and the mistakes appear when training stops.",
        "zh": "训练停止后，这里会显示混淆矩阵和分错的样本。",
    },
    "train.accuracy_metric": {"en": "Held-out accuracy", "zh": "测试集准确率"},
    "train.mistakes_metric": {"en": "Mistakes", "zh": "分错数"},
    "train.fig.confusion": {"en": "Confusion matrix", "zh": "混淆矩阵"},
    "train.fig.predicted": {"en": "predicted", "zh": "预测"},
    "train.fig.true": {"en": "true", "zh": "真实"},
    "train.fig.share": {"en": "share of the row", "zh": "占该行的比例"},
    "train.confusion_alt": {
        "en": "Confusion matrix of the held-out set: rows are true classes, columns predicted classes.",
        "zh": "测试集的混淆矩阵：行是真实类别，列是预测类别。",
    },
    "train.fig.mistakes": {
        "en": "Mistakes: true → predicted (confidence)",
        "zh": "分错的样本：真实 → 预测（置信度）",
    },
    "train.mistakes_alt": {
        "en": "Held-out images the network got wrong, with true and predicted classes.",
        "zh": "网络分错的测试集图像，附有真实类别和预测类别。",
    },
    "train.no_mistakes": {"en": "No held-out image is misclassified.", "zh": "测试集中没有分错的图像。"},
    # Try it
    "train.try_header": {"en": "Try the network on one image", "zh": "用一张图像试试这个网络"},
    "train.try_untrained": {
        "en": "This network is untrained: its answers are guesses.",
        "zh": "这个网络还没有训练：它的回答只是瞎猜。",
    },
    "train.try_running": {
        "en": "This shows the weights from when the page last redrew; it follows when training stops.",
        "zh": "这里用的是页面上次重绘时的权重；训练停止后会更新为最新的权重。",
    },
    "train.source": {"en": "Image", "zh": "图像"},
    "train.source.held_out": {"en": "Held-out image", "zh": "测试集图像"},
    "train.source.sample": {"en": "Sample image", "zh": "示例图像"},
    "train.source.upload": {"en": "Upload", "zh": "上传"},
    "train.index": {"en": "Held-out image number", "zh": "测试集图像编号"},
    "train.sample": {"en": "Sample", "zh": "示例"},
    "train.upload": {
        "en": "An image of a digit (any size; it is converted to the network's input)",
        "zh": "一张数字图像（任意尺寸；会被转换成网络的输入）",
    },
    "train.ink": {"en": "Ink", "zh": "笔迹"},
    "train.ink.auto": {"en": "Detect", "zh": "自动检测"},
    "train.ink.dark": {"en": "Dark on light", "zh": "浅底深字"},
    "train.ink.light": {"en": "Light on dark", "zh": "深底浅字"},
    "train.upload_too_big": {
        "en": "The file is over {limit} MB; upload a smaller image.",
        "zh": "文件超过 {limit} MB；请上传一张较小的图像。",
    },
    "train.convert_note": {
        "en": "Converted like the training digits: ink made bright, cropped to the ink and centred, drawn as "
        "a binary bitmap and each cell counting its inked pixels.",
        "zh": "按训练数字的方式转换：把笔迹变成亮色，裁剪到笔迹所在区域并居中，画成二值位图，"
        "再让每个格子统计其中有笔迹的像素数。",
    },
    "train.prediction": {
        "en": "The network says **{label}** ({p:.0%} sure).",
        "zh": "网络判断为 **{label}**（把握 {p:.0%}）。",
    },
    "train.prediction_true": {
        "en": "The network says **{label}** ({p:.0%} sure); the true class is **{true}**.",
        "zh": "网络判断为 **{label}**（把握 {p:.0%}）；真实类别是 **{true}**。",
    },
    "train.fig.probabilities": {"en": "Class probabilities (softmax)", "zh": "各类别的概率（softmax）"},
    "train.fig.probability": {"en": "probability", "zh": "概率"},
    "train.probabilities_alt": {
        "en": "A bar per class: the probability the network gives it.",
        "zh": "每个类别一根柱子：网络给该类别的概率。",
    },
    "train.fig.input": {"en": "Input", "zh": "输入"},
    "train.fig.activation": {
        "en": "conv {n} → activation: one map per kernel",
        "zh": "conv {n} → 激活：每个卷积核一张特征图",
    },
    "train.fig.pooled": {
        "en": "pool {n}: each cell is its 2 × 2 window's {mode}",
        "zh": "pool {n}：每格是其 2 × 2 窗口的{mode}",
    },
    "train.fig.value": {"en": "value", "zh": "数值"},
    "train.feature_alt": {
        "en": "The input and the feature maps of every layer for this image.",
        "zh": "这张图像的输入，以及每一层的特征图。",
    },
    "train.mode.max": {"en": "maximum", "zh": "最大值"},
    "train.mode.avg": {"en": "average", "zh": "平均值"},
    # Classes of the bars set
    "train.class.horizontal": {"en": "horizontal", "zh": "水平"},
    "train.class.vertical": {"en": "vertical", "zh": "竖直"},
    "train.class.diagonal_down": {"en": "diagonal ↘", "zh": "斜向 ↘"},
    "train.class.diagonal_up": {"en": "diagonal ↗", "zh": "斜向 ↗"},
    # Gradient check
    "train.gradcheck_header": {"en": "Gradient check of the whole network", "zh": "整个网络的梯度检验"},
    "train.gradcheck_intro": {
        "en": "Backprop's gradient of the loss, compared with central differences "
        "(L(θ + ε) − L(θ − ε)) / 2ε run through the whole network, on {n} held-out images and up to "
        "{m} entries of each parameter. Relative error ‖a − n‖ / (‖a‖ + ‖n‖): around 1e-7 or below is "
        "right, 1e-2 or above is a bug.",
        "zh": "把反向传播算出的损失梯度，与在整个网络上做中心差分 (L(θ + ε) − L(θ − ε)) / 2ε 的结果相比较，"
        "使用 {n} 张测试集图像，每个参数最多检查 {m} 个元素。相对误差 ‖a − n‖ / (‖a‖ + ‖n‖)：约 1e-7 "
        "或更小说明正确，1e-2 或更大说明代码有错误。",
    },
    "train.gradcheck_run": {"en": "Run the check", "zh": "运行检验"},
    "train.gradcheck.param": {"en": "parameter", "zh": "参数"},
    "train.gradcheck.shape": {"en": "shape", "zh": "形状"},
    "train.gradcheck.entries": {"en": "entries checked", "zh": "检查的元素数"},
    "train.gradcheck.error": {"en": "relative error", "zh": "相对误差"},
    "train.gradcheck.verdict": {"en": "verdict", "zh": "结论"},
    "train.gradcheck.ok": {"en": "✓ matches", "zh": "✓ 一致"},
    "train.gradcheck.bad": {"en": "✗ differs", "zh": "✗ 不一致"},
    "train.gradcheck_loss": {
        "en": "Loss on these images: {loss:.4f}.",
        "zh": "这些图像上的损失：{loss:.4f}。",
    },
    "train.source_code": {
        "en": "The engine's code: the network's forward and backward pass, and the SGD step",
        "zh": "引擎代码：网络的前向与反向传播，以及 SGD 更新步",
    },
}
