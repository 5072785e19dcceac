"""Mapping profiles (a user's column choices kept for the next file with the same headings),
`import --profile/--save-profile`, `--map "Their column="`, and the preview the import
wizard shows before anything is written."""

import json

import pytest
from conftest import REALWORLD, write_csv

from ooh_desk.errors import UserError
from ooh_desk.imports.profiles import (
    Profile,
    find_profile,
    load_profiles,
    matching_profiles,
    profile_from,
    profiles_path,
    save_profile,
    with_profile,
)
from ooh_desk.services.import_preview import preview
from ooh_desk.store import Register, records

# Headings no synonym knows: only a profile (or --map) reads this file as risks.
THEIR_RISKS = (
    "Ref,What could go wrong,Who holds it,Chance,Harm,Our notes\n"
    "R-001,Care home beds are not commissioned in time,Head of Commissioning,4,3,call weekly\n"
    "R-002,GP practices do not sign the new service spec,Primary Care Lead,3,4,\n"
)
THEIR_MAPPING = ["What could go wrong=title", "Who holds it=owner", "Chance=likelihood",
                 "Harm=impact", "Our notes=ignore"]


@pytest.fixture
def config(tmp_path, monkeypatch):
    """Profiles kept in this test's own folder, never the user's settings."""
    folder = tmp_path / "config"
    monkeypatch.setenv("OOH_DESK_CONFIG_DIR", str(folder))
    return folder


def their_maps():
    return [arg for pair in THEIR_MAPPING for arg in ("--map", pair)]


# --- the profiles themselves -----------------------------------------------------------------


def test_a_saved_profile_is_read_back_and_a_same_name_replaces_it(tmp_path):
    folder = tmp_path / "settings"
    first = Profile("Trust register", "risks", {"Chance": "likelihood"}, ["Chance", "Harm"])
    path = save_profile(first, folder)
    assert path == profiles_path(folder) and path.parent == folder
    save_profile(Profile("Council log", "actions", {"Task": "description"}, ["Task", "By"]),
                 folder)
    save_profile(Profile("trust  REGISTER", "risks", {"Chance": "ignore"}, ["Chance", "Harm"]),
                 folder)
    saved = load_profiles(folder)
    assert [p.name for p in saved] == ["Council log", "trust REGISTER"]
    assert saved[1].mapping == {"Chance": "ignore"}
    data = json.loads(path.read_text("utf-8"))
    assert {p["name"] for p in data["profiles"]} == {"Council log", "trust REGISTER"}
    # Written whole: no partial file is left beside it.
    assert sorted(p.name for p in folder.iterdir()) == ["import-profiles.json"]


def test_the_settings_folder_comes_from_the_environment(config):
    save_profile(Profile("One", "risks", {"A": "title"}, ["A", "B"]))
    assert (config / "import-profiles.json").exists()
    assert find_profile("one").name == "One"


def test_a_profile_fits_the_same_headings_whatever_their_case_spacing_or_order(tmp_path):
    save_profile(Profile("Trust", "risks", {}, ["Risk_Title", "Chance (1-5)", "Harm"]), tmp_path)
    assert [p.name for p in matching_profiles(["harm", "RISK TITLE", "Chance 1-5"],
                                              folder=tmp_path)] == ["Trust"]
    assert matching_profiles(["Harm", "Risk title"], folder=tmp_path) == []
    assert matching_profiles(["Harm", "Risk title", "Chance", "Owner"], folder=tmp_path) == []
    assert matching_profiles(["Harm", "Risk title", "Chance"], kind="actions",
                             folder=tmp_path) == []


def test_a_heading_the_file_repeats_is_left_to_be_read_by_position():
    profile = profile_from("Two stages", "risks", [("Risk", "title"), ("Likelihood", "inherent_likelihood"),
                                                   ("Likelihood", "likelihood"), ("Notes", None)])
    assert profile.mapping == {"Risk": "title", "Notes": "ignore"}
    assert profile.headings == ["Risk", "Likelihood", "Likelihood", "Notes"]


