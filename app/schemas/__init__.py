"""The API contract: marshmallow schemas for every request and response (and so the OpenAPI document)."""
