// The heap-snapshot page: worker mode, keys generated, read, unlocked, used and exported.
// The passphrases and the secret key arrive through window.__run (called by the driving
// test) and are dropped after use; the driver then takes a heap snapshot of this page.
import * as sp from '../../src/browser.js';

window.__run = async (lockedArmored, passphrase, generatedPassphrase) => {
  const locked = await sp.readPrivateKey({ armoredKey: lockedArmored });
  const open = await sp.decryptKey({ privateKey: locked, passphrase });
  const { privateKey: generated } = await sp.generateKey({ userIDs: 'Heap <heap@example.org>', format: 'object', passphrase: generatedPassphrase });
  const generatedOpen = await sp.decryptKey({ privateKey: generated, passphrase: generatedPassphrase });
  const message = await sp.createMessage({ text: 'heap check' });
  const encrypted = await sp.encrypt({ message, encryptionKeys: [await open.toPublic(), await generatedOpen.toPublic()], signingKeys: [open, generatedOpen] });
  const { data } = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: encrypted }), decryptionKeys: open, verificationKeys: await generated.toPublic(), expectSigned: true });
  const exported = [await open.armor(), await generatedOpen.armor(), await generated.armor()];
  // Kept alive on purpose: the keys are still held by the page when the snapshot is taken.
  window.__keep = { open, generatedOpen, exported };
  return data;
};
