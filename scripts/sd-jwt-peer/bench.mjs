// The @sd-jwt/sd-jwt-vc 0.19 peer of PERFORMANCE.md, on this machine:
// verifies the same checkpoint presentation ddcc's criterion benchmark
// verifies (issuer EdDSA signature, disclosures, KB-JWT with aud, nonce and
// sd_hash), so the two figures can be compared minutes apart.
//
//   node bench.mjs PRESENTATION_FILE ISSUER_DID AUD NONCE [N]
//
// ISSUER_DID is the issuer's Ed25519 did:key; its key is decoded here, once,
// as a peer given the key would do.
import { readFileSync } from 'node:fs';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';

const [file, issuerDid, aud, nonce, n = '5000'] = process.argv.slice(2);
const presentation = readFileSync(file, 'utf8').trim();

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(text) {
  let value = 0n;
  for (const c of text) value = value * 58n + BigInt(ALPHABET.indexOf(c));
  const bytes = [];
  while (value > 0n) { bytes.unshift(Number(value & 0xffn)); value >>= 8n; }
  return Buffer.from(bytes);
}
const multikey = base58(issuerDid.replace(/^did:key:z/, ''));
if (multikey[0] !== 0xed || multikey[1] !== 0x01) throw new Error('not an Ed25519 did:key');
const issuerKey = createPublicKey({
  key: { kty: 'OKP', crv: 'Ed25519', x: multikey.subarray(2).toString('base64url') },
  format: 'jwk',
});

const ed25519 = (key) => async (data, sig) =>
  verify(null, Buffer.from(data), key, Buffer.from(sig, 'base64url'));

const sdjwt = new SDJwtVcInstance({
  hasher: async (data, alg) => {
    if (alg !== 'sha-256') throw new Error(`unsupported ${alg}`);
    return new Uint8Array(createHash('sha256').update(data).digest());
  },
  verifier: ed25519(issuerKey),
  kbVerifier: async (data, sig, payload) =>
    ed25519(createPublicKey({ key: payload.cnf.jwk, format: 'jwk' }))(data, sig),
});

async function once() {
  const { payload, kb } = await sdjwt.verify(presentation, { keyBindingNonce: nonce });
  if (!kb || kb.payload.aud !== aud) throw new Error('audience or key binding missing');
  return payload;
}

const claims = await once();
if (!claims.iss) throw new Error('no iss');
const rounds = Number(n);
for (let i = 0; i < Math.min(1000, rounds); i++) await once(); // warm-up
const results = [];
for (let r = 0; r < 3; r++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await once();
  const us = Number(process.hrtime.bigint() - start) / 1000 / rounds;
  results.push(us);
}
results.sort((a, b) => a - b);
console.log(JSON.stringify({
  peer: '@sd-jwt/sd-jwt-vc 0.19.0',
  operation: 'verify checkpoint presentation with KB-JWT',
  runs_us: results.map((u) => Number(u.toFixed(1))),
  median_us: Number(results[1].toFixed(1)),
  per_second: Math.round(1e6 / results[1]),
}));
