"""Strings of the backward-pass page."""

STRINGS: dict[str, dict[str, str]] = {
    "backward.lead": {
        "en": "The forward pass turned the input X into A = σ(Z) with the kernels W and the biases b. A "
        "loss L at the end now sends its gradient back: through the activation (δ), then through the "
        "convolution to the kernels (dW), the biases (db) and the input (dX). The image, kernels and "
        "geometry are the forward page's (in the sidebar)."
    },
    "backward.shapes": {
        "en": "**Shapes** · X {C}×{H}×{W} · W {F}×{C}×{KH}×{KW} · b {F} · Z, A and δ {F}×{H_out}×{W_out}. "
        "Every gradient has the shape of what it belongs to: dW {F}×{C}×{KH}×{KW}, db {F}, dX "
        "{C}×{H}×{W}."
    },
    "backward.kernel_shown": {"en": "Kernel shown"},
    "backward.channel_shown": {"en": "Channel of dX shown"},
    "backward.channel_help": {
        "en": "dX has one map per input channel; the animations and the gather view show one of them."
    },
    # 1. The loss.
    "backward.loss_header": {"en": "1 · Where the gradient comes from"},
    "backward.loss": {"en": "Loss L at the end of the layer"},
    "backward.loss.sum": {"en": "L = Σ A (every output cell pulls the same)"},
    "backward.loss.mse": {"en": "Mean squared error to a target map"},
    "backward.loss.impulse": {"en": "One output cell (one-hot)"},
    "backward.loss_help.sum": {
        "en": "∂L/∂A is 1 everywhere. With no activation δ is 1 too, and dX shows how often each pixel is "
        "read, weighted by the kernel."
    },
    "backward.loss_help.mse": {
        "en": "The target T is what the target kernel makes of the same image; ∂L/∂A = (A − T)/M pulls the "
        "output toward it."
    },
    "backward.loss_help.impulse": {
        "en": "∂L/∂A is 1 at one output cell and 0 elsewhere: dX shows the kernel's footprint there, and "
        "dW the window that cell saw."
    },
    "backward.target": {"en": "Target kernel"},
    "backward.target_help": {
        "en": "Makes the target map T of the MSE loss, and is what “Learn the kernel” (section 8) moves "
        "the kernels toward."
    },
    "backward.cell_row": {"en": "One-hot cell: row (0–{top})"},
    "backward.cell_col": {"en": "One-hot cell: column (0–{top})"},
    "backward.cell_help": {"en": "Or click a cell in the maps below."},
    "backward.cell_help_other": {
        "en": "Click a cell in the maps below to see its δ worked out; until then it is the cell where "
        "|δ| is largest (outlined)."
    },
    # 2. δ.
    "backward.delta_header": {"en": "2 · Through the activation: δ = ∂L/∂A ⊙ σ'(Z)"},
    "backward.delta_lead": {
        "en": "The loss gives ∂L/∂A. The activation multiplies it, cell by cell, by its own slope σ'(Z): "
        "the result δ = ∂L/∂Z is what the convolution receives. Where σ' is 0 (ReLU's negative "
        "side), the gradient stops."
    },
    "backward.fig.z": {"en": "Output A = Z · {shape}"},
    "backward.fig.a": {"en": "Output A = σ(Z) · {shape}"},
    "backward.fig.target": {"en": "Target T · {shape}"},
    "backward.fig.da": {"en": "∂L/∂A · {shape}"},
    "backward.fig.dsigma": {"en": "σ'(Z) · {shape}"},
    "backward.fig.delta": {"en": "δ = ∂L/∂Z · {shape}"},
    "backward.fig.click": {"en": "click: pick this cell"},
    "backward.fig.constant": {"en": "{value} everywhere"},
    "backward.chain_click": {
        "en": "Click a cell (outlined): the formula below works out its δ, the one-hot loss moves there, and "
        "the step-by-step view (section 4, dotted frame) jumps to it."
    },
    "backward.alt_loss": {
        "en": "Heatmaps of the layer's output A and, for the squared error, the target map T."
    },
    "backward.alt_delta": {
        "en": "Heatmaps of the loss's gradient ∂L/∂A, the activation's slope σ'(Z), and their product δ."
    },
    # 3. The gradients.
    "backward.gradients_header": {"en": "3 · The gradients of W, b and X"},
    "backward.gradients_lead": {
        "en": "From δ the convolution gives three gradients, each with the shape of what it belongs to: dW "
        "like the kernels, db one number per kernel, dX like the input."
    },
    "backward.fig.dw": {"en": "dW kernel {n}{channel} · {shape}"},
    "backward.fig.db": {"en": "db({n})"},
    "backward.fig.input": {"en": "Input X · {shape}"},
    "backward.fig.dx": {"en": "dX{channel} · {shape}"},
    "backward.fig.gradient": {"en": "gradient"},
    "backward.alt_weights": {
        "en": "The gradient of each kernel, channel by channel, with its numbers, and the gradient of each "
        "bias."
    },
    "backward.alt_dx": {
        "en": "The input image and the gradient of the loss with respect to each of its channels."
    },
    "backward.formulas": {"en": "The formulas (one image)"},
    "backward.formulas_note": {
        "en": "s: stride, d: dilation, X_pad: the padded input. Below, with this image's numbers: db and "
        "the first entry of dW of the kernel shown."
    },
    # 4. Step by step.
    "backward.step_header": {"en": "4 · Step by step: each output cell sends its δ back"},
    "backward.step_lead": {
        "en": "The window visits the output cells of a crop in order. At each, δ(i, j) scales the input "
        "window into dW, scales the kernel into dX's window (the scatter form) and adds itself to "
        "db. The totals build up; over the whole map they end at dW, db and dX."
    },
    "backward.fig.delta_crop": {"en": "δ (crop)"},
    "backward.fig.dx_crop": {"en": "dX_pad so far{channel}"},
    "backward.fig.dw_step": {"en": "δ(i, j) × window"},
    "backward.fig.dw_total": {"en": "dW so far"},
    "backward.fig.dx_step": {"en": "δ(i, j) × W"},
    "backward.fig.delta_line": {"en": "δ({i}, {j}) = {delta}"},
    "backward.fig.db_line": {"en": "db so far = {db}"},
    "backward.fig.db_sweep": {"en": "db so far<br>= {db}"},
    "backward.fig.padding": {"en": "padding cell: its gradient is cropped or folded back"},
    "backward.fig.jump": {"en": "click: show this step"},
    "backward.step_click": {
        "en": "Click a δ cell in the figure to jump to its step. The crop and the step are shared with the "
        "forward page."
    },
    "backward.step_explain": {"en": "What output cell ({i}, {j}) adds"},
    "backward.alt_animation": {
        "en": "Animation of the backward pass: the window visits each output cell; δ times the window adds "
        "to dW, δ times the kernel adds to dX, and db accumulates."
    },
    # 5. The whole image.
    "backward.sweep_header": {"en": "5 · The whole image, row by row"},
    "backward.sweep_lead": {
        "en": "The same pass over every output row: the band of windows moves down, dX receives its "
        "gradient (pale rows still receive some from the next rows; hidden rows none yet) and dW "
        "adds up."
    },
    "backward.fig.sweep_delta": {"en": "δ of kernel {n}"},
    "backward.fig.sweep_dx": {"en": "dX from kernel {n}{channel}"},
    "backward.alt_sweep": {
        "en": "Animation of the backward pass over the whole image, one band of rows at a time."
    },
    # 6. Gather.
    "backward.gather_header": {"en": "6 · Why dX is a convolution"},
    "backward.gather_lead": {
        "en": "**Scatter** (section 4): each output cell adds δ(i, j)·W into its window. **Gather**: each "
        "input cell collects δ × the weight that read it, from every window that read it. Collecting "
        "everywhere at once is itself a convolution: spread δ out by the stride (s − 1 zeros between "
        "entries), pad it by d·(K − 1) on each side, and slide the kernel rotated by 180° (dilated) "
        "over it. Top row: the gather form's arrays. Bottom row: both results, and what happens to "
        "the padding."
    },
    "backward.fig.g_delta": {"en": "δ"},
    "backward.fig.g_spread": {"en": "δ spread by the stride"},
    "backward.fig.g_padded": {"en": "… padded by d·(K − 1)"},
    "backward.fig.g_rotated": {"en": "W rotated 180°{channel}"},
    "backward.fig.g_gather": {"en": "Gather: padded ⋆ rotated W{channel}"},
    "backward.fig.g_scatter": {"en": "Scatter: Σ δ·W into windows{channel}"},
    "backward.fig.g_border_zeros": {"en": "On padding cells: cropped off"},
    "backward.fig.g_border_fold": {"en": "On padding cells: folded back"},
    "backward.fig.g_dx": {"en": "dX{channel}"},
    "backward.alt_gather": {
        "en": "The gather form of dX step by step (δ, δ spread by the stride, padded, the rotated kernel) "
        "and the gradient of the padded input computed by gather and by scatter, side by side."
    },
    "backward.gather_equal": {
        "en": "Both forms give the same dX_pad: their largest difference is {gap} (rounding). Over every "
        "kernel, the gather form's dX and the engine's conv2d_backward differ by at most {total}."
    },
    "backward.border_zeros": {
        "en": "**Padding.** With zero padding the padding cells copied nothing from the input, so the "
        "gradient that lands on them (the ring outside the dashed frame) is simply cropped off."
    },
    "backward.border_fold": {
        "en": "**Padding.** With {mode} padding each padding cell is a copy of an input cell, so the "
        "gradient that lands on it is folded back (added) onto the cell it copied: dX is dX_pad's "
        "inside plus the folded-back border."
    },
    "backward.pixel_header": {"en": "One input pixel, gathered"},
    "backward.pixel_row": {"en": "Input row (0–{top})"},
    "backward.pixel_col": {"en": "Input column (0–{top})"},
    "backward.pixel_same": {
        "en": "Pixel ({u}, {v}) of X is cell ({u} + {top}, {v} + {left}) of X_pad: dX({u}, {v}) is this sum."
    },
    "backward.pixel_note": {
        "en": "Pixel ({u}, {v}) of X is cell ({u} + {top}, {v} + {left}) of X_pad; the padding cells that "
        "copy it add {folded}, so dX({u}, {v}) = {value}."
    },
    "backward.overlap_header": {"en": "How often each input cell is read"},
    "backward.overlap_even": {
        "en": "At stride 1 every cell well inside the image is read by the same number of (window, tap) "
        "pairs (the kernel's {taps} taps); only cells near the border are read less: {low} to {high} "
        "times inside the image."
    },
    "backward.overlap_uneven": {
        "en": "With a stride above 1 the windows overlap unevenly: inside the image, cells are read from "
        "{low} to {high} times, so some pixels collect gradient from more windows than their "
        "neighbours (and a cell read 0 times gets none)."
    },
    "backward.fig.overlap": {"en": "Windows reading each cell of X_pad (the image, {shape}, dashed)"},
    "backward.fig.overlap_bar": {"en": "windows"},
    "backward.alt_overlap": {"en": "A map of how many windows read each cell of the padded input."},
    # 7. Gradient check.
    "backward.check_header": {"en": "7 · Gradient check"},
    "backward.check_lead": {
        "en": "Is the backward pass right? Nudge one number θ (a weight, a bias or a pixel) by ±ε, run the "
        "whole layer forward again (convolution, activation, loss) and compare (L(θ + ε) − L(θ − ε)) "
        "/ 2ε with the analytic gradient a. The relative error |a − n| / (|a| + |n|) should be about "
        "10⁻⁷ or less; 10⁻² or more means a bug. Entries whose gradient is (almost) 0 are measured "
        "against 10⁻³ × the largest entry of their array, since a finite difference cannot measure a "
        "zero to relative precision."
    },
    "backward.eps": {"en": "Step ε"},
    "backward.eps_help": {
        "en": "Too large, and the loss's curvature spoils the difference; too small, and rounding does."
    },
    "backward.richardson": {"en": "Combine ε and ε/2 (Richardson)"},
    "backward.richardson_help": {
        "en": "(4·D(ε/2) − D(ε)) / 3 cancels the ε² error of a central difference D: sigmoid and tanh need "
        "it to reach 10⁻⁷."
    },
    "backward.check_limit": {"en": "Entries checked per array (at most)"},
    "backward.check_run": {"en": "Run the gradient check"},
    "backward.check_press": {
        "en": "Press the button to compare the analytic gradients with finite differences for these settings."
    },
    "backward.check_running": {"en": "Running the layer forward again for every entry…"},
    "backward.check_counts": {
        "en": "Checked: dW {w} of {w_all} entries, db {b} of {b_all}, dX {x} of {x_all}."
    },
    "backward.check_result": {
        "en": "Largest relative error **{worst}**; overall ‖a − n‖ / (‖a‖ + ‖n‖) = {overall}; {n} entries."
    },
    "backward.check_good": {"en": "The analytic gradients are right."},
    "backward.check_bad": {"en": "Above 10⁻⁷: try another ε, or turn on Richardson."},
    "backward.check_all_kinks": {
        "en": "Every sampled entry sits at a kink of the activation (see below), so none can be checked "
        "here: choose a smooth activation (sigmoid, tanh) or none."
    },
    "backward.check_kinks": {
        "en": "{n} entries sit at a kink: nudging them moved some Z across 0, where ReLU's slope jumps, so "
        "no finite difference can match (the engine takes the slope of the negative side at exactly "
        "0). They are drawn as × and left out of the errors above."
    },
    "backward.check_sampled": {
        "en": "A large input: fewer entries are sampled to keep the check to about a second."
    },
    "backward.col.array": {"en": "gradient"},
    "backward.col.index": {"en": "index"},
    "backward.col.analytic": {"en": "analytic"},
    "backward.col.numeric": {"en": "numeric"},
    "backward.col.error": {"en": "relative error"},
    "backward.col.kink": {"en": "at a kink"},
    "backward.fig.check_w": {"en": "dW"},
    "backward.fig.check_b": {"en": "db"},
    "backward.fig.check_x": {"en": "dX"},
    "backward.fig.check_smooth": {"en": "checked entry"},
    "backward.fig.check_kink": {"en": "at a kink (left out)"},
    "backward.fig.check_line": {"en": "10⁻⁷"},
    "backward.fig.check_y": {"en": "relative error"},
    "backward.fig.check_exact": {"en": "exactly equal"},
    "backward.alt_check": {"en": "The relative error of every checked gradient entry on a log scale."},
    # 8. Learn the kernel.
    "backward.learn_header": {"en": "8 · Learn the kernel"},
    "backward.learn_lead": {
        "en": "Gradient descent on the MSE loss to the map that **{target}** makes: W ← W − η·dW and b ← b "
        "− η·db, again and again. The loss falls and the kernels move toward {target} (as far as the "
        "image has the patterns that tell them apart)."
    },
    "backward.lr": {"en": "Learning rate η"},
    "backward.lr_help": {
        "en": "With no activation the loss is quadratic in W and b, and descent converges on this image "
        "for η below {stable} (2 / the largest eigenvalue of the windows' second-moment matrix); "
        "above it the loss blows up."
    },
    "backward.steps": {"en": "Steps N"},
    "backward.step_once": {"en": "Step once"},
    "backward.run_steps": {"en": "Run {n} steps"},
    "backward.reset": {"en": "Reset"},
    "backward.learn_start": {
        "en": "Press **Step once** or **Run** to start from the kernels in the sidebar."
    },
    "backward.learn_running": {"en": "Step {n} of {total}"},
    "backward.learn_result": {
        "en": "After **{n}** steps the loss went from {first} to **{last}**; the largest gap between the "
        "kernels and the target went from {start} to {gap}."
    },
    "backward.learn_diverged": {
        "en": "The loss blew up and descent stopped: η is too large for this image. Lower it and press Reset."
    },
    "backward.fig.loss_curve": {"en": "Loss L (log scale)"},
    "backward.fig.step_axis": {"en": "step"},
    "backward.fig.loss_axis": {"en": "L"},
    "backward.fig.k_start": {"en": "Start"},
    "backward.fig.k_now": {"en": "Now"},
    "backward.fig.k_target": {"en": "Target"},
    "backward.fig.step_prefix": {"en": "After step: "},
    "backward.alt_learn": {
        "en": "The loss curve of gradient descent and the kernel moving toward its target."
    },
    "backward.source": {
        "en": "The engine's code for this page: the scatter form (readable backward), the padding's fold, "
        "the gather form and the overlap counts"
    },
}
