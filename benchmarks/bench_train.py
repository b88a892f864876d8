"""Benchmark: one training epoch of the tiny CNN on the digits, against the 5 s budget and PyTorch.

The engine's epoch: 1,437 training images of 8×8 in mini-batches of 32 (45 SGD-with-momentum steps),
8 kernels 3×3 with "same" padding, ReLU, 2×2 max pooling, dense 128 → 10, softmax cross-entropy,
float64; timed without the page's evaluations (`--with-evaluations` adds the four passes over all
1,797 images that the page draws its curves from). The reference is the same network, the same
initial weights and the same batch order in PyTorch on the CPU (float64, when torch is installed; it
is not a dependency). Also prints the held-out accuracy after the default 8 epochs.

    python benchmarks/bench_train.py [--repeats 5] [--with-evaluations]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import median_seconds
from engine.data import load_digits
from engine.model import loss_and_grads, sgd_step
from engine.training import TrainConfig, epoch_order, model_for, new_run, train_steps

try:
    import torch
except ImportError:  # PyTorch is an optional reference
    torch = None

BUDGET_S = 5.0


def engine_epoch(state) -> None:
    """45 mini-batches of forward, backward and SGD step, nothing else."""
    data, B, (lr, mu) = state.data, state.config.batch_size, (state.config.lr, state.config.momentum)
    params, velocity = state.params, state.velocity
    order = epoch_order(state.config.seed, 0, data.x_train.shape[0])
    for k in range(0, order.size, B):
        rows = order[k : k + B]
        _, grads, _ = loss_and_grads(params, data.x_train[rows], data.y_train[rows], state.model)
        params, velocity = sgd_step(params, velocity, grads, lr, mu)


def torch_epoch(state) -> None:
    """The same epoch in PyTorch: same weights, same batch order, SGD with momentum (same update rule)."""
    data, B = state.data, state.config.batch_size
    p = {name: torch.tensor(value, requires_grad=True) for name, value in state.params.items()}
    optimizer = torch.optim.SGD(p.values(), lr=state.config.lr, momentum=state.config.momentum)
    x_all, y_all = torch.tensor(data.x_train), torch.tensor(data.y_train)
    order = torch.tensor(epoch_order(state.config.seed, 0, data.x_train.shape[0]))
    for k in range(0, order.numel(), B):
        rows = order[k : k + B]
        z = torch.nn.functional.conv2d(x_all[rows], p["conv1.w"], p["conv1.b"], padding="same")
        h = torch.nn.functional.max_pool2d(torch.relu(z), 2)
        logits = h.flatten(1) @ p["dense.w"].T + p["dense.b"]
        loss = torch.nn.functional.cross_entropy(logits, y_all[rows])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--with-evaluations", action="store_true")
    args = parser.parse_args()

    data = load_digits()
    state = new_run(data, model_for(data), TrainConfig())
    cpu = platform.processor() or platform.machine()
    print(f"machine: {cpu}, {os.cpu_count()} CPUs, numpy {np.__version__}")
    engine_s = median_seconds(lambda: engine_epoch(state), args.repeats)
    print(
        f"engine, one epoch (45 batches of 32):   {engine_s * 1000:8.1f} ms   "
        f"({engine_s / BUDGET_S:.1%} of the {BUDGET_S:.0f} s budget)"
    )
    if args.with_evaluations:
        page_s = median_seconds(lambda: train_steps(state, state.batches_per_epoch), args.repeats)
        print(
            f"engine, one epoch as the page runs it:  {page_s * 1000:8.1f} ms   (+ 4 passes over all images)"
        )
    if torch is not None:
        torch.set_num_threads(1)  # tiny tensors: more threads only add synchronisation
        torch_s = median_seconds(lambda: torch_epoch(state), args.repeats)
        print(
            f"PyTorch {torch.__version__}, same epoch:         {torch_s * 1000:8.1f} ms   "
            f"(engine / PyTorch = {engine_s / torch_s:.2f})"
        )
    else:
        print("PyTorch is not installed: no reference run.")
    start = time.perf_counter()
    trained = train_steps(state, state.total_batches)
    print(
        f"defaults ({trained.config.epochs} epochs, with the page's evaluations): "
        f"{time.perf_counter() - start:.1f} s, held-out accuracy {trained.history.test_acc[-1]:.1%}"
    )


if __name__ == "__main__":
    main()