def test_the_users_own_map_wins_over_the_profile():
    profile = Profile("P", "risks", {"Chance": "likelihood", "Our notes": "ignore"}, [])
    assert with_profile(profile, {"our NOTES": "controls"}) == {"Chance": "likelihood",
                                                                 "our NOTES": "controls"}
    assert with_profile(None, {"A": "title"}) == {"A": "title"}


def test_an_unknown_profile_is_one_line_listing_those_saved(tmp_path):
    with pytest.raises(UserError, match="none is saved yet"):
        find_profile("Trust", tmp_path)
    save_profile(Profile("Council log", "actions", {}, []), tmp_path)
    save_profile(Profile("Acute trust", "risks", {}, []), tmp_path)
    with pytest.raises(UserError) as caught:
        find_profile("Trust", tmp_path)
    assert str(caught.value) == ("there is no import profile called 'Trust'; the saved "
                                 "profiles are: 'Acute trust', 'Council log'")


def test_a_damaged_profiles_file_is_said_in_one_line(tmp_path):
    (tmp_path / "import-profiles.json").write_text("{not json", "utf-8")
    with pytest.raises(UserError, match="cannot be read"):
        load_profiles(tmp_path)


# --- the command line ------------------------------------------------------------------------


def test_map_with_no_field_ignores_the_column(cli, register, tmp_path, config):
    source = write_csv(tmp_path / "risks.csv",
                       "ref,title,owner,likelihood,impact\n"
                       "R-001,Transport to the hub is poor,Estates lead,3,3\n")
    result = cli("import", register, source, "--map", "owner=")
    assert result.code == 0, result.err
    assert "Columns ignored: owner" in result.out
    with Register.open(register, readonly=True) as reg:
        [risk] = records.all_records(reg, "risks")
    assert risk.title == "Transport to the hub is poor" and risk.owner == ""


def test_save_profile_then_profile_reads_the_next_file_with_the_same_headings(cli, register,
                                                                              tmp_path, config):
    first = write_csv(tmp_path / "april.csv", THEIR_RISKS)
    saved = cli("import", register, first, "--kind", "risks", *their_maps(), "--dry-run",
                "--save-profile", "Acute trust")
    assert saved.code == 0, saved.err
    assert "Saved this mapping as the import profile 'Acute trust'" in saved.out
    [profile] = load_profiles(config)
    assert profile.kind == "risks"
    assert profile.mapping["Chance"] == "likelihood" and profile.mapping["Our notes"] == "ignore"
    # May's file spells the headings differently and adds a row; no --kind, no --map.
    second = write_csv(tmp_path / "may.csv", THEIR_RISKS.replace("Who holds it", "WHO HOLDS IT")
                       + "R-003,Community staff are not recruited,Workforce Lead,2,5,\n")
    result = cli("import", register, second, "--profile", "acute trust")
    assert result.code == 0, result.err
    assert "Imported: 3 new" in result.out
    assert "other headings" not in result.out
    with Register.open(register, readonly=True) as reg:
        found = {r.ref: r for r in records.all_records(reg, "risks")}
    assert found["R-003"].owner == "Workforce Lead"
    assert (found["R-003"].current.likelihood, found["R-003"].current.impact) == (2, 5)
    assert found["R-001"].title == "Care home beds are not commissioned in time"


