"""Look inside a trained network: hidden states averaged, clustered and projected.

Lesson 01 (``notebooks/01_elman_networks.ipynb``) uses these to repeat Elman's (1990)
analysis of the word-prediction network: average the hidden state over every
occurrence of a word, cluster the averages hierarchically, and ask whether the
clusters follow the word classes the network was never told about.

* :func:`mean_by_label` - the mean hidden vector for each label (word, letter, ...).
* :func:`top_split` - the two clusters at the top of a hierarchical clustering (scipy).
* :func:`split_purity` - how well a two-way split agrees with known classes.
* :func:`shuffled_purity` - the purity that split reaches with the classes shuffled (chance).
* :func:`silhouette` - how far apart known classes lie, from -1 to 1 (no clustering needed).
* :func:`pca` - project states onto their two directions of largest variance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from course_utils.core.validation import check_array, check_choice, check_int

__all__ = [
    "LINKAGE_METHODS",
    "linkage_tree",
    "mean_by_label",
    "pca",
    "shuffled_purity",
    "silhouette",
    "split_purity",
    "top_split",
]

LINKAGE_METHODS = ("ward", "average", "complete", "single")


def _check_labels(name: str, labels, n: int | None) -> np.ndarray:
    if isinstance(labels, (str, bytes)) or not isinstance(labels, (Sequence, np.ndarray)):
        raise TypeError(f"{name} must be a list or array of labels; got {type(labels).__name__}.")
    labels = np.asarray(labels)
    if labels.ndim != 1 or (n is not None and len(labels) != n):
        count = "" if n is None else f" ({n})"
        raise ValueError(
            f"{name} must be 1-D, one label per item{count}; got shape {labels.shape}."
        )
    return labels


def mean_by_label(hidden, labels, order=None) -> tuple[list, np.ndarray]:
    """Average the rows of ``hidden`` that share a label.

    hidden: ``(steps, hidden_size)``; labels: one label per step (e.g. the word read at
    that step). order: the labels to return, in this order (default: sorted unique
    labels); each must occur at least once. Returns ``(labels, means)`` with means of
    shape ``(len(labels), hidden_size)``.
    """
    hidden = check_array("hidden", hidden, ndim=2, dims="(steps, hidden_size)")
    labels = _check_labels("labels", labels, len(hidden))
    order = sorted(set(labels.tolist())) if order is None else list(order)
    missing = [label for label in order if not np.any(labels == label)]
    if missing:
        raise ValueError(f"labels {missing} from order never occur in labels.")
    means = np.stack([hidden[labels == label].mean(axis=0) for label in order])  # (labels, hidden)
    return order, means


def linkage_tree(points, method: str = "ward") -> np.ndarray:
    """The hierarchical clustering of ``points`` ``(n, features)`` (scipy's linkage matrix,
    ``(n - 1, 4)``), for :func:`course_utils.lessons.l01_elman.plots.plot_dendrogram` and :func:`top_split`.

    ``method``: the scipy linkage, one of :data:`LINKAGE_METHODS` (default ``"ward"``).
    """
    from scipy.cluster.hierarchy import linkage

    points = check_array("points", points, ndim=2, dims="(n, features)")
    method = check_choice("method", method, LINKAGE_METHODS)
    if len(points) < 2:
        raise ValueError(f"points needs at least 2 rows to cluster; got {len(points)}.")
    return linkage(points, method)  # (n - 1, 4)


def top_split(points, method: str = "ward") -> np.ndarray:
    """Cut a hierarchical clustering of ``points`` ``(n, features)`` into its top two clusters.

    Returns an int array of 0s and 1s, one per point (cluster 0 holds the first point).
    ``method``: the scipy linkage, default ``"ward"``.
    """
    from scipy.cluster.hierarchy import fcluster

    tree = linkage_tree(points, method)  # (n - 1, 4)
    clusters = fcluster(tree, 2, criterion="maxclust")  # (n,) in {1, 2}
    return (clusters != clusters[0]).astype(int)


def split_purity(assignment, classes) -> float:
    """Fraction of items whose cluster's majority class is their own class.

    assignment: a cluster id per item; classes: the true class per item. 1.0 means
    every cluster is pure. It is never below the share of the largest class (put every
    item in one cluster), so chance depends on the class sizes: see :func:`shuffled_purity`.
    """
    assignment = _check_labels("assignment", assignment, None)
    classes = _check_labels("classes", classes, len(assignment))
    if len(assignment) == 0:
        raise ValueError("assignment must not be empty.")
    agree = 0
    for cluster in np.unique(assignment):
        _, counts = np.unique(classes[assignment == cluster], return_counts=True)
        agree += counts.max()
    return float(agree / len(assignment))


def shuffled_purity(assignment, classes, n_shuffles: int = 1000, seed=0) -> np.ndarray:
    """Purity of the same split after shuffling the classes: what chance gives.

    The clusters keep their sizes; only which item carries which class is drawn at
    random, ``n_shuffles`` times (with ``seed``). Returns ``(n_shuffles,)`` purities.
    """
    assignment = _check_labels("assignment", assignment, None)
    classes = _check_labels("classes", classes, len(assignment))
    n_shuffles = check_int("n_shuffles", n_shuffles, minimum=1)
    if not isinstance(seed, (int, np.integer, np.random.Generator)) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int or a numpy.random.Generator; got {seed!r}.")
    rng = np.random.default_rng(seed)
    return np.array(
        [split_purity(assignment, rng.permutation(classes)) for _ in range(n_shuffles)]
    )  # (n_shuffles,)


def silhouette(points, classes) -> float:
    """Mean silhouette of ``points`` ``(n, features)`` grouped by ``classes`` (Euclidean).

    For each point: ``(b - a) / max(a, b)`` with ``a`` its mean distance to the other
    members of its class and ``b`` the smallest mean distance to another class.
    Near 1: tight, well-separated classes; near 0: classes overlap.
    """
    points = check_array("points", points, ndim=2, dims="(n, features)")
    classes = _check_labels("classes", classes, len(points))
    names = np.unique(classes)
    if len(names) < 2:
        raise ValueError(f"classes must contain at least two classes; got {names.tolist()}.")
    dist = np.sqrt(((points[:, None] - points[None]) ** 2).sum(axis=-1))  # (n, n)
    scores = []
    for i in range(len(points)):
        same = classes == classes[i]
        if same.sum() == 1:
            scores.append(0.0)  # a class of one point scores 0, by convention
            continue
        a = dist[i, same].sum() / (same.sum() - 1)
        b = min(dist[i, classes == other].mean() for other in names if other != classes[i])
        scores.append((b - a) / max(a, b) if max(a, b) > 0 else 0.0)
    return float(np.mean(scores))


def pca(points, n_components: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Principal component analysis by SVD of the centred data.

    points: ``(n, features)``. Returns ``(projected, explained)``: the coordinates
    ``(n, n_components)`` and the fraction of the variance each component explains.
    """
    points = check_array("points", points, ndim=2, dims="(n, features)")
    n_components = check_int("n_components", n_components, minimum=1, maximum=min(points.shape))
    centred = points - points.mean(axis=0)  # (n, features)
    _, singular, vt = np.linalg.svd(centred, full_matrices=False)  # vt: (k, features)
    variance = singular**2
    explained = (
        variance[:n_components] / variance.sum() if variance.sum() > 0 else np.zeros(n_components)
    )
    return centred @ vt[:n_components].T, explained  # (n, n_components), (n_components,)
