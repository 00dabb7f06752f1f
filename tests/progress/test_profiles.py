"""The learner's profile is their own name, asked once; an older install's progress under the account name is kept."""

from __future__ import annotations

import json

import pytest

from coderpath_widgets.app.cli import main
from coderpath_widgets.progress import profiles
from coderpath_widgets.progress.profiles import ProfileNameError, Source
from coderpath_widgets.progress.store import DB_NAME, ProgressStore, get_store, reset_stores


def never(name: str) -> bool:
    return False


# ------------------------------------------------------------------ choosing the default (pure)


def test_without_a_name_the_learner_is_asked_and_the_account_name_is_not_used():
    chosen = profiles.choose_default({}, None, "root", never)
    assert chosen == profiles.DefaultProfile(profiles.UNNAMED, Source.UNNAMED)
    assert chosen.asks_for_a_name


def test_a_given_name_is_used_and_not_asked_again():
    chosen = profiles.choose_default({}, "Maria", "root", never)
    assert (chosen.name, chosen.asks_for_a_name) == ("Maria", False)


def test_the_hub_user_and_the_environment_come_first():
    assert profiles.choose_default({"JUPYTERHUB_USER": "ana", "CODERPATH_PROFILE": "x"}, "Maria", "root", never) == (
        profiles.DefaultProfile("ana", Source.HUB)
    )
    chosen = profiles.choose_default({"CODERPATH_PROFILE": "test-learner"}, "Maria", "root", never)
    assert (chosen.name, chosen.source, chosen.asks_for_a_name) == ("test-learner", Source.ENVIRONMENT, False)


def test_an_older_install_keeps_the_account_profile_that_holds_progress():
    chosen = profiles.choose_default({}, None, "root", lambda name: name == "root")
    assert (chosen.name, chosen.source, chosen.asks_for_a_name) == ("root", Source.OLDER_INSTALL, True)
    assert profiles.choose_default({}, None, None, lambda name: True).source == Source.UNNAMED


# ------------------------------------------------------------------ names


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please type a name"),
        ("   ", "Please type a name"),
        (None, "Please type a name"),
        ("---", "at least one letter or number"),
        ("x" * 61, "at most 60 characters; this one has 61"),
        ("ana/ben", "cannot contain /"),
        ("..\\ana", "cannot contain \\"),
        ("C:ana", "cannot contain :"),
        ("ana?", "cannot contain ?"),
        ("ana\x00", "control or invisible characters"),
        ("ana\u200b", "control or invisible characters"),
        (".ana", "cannot start with a dot"),
    ],
)
def test_bad_names_are_refused_with_a_plain_message(text, message):
    with pytest.raises(ProfileNameError) as caught:
        profiles.check_name(text)
    assert message in str(caught.value)


def test_good_names_are_trimmed_and_kept_as_typed():
    assert profiles.check_name("  Ana   María ") == "Ana María"
    assert profiles.check_name("Siobhán O'Brien-Li") == "Siobhán O'Brien-Li"
    assert profiles.check_name("x" * 60) == "x" * 60


# ------------------------------------------------------------------ with the store


@pytest.mark.usefixtures("desktop_learner")
def test_a_new_learner_starts_unnamed_and_the_name_given_becomes_the_profile(tmp_home):
    store = get_store()
    assert store.profile == profiles.UNNAMED != "root"
    assert profiles.needs_name(store)
    named = profiles.give_name(store, " Maria ")
    assert (named.name, named.copied_from, named.remembered) == ("Maria", None, True)
    assert store.profile == "Maria" and not profiles.needs_name(store)
    assert json.loads((tmp_home / profiles.SETTINGS_NAME).read_text(encoding="utf-8"))["name"] == "Maria"
    reset_stores()
    assert get_store().profile == "Maria" and not profiles.needs_name(get_store())
    assert profiles.listed_profiles(get_store()) == ["Maria"]  # the empty unnamed profile is not offered


@pytest.mark.usefixtures("desktop_learner")
def test_the_name_outlives_a_store_that_starts_again(tmp_home):
    profiles.give_name(get_store(), "Maria")
    reset_stores()
    for leftover in tmp_home.glob(DB_NAME + "*"):
        leftover.unlink()  # as if the file had been moved aside after damage
    store = get_store()
    assert store.profile == "Maria" and not profiles.needs_name(store)


@pytest.mark.usefixtures("desktop_learner")
def test_what_was_done_before_the_name_was_given_comes_along(tmp_home):
    store = get_store()
    store.set_field("checklist", "skills-typing", "done", True)
    store.add_event("quiz_attempt", {"score": 0.5})
    named = profiles.give_name(store, "Maria")
    assert named.copied_from == profiles.UNNAMED
    assert store.get("checklist", "skills-typing") == {"done": True}
    assert [e.payload for e in store.events("quiz_attempt")] == [{"score": 0.5}]


