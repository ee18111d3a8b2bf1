"""Schemathesis hooks for the contract run.

A cursor is opaque: only one the API handed out, for the same query, is valid, and any other
answers 400. Generated strings can never be such a cursor, so generated cursors are left out;
real ones are followed by the paging tests of the black-box suite."""
import schemathesis


@schemathesis.hook
def map_query(context, query):
    if query:
        query.pop("cursor", None)
    return query
