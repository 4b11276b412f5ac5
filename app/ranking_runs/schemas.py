"""The pool's score distribution per member state, on the wire."""
from __future__ import annotations

from marshmallow import fields

from app.base_schema import Schema


class BucketSchema(Schema):
    low = fields.Integer(required=True, metadata={"description": "Lowest score in the bucket."})
    high = fields.Integer(required=True, metadata={"description": "Highest score in the bucket."})
    candidates = fields.Integer(required=True)


class StateDistributionSchema(Schema):
    state = fields.String(required=True)
    candidates = fields.Integer(required=True)
    buckets = fields.List(fields.Nested(BucketSchema), required=True)


class DistributionSchema(Schema):
    ranking_run = fields.Integer(allow_none=True, required=True)
    run_date = fields.Date(allow_none=True, required=True)
    bucket_width = fields.Integer(required=True)
    candidates = fields.Integer(required=True, metadata={"description": "Candidates in that night's ranking."})
    states = fields.List(fields.Nested(StateDistributionSchema), required=True)
