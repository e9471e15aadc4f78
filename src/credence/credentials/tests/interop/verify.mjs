// An independent verifier for the credentials tests: Digital Bazaar's jsonld-signatures with
// the eddsa-rdfc-2022 cryptosuite (jsonld.js in safe mode). Usage:
//   node verify.mjs CREDENTIAL.json DID-DOCUMENT.json|- CONTEXTS-DIR
// Loads only the bundled contexts, the given DID document and did:key; prints
// {"verified": bool, "error": ...} and exits 0 when the proof verifies.
import fs from 'node:fs';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {documentLoaderFor} from './loader.mjs';

const [credFile, didFile, ctxDir] = process.argv.slice(2);
const credential = JSON.parse(fs.readFileSync(credFile, 'utf8'));
const didDoc = didFile && didFile !== '-' ? JSON.parse(fs.readFileSync(didFile, 'utf8')) : null;

const suite = new DataIntegrityProof({cryptosuite});
const result = await jsigs.verify(credential, {
  suite,
  purpose: new jsigs.purposes.AssertionProofPurpose(),
  documentLoader: documentLoaderFor(ctxDir, didDoc),
});
console.log(JSON.stringify({verified: result.verified, error: result.error ? String(result.error.errors || result.error) : null}));
process.exit(result.verified ? 0 : 1);