def test_the_users_map_wins_over_a_profile_on_the_command_line(cli, register, tmp_path, config):
    source = write_csv(tmp_path / "april.csv", THEIR_RISKS)
    assert cli("import", register, source, "--kind", "risks", *their_maps(), "--dry-run",
               "--save-profile", "Acute trust").code == 0
    result = cli("import", register, source, "--profile", "Acute trust", "--map",
                 "Our notes=controls", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert {"column": "Our notes", "field": "controls"} in report["mapping"]
    with Register.open(register, readonly=True) as reg:
        found = {r.ref: r for r in records.all_records(reg, "risks")}
    assert found["R-001"].controls == "call weekly"


def test_a_profile_made_for_other_headings_is_applied_with_a_note(cli, register, tmp_path,
                                                                  config):
    save_profile(Profile("Other", "risks", {"Harm": "impact"}, ["Harm", "Chance", "Elsewhere"]))
    source = write_csv(tmp_path / "april.csv", THEIR_RISKS)
    result = cli("import", register, source, "--profile", "Other", *their_maps(), "--dry-run")
    assert result.code == 0, result.err
    assert "Note: the profile 'Other' was saved for a file with other headings" in result.out


def test_an_unknown_profile_is_refused_in_one_line_and_nothing_is_written(cli, register,
                                                                          tmp_path, config):
    save_profile(Profile("Acute trust", "risks", {}, []))
    source = write_csv(tmp_path / "april.csv", THEIR_RISKS)
    result = cli("import", register, source, "--profile", "Council")
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "There is no import profile called 'Council'; the saved profiles are: 'Acute trust'"]
    with Register.open(register, readonly=True) as reg:
        assert records.all_records(reg, "risks") == []


# --- the preview -----------------------------------------------------------------------------


def test_the_preview_shows_each_column_its_field_and_samples_and_writes_nothing(register,
                                                                                tmp_path):
    source = write_csv(tmp_path / "april.csv", THEIR_RISKS.replace(",4,3,", ",9,3,"))
    before = register.read_bytes()
    shown = preview(source, "risks", overrides=dict(p.split("=") for p in THEIR_MAPPING))
    assert register.read_bytes() == before
    assert shown.kind == "risks" and shown.header_rows == (1,) and shown.total_rows == 2
    assert [(c.heading, c.field) for c in shown.columns] == [
        ("Ref", "ref"), ("What could go wrong", "title"), ("Who holds it", "owner"),
        ("Chance", "likelihood"), ("Harm", "impact"), ("Our notes", None)]
    assert shown.columns[2].samples == ["Head of Commissioning", "Primary Care Lead"]
    assert shown.columns[5].samples == ["call weekly"]
    first, second = shown.rows
    assert first.row == 2 and first.cells[1] == "Care home beds are not commissioned in time"
    assert first.problems and first.problems[0].startswith("Chance: ")
    assert second.problems == []


def test_the_preview_follows_a_changed_mapping():
    source = REALWORLD / "pmo_raid_log_muhammadmuqris14.xlsx"
    if not source.exists():
        pytest.skip(f"{source} is not here")
    shown = preview(source)
    by_heading = {c.heading: c for c in shown.columns}
    assert by_heading["Risk ID"].field == "ref"
    assert by_heading["Risk ID"].samples == ["R-001", "R-002", "R-003"]
    assert by_heading["Remarks"].field is None
    changed = preview(source, overrides={"Remarks": "controls", "Owner": "ignore"})
    by_heading = {c.heading: c for c in changed.columns}
    assert by_heading["Remarks"].field == "controls" and by_heading["Owner"].field is None
    assert changed.rows[0].cells[by_heading["Remarks"].index] == shown.rows[0].cells[
        by_heading["Remarks"].index]


def test_unrecognised_headings_of_a_chosen_kind_are_offered_to_map_by_hand(tmp_path):
    source = write_csv(tmp_path / "odd.csv", "Thing,Person,Chance\nA thing,Someone,2\n")
    shown = preview(source, "risks")
    assert [(c.heading, c.field) for c in shown.columns] == [
        ("Thing", None), ("Person", None), ("Chance", None)]
    assert shown.rows[0].cells == {0: "A thing", 1: "Someone", 2: "2"}
    assert "choose the field each column holds" in shown.refusal
    # One column chosen is not yet enough for the import to find the header; it is shown.
    chosen = preview(source, "risks", overrides={"Thing": "title"})
    assert [(c.heading, c.field) for c in chosen.columns][:2] == [("Thing", "title"),
                                                                 ("Person", None)]
    assert chosen.rows[0].cells[0] == "A thing" and chosen.total_rows == 1
