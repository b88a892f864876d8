"""Data sets (engine/data.py) and training (engine/training.py): split, bars, inputs, steps, results."""

from __future__ import annotations

import numpy as np
import pytest

from engine.data import (
    BAR_CLASSES,
    DIGITS_HELD_OUT,
    image_to_input,
    load_dataset,
    load_digits,
    make_bars,
)
from engine.samples import load_sample
from engine.training import (
    TrainConfig,
    confusion_matrix,
    epoch_order,
    evaluate,
    evaluate_held_out,
    model_for,
    new_run,
    train_steps,
)

# --- data ---------------------------------------------------------------------------------------------


def test_digits_split_1437_360_the_same_every_time() -> None:
    data = load_digits()
    assert data.x_train.shape == (1437, 1, 8, 8)
    assert data.x_test.shape == (DIGITS_HELD_OUT, 1, 8, 8) == (360, 1, 8, 8)
    assert data.classes == tuple("0123456789")
    assert data.x_train.min() >= 0.0 and data.x_train.max() == 1.0  # counts 0..16 scaled by 1/16
    np.testing.assert_array_equal(np.unique(data.y_test), np.arange(10))
    again = load_digits()
    np.testing.assert_array_equal(again.x_test, data.x_test)
    # No held-out image is also a training image (the shipped set has no exact duplicates across the split).
    train_rows = {row.tobytes() for row in data.x_train.reshape(1437, -1)}
    assert not any(row.tobytes() in train_rows for row in data.x_test.reshape(360, -1))
    with pytest.raises(ValueError):
        data.x_train[0, 0, 0, 0] = 1.0  # shared between sessions: read-only


def test_a_missing_digits_file_says_how_to_make_it(tmp_path) -> None:
    with pytest.raises(ValueError, match="export_digits"):
        load_digits(tmp_path / "nothing.npz")


def test_bars_are_seeded_balanced_and_in_range() -> None:
    a, b, c = make_bars(seed=3), make_bars(seed=3), make_bars(seed=4)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert not np.array_equal(a.x_train, c.x_train)
    assert a.x_train.shape == (800, 1, 16, 16) and a.x_test.shape == (200, 1, 16, 16)
    assert a.classes == BAR_CLASSES
    counts = np.bincount(np.concatenate([a.y_train, a.y_test]), minlength=4)
    np.testing.assert_array_equal(counts, 250)
    assert a.x_train.min() >= 0.0 and a.x_train.max() <= 1.0


@pytest.mark.parametrize(("label", "long_axis"), [(0, 1), (1, 0)])
def test_horizontal_and_vertical_bars_point_the_right_way(label: int, long_axis: int) -> None:
    data = make_bars(n_train=40, n_test=4, seed=1, noise=0.0)
    for image in data.x_train[data.y_train == label, 0]:
        rows, cols = np.nonzero(image > 0.5)
        extent = (np.ptp(rows) + 1, np.ptp(cols) + 1)
        assert extent[long_axis] >= 7 and extent[1 - long_axis] <= 2


def test_load_dataset_knows_both_sets() -> None:
    assert load_dataset("digits").name == "digits"
    assert load_dataset("bars", seed=5).image_shape == (1, 16, 16)
    with pytest.raises(ValueError, match="digits, bars"):
        load_dataset("mnist")


def test_dark_ink_on_white_paper_is_inverted_cropped_and_centred() -> None:
    page = np.ones((60, 90))
    page[5:25, 10:20] = 0.0  # a dark stroke near the top-left corner of a white page, 20 × 10
    x = image_to_input(page, 8)
    assert x.shape == (1, 8, 8)
    assert x.max() == 1.0 and x.min() == 0.0
    rows, cols = np.nonzero(x[0] > 0)
    assert (rows.min(), rows.max()) == (0, 7)  # the stroke fills the height ...
    assert cols.min() >= 2 and cols.max() <= 5  # ... and is centred across (aspect ratio kept)


def test_the_ink_direction_can_be_forced_and_blank_images_give_zeros() -> None:
    dark = np.zeros((1, 20, 20))
    dark[0, 5:15, 8:12] = 1.0  # light ink on black: not inverted by "auto"
    assert image_to_input(dark, 8).max() == 1.0
    assert image_to_input(dark, 8, invert=True).shape == (1, 8, 8)
    np.testing.assert_array_equal(image_to_input(np.full((30, 40), 0.7), 8), 0.0)
    with pytest.raises(ValueError):
        image_to_input(np.zeros((2, 3, 4)), 8)


def test_the_sample_digit_comes_back_close_to_its_cells() -> None:
    """The shipped sample is one UCI digit enlarged 8×: converted back, it lands near the original cells."""
    x = image_to_input(load_sample("digit"), 8)
    digits = load_digits()
    nearest = np.min(np.abs(np.concatenate([digits.x_train, digits.x_test]) - x).sum(axis=(1, 2, 3)))
    assert nearest < 10  # of 64 cells in [0, 1]; a different digit is ~15–25 away


