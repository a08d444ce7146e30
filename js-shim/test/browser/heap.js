// The heap-snapshot page: worker mode, keys generated, read, unlocked, used and exported (armored
// and binary). The passphrases and the secret key arrive through window.__run (called by the
// driving test) and are dropped after use; the driver then searches this page's heap: the
// snapshot's strings and the bytes of every ArrayBuffer.
import * as sp from '../../src/browser.js';

window.__run = async (lockedArmored, passphrase, generatedPassphrase) => {
  const locked = await sp.readPrivateKey({ armoredKey: lockedArmored });
  const open = await sp.decryptKey({ privateKey: locked, passphrase });
  const { privateKey: generated } = await sp.generateKey({ userIDs: 'Heap <heap@example.org>', format: 'object', passphrase: generatedPassphrase });
  const generatedOpen = await sp.decryptKey({ privateKey: generated, passphrase: generatedPassphrase });
  const { privateKey: generatedBinary } = await sp.generateKey({ userIDs: 'Bin <bin@example.org>', format: 'binary', passphrase: generatedPassphrase });
  const message = await sp.createMessage({ text: 'heap check' });
  const encryptionKeys = [await open.toPublic(), await generatedOpen.toPublic()];
  const encrypted = await sp.encrypt({ message, encryptionKeys, signingKeys: [open, generatedOpen] });
  const encryptedBinary = await sp.encrypt({ message: await sp.createMessage({ binary: new Uint8Array(64) }), encryptionKeys, signingKeys: [open, generatedOpen], format: 'binary' });
  const { data } = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: encrypted }), decryptionKeys: open, verificationKeys: await generated.toPublic(), expectSigned: true });
  await sp.decrypt({ message: await sp.readMessage({ binaryMessage: encryptedBinary }), decryptionKeys: generatedOpen, format: 'binary' });
  const exported = [await open.armor(), await generatedOpen.armor(), await generated.armor()];
  const written = [await open.write(), await generatedOpen.write(), await generated.write(), generatedBinary];
  // Kept alive on purpose: the keys and every export are still held by the page when the heap is searched.
  window.__keep = { open, generatedOpen, exported, written, encryptedBinary };
  return { data, generatedLocked: exported[2] };
};