@pytest.mark.usefixtures("desktop_learner")
def test_an_older_install_keeps_its_progress_and_then_adopts_the_name(tmp_home):
    older = ProgressStore(tmp_home / DB_NAME, profile="root")  # saved by a copy that named profiles after the account
    older.set_field("checklist", "skills-typing", "note", "45 wpm")
    older.add_event("case_attempt", {"case": "c1", "correct": True})
    older.close()

    store = get_store()
    assert store.profile == "root"  # kept: nothing seems lost after the update
    assert store.get("checklist", "skills-typing") == {"note": "45 wpm"}
    assert profiles.needs_name(store)  # but the learner is still asked their name, once

    named = profiles.give_name(store, "Maria")
    assert named.copied_from == "root"
    assert store.profile == "Maria"
    assert store.get("checklist", "skills-typing") == {"note": "45 wpm"}
    assert [e.payload for e in store.events("case_attempt")] == [{"case": "c1", "correct": True}]
    original = ProgressStore(tmp_home / DB_NAME, profile="root")
    assert original.get("checklist", "skills-typing") == {"note": "45 wpm"}  # nothing was deleted
    original.close()
    assert "root" not in profiles.listed_profiles(store)  # its progress is Maria's now: not offered twice
    reset_stores()
    assert get_store().profile == "Maria" and not profiles.needs_name(get_store())


@pytest.mark.usefixtures("desktop_learner")
def test_job_applications_alone_count_as_progress_and_come_along_with_the_name(tmp_home):
    older = ProgressStore(tmp_home / DB_NAME, profile="root")  # list items are rows of their own (schema 4)
    older.list_add("jobs", "applications", {"employer": "Valley Clinic", "role": "Coder"})
    older.close()

    store = get_store()
    assert store.profile == "root"  # an older install's only saved thing is an application: still kept
    named = profiles.give_name(store, "Maria")
    assert named.copied_from == "root"
    assert [a["employer"] for a in store.get("jobs", "applications")] == ["Valley Clinic"]


@pytest.mark.usefixtures("desktop_learner")
def test_an_empty_account_profile_of_an_older_install_is_not_kept(tmp_home):
    ProgressStore(tmp_home / DB_NAME, profile="root").close()  # opened once, nothing saved
    store = get_store()
    assert store.profile == profiles.UNNAMED
    assert "root" not in profiles.listed_profiles(store)


@pytest.mark.usefixtures("desktop_learner")
def test_a_profile_chosen_on_the_panel_counts_as_a_name(tmp_home):
    store = get_store()
    store.use_profile("Ben")
    assert not profiles.needs_name(store)


@pytest.mark.usefixtures("desktop_learner")
def test_a_bad_name_changes_nothing(tmp_home):
    store = get_store()
    store.set("certification", "target", "cpc")
    with pytest.raises(ProfileNameError, match="cannot contain /"):
        profiles.give_name(store, "../Maria")
    assert store.profile == profiles.UNNAMED and profiles.needs_name(store)
    assert not (tmp_home / profiles.SETTINGS_NAME).exists()
    assert store.profiles() == [profiles.UNNAMED]


@pytest.mark.usefixtures("desktop_learner")
def test_an_unreadable_settings_file_means_the_name_is_asked_again(tmp_home):
    (tmp_home / profiles.SETTINGS_NAME).write_text("{not json", encoding="utf-8")
    assert profiles.saved_name(tmp_home) is None
    assert profiles.needs_name(get_store())
    (tmp_home / profiles.SETTINGS_NAME).write_text(json.dumps({"name": "a/b"}), encoding="utf-8")
    assert profiles.saved_name(tmp_home) is None


@pytest.mark.usefixtures("desktop_learner")
def test_switching_checks_new_names_but_takes_existing_profiles_as_spelt(tmp_home):
    store = get_store()
    profiles.give_name(store, "Maria")
    with pytest.raises(ProfileNameError, match="cannot contain"):
        profiles.switch_profile(store, "ben|2")
    store.use_profile("hub/ben")  # a name from elsewhere (an import, a hub) that the check would refuse
    store.use_profile("Maria")
    assert profiles.switch_profile(store, " hub/ben ").name == "hub/ben"
    assert store.profile == "hub/ben"
    profiles.switch_profile(store, "Ben")
    assert store.profile == "Ben" and profiles.saved_name(tmp_home) == "Ben"  # the last name chosen is the default


def test_on_a_hub_the_hub_user_is_the_profile_and_no_name_is_asked(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.delenv("CODERPATH_PROFILE", raising=False)
    reset_stores()
    store = get_store()
    assert store.profile == "ana" and not profiles.needs_name(store)


def test_with_the_profile_variable_set_it_is_the_profile(store):
    assert store.profile == "test-learner" and not profiles.needs_name(store)


@pytest.mark.usefixtures("desktop_learner")
def test_the_command_line_never_names_the_account(tmp_path, capsys):
    assert main(["export", str(tmp_path / "out.json")]) == 0
    out = capsys.readouterr().out
    assert f"profile '{profiles.UNNAMED}'" in out and "'root'" not in out
