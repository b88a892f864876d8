"""The engine's error sentences in the app's other languages, keyed by their English template (gettext's way).

The engine writes each sentence once, in English, where it raises it:
`EngineError("The stride must be at least 1 (it is {stride}).", stride=stride)`. That template is the key
here, so English needs no entry; each translation has the same {fields}. `ui.common.display.problem_text`
looks the template up in the session's language and fills it in, translating the fields that are words
themselves (an axis name, a unit, a wrapped reason). tests/app/test_error_sentences.py reads every template
from the engine's source: each has its translations here, with the same fields, and no entry is left over.
"""

# English template -> language code -> the template in that language.
TRANSLATIONS: dict[str, dict[str, str]] = {
    # Words used inside other sentences: axes, hyper-parameters, units.
    "height": {"zh": "高度"},
    "width": {"zh": "宽度"},
    "stride": {"zh": "步幅"},
    "dilation": {"zh": "膨胀"},
    "padding": {"zh": "填充"},
    "window size": {"zh": "窗口大小"},
    "input": {"zh": "输入"},
    "weights": {"zh": "权重"},
    "biases": {"zh": "偏置"},
    "{n} bytes": {"zh": "{n} 字节"},
    "{n:.3g} KB": {"zh": "{n:.3g} KB"},
    "{n:.3g} MB": {"zh": "{n:.3g} MB"},
    "{n:,}": {"zh": "{n:,}"},
    "{n:.3g} million": {"zh": "{n:.3g} 百万"},
    # engine/geometry.py
    "The {name} must be a whole number or a (height, width) pair of whole numbers, not {value!r}.": {
        "zh": "{name}必须是一个整数，或由两个整数组成的（高度，宽度）数对，而不是 {value!r}。",
    },
    'The padding must be a number, "same" or "valid", not "{padding}".': {
        "zh": '填充必须是一个数，或者 "same"、"valid"，而不是 "{padding}"。',
    },
    "The padding cannot be negative.": {"zh": "填充不能为负数。"},
    "The stride must be at least 1 (it is {stride}).": {"zh": "步幅至少为 1（当前为 {stride}）。"},
    "The dilation must be at least 1 (it is {dilation}); 1 means no gaps between taps.": {
        "zh": "膨胀至少为 1（当前为 {dilation}）；1 表示卷积核的各个抽头之间没有间隔。",
    },
    "The kernel size must be at least 1 (it is {k}).": {"zh": "卷积核大小至少为 1（当前为 {k}）。"},
    (
        "The kernel covers {span} cells (size {k}, dilation {dilation}) but the padded input has only "
        "{padded} ({n} + {before} + {after}): use a smaller kernel or dilation, or more padding."
    ): {
        "zh": "卷积核覆盖 {span} 格（大小 {k}，膨胀 {dilation}），但填充后的输入只有 {padded} 格（{n} + "
        "{before} + {after}）：请减小卷积核或膨胀，或者增加填充。",
    },
    "Along the {axis}: {reason}": {"zh": "在{axis}方向上：{reason}"},
    "The padding mode must be one of {modes}, not {pad_mode!r}.": {
        "zh": "填充方式必须是 {modes} 之一，而不是 {pad_mode!r}。",
    },
    (
        "Reflect padding of {widest} needs an input {axis} of more than {widest} (it is {n}): a mirror "
        "copies the cells next to the border, so there must be that many to copy."
    ): {
        "zh": "反射填充 {widest} 格，要求输入的{axis}大于 {widest}（当前为 {n}）："
        "镜像复制的是紧挨边界的格子，所以必须有这么多格可供复制。",
    },
    "Circular padding of {widest} needs an input {axis} of at least {widest} (it is {n}).": {
        "zh": "循环填充 {widest} 格，要求输入的{axis}至少为 {widest}（当前为 {n}）。",
    },
    # engine/transposed.py
    "The input needs at least one cell along each axis (it has {n}).": {
        "zh": "输入在每个方向上至少要有一个格子（当前为 {n}）。",
    },
    (
        "The output padding ({output_padding}) must be smaller than the stride ({stride}) or the "
        "dilation ({dilation}), as in PyTorch: a larger one would only add cells no stamp reaches."
    ): {
        "zh": "输出填充（{output_padding}）必须小于步幅（{stride}）或膨胀（{dilation}），与 PyTorch 相同："
        "更大的输出填充只会添加没有任何印章能到达的格子。",
    },
    (
        "The stamps cover {canvas} cells and a padding of {padding} crops {cropped} of them: nothing is "
        "left. Use a padding of at most {largest}."
    ): {
        "zh": "印章共覆盖 {canvas} 格，填充 {padding} 会裁掉其中的 {cropped} 格：什么也不剩了。"
        "请把填充设为至多 {largest}。",
    },
    # engine/pool.py
    'The pooling mode must be "max" or "avg", not {mode!r}.': {
        "zh": '池化方式必须是 "max" 或 "avg"，而不是 {mode!r}。',
    },
    "The window {axis} must be at least 1 (it is {K}).": {"zh": "窗口的{axis}至少为 1（当前为 {K}）。"},
    "The stride must be at least 1 (it is {s} along the {axis}).": {
        "zh": "步幅至少为 1（{axis}方向上当前为 {s}）。",
    },
    (
        "The padding ({p}) can be at most half the window {axis} ({K} // 2 = {half}), so that every window "
        "holds at least one input cell: use less padding or a bigger window."
    ): {
        "zh": "填充（{p}）最多为窗口{axis}的一半（{K} // 2 = {half}），这样每个窗口至少包含一个输入格："
        "请减少填充或增大窗口。",
    },
    (
        "The window {axis} ({K}) is bigger than the padded input {axis} ({n} + 2·{p} = {padded}): use a "
        "smaller window or a bigger image."
    ): {
        "zh": "窗口的{axis}（{K}）大于填充后输入的{axis}（{n} + 2·{p} = {padded}）："
        "请缩小窗口或使用更大的图像。",
    },
    # engine/activations.py
    "The activation must be one of {choices}, not {kind!r}.": {
        "zh": "激活函数必须是 {choices} 之一，而不是 {kind!r}。",
    },
    # engine/dense.py
    "The input must be 2-D (examples, features); its shape is {shape}.": {
        "zh": "输入必须是二维数组（样本，特征）；它的形状是 {shape}。",
    },
    "The weights must be 2-D (outputs, inputs); their shape is {shape}.": {
        "zh": "权重必须是二维数组（输出，输入）；它的形状是 {shape}。",
    },
    "The biases must be 1-D (one per output); their shape is {shape}.": {
        "zh": "偏置必须是一维数组（每个输出一个）；它的形状是 {shape}。",
    },
    (
        "Each example has {features} features but the weights expect {inputs} inputs (weights {shape} = "
        "(outputs, inputs))."
    ): {
        "zh": "每个样本有 {features} 个特征，但权重需要 {inputs} 个输入（权重的形状 {shape} 即（输出数，"
        "输入数））。",
    },
    "The layer has {outputs} outputs but {biases} biases: give one per output.": {
        "zh": "这一层有 {outputs} 个输出，却有 {biases} 个偏置：每个输出需要一个偏置。",
    },
    # engine/losses.py
    "Predictions {y_shape} and targets {t_shape} must have the same shape.": {
        "zh": "预测 {y_shape} 与目标 {t_shape} 的形状必须相同。",
    },
    "The loss needs a batch of at least one example (the first axis).": {
        "zh": "计算损失至少需要一个样本（第一个轴）。",
    },
    "The logits must be 2-D (examples, classes); their shape is {shape}.": {
        "zh": "logits 必须是二维数组（样本，类别）；它的形状是 {shape}。",
    },
    "The loss needs at least one example and one class; the logits are {shape}.": {
        "zh": "计算损失至少需要一个样本和一个类别；logits 的形状是 {shape}。",
    },
    "There are {N} rows of logits but {labels} labels: give one per row.": {
        "zh": "logits 有 {N} 行，标签却有 {labels} 个：每行需要一个标签。",
    },
    "The labels must be 1-D (one class index per example), not {shape}.": {
        "zh": "标签必须是一维数组（每个样本一个类别索引），而不是 {shape}。",
    },
    "The labels must be whole class indices, not {dtype} values.": {
        "zh": "标签必须是整数类别索引，而不是 {dtype} 类型的值。",
    },
    "Each label must be a class index from 0 to {top}; these go from {low} to {high}.": {
        "zh": "每个标签都必须是 0 到 {top} 之间的类别索引；这些标签的范围是 {low} 到 {high}。",
    },
    # engine/norm.py
    "Batch norm expects (batch, channels, height, width) or (batch, features), not {shape}.": {
        "zh": "批归一化要求输入的形状为（批，通道，高度，宽度）或（批，特征），而不是 {shape}。",
    },
    "{name} must hold one number per channel, shape ({C},), not {shape}.": {
        "zh": "{name} 必须每个通道一个数，形状为 ({C},)，而不是 {shape}。",
    },
    "Batch norm needs a batch of at least one example.": {"zh": "批归一化至少需要一个样本。"},
    "Batch norm needs more than one value per channel: with one, x − μ = 0, so the output is β "
    "whatever the input is and no gradient reaches the input. Use a batch or a map larger than 1.": {
        "zh": "批归一化要求每个通道不止一个值：只有一个值时 x − μ = 0，无论输入是什么，输出都是 β，"
        "梯度也传不回输入。请把批量或特征图设得大于 1。"
    },
    "A split makes a whole number of copies, at least 1 (not {copies!r}).": {
        "zh": "拆分的副本数必须是至少为 1 的整数（而不是 {copies!r}）。",
    },
    "Concatenation needs at least one input.": {"zh": "拼接至少需要一个输入。"},
    "The inputs have {ndim} axes, so the axis must be {low}…{high}, not {axis}.": {
        "zh": "输入有 {ndim} 个轴，所以轴必须在 {low}…{high} 之间，而不是 {axis}。",
    },
    (
        "Input {i} has shape {shape} but input 0 has {first}: all inputs must match on every axis except "
        "axis {axis}, the one they are stacked along."
    ): {
        "zh": "输入 {i} 的形状是 {shape}，但输入 0 的形状是 {first}：除了拼接所沿的轴 {axis} 之外，"
        "所有输入在其他轴上都必须一致。",
    },
    # engine/network.py
    "Layer {l}: {reason}": {"zh": "第 {l} 层：{reason}"},
    "The learning rate must be a finite number.": {"zh": "学习率必须是一个有限的数。"},
    (
        "The targets must have one row per example and one column per output unit, shape {expected}, not "
        "{shape}."
    ): {
        "zh": "目标必须每个样本一行、每个输出单元一列，即形状为 {expected}，而不是 {shape}。",
    },
    "Every target must be a number: a cell of the targets is empty or not a number.": {
        "zh": "每个目标都必须是数字：目标中有格子是空白或不是数字。",
    },
    "The network needs at least one layer.": {"zh": "网络至少需要一层。"},
    "Give each of the {L} layers its weights, its biases and its activation.": {
        "zh": "请为这 {L} 层中的每一层给出权重、偏置和激活函数。",
    },
    "The input needs at least one example and one feature; its shape is {shape}.": {
        "zh": "输入至少需要一个样本和一个特征；它的形状是 {shape}。",
    },
    "Every {name} entry must be a number: a cell is empty or not a number.": {
        "zh": "{name}中的每一项都必须是数字：有格子是空白或不是数字。",
    },
    "Layer {l} has no units: every layer needs at least one.": {
        "zh": "第 {l} 层没有单元：每一层至少需要一个单元。",
    },
    "Every layer needs at least one unit and the batch at least one example.": {
        "zh": "每一层至少需要一个单元，一批至少需要一个样本。",
    },
    # engine/model.py
    "A conv block has between 1 and {limit} kernels.": {
        "zh": "一个卷积块的卷积核个数必须在 1 到 {limit} 之间。",
    },
    "The kernel size must be one of {sizes}.": {"zh": "卷积核大小必须是 {sizes} 之一。"},
    "The activation must be one of {choices}.": {"zh": "激活函数必须是 {choices} 之一。"},
    "The pooling must be one of {choices}.": {"zh": "池化方式必须是 {choices} 之一。"},
    "A classifier needs at least two classes.": {"zh": "分类器至少需要两个类别。"},
    "A {H} × {W} image is too small for {blocks} pooling step(s), which each halve its size.": {
        "zh": "{H} × {W} 的图像太小，经不起 {blocks} 次池化（每次池化都把尺寸减半）。",
    },
    "The learning rate must be positive and the momentum in [0, 1).": {
        "zh": "学习率必须为正数，动量必须在 [0, 1) 之间。",
    },
    "The network takes images of shape (N, {shape}), not {got}.": {
        "zh": "网络接受形状为 (N, {shape}) 的图像，而不是 {got}。",
    },
    # engine/data.py
    "The digits file {path} is missing or damaged; run scripts/export_digits.py to make it.": {
        "zh": "手写数字数据文件 {path} 缺失或已损坏；请运行 scripts/export_digits.py 重新生成。",
    },
    "The bars need at least one training and one held-out image, and noise ≥ 0.": {
        "zh": "线条数据集至少需要一张训练图像和一张测试图像，并且噪声 ≥ 0。",
    },
    "The data set must be one of {choices}, not {name!r}.": {
        "zh": "数据集必须是 {choices} 之一，而不是 {name!r}。",
    },
    "The image must be one grayscale channel (1, H, W) or (H, W), not {shape}.": {
        "zh": "图像必须是单个灰度通道 (1, H, W) 或 (H, W)，而不是 {shape}。",
    },
    # engine/training.py
    "The learning rate must be positive.": {"zh": "学习率必须为正数。"},
    "The momentum must be at least 0 and below 1.": {"zh": "动量必须大于等于 0 且小于 1。"},
    "The batch size must be between 1 and {limit}.": {"zh": "批大小必须在 1 到 {limit} 之间。"},
    "The number of epochs must be between 1 and {limit}.": {"zh": "轮数必须在 1 到 {limit} 之间。"},
    (
        "The network expects {classes} classes of images {shape}; the data set has {data_classes} classes of "
        "images {data_shape}."
    ): {
        "zh": "网络需要 {classes} 个类别、形状为 {shape} 的图像；而数据集有 {data_classes} 个类别、形状为 "
        "{data_shape} 的图像。",
    },
    # engine/presets.py
    "The {title} kernel comes in sizes {sizes}; {size!r} is not one of them.": {
        "zh": "{title} 卷积核只有这些尺寸：{sizes}；{size!r} 不在其中。",
    },
    "A kernel needs at least one axis and every size at least 1, not {shape}.": {
        "zh": "卷积核至少要有一个轴，并且每个尺寸至少为 1，而不是 {shape}。",
    },
    "There is no kernel preset {name!r}; the presets are {choices}.": {
        "zh": "没有名为 {name!r} 的预设卷积核；可用的预设有 {choices}。",
    },
    # engine/images.py
    "PNG, JPEG, GIF, BMP, WEBP or TIFF": {"zh": "PNG、JPEG、GIF、BMP、WEBP 或 TIFF"},
    "The image file is damaged or incomplete (perhaps cut off while copying); save it again and upload it.": {
        "zh": "图像文件已损坏或不完整（可能在复制时被截断）；请重新保存后再上传。",
    },
    "The image file could not be read; save it again as PNG or JPEG and upload the new file.": {
        "zh": "无法读取这个图像文件；请把它另存为 PNG 或 JPEG，再上传新文件。",
    },
    "The image is too large for the memory available; upload a smaller one.": {
        "zh": "图像太大，可用内存不够；请上传一张较小的图像。",
    },
    "There is no sample image called {name!r}; choose one of: {names}.": {
        "zh": "没有名为 {name!r} 的示例图像；请从这些中选择：{names}。",
    },
    "The sample file {filename} is missing from the assets folder; run scripts/make_samples.py.": {
        "zh": "assets 文件夹中缺少示例文件 {filename}；请运行 scripts/make_samples.py。",
    },
    "The image size must be a whole number of pixels of at least 1, not {size!r}.": {
        "zh": "图像尺寸必须是至少为 1 的整数像素，而不是 {size!r}。",
    },
    "An image must be given as the file's bytes (for example Path(...).read_bytes()), not as {kind}.": {
        "zh": "图像必须以文件的字节形式给出（例如 Path(...).read_bytes()），而不是 {kind}。",
    },
    "The file is empty; choose an image file ({formats}).": {
        "zh": "文件是空的；请选择一个图像文件（{formats}）。",
    },
    "The file ({size}) is over the {limit} limit; upload a smaller or more compressed image.": {
        "zh": "文件（{size}）超过了上限 {limit}；请上传一张更小或压缩程度更高的图像。",
    },
    "This file is not an image the app can read; upload a {formats} file.": {
        "zh": "本应用无法把这个文件当作图像读取；请上传 {formats} 文件。",
    },
    "{width:,} × {height:,} pixels": {"zh": "{width:,} × {height:,} 个像素"},
    "far too many pixels": {"zh": "极多的像素"},
    "The image has {claimed}, more than the {limit} the app accepts; shrink it and upload it again.": {
        "zh": "这张图像有{claimed}，超过了本应用允许的 {limit}像素；请把它缩小后重新上传。",
    },
    (
        "The image is {width:,} × {height:,} pixels; the app accepts at most {limit:,} pixels along a side, "
        "so crop or shrink it and upload it again."
    ): {
        "zh": "这张图像是 {width:,} × {height:,} 像素；本应用允许每条边最多 {limit:,} 像素，请裁剪或缩小后"
        "重新上传。",
    },
    (
        "A working size of {size:,} pixels would make the image {width:,} × {height:,} pixels, more than the "
        "{limit} the app accepts; choose a smaller size."
    ): {
        "zh": "处理尺寸为 {size:,} 像素时，图像会变成 {width:,} × {height:,} 像素，超过了本应用允许的 "
        "{limit}像素；请选择更小的尺寸。",
    },
    (
        "The image uses a colour mode ({mode}) the app cannot convert; save it as an ordinary RGB or "
        "grayscale PNG or JPEG."
    ): {
        "zh": "图像使用了本应用无法转换的颜色模式（{mode}）；请把它另存为普通的 RGB 或灰度 PNG 或 JPEG。",
    },
    (
        "The image uses a transparent colour mode ({mode}) the app cannot convert; save it as an ordinary "
        "RGBA or RGB PNG."
    ): {
        "zh": "图像使用了本应用无法转换的透明颜色模式（{mode}）；请把它另存为普通的 RGBA 或 RGB PNG。",
    },
    # engine/graph.py
    "Type an expression, for example (x + y) * z.": {"zh": "请输入一个表达式，例如 (x + y) * z。"},
    "The expression has {length} characters; the limit is {limit}.": {
        "zh": "表达式有 {length} 个字符；上限是 {limit} 个。",
    },
    "This is not a valid expression: {reason}.": {"zh": "这不是一个有效的表达式：{reason}。"},
    "This is not a valid expression (near character {offset}): {reason}.": {
        "zh": "这不是一个有效的表达式（第 {offset} 个字符附近）：{reason}。",
    },
    "invalid syntax": {"zh": "语法错误"},
    "invalid syntax. Perhaps you forgot a comma?": {"zh": "语法错误，可能少了一个逗号"},
    "'{bracket}' was never closed": {"zh": "'{bracket}' 没有闭合"},
    "unmatched '{bracket}'": {"zh": "多出了一个 '{bracket}'，找不到与它配对的括号"},
    "closing parenthesis '{closing}' does not match opening parenthesis '{opening}'": {
        "zh": "右括号 '{closing}' 与左括号 '{opening}' 不匹配",
    },
    "invalid decimal literal": {"zh": "数字的写法无效"},
    "invalid character '{character}' (U+{codepoint})": {"zh": "无效字符 '{character}'（U+{codepoint}）"},
    "The expression needs more than {limit} nodes; make it shorter.": {
        "zh": "这个表达式需要超过 {limit} 个节点；请把它写短一些。",
    },
    "use numbers, variable names, + − * / **, and the functions {functions}.": {
        "zh": "请使用数字、变量名、+ − * / ** 以及函数 {functions}。",
    },
    "{what} cannot be used here: {allowed}": {"zh": "这里不能使用{what}：{allowed}"},
    "attribute access (a.b)": {"zh": "属性访问 (a.b)"},
    "indexing (a[i])": {"zh": "索引 (a[i])"},
    "lambda": {"zh": "lambda"},
    "comprehensions": {"zh": "推导式"},
    "f-strings": {"zh": "f 字符串"},
    "comparisons": {"zh": "比较运算"},
    "and/or": {"zh": "and/or 逻辑运算"},
    "if/else": {"zh": "if/else 条件表达式"},
    "lists": {"zh": "列表"},
    "tuples": {"zh": "元组"},
    "dictionaries": {"zh": "字典"},
    "sets": {"zh": "集合"},
    "The {what} must be one of {choices}, not “{value}”.": {
        "zh": "{what}必须是 {choices} 之一，而不是“{value}”。"
    },
    "upstream gradient": {"zh": "上游梯度"},
    "this kind of expression": {"zh": "这种表达式"},
    "The operator {symbol} is not allowed: {allowed}": {"zh": "不允许使用运算符 {symbol}：{allowed}"},
    "The operator {symbol} is not allowed (for a power write **): {allowed}": {
        "zh": "不允许使用运算符 {symbol}（乘方请写 **）：{allowed}",
    },
    "Only the functions {functions} can be called, by their names.": {
        "zh": "只能按名字调用函数 {functions}。",
    },
    "Unknown function {name!r}: the functions are {functions}.": {
        "zh": "未知函数 {name!r}：可用的函数有 {functions}。",
    },
    "{name}(...) takes plain arguments, without names or *.": {
        "zh": "{name}(...) 只接受普通参数，不能带参数名或 *。",
    },
    "{name} takes exactly one argument, not {count}.": {"zh": "{name} 只接受一个参数，而不是 {count} 个。"},
    "{name} takes two or more arguments, not {count}.": {
        "zh": "{name} 需要两个或更多参数，而不是 {count} 个。",
    },
    "{name} is a function: call it, as in {name}(x).": {
        "zh": "{name} 是一个函数：请调用它，例如 {name}(x)。",
    },
    "{name!r} cannot be a variable: a variable name starts with a letter.": {
        "zh": "{name!r} 不能作为变量：变量名必须以字母开头。",
    },
    "The expression has more than {limit} variables.": {"zh": "表达式中的变量超过了 {limit} 个。"},
    "{value!r} is not a number: {allowed}": {"zh": "{value!r} 不是数字：{allowed}"},
    "A number in the expression is too large.": {"zh": "表达式中有一个数太大了。"},
    "Cannot compute {text} at these values: {reason}.": {"zh": "在这些取值下无法计算 {text}：{reason}。"},
    "Cannot compute {text}: a variable exponent needs a positive base.": {
        "zh": "无法计算 {text}：指数含有变量时，底数必须为正数。",
    },
    "Cannot compute {text}: the numbers get too large for a float (overflow).": {
        "zh": "无法计算 {text}：数值太大，超出了浮点数的范围（溢出）。",
    },
    "Give the variable {name} a value.": {"zh": "请给变量 {name} 赋一个值。"},
    "The value of {name} must be a finite number.": {"zh": "{name} 的值必须是一个有限的数。"},
    "it divides by zero": {"zh": "出现了除以零"},
    "the exponent {b:g} is beyond ±{limit:g}, the limit here": {
        "zh": "指数 {b:g} 超出了这里的上限 ±{limit:g}",
    },
    "0 to a negative power divides by zero": {"zh": "0 的负数次幂相当于除以零"},
    "a negative number to a fractional power is not a real number": {"zh": "负数的分数次幂不是实数"},
    "the derivative of a**{b:g} is infinite at a = 0": {"zh": "a**{b:g} 在 a = 0 处的导数为无穷大"},
    "log needs a positive number, and {a:g} is not": {"zh": "log 需要正数，而 {a:g} 不是正数"},
    # engine/trace.py
    "The chosen region has no output cells: pick rows and columns inside the output.": {
        "zh": "所选区域中没有输出格：请选择输出范围内的行和列。",
    },
    "The chosen region has {cells} cells; at most {limit} animate.": {
        "zh": "所选区域有 {cells} 个格；最多只能动画展示 {limit} 个。",
    },
    # engine/layer_loss.py, engine/layer_check.py and engine/descent.py
    "The loss must be one of {choices}, not {kind!r}.": {
        "zh": "损失必须是 {choices} 之一，而不是 {kind!r}。",
    },
    "The target map must have the output's shape {shape}, not {got}.": {
        "zh": "目标图的形状必须与输出相同，即 {shape}，而不是 {got}。",
    },
    "The one-hot loss needs an output cell (kernel, row, column).": {
        "zh": "独热损失需要指定一个输出格（卷积核，行，列）。",
    },
    (
        "The output cell (kernel {kernel}, row {i}, column {j}) is outside the output ({F} kernel(s) of "
        "{H_out}×{W_out}): pick a cell inside it."
    ): {
        "zh": "输出格（卷积核 {kernel}，第 {i} 行，第 {j} 列）不在输出范围内（{F} 个卷积核，各 "
        "{H_out}×{W_out}）：请选择范围内的格子。",
    },
    "The step ε must be positive (it is {eps}).": {"zh": "步长 ε 必须为正数（当前为 {eps}）。"},
    "The learning rate η must be positive (it is {lr}).": {"zh": "学习率 η 必须为正数（当前为 {lr}）。"},
    "The number of steps cannot be negative (it is {steps}).": {"zh": "步数不能为负数（当前为 {steps}）。"},
}
