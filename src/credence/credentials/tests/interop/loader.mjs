// The document loader of both scripts: the bundled contexts (CONTEXTS-DIR/manifest.json),
// did:key, and one given DID document (or none); any other URL is refused.
import fs from 'node:fs';
import path from 'node:path';

export function documentLoaderFor(ctxDir, didDoc) {
  const manifest = JSON.parse(fs.readFileSync(path.join(ctxDir, 'manifest.json'), 'utf8'));
  const contexts = new Map(manifest.map(e => [e.url, JSON.parse(fs.readFileSync(path.join(ctxDir, e.file), 'utf8'))]));
  return async function documentLoader(url) {
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
  };
}
