#!/usr/bin/env python3
"""Independent JSON-LD check with pyld (a port of jsonld.js).

Usage: jsonld-crosscheck.py CONTEXTS_MANIFEST [URL=FILE…] < document.json
       jsonld-crosscheck.py --many CONTEXTS_MANIFEST < array-of-documents.json
         (prints a JSON array: {"nquads": …} or {"error": …} per document;
         the dropped-term check is left to the caller, since documents with
         repeated values legitimately yield fewer statements)

Loads contexts only from the files listed in the manifest (url<TAB>file<TAB>…,
paths relative to the manifest); any other URL is an error. Prints the
RDFC-1.0 (URDNA2015) canonical N-Quads of the document on stdout. Exits 3
when expansion dropped a term (fewer statements than property values), so a
caller can tell "dropped a term" apart from "different quads".
"""
import json
import os
import sys

from pyld import jsonld


def main() -> int:
    many = len(sys.argv) > 1 and sys.argv[1] == "--many"
    if many:
        del sys.argv[1]
    manifest = sys.argv[1]
    base = os.path.dirname(os.path.abspath(manifest))
    contexts = {}
    with open(manifest, encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) >= 2:
                contexts[cols[0]] = os.path.join(base, cols[1])
    for extra in sys.argv[2:]:
        url, path = extra.split("=", 1)
        contexts[url] = path

    def loader(url, options=None):
        if url not in contexts:
            raise jsonld.JsonLdError("unknown context " + url, "loading document failed")
        with open(contexts[url], encoding="utf-8") as f:
            return {"contextUrl": None, "documentUrl": url, "document": json.load(f)}

    options = {"documentLoader": loader}
    if many:
        results = []
        for doc in json.load(sys.stdin):
            doc.pop("proof", None)
            try:
                results.append({"nquads": canonical(doc, options, strict=False)})
            except Exception as e:  # noqa: BLE001 - reported per document
                results.append({"error": str(e)[:200]})
        json.dump(results, sys.stdout)
        return 0
    doc = json.load(sys.stdin)
    doc.pop("proof", None)
    try:
        sys.stdout.write(canonical(doc, options))
    except DroppedTerm as e:
        print(e, file=sys.stderr)
        return 3
    return 0


class DroppedTerm(Exception):
    pass


def canonical(doc, options, strict=True):

    # rdfDirection as the Data Integrity cryptosuites canonicalize (a
    # value's @direction becomes an i18n datatype, covered by the proof).
    nquads = jsonld.normalize(
        doc,
        {**options, "algorithm": "URDNA2015", "format": "application/n-quads", "rdfDirection": "i18n-datatype"},
    )

    # Every property value of every node yields one statement; fewer
    # statements than values means expansion dropped a term.
    def statements(v):
        if isinstance(v, list):
            return sum(statements(x) for x in v)
        if not isinstance(v, dict):
            return 0
        n = 0
        for k, x in v.items():
            if k in ("@context", "id", "@id"):
                continue
            values = x if isinstance(x, list) else [x]
            n += len([y for y in values if y is not None]) + statements(values)
        return n

    expected = statements(doc)
    got = len([line for line in nquads.splitlines() if line])
    if strict and got != expected:
        raise DroppedTerm(f"expansion kept {got} of {expected} statements: a term was dropped")
    return nquads


if __name__ == "__main__":
    sys.exit(main())