# --- training -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bars():
    return make_bars(n_train=120, n_test=40, seed=0)


def _run(data, **config):
    return new_run(data, model_for(data, kernels=4), TrainConfig(**{"batch_size": 16, "epochs": 2, **config}))


def test_a_new_run_is_evaluated_once_before_training(bars) -> None:
    state = _run(bars)
    assert (state.epoch, state.batch, state.step) == (0, 0, 0)
    assert state.history.at == (0.0,)
    assert len(state.history.test_acc) == len(state.history.kernels) == 1
    assert state.batches_per_epoch == 8 and state.total_batches == 16 and state.eval_every == 2


def test_training_in_chunks_equals_training_in_one_go(bars) -> None:
    start = _run(bars, seed=7)
    whole = train_steps(start, 11)
    chunked = train_steps(train_steps(train_steps(start, 3), 5), 3)
    assert (whole.epoch, whole.batch) == (chunked.epoch, chunked.batch) == (1, 3)
    for name in whole.params:
        np.testing.assert_array_equal(whole.params[name], chunked.params[name])
    assert whole.history.batch_loss == chunked.history.batch_loss
    assert whole.history.test_acc == chunked.history.test_acc
    assert start.step == 0 and start.history.batch_loss == ()  # the starting state is not changed


def test_a_run_stops_at_its_last_epoch(bars) -> None:
    state = train_steps(_run(bars), 1000)
    assert state.done and state.progress == 1.0 and state.step == 16
    assert len(state.history.batch_loss) == len(state.history.grad_rms) == 16
    # Evaluations: before training, every 2 batches: 1 + 16 / 2.
    assert state.history.at == tuple(k / 4 for k in range(9))
    assert train_steps(state, 5) is state


def test_a_short_seeded_run_lowers_the_loss_and_beats_chance() -> None:
    data = load_digits()
    state = new_run(data, model_for(data), TrainConfig(epochs=1, seed=0))
    state = train_steps(state, state.batches_per_epoch)
    h = state.history
    assert h.test_loss[-1] < 0.5 * h.test_loss[0]
    assert h.test_acc[-1] > 0.8  # chance is 0.1
    assert np.mean(h.batch_loss[-5:]) < np.mean(h.batch_loss[:5])
    rms = np.asarray(h.grad_rms)
    assert rms.shape == (45, 4) and np.all(rms > 0)


@pytest.mark.slow
def test_the_defaults_reach_95_percent_on_the_held_out_digits() -> None:
    data = load_digits()
    state = train_steps(new_run(data, model_for(data), TrainConfig()), 10**6)
    assert state.config.epochs == 8 and state.done
    assert state.history.test_acc[-1] >= 0.95
    assert evaluate(state.params, data.x_test, data.y_test, state.model)[1] == state.history.test_acc[-1]


def test_epoch_orders_are_seeded_permutations() -> None:
    a = epoch_order(3, 0, 50)
    np.testing.assert_array_equal(np.sort(a), np.arange(50))
    np.testing.assert_array_equal(a, epoch_order(3, 0, 50))
    assert not np.array_equal(a, epoch_order(3, 1, 50))
    assert not np.array_equal(a, epoch_order(4, 0, 50))


def test_confusion_matrix_by_hand() -> None:
    counts = confusion_matrix(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    with pytest.raises(ValueError):
        confusion_matrix(np.array([0, 1]), np.array([0]), 2)


def test_held_out_evaluation_agrees_with_itself(bars) -> None:
    state = train_steps(_run(bars), 6)
    result = evaluate_held_out(state)
    assert result.confusion.sum() == bars.y_test.size
    assert result.accuracy == pytest.approx(np.trace(result.confusion) / bars.y_test.size)
    assert result.accuracy == pytest.approx(state.history.test_acc[-1])
    np.testing.assert_array_equal(np.sort(result.wrong), np.nonzero(result.predicted != bars.y_test)[0])
    assert np.all(np.diff(result.confidence[result.wrong]) <= 0)  # most confident mistakes first
    assert np.all((result.confidence >= 1 / 4) & (result.confidence <= 1))


@pytest.mark.parametrize(
    "change",
    [
        {"lr": 0.0},
        {"momentum": 1.0},
        {"batch_size": 0},
        {"batch_size": 10_000},
        {"epochs": 0},
        {"epochs": 51},
    ],
    ids=str,
)
def test_bad_settings_are_refused(bars, change: dict) -> None:
    with pytest.raises(ValueError):
        new_run(bars, model_for(bars), TrainConfig(**change))


def test_a_network_that_does_not_fit_the_data_is_refused(bars) -> None:
    with pytest.raises(ValueError, match="expects"):
        new_run(bars, model_for(load_digits()), TrainConfig())
