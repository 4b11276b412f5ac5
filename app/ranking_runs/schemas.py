"""The pool's score distribution per member state, on the wire."""
from __future__ import annotations

from marshmallow import fields

from app.base_schema import Schema


class BucketSchema(Schema):
    low = fields.Integer(required=True, metadata={"description": "Lowest score in the bucket."})
    high = fields.Integer(required=True, metadata={"description": "Highest score in the bucket."})
    candidates = fields.Integer(required=True, allow_none=True, metadata={
        "description": "Candidates in the bucket; null when `fewer_than_10` or `withheld`."})
    fewer_than_10 = fields.Boolean(required=True, metadata={
        "description": "Fewer than 10 candidates: the count is not published, so no one can be singled out."})
    withheld = fields.Boolean(required=True, metadata={
        "description": "A count of 10 or more not published, because the state's total would otherwise give "
                       "away the state's one bucket with fewer than 10."})


class StateDistributionSchema(Schema):
    state = fields.String(required=True)
    candidates = fields.Integer(required=True, allow_none=True, metadata={
        "description": "Candidates ranked at the state; null when fewer than 10."})
    buckets = fields.List(fields.Nested(BucketSchema), required=True)


class DistributionSchema(Schema):
    ranking_run = fields.Integer(allow_none=True, required=True)
    run_date = fields.Date(allow_none=True, required=True)
    bucket_width = fields.Integer(required=True)
    smallest_count = fields.Integer(required=True, metadata={"description": "No smaller count is published."})
    candidates = fields.Integer(required=True, metadata={"description": "Candidates in that night's ranking."})
    states = fields.List(fields.Nested(StateDistributionSchema), required=True)
