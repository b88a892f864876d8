"""Mini-batch training of the tiny CNN, a few batches at a time, with its history; evaluation.

`TrainState` is an immutable snapshot of a training run: the parameters, the momentum velocity, where
the run is (epoch, batch) and what happened so far (`History`). `train_steps(state, n)` returns the state
n batches later, so a page can train a few batches per rerun and stay responsive. Nothing is random
except through the seed: the order of each epoch is a permutation drawn from (seed, epoch), so training
in chunks of any size gives exactly the same numbers as training in one go.
"""

from __future__ import annotations

import dataclasses
import math
from typing import NamedTuple

import numpy as np

from engine.data import Dataset
from engine.errors import EngineError
from engine.losses import softmax_cross_entropy
from engine.model import (
    ModelConfig,
    Params,
    check_config,
    init_params,
    loss_and_grads,
    model_forward,
    param_names,
    sgd_step,
    zero_velocity,
)

EVALS_PER_EPOCH = 4  # points on the loss and accuracy curves per epoch
# Images per forward pass when evaluating. It bounds the memory, and keeps the matrix products small
# enough that BLAS runs them on one thread: on a busy server, larger products split over threads were
# measured up to 8× slower, not faster.
EVAL_CHUNK = 128
MAX_EPOCHS = 50
MAX_BATCH = 512


class TrainConfig(NamedTuple):
    """The optimisation settings of a run (hashable, like ModelConfig)."""

    lr: float = 0.05  # learning rate η
    momentum: float = 0.9  # μ
    batch_size: int = 32
    epochs: int = 8
    seed: int = 0  # initial parameters and the order of every epoch


class History(NamedTuple):
    """What a run measured: the curves at evaluation points, and every batch's loss and gradient sizes."""

    at: tuple[float, ...] = ()  # where each evaluation happened, in epochs (0 = before training)
    train_loss: tuple[float, ...] = ()  # on the whole training set
    train_acc: tuple[float, ...] = ()
    test_loss: tuple[float, ...] = ()  # on the held-out set
    test_acc: tuple[float, ...] = ()
    kernels: tuple[np.ndarray, ...] = ()  # copies of conv1.w (F, C, K, K) at each evaluation
    batch_loss: tuple[float, ...] = ()  # the loss of each mini-batch as it was trained
    # Root mean square of each parameter's gradient, per batch, in param_names order: how strongly each
    # layer is being pushed (it shrinks as the loss flattens, and differs from layer to layer).
    grad_rms: tuple[tuple[float, ...], ...] = ()


@dataclasses.dataclass(frozen=True)
class TrainState:
    """A training run at one moment; `train_steps` returns a new one and never changes this one."""

    data: Dataset
    model: ModelConfig
    config: TrainConfig
    params: Params
    velocity: Params
    epoch: int = 0  # completed epochs
    batch: int = 0  # batches done in the current epoch
    history: History = dataclasses.field(default_factory=History)

    @property
    def batches_per_epoch(self) -> int:
        """ceil(N_train / batch size): the last batch of an epoch may be smaller."""
        return math.ceil(self.data.x_train.shape[0] / self.config.batch_size)

    @property
    def total_batches(self) -> int:
        return self.batches_per_epoch * self.config.epochs

    @property
    def step(self) -> int:
        """Batches trained so far, over all epochs."""
        return self.epoch * self.batches_per_epoch + self.batch

    @property
    def done(self) -> bool:
        return self.epoch >= self.config.epochs

    @property
    def progress(self) -> float:
        """Fraction of the run done, in [0, 1]."""
        return self.step / self.total_batches

    @property
    def eval_every(self) -> int:
        """Batches between two evaluations (EVALS_PER_EPOCH per epoch, and always at the end of one)."""
        return max(1, math.ceil(self.batches_per_epoch / EVALS_PER_EPOCH))


def check_train_config(config: TrainConfig) -> None:
    """Raise an EngineError with a readable sentence unless the settings make a run."""
    if not config.lr > 0:
        raise EngineError("The learning rate must be positive.")
    if not 0 <= config.momentum < 1:
        raise EngineError("The momentum must be at least 0 and below 1.")
    if not 1 <= config.batch_size <= MAX_BATCH:
        raise EngineError("The batch size must be between 1 and {limit}.", limit=MAX_BATCH)
    if not 1 <= config.epochs <= MAX_EPOCHS:
        raise EngineError("The number of epochs must be between 1 and {limit}.", limit=MAX_EPOCHS)


def new_run(data: Dataset, model: ModelConfig, config: TrainConfig) -> TrainState:
    """A run before its first batch: seeded parameters, zero velocity, one evaluation at epoch 0.

    Args:
        data: the data set (its image shape and classes must match `model`).
        model: the architecture; config: the optimisation settings.

    Returns:
        the starting TrainState.
    """
    check_config(model)
    check_train_config(config)
    if tuple(data.image_shape) != tuple(model.in_shape) or len(data.classes) != model.n_classes:
        raise EngineError(
            "The network expects {classes} classes of images {shape}; the data set has {data_classes} "
            "classes of images {data_shape}.",
            classes=model.n_classes,
            shape=model.in_shape,
            data_classes=len(data.classes),
            data_shape=data.image_shape,
        )
    params = init_params(model, config.seed)
    state = TrainState(data, model, config, params, zero_velocity(params))
    return _record_evaluation(state)


