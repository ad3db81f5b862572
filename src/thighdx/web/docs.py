"""The API documentation page at /docs, drawn here from the OpenAPI schema: plain HTML with no script
and nothing from another origin (the framework's Swagger UI loads its script from a public CDN).
The schema itself is at /openapi.json for any OpenAPI tool."""

from __future__ import annotations

import json
from html import escape
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(content: dict[str, Any]) -> str:
    schema = (content.get("application/json") or {}).get("schema") or {}
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref") or ""
    name = ref.rsplit("/", 1)[-1]
    return f"{name}[]" if name and "items" in schema else name


def docs_page(schema: dict[str, Any]) -> str:
    info = schema.get("info", {})
    parts = [
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        f"<title>{escape(str(info.get('title', 'API')))} API</title></head><body><main>",
        f"<h1>{escape(str(info.get('title', 'API')))} API {escape(str(info.get('version', '')))}</h1>",
        f"<pre>{escape(str(info.get('description', '')))}</pre>",
        "<p>The machine-readable schema: <a href=\"/openapi.json\">/openapi.json</a>.</p>",
    ]
    for path, operations in schema.get("paths", {}).items():
        for method in METHODS:
            op = operations.get(method)
            if op is None:
                continue
            anchor = escape(str(op.get("operationId", f"{method}-{path}")))
            parts.append(f"<section id=\"{anchor}\"><h2><code>{method.upper()} {escape(path)}</code></h2>")
            if op.get("summary"):
                parts.append(f"<p><strong>{escape(op['summary'])}</strong></p>")
            if op.get("description"):
                parts.append(f"<p>{escape(op['description'])}</p>")
            params = op.get("parameters") or []
            if params:
                parts.append("<h3>Parameters</h3><ul>")
                for p in params:
                    required = " (required)" if p.get("required") else ""
                    parts.append(f"<li><code>{escape(str(p.get('name')))}</code> in {escape(str(p.get('in')))}{required}"
                                 f"{': ' + escape(p['description']) if p.get('description') else ''}</li>")
                parts.append("</ul>")
            body = op.get("requestBody")
            if body:
                parts.append(f"<h3>Body</h3><p><a href=\"#schema-{escape(_schema_name(body.get('content', {})).rstrip('[]'))}\">"
                             f"{escape(_schema_name(body.get('content', {})) or 'JSON')}</a></p>")
            parts.append("<h3>Responses</h3><ul>")
            for status, response in (op.get("responses") or {}).items():
                name = _schema_name(response.get("content") or {})
                parts.append(f"<li>{escape(str(status))}: {escape(str(response.get('description', '')))}"
                             f"{' (' + escape(name) + ')' if name else ''}</li>")
            parts.append("</ul></section>")
    parts.append("<h2>Schemas</h2>")
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        parts.append(f"<section id=\"schema-{escape(name)}\"><h3>{escape(name)}</h3>"
                     f"<pre>{escape(json.dumps(component, indent=2, ensure_ascii=False))}</pre></section>")
    parts.append("</main></body></html>")
    return "".join(parts)
