"""The library's VoilaProcess: the same command as ``coderpath dashboard``, its own home, a log, a clean stop."""

from __future__ import annotations

import urllib.request

import pytest

pytest.register_assert_rewrite("voila_harness")

from voila_harness import fetch, widget_output_count, write_checkbox_notebook  # noqa: E402

from coderpath_widgets.app.voila_process import VoilaProcess  # noqa: E402

pytestmark = pytest.mark.voila


def test_serves_a_page_with_its_token_in_its_own_home_and_stops(tmp_path):
    folder = tmp_path / "notebooks"
    write_checkbox_notebook(folder / "one-checkbox.ipynb")
    voila = VoilaProcess(folder, tmp_path / "home", name="process-test")
    assert voila.log_path == tmp_path / "home" / "voila-process-test.log"
    with voila:
        status, page = fetch(voila.url("one-checkbox.ipynb"))
        assert status == 200 and widget_output_count(page) == 1
        assert voila.process is not None and voila.process.poll() is None
        assert str(folder) in " ".join(voila.process.args)  # the launcher's own voila_command
    assert voila.process.poll() is not None, "Voilà still runs after the with block"
    assert voila.log_path.is_file() and voila.log_tail()
    with pytest.raises(OSError):
        urllib.request.urlopen(voila.base_url, timeout=5)