def model_for(data: Dataset, **architecture) -> ModelConfig:
    """The ModelConfig whose input shape and class count fit `data`; other fields from `architecture`."""
    return ModelConfig(in_shape=data.image_shape, n_classes=len(data.classes), **architecture)


def epoch_order(seed: int, epoch: int, n: int) -> np.ndarray:
    """The order epoch `epoch` visits the n training images in: a permutation seeded by (seed, epoch)."""
    return np.random.default_rng([seed, epoch]).permutation(n)


def train_steps(state: TrainState, n_batches: int) -> TrainState:
    """Train n_batches more mini-batches (fewer when the run ends first); return the new state.

    Each batch: forward, loss, backward, one SGD-with-momentum step. The loss and gradient sizes of every
    batch, and the whole training and held-out sets' loss and accuracy every `eval_every` batches and at
    the end of each epoch, go into the history.

    Args:
        state: the run so far (not changed).
        n_batches: how many batches to train (≥ 0).

    Returns:
        the run n_batches later.
    """
    for _ in range(max(0, n_batches)):
        if state.done:
            break
        state = _train_one_batch(state)
        if state.batch == 0 or state.batch % state.eval_every == 0:
            state = _record_evaluation(state)
    return state


def _train_one_batch(state: TrainState) -> TrainState:
    """One mini-batch of the current epoch: gradients, an SGD step, the batch's loss and gradient sizes."""
    data, B = state.data, state.config.batch_size
    order = epoch_order(state.config.seed, state.epoch, data.x_train.shape[0])
    rows = order[state.batch * B : (state.batch + 1) * B]
    loss, grads, _ = loss_and_grads(state.params, data.x_train[rows], data.y_train[rows], state.model)
    params, velocity = sgd_step(state.params, state.velocity, grads, state.config.lr, state.config.momentum)
    rms = tuple(float(np.sqrt(np.mean(grads[name] ** 2))) for name in param_names(state.model))
    history = state.history._replace(
        batch_loss=(*state.history.batch_loss, loss), grad_rms=(*state.history.grad_rms, rms)
    )
    batch = state.batch + 1
    epoch = state.epoch + (batch == state.batches_per_epoch)
    batch %= state.batches_per_epoch
    return dataclasses.replace(
        state, params=params, velocity=velocity, epoch=epoch, batch=batch, history=history
    )


def _record_evaluation(state: TrainState) -> TrainState:
    """Append the loss and accuracy on both sets, and the current kernels, to the history."""
    h, data = state.history, state.data
    train_loss, train_acc = evaluate(state.params, data.x_train, data.y_train, state.model)
    test_loss, test_acc = evaluate(state.params, data.x_test, data.y_test, state.model)
    history = h._replace(
        at=(*h.at, state.step / state.batches_per_epoch),
        train_loss=(*h.train_loss, train_loss),
        train_acc=(*h.train_acc, train_acc),
        test_loss=(*h.test_loss, test_loss),
        test_acc=(*h.test_acc, test_acc),
        kernels=(*h.kernels, state.params["conv1.w"].copy()),
    )
    return dataclasses.replace(state, history=history)


def logits_of(params: Params, x: np.ndarray, model: ModelConfig) -> np.ndarray:
    """The network's class scores for many images, EVAL_CHUNK at a time: (N, n_classes)."""
    if x.shape[0] == 0:
        return np.zeros((0, model.n_classes))
    chunks = [
        model_forward(params, x[k : k + EVAL_CHUNK], model)[0] for k in range(0, x.shape[0], EVAL_CHUNK)
    ]
    return np.concatenate(chunks)


def evaluate(params: Params, x: np.ndarray, labels: np.ndarray, model: ModelConfig) -> tuple[float, float]:
    """Mean cross-entropy loss and accuracy (fraction correct) of the network on a set of images.

    Args:
        params: the parameters; x: images (N, C, H, W) with N ≥ 1; labels: (N,); model: the architecture.

    Returns:
        (loss, accuracy).
    """
    logits = logits_of(params, x, model)
    loss, _ = softmax_cross_entropy(logits, labels)
    return loss, float(np.mean(np.argmax(logits, axis=1) == labels))


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts M[t, p] of images of true class t predicted as class p; the diagonal is the correct ones.

    Args:
        y_true, y_pred: int class indices (N,); n_classes: K.

    Returns:
        int array (K, K); each row sums to the number of images of that class.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError("There must be one prediction per true label.")
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


class Evaluation(NamedTuple):
    """The trained network on the held-out set: predictions, confidences and where it went wrong."""

    predicted: np.ndarray  # (N_test,) predicted class
    confidence: np.ndarray  # (N_test,) probability given to the predicted class
    confusion: np.ndarray  # (K, K) counts, rows = true class
    wrong: np.ndarray  # indices of the misclassified held-out images, most confident mistakes first
    accuracy: float


def evaluate_held_out(state: TrainState) -> Evaluation:
    """Predict every held-out image with the run's current parameters; confusion matrix and mistakes."""
    data = state.data
    logits = logits_of(state.params, data.x_test, state.model)
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    predicted = np.argmax(p, axis=1)
    confidence = p[np.arange(p.shape[0]), predicted]
    wrong = np.nonzero(predicted != data.y_test)[0]
    wrong = wrong[np.argsort(-confidence[wrong], kind="stable")]
    confusion = confusion_matrix(data.y_test, predicted, state.model.n_classes)
    return Evaluation(predicted, confidence, confusion, wrong, float(np.mean(predicted == data.y_test)))
