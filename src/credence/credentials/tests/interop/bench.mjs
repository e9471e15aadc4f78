// The reference side of bench/verify.py: Digital Bazaar's verifier doing in-process what
// Credence's offline verification does (the credential's proof, then each status entry: the
// status list credential's proof, its issuer, expiry and purpose, and the entry's value of
// statusSize bits, most significant first, at statusListIndex times statusSize).
// Usage: node bench.mjs BUNDLE.json CONTEXTS-DIR, BUNDLE holding {didDocument, credentials,
// broken, statusLists: {url: credential}}. Then one line per batch on stdin: "proof" or
// "status" verifies every credential once, "broken" every broken one (changed after signing,
// or with a term no context defines), each of which must fail; one JSON line answers
// {"seconds": ..., "count": ...}.
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {documentLoaderFor} from './loader.mjs';

const [bundleFile, ctxDir] = process.argv.slice(2);
const bundle = JSON.parse(fs.readFileSync(bundleFile, 'utf8'));
const documentLoader = documentLoaderFor(ctxDir, bundle.didDocument);
const suite = new DataIntegrityProof({cryptosuite});
const purpose = new jsigs.purposes.AssertionProofPurpose();

async function verifyProof(document) {
  const result = await jsigs.verify(document, {suite, purpose, documentLoader});
  if(!result.verified) {
    throw new Error(String(result.error && (result.error.errors || result.error)));
  }
}

const issuerOf = document => typeof document.issuer === 'string' ? document.issuer : document.issuer.id;

async function checkStatus(credential, now) {
  for(const entry of [].concat(credential.credentialStatus || [])) {
    const list = bundle.statusLists[entry.statusListCredential];
    await verifyProof(list);
    if(issuerOf(list) !== issuerOf(credential)) throw new Error('the status list has another issuer');
    if(list.validUntil && new Date(list.validUntil) < now) throw new Error('the status list has expired');
    const subject = list.credentialSubject;
    if(subject.statusPurpose !== entry.statusPurpose) throw new Error('the status list is for another purpose');
    const bits = zlib.gunzipSync(Buffer.from(subject.encodedList.slice(1), 'base64url'));
    const size = entry.statusSize || 1;
    const index = Number(entry.statusListIndex);
    let value = 0;
    for(let position = index * size; position < (index + 1) * size; position++) {
      value = (value << 1) | ((bits[position >> 3] >> (7 - (position & 7))) & 1);
    }
    if(value !== 0) throw new Error(`status ${entry.statusPurpose} is ${value}`);
  }
}

async function refuse(document) {
  const result = await jsigs.verify(document, {suite, purpose, documentLoader});
  if(result.verified) throw new Error('a broken credential verified');
}

for await (const mode of readline.createInterface({input: process.stdin})) {
  const now = new Date();
  const documents = mode === 'broken' ? bundle.broken : bundle.credentials;
  const started = process.hrtime.bigint();
  for(const document of documents) {
    if(mode === 'broken') {
      await refuse(document);
      continue;
    }
    await verifyProof(document);
    if(mode === 'status') await checkStatus(document, now);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({seconds, count: documents.length}));
}
