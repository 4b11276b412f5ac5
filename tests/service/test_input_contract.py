"""The API's profile input and its OpenAPI document say exactly what the grid's inputs say.

Walks the `eu` grid's input tree and, for every field, checks the published OpenAPI schema
(type, enum, minimum/maximum, pattern, minItems/maxItems, required) and the live schema at
each limit: a field, enum, range or list limit that differs from the grid's fails here.
"""
import pytest
from conftest import sample_profile
from marshmallow import ValidationError
from ranking.grid.inputs import ListOf, Obj, Scalar

from app import create_app
from app.hiring import verified_offers
from app.profiles.schemas import ProfileInputSchema
from app.states.grid import shipped_grid


@pytest.fixture(scope="module")
def components(tmp_path_factory):
    folder = tmp_path_factory.mktemp("contract")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder}/unused.sqlite3"})
    return app.test_client().get("/api/openapi.json").get_json()["components"]["schemas"]


def _resolve(prop: dict, components: dict) -> dict:
    if "$ref" in prop:
        return components[prop["$ref"].rsplit("/", 1)[1]]
    refs = [p for p in prop.get("anyOf", []) if "$ref" in p]
    return components[refs[0]["$ref"].rsplit("/", 1)[1]] if refs else prop


def _check_scalar(scalar: Scalar, prop: dict, path: str) -> list[str]:
    expected = {
        "int": {"type": "integer", "minimum": scalar.minimum, "maximum": scalar.maximum},
        "bool": {"type": "boolean"},
        "enum": {"type": "string", "enum": list(scalar.labels)},
        "date": {"type": "string", "format": "date"},
        "code": {"type": "string", "pattern": f"^[0-9]{{{scalar.digits}}}$"},
    }[scalar.kind]
    return [f"{path}.{key}: {prop.get(key)!r} != {value!r}" for key, value in expected.items() if prop.get(key) != value]


def _check_object(node: Obj, schema: dict, components: dict, path: str) -> list[str]:
    wrong = []
    properties = schema["properties"]
    if set(properties) != set(node.fields):
        wrong.append(f"{path or 'profile'}: fields {sorted(properties)} != the grid's {sorted(node.fields)}")
    for name, child in node.fields.items():
        where = f"{path}.{name}" if path else name
        prop = properties.get(name)
        if prop is None:
            continue
        optional = (isinstance(child, Scalar) and child.kind == "bool") or (isinstance(child, Obj) and child.nullable) \
            or (isinstance(child, ListOf) and child.min_items == 0)
        if (name in schema.get("required", [])) == optional:
            wrong.append(f"{where}: required is {not optional} in the grid")
        if isinstance(child, Scalar):
            wrong += _check_scalar(child, prop, where)
        elif isinstance(child, Obj):
            wrong += _check_object(child, _resolve(prop, components), components, where)
        else:
            if (prop.get("minItems"), prop.get("maxItems")) != (child.min_items, child.max_items):
                wrong.append(f"{where}: items {prop.get('minItems')}..{prop.get('maxItems')} != "
                             f"{child.min_items}..{child.max_items}")
            items = _resolve(prop["items"], components)
            wrong += (_check_scalar(child.items, items, f"{where}[]") if isinstance(child.items, Scalar)
                      else _check_object(child.items, items, components, f"{where}[]"))
    return wrong


def test_the_openapi_profile_input_is_the_grids_input_contract(components):
    # Every input of the grid but the one the service alone sets from verified job offers.
    inputs = shipped_grid().inputs
    assert "verified_job_offer" in inputs.fields and "verified_job_offer" not in components["ProfileInput"]["properties"]
    assert _check_object(verified_offers.candidate_inputs(inputs), components["ProfileInput"], components, "") == []


def _item(node: ListOf, position: int, template):
    if isinstance(node.items, Scalar):
        return node.items.labels[position]
    return {**template, node.unique: _distinct_value(node.items.fields[node.unique], position)}


def _distinct_value(scalar: Scalar, position: int):
    return scalar.labels[position] if scalar.kind == "enum" else f"{position + 1:0{scalar.digits}d}"


@pytest.mark.parametrize("name", [n for n, node in shipped_grid().inputs.fields.items() if isinstance(node, ListOf)])
def test_every_list_takes_up_to_the_grids_limit_and_no_more(name):
    node = shipped_grid().inputs.fields[name]
    base = sample_profile()
    template = base[name][0] if base[name] and isinstance(base[name][0], dict) else None
    longest = [_item(node, i, template) for i in range(node.max_items + 1)]
    assert ProfileInputSchema().load({**base, name: longest[:node.max_items]})[name] == longest[:node.max_items]
    with pytest.raises(ValidationError) as refused:
        ProfileInputSchema().load({**base, name: longest})
    assert name in refused.value.messages
