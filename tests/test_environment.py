import random
import warnings

import numpy as np
import pytest

import course_utils
from course_utils.core import environment, quiet


@pytest.mark.usefixtures("full_mode")
def test_setup_seeds_and_prints_versions(capsys):
    assert course_utils.setup(seed=3) is None
    line = capsys.readouterr().out.strip()
    assert line == environment.versions_line()
    for word in ("Python", "TensorFlow", "Keras", "NumPy", "mode:"):
        assert word in line
    assert ("CPU" in line) or ("GPU" in line)
    a = (random.random(), np.random.rand())
    course_utils.setup(seed=3, verbose=False)
    assert (random.random(), np.random.rand()) == a


def test_setup_seeds_keras():
    import keras

    course_utils.setup(seed=1, verbose=False)
    a = keras.random.uniform((3,)).numpy()
    course_utils.setup(seed=1, verbose=False)
    np.testing.assert_array_equal(a, keras.random.uniform((3,)).numpy())


def test_setup_quiets_tensorflow_cpp_logs(monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    course_utils.setup(verbose=False)
    import os

    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "2"
    # never trade speed for quiet: oneDNN stays on
    assert os.environ.get("TF_ENABLE_ONEDNN_OPTS") != "0"


def test_setup_warns_for_keras_2(monkeypatch):
    import keras

    monkeypatch.setattr(keras, "__version__", "2.15.0")
    with pytest.warns(UserWarning, match="needs Keras 3.*pip install"):
        course_utils.setup(verbose=False)


def test_setup_quiet_for_keras_3():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        course_utils.setup(verbose=False)


def test_setup_rejects_bad_seed():
    with pytest.raises(TypeError, match="seed"):
        course_utils.setup(seed="zero")
    with pytest.raises(ValueError, match="seed"):
        course_utils.setup(seed=-1)


def test_check_environment_table():
    report = course_utils.check_environment()
    names = [c.name for c in report]
    for expected in (
        "Python",
        "Keras 3",
        "TensorFlow",
        "ipywidgets",
        "Widget front end",
        "Data cache",
        "Device",
    ):
        assert expected in names
    for check in report:
        if not check.ok:
            assert check.fix, f"failing check {check.name} must say how to fix it"
    assert "<table>" in report._repr_html_()
    assert "Keras 3" in str(report)


def test_check_environment_reports_missing_package_with_fix(monkeypatch):
    real = environment.importlib.import_module

    def fake(name):
        if name == "ipywidgets":
            raise ImportError("no")
        return real(name)

    monkeypatch.setattr(environment.importlib, "import_module", fake)
    report = course_utils.check_environment()
    row = next(c for c in report if c.name == "ipywidgets")
    assert not row.ok and "pip install" in row.fix
    assert not report.ok


def test_data_cache_row_says_prefetch_when_missing(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.setattr("course_utils.core.datasets._repo_datasets_dir", lambda: None)
    row = next(c for c in course_utils.check_environment() if c.name == "Data cache")
    assert not row.ok and "prefetch" in row.fix


def test_setup_pins_numpy_blas_to_one_thread():
    from threadpoolctl import threadpool_info

    course_utils.setup(verbose=False)
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_machine_description_names_the_machine_and_versions():
    from course_utils.core.environment import machine_description

    bare = machine_description(libraries=False)
    assert {"platform", "cpu", "cpu_count", "python"} <= set(bare) and "tensorflow" not in bare
    full = machine_description()
    assert {"numpy", "tensorflow", "keras", "keras_backend", "gpus"} <= set(full)
    with pytest.raises(TypeError, match="libraries"):
        machine_description(libraries="yes")


def test_load_notices_are_held_back_and_anything_else_is_shown(capfd):
    import os

    with quiet.load_notices_hidden():
        os.write(2, b"I0000 port.cc:153] oneDNN custom operations are on. You may see...\n")
        os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called ...\n")
        os.write(2, b"E0000 something really went wrong\n")
    err = capfd.readouterr().err
    assert "something really went wrong" in err
    assert "oneDNN" not in err and "absl" not in err


def test_setup_prints_a_fast_mode_banner_only_in_fast_mode(capsys, monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    course_utils.setup()
    assert "FAST MODE" in capsys.readouterr().out
    monkeypatch.setenv("COURSE_FAST", "0")
    course_utils.setup()
    assert "FAST MODE" not in capsys.readouterr().out


def test_no_notice_after_setup_when_a_masked_layer_first_runs():
    """oneDNN's once-per-process DT_BOOL notice (CPUs without AVX-512) comes while setup()
    holds notices back, not in the middle of a lesson's first masked ``fit``."""
    import subprocess
    import sys

    code = (
        "import course_utils; course_utils.setup(verbose=False)\n"
        "import tensorflow as tf; tf.transpose(tf.constant([[True, False]]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "DT_BOOL" not in done.stderr and "oneDNN" not in done.stderr, done.stderr
