"""A fuzzer over the whole URL map (app.url_map): every rule and method, as every role, with
hostile values in path variables, query strings, form fields, uploads and JSON bodies. The forms
are those the pages themselves show (found by reading every page fetched), so a request usually
passes the form's shape and carries one to three hostile values deeper in. Seeded: one seed
sends the same requests against the same world.

Used by tests/web/test_fuzz.py (a few hundred requests) and benchmarks/fuzz_routes.py (10,000+).
A finding is any 5xx or exception; the request is kept so it can be replayed.

The parts: pages.py reads a page's forms and links, values.py makes the hostile values,
fuzzer.py sends the requests and keeps the report (report.py), accounts.py signs each role in
and makes its API tokens.
"""

from .accounts import signer, token_maker
from .fuzzer import RouteFuzzer
from .report import Finding, Report, Request

__all__ = ["Finding", "Report", "Request", "RouteFuzzer", "signer", "token_maker"]
