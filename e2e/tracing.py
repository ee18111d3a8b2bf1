"""Reading what the stack's trace sink (scripts/otlp-sink.py) kept: its records of OTLP/HTTP
export requests, decoded with opentelemetry-proto."""
import struct

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from conftest import ROOT

TRACES = ROOT / ".run" / "traces"
KINDS = {Span.SPAN_KIND_SERVER: "server", Span.SPAN_KIND_CLIENT: "client", Span.SPAN_KIND_INTERNAL: "internal",
         Span.SPAN_KIND_PRODUCER: "producer", Span.SPAN_KIND_CONSUMER: "consumer"}


def value(any_value):
    return getattr(any_value, any_value.WhichOneof("value")) if any_value.WhichOneof("value") else None


def spans_of(trace_id):
    """Every span of the trace (hex id) the sink holds, as dicts."""
    wanted = bytes.fromhex(trace_id)
    found = []
    for path in (TRACES / "traces.otlp.1", TRACES / "traces.otlp"):
        if not path.exists():
            continue
        data = path.read_bytes()
        offset = 0
        while offset + 4 <= len(data):
            (length,) = struct.unpack(">I", data[offset:offset + 4])
            body = data[offset + 4:offset + 4 + length]
            offset += 4 + length
            if wanted not in body:
                continue
            request = ExportTraceServiceRequest.FromString(body)
            for resource_spans in request.resource_spans:
                resource = {a.key: value(a.value) for a in resource_spans.resource.attributes}
                for scope in resource_spans.scope_spans:
                    for span in scope.spans:
                        if span.trace_id != wanted:
                            continue
                        found.append({
                            "service": resource.get("service.name"), "name": span.name,
                            "kind": KINDS.get(span.kind, str(span.kind)), "id": span.span_id.hex(),
                            "parent": span.parent_span_id.hex() or None,
                            "attributes": {a.key: value(a.value) for a in span.attributes},
                            "start": span.start_time_unix_nano, "end": span.end_time_unix_nano,
                        })
    return found
