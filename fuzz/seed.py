#!/usr/bin/env python3
"""Seeds the fuzz corpora (fuzz/corpus/TARGET/) from the external test
vectors and the repository's own fixtures: every file is offered to the
targets whose input it resembles. Nothing is copied into the repository;
the corpora are made where the fuzzing runs.

    fuzz/seed.py VECTORS_DIR [REPO_DIR]
"""
import hashlib
import json
import os
import re
import sys

vectors = sys.argv[1]
repo = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..")
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
MAX = 256 * 1024
counts = {}


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX:
        return
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
    counts[target] = counts.get(target, 0) + 1


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)


SDJWT = re.compile(r"ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*~[A-Za-z0-9_~.-]*")


def offer(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) > MAX:
        return
    low = path.lower()
    if low.endswith((".png", ".jpg", ".jpeg")):
        put("qr_image", data)
        return
    if low.endswith((".zip", ".bin", ".cborld")):
        put("divoc", data)
        put("detect_and_verify", data)
        return
    try:
        text = data.decode()
    except UnicodeDecodeError:
        return
    for m in re.findall(r"HC1:[0-9A-Z $%*+\-./:]+", text):
        put("hcert", m)
        put("detect_and_verify", m)
    for m in re.findall(r"shc:/[0-9]+(?:/[0-9]+/[0-9]+)?", text):
        put("shc", m)
        put("detect_and_verify", m)
    for m in SDJWT.findall(text):
        put("sd_jwt", m)
        put("detect_and_verify", m)
    if low.endswith(".nq") or "_:c14n" in text or text.startswith("<"):
        put("jsonld_rdfc", text)
    if low.endswith(".toml"):
        put("trust_list", text)
    if low.endswith(".csv"):
        put("records", text)
    try:
        doc = json.loads(text)
    except ValueError:
        return
    put("jsonld_rdfc", text)
    if isinstance(doc, dict):
        if "verificationMethod" in doc or "assertionMethod" in doc:
            put("did_document", text)
        if "encodedList" in text or "statusPurpose" in text:
            put("status_list", text)
            for s in strings(doc):
                if s.startswith(("H4sI", "uH4sI")):
                    put("status_list", s)
        if "resourceType" in doc or "subject" in doc:
            put("records", text)
        if "gdhcn" in low or "trustlist" in text.lower():
            put("trust_list", text)
        if "divoc" in low or "evidence" in doc:
            put("divoc", text)
        if "fhirBundle" in text or "verifiableCredential" in doc and "smart" in low:
            put("shc", text)
        if "proof" in doc or "type" in doc:
            put("detect_and_verify", text)
        for s in strings(doc):
            if s.count(".") == 2 and s.startswith("ey") and "shc" in low:
                put("shc", s)


for root in (vectors, os.path.join(repo, "examples"), os.path.join(repo, "crates"), os.path.join(repo, "rules")):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in ("target", ".git", "node_modules")]
        for name in filenames:
            if name.endswith((".rs", ".md", ".html", ".js", ".py", ".sh")):
                continue
            offer(os.path.join(dirpath, name))

# A CSV batch, as issuers write them (the columns of ddcc_core::records_csv).
put("records", "hcid,name,birth_date,issuer_name,issuer_country,vaccine_code,brand_code,"
    "disease_code,lot,date,dose,total_doses,country,centre,valid_until\n"
    "URN:HCID:1,Ana Silva,1980-02-29,Ministry of Health,PT,XM1NL1,XM1GD4,RA01,L-1,"
    "2021-06-01,1,2,PT,Lisbon,2031-01-01\n"
    "URN:HCID:2,,1975,,,XM1NL1,,,,2021-07-01,2,2,,,\n")
for name, n in sorted(counts.items()):
    print(f"{name}: {n} seeds")
