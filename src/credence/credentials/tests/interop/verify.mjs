// An independent verifier for the credentials tests: Digital Bazaar's jsonld-signatures with
// the eddsa-rdfc-2022 cryptosuite (jsonld.js in safe mode). Usage:
//   node verify.mjs CREDENTIAL.json DID-DOCUMENT.json|- CONTEXTS-DIR
// Loads only the bundled contexts, the given DID document and did:key; prints
// {"verified": bool, "error": ...} and exits 0 when the proof verifies.
import fs from 'node:fs';
import path from 'node:path';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const [credFile, didFile, ctxDir] = process.argv.slice(2);
const credential = JSON.parse(fs.readFileSync(credFile, 'utf8'));
const didDoc = didFile && didFile !== '-' ? JSON.parse(fs.readFileSync(didFile, 'utf8')) : null;
const manifest = JSON.parse(fs.readFileSync(path.join(ctxDir, 'manifest.json'), 'utf8'));
const contexts = new Map(manifest.map(e => [e.url, JSON.parse(fs.readFileSync(path.join(ctxDir, e.file), 'utf8'))]));

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:key:')) {
    const [did, frag] = url.split('#');
    const mk = did.slice('did:key:'.length);
    const vm = {'@context': 'https://w3id.org/security/multikey/v1', id: `${did}#${mk}`, type: 'Multikey', controller: did, publicKeyMultibase: mk};
    if(frag) return {contextUrl: null, documentUrl: url, document: vm};
    return {contextUrl: null, documentUrl: url, document: {'@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'], id: did, verificationMethod: [vm], assertionMethod: [vm.id]}};
  }
  if(didDoc && url.split('#')[0] === didDoc.id) {
    if(url.includes('#')) {
      const vm = didDoc.verificationMethod.find(v => v.id === url);
      if(!vm) throw new Error('no vm ' + url);
      return {contextUrl: null, documentUrl: url, document: {'@context': 'https://w3id.org/security/multikey/v1', ...vm}};
    }
    return {contextUrl: null, documentUrl: url, document: didDoc};
  }
  throw new Error(`refusing to load ${url}`);
}

const suite = new DataIntegrityProof({cryptosuite});
const result = await jsigs.verify(credential, {
  suite,
  purpose: new jsigs.purposes.AssertionProofPurpose(),
  documentLoader,
});
console.log(JSON.stringify({verified: result.verified, error: result.error ? String(result.error.errors || result.error) : null}));
process.exit(result.verified ? 0 : 1);
