// Reference canonical N-Quads with jsonld.js (safe mode: a dropped term is an
// error), for the fast path's differential tests. Contexts come only from
// contexts/MANIFEST.tsv; nothing is fetched.
//
//   node reference.mjs canonize MANIFEST FILE.json...
//       writes FILE.nq beside each FILE.json
//   node reference.mjs rdfc - FILE.nq...
//       writes FILE.c14n.nq: RDFC-1.0 of N-Quads with rdf-canonize
//   node reference.mjs generate MANIFEST BASE.json OUT_DIR COUNT SEED
//       writes OUT_DIR/variant-NNN.json and .nq: seeded variants of BASE
//       (field subsets, arrays with duplicates, identical sibling objects,
//       Unicode and escapes, booleans, integers, odd dates, issuer objects,
//       status entries), each canonicalised by jsonld.js.
import fs from 'node:fs';
import path from 'node:path';
import jsonld from 'jsonld';
import canonizeNQ from 'rdf-canonize';

function loaderFor(manifest) {
  const base = path.dirname(path.resolve(manifest));
  const contexts = new Map();
  for (const line of fs.readFileSync(manifest, 'utf8').split('\n').slice(1)) {
    const cols = line.split('\t');
    if (cols.length >= 2 && cols[0]) contexts.set(cols[0], path.join(base, cols[1]));
  }
  return async (url) => {
    const file = contexts.get(url);
    if (!file) throw new Error(`unknown context ${url}`);
    return {contextUrl: null, documentUrl: url, document: JSON.parse(fs.readFileSync(file, 'utf8'))};
  };
}

async function canonize(doc, documentLoader) {
  // rdfDirection as jsonld-signatures (since 11.5.0) and the
  // eddsa-rdfc-2022 / ecdsa-rdfc-2019 cryptosuites canonicalize: a value's
  // @direction becomes an i18n datatype, so the proof covers it.
  return jsonld.canonize(doc, {
    algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true,
    rdfDirection: 'i18n-datatype',
  });
}

// Mulberry32: a small seeded PRNG, so variants are reproducible.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  'plain', 'Zoë Ñúñez-Ødegård', '王小明', 'Ахмед', 'quote " inside', 'back\\slash',
  'line\nbreak', 'carriage\rreturn', 'emoji 💉', '', ' leading space', 'ﬁ ligature',
];
const DATES = ['2021-06-24', '2021-6-4', 'not-a-date', '2021-06-24T10:00:00Z', '0001-01-01'];

function variant(base, rnd) {
  const v = structuredClone(base);
  const s = v.credentialSubject;
  const vac = s.vaccination;
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const maybe = (p) => rnd() < p;
  for (const k of ['familyName', 'givenName', 'standardizedFamilyName', 'standardizedGivenName']) {
    if (maybe(0.3)) delete s[k];
  }
  for (const k of ['centre', 'totalDoses', 'disease', 'maholder']) {
    if (maybe(0.3)) delete vac[k];
  }
  if (maybe(0.5)) s.name = pick(STRINGS);
  if (maybe(0.3)) vac.lot = pick(STRINGS);
  if (maybe(0.4)) vac.country = maybe(0.5) ? ['DEU', 'FRA', 'DEU'] : [pick(['UTO', 'DEU']), 'FRA'];
  if (maybe(0.3)) vac.date = pick(DATES);
  if (maybe(0.3)) vac.dose = pick([0, 1, 3, 99, 9007199254740991, -4]);
  if (maybe(0.3)) {
    // Identical sibling objects: the full RDFC-1.0 path.
    const eq = {system: 'http://snomed.info/sct', code: '1119349007'};
    vac.vaccine.equivalents = [eq, structuredClone(eq)];
  }
  if (maybe(0.2)) vac.brand.equivalents = [];
  if (maybe(0.3)) s.id = pick(['did:example:holder', 'urn:uuid:6f1c1c1e-0000-4000-8000-000000000001']);
  if (maybe(0.2)) v.id = 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33';
  if (maybe(0.2)) v.issuer = {id: v.issuer, name: pick(STRINGS)};
  if (maybe(0.3)) v['https://example.org/flags#reviewed'] = maybe(0.5);
  if (maybe(0.2)) v['https://example.org/flags#count'] = pick([0, 7, 123456789]);
  if (maybe(0.2)) {
    v.credentialStatus = {
      id: 'https://pha.example/status/3#94567', type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation', statusListIndex: '94567', statusListCredential: 'https://pha.example/status/3',
    };
  }
  if (maybe(0.2)) v.validUntil = pick(['2031-07-08T00:00:00Z', '2031-07-08T00:00:00.123+02:00']);
  if (maybe(0.15)) v.type = ['VerifiableCredential', 'DDCCVaccinationCredential', 'VerifiableCredential'];
  return v;
}

const [mode, manifest, ...rest] = process.argv.slice(2);
const documentLoader = mode === 'rdfc' ? null : loaderFor(manifest);
if (mode === 'canonize') {
  for (const file of rest) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file.replace(/\.json$/, '.nq'), await canonize(doc, documentLoader));
  }
} else if (mode === 'generate') {
  const [baseFile, outDir, count, seed] = rest;
  const base = JSON.parse(fs.readFileSync(baseFile, 'utf8'));
  delete base.proof;
  const rnd = prng(Number(seed));
  fs.mkdirSync(outDir, {recursive: true});
  for (let i = 0; i < Number(count); i++) {
    const v = variant(base, rnd);
    const name = path.join(outDir, `variant-${String(i).padStart(3, '0')}`);
    fs.writeFileSync(`${name}.json`, JSON.stringify(v) + '\n');
    fs.writeFileSync(`${name}.nq`, await canonize(v, documentLoader));
  }
} else if (mode === 'rdfc') {
  // RDFC-1.0 of N-Quads inputs: writes NAME.c14n.nq beside each NAME.nq.
  for (const file of rest) {
    const input = fs.readFileSync(file, 'utf8');
    const out = await canonizeNQ.canonize(input, {algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', maxDeepIterations: 1000});
    fs.writeFileSync(file.replace(/\.nq$/, '.c14n.nq'), out);
  }
} else {
  console.error('usage: reference.mjs canonize|generate|rdfc MANIFEST …');
  process.exit(2);
}
