"""Writes the Keras History JSON fixtures beside this script (see PROVENANCE.md).

Run: KERAS_BACKEND=torch python make_history.py
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def model(lr):
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="mse", metrics=["mae"])
    return m


def dump(folder, name, history, params=True):
    out = os.path.join(HERE, folder)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, name), "w") as f:
        json.dump(history.history, f)  # what users write; NaN/Infinity come out bare
    if params:
        with open(os.path.join(out, "params.json"), "w") as f:
            json.dump(history.params, f)


keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(40, 4)).astype("float32")
y = x.sum(axis=1, keepdims=True) + rng.normal(scale=0.1, size=(40, 1)).astype("float32")

# A normal fit: 3 epochs, a validation split, a learning-rate schedule (adds `learning_rate`).
halve = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch > 0 else lr)
h = model(0.01).fit(x, y, epochs=3, batch_size=16, validation_split=0.25, callbacks=[halve], verbose=0)
dump("regression", "history.json", h)

# A diverging fit (too high a learning rate for targets 10x larger): the loss blows up to NaN by the
# third epoch, as it does in real life, and json.dump writes the bare token NaN. No params.json.
keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(40, 4)).astype("float32")
h = model(0.1).fit(x, x.sum(axis=1, keepdims=True) * 10, epochs=3, batch_size=16, verbose=0)
dump("diverged", "training_history.json", h, params=False)
