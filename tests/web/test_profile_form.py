"""The profile form is generated from the grid's input contract, and every input has its words."""
from __future__ import annotations

import ranking
from ranking.grid.inputs import ListOf, Obj, Scalar

from app.hiring.verified_offers import candidate_inputs
from app.web import profile_form, profile_wording

# The candidate's inputs: the verified job offer is the service's to set, never on the form.
ROOT = candidate_inputs(ranking.load_grid("eu").encoder.root)


def paths(node: Obj, prefix: str = ""):
    for name, child in node.fields.items():
        path = f"{prefix}{name}"
        yield path, child
        if isinstance(child, Obj):
            yield from paths(child, f"{path}.")
        elif isinstance(child, ListOf) and isinstance(child.items, Obj):
            yield from paths(child.items, f"{path}.")


def test_every_input_of_the_grid_has_a_label_and_a_section():
    missing = [path for path, _node in paths(ROOT) if path not in profile_wording.LABELS]
    assert not missing
    placed = [name for _id, _title, names in profile_wording.SECTIONS for name in names]
    assert sorted(placed) == sorted(ROOT.fields)  # each top-level input in exactly one section


def test_every_enum_names_its_values():
    enums = [path for path, node in paths(ROOT) if isinstance(node, Scalar) and node.kind == "enum"]
    enums += [path for path, node in paths(ROOT) if isinstance(node, ListOf) and isinstance(node.items, Scalar)
              and node.items.kind == "enum"]
    assert enums and all(path in profile_wording.OPTION_NAMES for path in enums)


def test_lists_take_the_grids_limits(app):
    with app.test_request_context():
        form = profile_form.form_class(ROOT)(formdata=None)
        for name, node in ROOT.fields.items():
            if isinstance(node, ListOf):
                assert form[name].max_entries == node.max_items
        assert len(form["preferences"].entries) == ROOT.fields["preferences"].max_items  # one select per slot
        assert len(form["languages"].entries) == 1  # one empty item; "add another" for more


def test_a_document_goes_through_the_form_and_back(app):
    document = {"date_of_birth": "1994-05-17", "education_level": 6, "eu_study": True, "eu_work": False,
                "talent_partnership": False,
                "languages": [{"language": "en", "listening": "C1", "reading": "C1", "speaking": "B2", "writing": "B2"}],
                "experience": [{"occupation": "0110", "years": 4}], "job_offer": {"state": "DE", "occupation": "2512"},
                "preferences": ["DE", "NL"]}
    with app.test_request_context():
        form = profile_form.form_class(ROOT)(formdata=None, data=profile_form.form_data(ROOT, document))
        assert profile_form.answers(form, ROOT).document == document
