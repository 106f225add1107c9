"""The model is defined once and the Cypher follows it."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest

from alliances import model
from alliances.store.cypher import cypher_dir, render, schema_text, statement
from tests.conftest import ROOT


def test_schema_cypher_is_generated_from_the_model():
    assert (ROOT / "cypher" / "schema.cypher").read_text(encoding="utf-8") == schema_text(), (
        "regenerate: python -c \"from alliances.store.cypher import schema_text; "
        "open('cypher/schema.cypher','w').write(schema_text())\"")


def test_schema_has_one_id_constraint_for_all_project_data():
    # ids are unique across the project (every node is AlliancesData, which MERGE seeks on); a second
    # constraint per model label would only add a unique index to every write
    text = schema_text()
    for label in model.META_LABELS:
        assert f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in text
    for label in model.LABELS:
        assert f"FOR (n:{label}) REQUIRE" not in text
        assert f"CREATE INDEX {label}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)" in text
    assert "CREATE FULLTEXT INDEX alliances_names" in text and "'cjk'" in text


@pytest.mark.parametrize("bad", ["Person) DETACH DELETE n //", "`x`", "Organization:Admin", "region"])
def test_labels_and_types_outside_the_allowlist_are_refused(bad):
    with pytest.raises(ValueError):
        model.cypher_label(bad)
    with pytest.raises(ValueError):
        model.cypher_type(bad)
    with pytest.raises(ValueError):
        render("upsert_nodes", label=bad)


def test_every_cypher_file_is_one_statement_with_parameters_only():
    files = sorted(p for p in cypher_dir().glob("*.cypher") if p.name != "schema.cypher")
    assert len(files) >= 12
    for f in files:
        body = statement(f.stem)
        assert ";" not in body, f.name
        # no string literals carrying data: the only quotes allowed are in comments
        # or the fixed label name compared in count_labels, or the name of the store's full-text index
        literals = re.findall(r"'([^']*)'", body)
        assert set(literals) <= {"Alliances", "alliances_names"}, (f.name, literals)


def test_render_fills_only_allowlisted_text():
    text = render("shortest_paths", types=["MEMBER_OF", "PARTY_TO"], places=False, max_hops=7, limit=3)
    assert "[:MEMBER_OF|PARTY_TO]" in text and "{1,7}" in text and "NOT y:Region" in text
    assert "SHORTEST 3 " in text
    assert "$start" in text and "$end" in text


def test_partnership_types_exclude_geography_and_recognition():
    assert set(model.PARTNERSHIP_TYPES).isdisjoint({"LOCATED_IN", "PART_OF", "HELD_IN", "RECEIVED"})
    assert set(model.GEOGRAPHIC_LABELS) == {"Region", "Zone"}


def test_the_wheel_ships_the_cypher_and_the_dataset(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    [wheel] = tmp_path.glob("alliances-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "alliances/cypher/upsert_nodes.cypher" in names
    assert "alliances/cypher/schema.cypher" in names
    assert "alliances/data/zigong/nodes.csv" in names


def test_upsert_relationships_names_every_property_the_store_gives_a_relationship():
    """The ON MATCH map of upsert_relationships.cypher lists each stored key (else a reload would drop one)."""
    import re

    from alliances.store.admin_import import REL_COLUMNS
    from alliances.store.cypher import statement

    text = statement("upsert_relationships")
    on_match = text[text.index("ON MATCH SET r = {"):]
    keys = re.findall(r"(\w+): ", on_match)
    assert sorted(keys) == sorted(k for k, _ in REL_COLUMNS)
    assert all(f"{k}: row.props.{k}" in on_match for k in keys if k != "datasets")
