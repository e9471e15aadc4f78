// The second independent verifier for the credentials tests: the Digital Credentials
// Consortium's @digitalcredentials/vc (verifyCredential: the proof, and that the key's
// controller is the credential's issuer) with its eddsa-rdfc-2022 cryptosuite. Usage and
// output as verify.mjs:
//   node verify-dcc.mjs CREDENTIAL.json DID-DOCUMENT.json|- CONTEXTS-DIR
// A status list is not fetched (the loader refuses every URL but the bundled contexts, did:key
// and the given DID document): the status is Credence's own check, so this one checks the
// proof and the issuer only.
import fs from 'node:fs';
import * as vc from '@digitalcredentials/vc';
import {DataIntegrityProof} from '@digitalcredentials/data-integrity';
import {cryptosuite} from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import {documentLoaderFor} from './loader.mjs';

const [credFile, didFile, ctxDir] = process.argv.slice(2);
const credential = JSON.parse(fs.readFileSync(credFile, 'utf8'));
const didDoc = didFile && didFile !== '-' ? JSON.parse(fs.readFileSync(didFile, 'utf8')) : null;

const result = await vc.verifyCredential({
  credential,
  suite: new DataIntegrityProof({cryptosuite}),
  documentLoader: documentLoaderFor(ctxDir, didDoc),
  checkStatus: async () => ({verified: true}),
});
const error = result.error ? String(result.error.errors || result.error) : null;
console.log(JSON.stringify({verified: result.verified, error}));
process.exit(result.verified ? 0 : 1);
