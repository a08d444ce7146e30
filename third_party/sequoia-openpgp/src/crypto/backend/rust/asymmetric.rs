//! Holds the implementation of [`Signer`] and [`Decryptor`] for [`KeyPair`].
//!
//! [`Signer`]: ../../asymmetric/trait.Signer.html
//! [`Decryptor`]: ../../asymmetric/trait.Decryptor.html
//! [`KeyPair`]: ../../asymmetric/struct.KeyPair.html

// Without the NIST curves (crypto-rust-nist) the code shared with them is unused.
#![cfg_attr(not(feature = "crypto-rust-nist"), allow(unused_imports, unused_variables, dead_code))]

use std::convert::TryFrom;
use std::time::SystemTime;

use num_bigint_dig::{traits::ModInverse, BigUint};
use num_integer::Integer;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{Pkcs1v15Encrypt, RsaPublicKey, RsaPrivateKey, Pkcs1v15Sign};

#[cfg(feature = "crypto-rust-nist")]
use ecdsa::{
    EncodedPoint,
    hazmat::{SignPrimitive, VerifyPrimitive},
};
#[cfg(feature = "crypto-rust-nist")]
use p256::elliptic_curve::{
    generic_array::GenericArray as GA,
    ops::Reduce,
    sec1::FromEncodedPoint,
};

use crate::{Error, Result};
use crate::crypto::asymmetric::KeyPair;
use crate::crypto::backend::interface::Asymmetric;
use crate::crypto::mem::Protected;
use crate::crypto::mpi::{self, MPI, ProtectedMPI};
use crate::crypto::SessionKey;
#[cfg(feature = "crypto-rust-nist")]
use crate::crypto::pad_truncating;
use crate::packet::{key, Key};
use crate::packet::key::{Key4, SecretParts};
use crate::types::{Curve, HashAlgorithm, PublicKeyAlgorithm};

use super::GenericArrayExt;

impl TryFrom<&Protected> for Box<ed25519_dalek::SigningKey> {
    type Error = anyhow::Error;

    fn try_from(value: &Protected) -> Result<Self> {
        if value.len() != ed25519_dalek::SECRET_KEY_LENGTH {
            return Err(crate::Error::InvalidArgument(
                "Bad Ed25519 secret length".into()).into());
        }
        Ok(Box::new(ed25519_dalek::SigningKey::from_bytes(
            value.as_ref().try_into().map_err(
                |e: std::array::TryFromSliceError| {
                    Error::InvalidKey(e.to_string())
                })?)))
    }
}

#[cfg(feature = "crypto-rust-448")]
impl TryFrom<&Protected> for Box<cx448::SigningKey> {
    type Error = anyhow::Error;

    fn try_from(value: &Protected) -> Result<Self> {
        if value.len() != cx448::SECRET_KEY_LENGTH {
            return Err(crate::Error::InvalidArgument(
                "Bad Ed448 secret length".into()).into());
        }
        Ok(Box::new(cx448::SigningKey::from(
            cx448::SecretKey::from_slice(value.as_ref()))))
    }
}

impl Asymmetric for super::Backend {
    fn supports_algo(algo: PublicKeyAlgorithm) -> bool {
        use PublicKeyAlgorithm::*;
        #[allow(deprecated)]
        match algo {
            X25519 | Ed25519 |
            RSAEncryptSign | RSAEncrypt | RSASign | ECDH | EdDSA | ECDSA
                => true,
            X448 | Ed448 => cfg!(feature = "crypto-rust-448"),
            DSA
                => cfg!(feature = "crypto-rust-dsa"),
            MLDSA65_Ed25519 => cfg!(feature = "crypto-rust-pqc"),
            MLDSA87_Ed448 => cfg!(all(feature = "crypto-rust-pqc", feature = "crypto-rust-448")),
            SLHDSA128s | SLHDSA128f | SLHDSA256s => cfg!(feature = "crypto-rust-pqc"),
            MLKEM768_X25519 => cfg!(feature = "crypto-rust-pqc"),
            MLKEM1024_X448 => cfg!(all(feature = "crypto-rust-pqc", feature = "crypto-rust-448")),
            ElGamalEncrypt | ElGamalEncryptSign | Private(_) | Unknown(_)
                => false,
        }
    }

    fn supports_curve(curve: &Curve) -> bool {
        use self::Curve::*;
        match curve {
            NistP256 | NistP384 | NistP521
                => cfg!(feature = "crypto-rust-nist"),
            Ed25519 | Cv25519
                => true,
            BrainpoolP256 | BrainpoolP384 | BrainpoolP512 | Unknown(_)
                => false,
        }
    }

    fn x25519_generate_key() -> Result<(Protected, [u8; 32])> {
        let mut secret = Protected::new(32);
        crate::crypto::random(&mut secret)?;

        let public = Self::x25519_derive_public(&secret)?;
        Ok((secret, public))
    }

    fn x25519_derive_public(secret: &Protected) -> Result<[u8; 32]> {
        use x25519_dalek::{PublicKey, StaticSecret};

        let secret = StaticSecret::from(<[u8; 32]>::try_from(&secret[..])?);
        Ok(*PublicKey::from(&secret).as_bytes())
    }

    fn x25519_shared_point(secret: &Protected, public: &[u8; 32])
                           -> Result<Protected> {
        use x25519_dalek::{StaticSecret, PublicKey};

        let secret = StaticSecret::from(<[u8; 32]>::try_from(&secret[..])?);
        let public = PublicKey::from(public.clone());
        Ok((&secret.diffie_hellman(&public).as_bytes()[..]).into())
    }

    fn ed25519_generate_key() -> Result<(Protected, [u8; 32])> {
        use ed25519_dalek::ed25519::signature::rand_core::OsRng;
        let pair = ed25519_dalek::SigningKey::generate(&mut OsRng);
        Ok((pair.to_bytes().into(), pair.verifying_key().to_bytes()))
    }

    fn ed25519_derive_public(secret: &Protected) -> Result<[u8; 32]> {
        use ed25519_dalek::SigningKey;
        let secret: Box<SigningKey> = secret.try_into()?;
        let public = secret.verifying_key();
        Ok(public.to_bytes())
    }

    fn ed25519_sign(secret: &Protected, _public: &[u8; 32], digest: &[u8])
                    -> Result<[u8; 64]> {
        use ed25519_dalek::{SigningKey, Signer};
        let pair: Box<SigningKey> = secret.try_into()?;
        Ok(pair.sign(digest).to_bytes().try_into()?)
    }

    fn ed25519_verify(public: &[u8; 32], digest: &[u8], signature: &[u8; 64])
                      -> Result<bool> {
        use ed25519_dalek::{VerifyingKey, Verifier, Signature};

        let public = VerifyingKey::from_bytes(public).map_err(|e| {
            Error::InvalidKey(e.to_string())
        })?;
        let signature = Signature::from_bytes(signature);
        Ok(public.verify(digest, &signature).is_ok())
    }

    #[cfg(feature = "crypto-rust-448")]
    fn x448_generate_key() -> Result<(Protected, [u8; 56])> {
        use cx448::x448::{Secret, PublicKey};
        use cx448::rand_core::OsRng;

        let secret = Secret::new(&mut OsRng);
        let public = PublicKey::from(&secret);

        Ok(((&secret.as_bytes()[..]).into(), *public.as_bytes()))
    }

    #[cfg(feature = "crypto-rust-448")]
    fn x448_derive_public(secret: &Protected) -> Result<[u8; 56]> {
        use cx448::x448::{PublicKey, Secret};

        let secret = Secret::from(<[u8; 56]>::try_from(&secret[..])?);
        Ok(*PublicKey::from(&secret).as_bytes())
    }

    #[cfg(feature = "crypto-rust-448")]
    fn x448_shared_point(secret: &Protected, public: &[u8; 56])
                         -> Result<Protected> {
        use cx448::x448::{Secret, PublicKey};

        let secret = Secret::from(<[u8; 56]>::try_from(&secret[..])?);
        let public = PublicKey::from_bytes(public)
            .ok_or_else(|| Error::InvalidKey(
                "Invalid X448 public key".into()))?;
        let shared = secret.as_diffie_hellman(&public)
            .ok_or_else(|| Error::InvalidKey(
                "X448 DH failed: low-order point".into()))?;
        Ok((&shared.as_bytes()[..]).into())
    }

    #[cfg(feature = "crypto-rust-448")]
    fn ed448_generate_key() -> Result<(Protected, [u8; 57])> {
        use cx448::rand_core::OsRng;
        let pair = cx448::SigningKey::generate(OsRng);
        Ok(((&pair.as_bytes()[..]).into(), pair.verifying_key().to_bytes()))
    }

    #[cfg(feature = "crypto-rust-448")]
    fn ed448_derive_public(secret: &Protected) -> Result<[u8; 57]> {
        use cx448::SigningKey;
        let secret: Box<SigningKey> = secret.try_into()?;
        let public = secret.verifying_key();
        Ok(public.to_bytes())
    }

    #[cfg(feature = "crypto-rust-448")]
    fn ed448_sign(secret: &Protected, _public: &[u8; 57], digest: &[u8])
                  -> Result<[u8; 114]> {
        use cx448::SigningKey;
        let secret: Box<SigningKey> = secret.try_into()?;
        Ok(secret.sign_raw(digest).to_bytes())
    }

    #[cfg(feature = "crypto-rust-448")]
    fn ed448_verify(public: &[u8; 57], digest: &[u8], signature: &[u8; 114])
                    -> Result<bool> {
        use cx448::{VerifyingKey, Signature};

        let public = VerifyingKey::from_bytes(public).map_err(|e| {
            Error::InvalidKey(e.to_string())
        })?;
        let signature = Signature::from_bytes(signature).map_err(|e| {
            Error::BadSignature(e.to_string())
        })?;
        Ok(public.verify_raw(&signature, digest).is_ok())
    }

    #[cfg(feature = "crypto-rust-dsa")]
    fn dsa_generate_key(p_bits: usize)
                        -> Result<(MPI, MPI, MPI, MPI, ProtectedMPI)>
    {
        #[allow(deprecated)]
        let size = match p_bits {
            1024 => dsa::KeySize::DSA_1024_160,
            2048 => dsa::KeySize::DSA_2048_256,
            3072 => dsa::KeySize::DSA_3072_256,
            n => return Err(Error::InvalidArgument(
                format!("Key size {} is not supported", n)).into()),
        };

        let mut rng = dsa::signature::rand_core::OsRng;
        let components = dsa::Components::generate(&mut rng, size);
        let p = components.p().into();
        let q = components.q().into();
        let g = components.g().into();
        let secret = dsa::SigningKey::generate(&mut rng, components);
        let public = secret.verifying_key();

        Ok((p, q, g, public.y().into(), secret.x().into()))
    }

    #[cfg(feature = "crypto-rust-dsa")]
    fn dsa_sign(x: &ProtectedMPI,
                p: &MPI, q: &MPI, g: &MPI, y: &MPI,
                digest: &[u8])
                -> Result<(MPI, MPI)>
    {
        use dsa::signature::hazmat::PrehashSigner;
        let c = dsa::Components::from_components(
            p.into(), q.into(), g.into())?;
        let public =
            dsa::VerifyingKey::from_components(c, y.into())?;
        let secret =
            dsa::SigningKey::from_components(public, x.into())?;
        let sig = secret.sign_prehash(digest)?;
        Ok((sig.r().into(), sig.s().into()))
    }

    #[cfg(feature = "crypto-rust-dsa")]
    fn dsa_verify(p: &MPI, q: &MPI, g: &MPI, y: &MPI,
                  digest: &[u8],
                  r: &MPI, s: &MPI)
                  -> Result<bool>
    {
        use dsa::signature::hazmat::PrehashVerifier;
        let c = dsa::Components::from_components(
            p.into(), q.into(), g.into())?;
        let public = dsa::VerifyingKey::from_components(c, y.into())?;
        let sig = dsa::Signature::from_components(r.into(), s.into())?;
        public.verify_prehash(digest, &sig)?;
        Ok(true)
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mldsa65_generate_key() -> Result<(Protected, Box<[u8; 1952]>)> {
        use ml_dsa::{Keypair, MlDsa65, SigningKey};

        let mut seed = Protected::new(32);
        crate::crypto::random(&mut seed)?;

        let seed_array = (&seed[..]).try_into().expect("correct length");
        let keypair = SigningKey::<MlDsa65>::from_seed(&seed_array);

        let public = Box::new(keypair.verifying_key().encode().into());
        Ok((seed, public))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mldsa65_sign(secret: &Protected, digest: &[u8])
                    -> Result<Box<[u8; 3309]>>
    {
        use ml_dsa::{MlDsa65, SigningKey};
        use ml_dsa::signature::Signer;

        if secret.len() != 32 {
            return Err(Error::InvalidKey(format!(
                "expected 32-byte ML-DSA-65 seed, got {} bytes",
                secret.len())).into());
        }

        let seed_array = (&secret[..]).try_into().expect("length checked");
        let keypair = SigningKey::<MlDsa65>::from_seed(&seed_array);
        let sig = keypair.sign(digest);
        Ok(Box::new(sig.encode().into()))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mldsa65_verify(public: &[u8; 1952], digest: &[u8],
                      signature: &[u8; 3309])
                      -> Result<bool>
    {
        use ml_dsa::{MlDsa65, Signature, VerifyingKey};
        use ml_dsa::signature::Verifier;

        let vk = VerifyingKey::<MlDsa65>::decode(public.into());
        let sig = Signature::<MlDsa65>::decode(signature.into())
            .ok_or_else(|| Error::BadSignature(
                "Malformed ML-DSA-65 signature".into()))?;
        Ok(vk.verify(digest, &sig).is_ok())
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mldsa87_generate_key() -> Result<(Protected, Box<[u8; 2592]>)> {
        use ml_dsa::{Keypair, MlDsa87, SigningKey};

        let mut seed = Protected::new(32);
        crate::crypto::random(&mut seed)?;

        let seed_array = (&seed[..]).try_into().expect("correct length");
        let keypair = SigningKey::<MlDsa87>::from_seed(&seed_array);

        let public = Box::new(keypair.verifying_key().encode().into());
        Ok((seed, public))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mldsa87_sign(secret: &Protected, digest: &[u8])
                    -> Result<Box<[u8; 4627]>>
    {
        use ml_dsa::{MlDsa87, SigningKey};
        use ml_dsa::signature::Signer;

        if secret.len() != 32 {
            return Err(Error::InvalidKey(format!(
                "expected 32-byte ML-DSA-87 seed, got {} bytes",
                secret.len())).into());
        }

        let seed_array = (&secret[..]).try_into().expect("length checked");
        let keypair = SigningKey::<MlDsa87>::from_seed(&seed_array);
        let sig = keypair.sign(digest);
        Ok(Box::new(sig.encode().into()))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mldsa87_verify(public: &[u8; 2592], digest: &[u8],
                      signature: &[u8; 4627])
                      -> Result<bool>
    {
        use ml_dsa::{MlDsa87, Signature, VerifyingKey};
        use ml_dsa::signature::Verifier;

        let vk = VerifyingKey::<MlDsa87>::decode(public.into());
        let sig = Signature::<MlDsa87>::decode(signature.into())
            .ok_or_else(|| Error::BadSignature(
                "Malformed ML-DSA-87 signature".into()))?;
        Ok(vk.verify(digest, &sig).is_ok())
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn slhdsa128s_generate_key() -> Result<(Protected, [u8; 32])> {
        use slh_dsa::{Shake128s, SigningKey};
        use slh_dsa::signature::rand_core::OsRng;

        let signing_key = SigningKey::<Shake128s>::new(&mut OsRng);
        let public = signing_key.as_ref().to_bytes().into();
        let secret: [u8; 64] = signing_key.to_bytes().into();
        Ok((secret.into(), public))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn slhdsa128s_sign(secret: &Protected, digest: &[u8])
                       -> Result<Box<[u8; 7856]>>
    {
        use slh_dsa::{Shake128s, SigningKey};
        use slh_dsa::signature::Signer;

        if secret.len() != 64 {
            return Err(Error::InvalidKey(format!(
                "expected 64-byte SLH-DSA-128s key, got {} bytes",
                secret.len())).into());
        }

        let signing_key = SigningKey::<Shake128s>::try_from(&secret[..])
            .expect("length checked");
        let sig = signing_key.sign(digest);
        Ok(Box::new(sig.to_bytes().into()))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn slhdsa128s_verify(public: &[u8; 32], digest: &[u8],
                         signature: &[u8; 7856])
                         -> Result<bool>
    {
        use slh_dsa::{Shake128s, Signature, VerifyingKey};
        use slh_dsa::signature::Verifier;

        let vk = VerifyingKey::<Shake128s>::try_from(&public[..])
            .expect("correct length");
        let sig = Signature::<Shake128s>::try_from(&signature[..])
            .expect("correct length");
        Ok(vk.verify(digest, &sig).is_ok())
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn slhdsa128f_generate_key() -> Result<(Protected, [u8; 32])> {
        use slh_dsa::{Shake128f, SigningKey};
        use slh_dsa::signature::rand_core::OsRng;

        let signing_key = SigningKey::<Shake128f>::new(&mut OsRng);
        let public = signing_key.as_ref().to_bytes().into();
        let secret: [u8; 64] = signing_key.to_bytes().into();
        Ok((secret.into(), public))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn slhdsa128f_sign(secret: &Protected, digest: &[u8])
                       -> Result<Box<[u8; 17088]>>
    {
        use slh_dsa::{Shake128f, SigningKey};
        use slh_dsa::signature::Signer;

        if secret.len() != 64 {
            return Err(Error::InvalidKey(format!(
                "expected 64-byte SLH-DSA-128f key, got {} bytes",
                secret.len())).into());
        }

        let signing_key = SigningKey::<Shake128f>::try_from(&secret[..])
            .expect("length checked");
        let sig = signing_key.sign(digest);
        Ok(Box::new(sig.to_bytes().into()))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn slhdsa128f_verify(public: &[u8; 32], digest: &[u8],
                         signature: &[u8; 17088])
                         -> Result<bool>
    {
        use slh_dsa::{Shake128f, Signature, VerifyingKey};
        use slh_dsa::signature::Verifier;

        let vk = VerifyingKey::<Shake128f>::try_from(&public[..])
            .expect("correct length");
        let sig = Signature::<Shake128f>::try_from(&signature[..])
            .expect("correct length");
        Ok(vk.verify(digest, &sig).is_ok())
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn slhdsa256s_generate_key() -> Result<(Protected, Box<[u8; 64]>)> {
        use slh_dsa::{Shake256s, SigningKey};
        use slh_dsa::signature::rand_core::OsRng;

        let signing_key = SigningKey::<Shake256s>::new(&mut OsRng);
        let public = Box::new(signing_key.as_ref().to_bytes().into());
        let secret: [u8; 128] = signing_key.to_bytes().into();
        Ok((secret.into(), public))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn slhdsa256s_sign(secret: &Protected, digest: &[u8])
                       -> Result<Box<[u8; 29792]>>
    {
        use slh_dsa::{Shake256s, SigningKey};
        use slh_dsa::signature::Signer;

        if secret.len() != 128 {
            return Err(Error::InvalidKey(format!(
                "expected 128-byte SLH-DSA-256s key, got {} bytes",
                secret.len())).into());
        }

        let signing_key = SigningKey::<Shake256s>::try_from(&secret[..])
            .expect("length checked");
        let sig = signing_key.sign(digest);
        Ok(Box::new(sig.to_bytes().into()))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn slhdsa256s_verify(public: &[u8; 64], digest: &[u8],
                         signature: &[u8; 29792])
                         -> Result<bool>
    {
        use slh_dsa::{Shake256s, Signature, VerifyingKey};
        use slh_dsa::signature::Verifier;

        let vk = VerifyingKey::<Shake256s>::try_from(&public[..])
            .expect("correct length");
        let sig = Signature::<Shake256s>::try_from(&signature[..])
            .expect("correct length");
        Ok(vk.verify(digest, &sig).is_ok())
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mlkem768_generate_key() -> Result<(Protected, Box<[u8; 1184]>)> {
        use ml_kem::{kem::KeyExport, DecapsulationKey, MlKem768};

        let mut seed = Protected::new(64);
        crate::crypto::random(&mut seed)?;

        let decaps = DecapsulationKey::<MlKem768>::from_seed(
            (&seed[..]).try_into().expect("correct length"));

        let public = Box::new(decaps.encapsulation_key().to_bytes().into());
        Ok((seed, public))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mlkem768_encapsulate(public: &[u8; 1184])
                            -> Result<(Box<[u8; 1088]>, Protected)>
    {
        use ml_kem::{B32, EncapsulationKey, MlKem768};

        let mut m = Protected::new(32);
        crate::crypto::random(&mut m)?;

        let encaps = EncapsulationKey::<MlKem768>::new(public.into())
            .map_err(|_| Error::InvalidKey(
                "Invalid ML-KEM-768 public key".into()))?;
        let m: B32 = (&m[..]).try_into().expect("correct length");
        let (ciphertext, shared) = encaps.encapsulate_deterministic(&m);

        let ciphertext = Box::new(ciphertext.into());
        let shared: [u8; 32] = shared.into();
        Ok((ciphertext, shared.into()))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mlkem768_decapsulate(secret: &Protected,
                            ciphertext: &[u8; 1088])
                            -> Result<Protected>
    {
        use ml_kem::{kem::Decapsulate, DecapsulationKey, MlKem768};

        if secret.len() != 64 {
            return Err(Error::InvalidKey(format!(
                "expected 64-byte ML-KEM-768 seed, got {} bytes",
                secret.len())).into());
        }

        let decaps = DecapsulationKey::<MlKem768>::from_seed(
            (&secret[..]).try_into().expect("length checked"));
        let shared = decaps.decapsulate(ciphertext.into());

        let shared: [u8; 32] = shared.into();
        Ok(shared.into())
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mlkem1024_generate_key() -> Result<(Protected, Box<[u8; 1568]>)> {
        use ml_kem::{kem::KeyExport, DecapsulationKey, MlKem1024};

        let mut seed = Protected::new(64);
        crate::crypto::random(&mut seed)?;

        let decaps = DecapsulationKey::<MlKem1024>::from_seed(
            (&seed[..]).try_into().expect("correct length"));

        let public = Box::new(decaps.encapsulation_key().to_bytes().into());
        Ok((seed, public))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mlkem1024_encapsulate(public: &[u8; 1568])
                             -> Result<(Box<[u8; 1568]>, Protected)>
    {
        use ml_kem::{B32, EncapsulationKey, MlKem1024};

        let mut m = Protected::new(32);
        crate::crypto::random(&mut m)?;

        let encaps = EncapsulationKey::<MlKem1024>::new(public.into())
            .map_err(|_| Error::InvalidKey(
                "Invalid ML-KEM-1024 public key".into()))?;
        let m: B32 = (&m[..]).try_into().expect("correct length");
        let (ciphertext, shared) = encaps.encapsulate_deterministic(&m);

        let ciphertext = Box::new(ciphertext.into());
        let shared: [u8; 32] = shared.into();
        Ok((ciphertext, shared.into()))
    }

    #[cfg(feature = "crypto-rust-pqc")]
    fn mlkem1024_decapsulate(secret: &Protected,
                             ciphertext: &[u8; 1568])
                             -> Result<Protected>
    {
        use ml_kem::{kem::Decapsulate, DecapsulationKey, MlKem1024};

        if secret.len() != 64 {
            return Err(Error::InvalidKey(format!(
                "expected 64-byte ML-KEM-1024 seed, got {} bytes",
                secret.len())).into());
        }

        let decaps = DecapsulationKey::<MlKem1024>::from_seed(
            (&secret[..]).try_into().expect("length checked"));
        let shared = decaps.decapsulate(ciphertext.into());

        let shared: [u8; 32] = shared.into();
        Ok(shared.into())
    }
}

impl From<&BigUint> for ProtectedMPI {
    fn from(v: &BigUint) -> Self {
        v.to_bytes_be().into()
    }
}

impl From<&ProtectedMPI> for BigUint {
    fn from(v: &ProtectedMPI) -> Self {
        BigUint::from_bytes_be(v.value()).into()
    }
}

impl From<&BigUint> for MPI {
    fn from(v: &BigUint) -> Self {
        v.to_bytes_be().into()
    }
}

impl From<&MPI> for BigUint {
    fn from(v: &MPI) -> Self {
        BigUint::from_bytes_be(v.value()).into()
    }
}

fn pkcs1_padding(hash_algo: HashAlgorithm) -> Result<Pkcs1v15Sign> {
    let hash = match hash_algo {
        #[cfg(feature = "crypto-rust-legacy")]
        HashAlgorithm::MD5 => Pkcs1v15Sign::new::<md5::Md5>(),
        HashAlgorithm::SHA1 => Pkcs1v15Sign::new::<sha1collisiondetection::Sha1CD>(),
        HashAlgorithm::SHA224 => Pkcs1v15Sign::new::<sha2::Sha224>(),
        HashAlgorithm::SHA256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        HashAlgorithm::SHA384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        HashAlgorithm::SHA512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
        #[cfg(feature = "crypto-rust-legacy")]
        HashAlgorithm::RipeMD => Pkcs1v15Sign::new::<ripemd::Ripemd160>(),
        _ => return Err(Error::InvalidArgument(format!(
            "Algorithm {:?} not representable", hash_algo)).into()),
    };
    Ok(hash)
}

fn rsa_public_key(e: &MPI, n: &MPI) -> Result<RsaPublicKey> {
    let n = BigUint::from_bytes_be(n.value());
    let e = BigUint::from_bytes_be(e.value());
    Ok(RsaPublicKey::new(n, e)?)
}

fn rsa_private_key(e: &MPI, n: &MPI, p: &ProtectedMPI, q: &ProtectedMPI, d: &ProtectedMPI)
    -> Result<RsaPrivateKey>
{
    let n = BigUint::from_bytes_be(n.value());
    let e = BigUint::from_bytes_be(e.value());
    let p = BigUint::from_bytes_be(p.value());
    let q = BigUint::from_bytes_be(q.value());
    let d = BigUint::from_bytes_be(d.value());
    Ok(RsaPrivateKey::from_components(n, e, d, vec![p, q])?)
}

impl KeyPair {
    pub(crate) fn sign_backend(&self,
                               secret: &mpi::SecretKeyMaterial,
                               hash_algo: HashAlgorithm,
                               digest: &[u8])
            -> Result<mpi::Signature>
    {
        use crate::PublicKeyAlgorithm::*;
        #[allow(deprecated)]
        match (self.public().pk_algo(), self.public().mpis(), secret) {
            (RSAEncryptSign,
             mpi::PublicKey::RSA { e, n },
             mpi::SecretKeyMaterial::RSA { p, q, d, .. }) |
            (RSASign,
             mpi::PublicKey::RSA { e, n },
             mpi::SecretKeyMaterial::RSA { p, q, d, .. }) => {
                let key = rsa_private_key(e, n, p, q, d)?;
                let padding = pkcs1_padding(hash_algo)?;
                let sig = key.sign(padding, digest)?;
                Ok(mpi::Signature::RSA {
                    s: mpi::MPI::new(&sig),
                })
            },

            (PublicKeyAlgorithm::ECDSA,
             mpi::PublicKey::ECDSA { curve, .. },
             mpi::SecretKeyMaterial::ECDSA { scalar }) => match curve
            {
                #[cfg(feature = "crypto-rust-nist")]
                Curve::NistP256 => {
                    use p256::Scalar;
                    const LEN: usize = 32;

                    let key = scalar.value_padded(LEN);
                    let key = Scalar::reduce_bytes(GA::try_from_slice(&key)?);
                    let dig = pad_truncating(digest, LEN);
                    let dig = GA::try_from_slice(&dig)?;

                    let sig = loop {
                        let mut k: Protected = vec![0; LEN].into();
                        crate::crypto::random(&mut k)?;
                        let k = Scalar::reduce_bytes(
                            GA::try_from_slice(&k)?);
                        if let Ok(s) = key.try_sign_prehashed(k, &dig) {
                            break s.0;
                        }
                    };

                    Ok(mpi::Signature::ECDSA {
                        r: MPI::new(&sig.r().to_bytes()),
                        s: MPI::new(&sig.s().to_bytes()),
                    })
                },

                #[cfg(feature = "crypto-rust-nist")]
                Curve::NistP384 => {
                    use p384::Scalar;
                    const LEN: usize = 48;

                    let key = scalar.value_padded(LEN);
                    let key = Scalar::reduce_bytes(GA::try_from_slice(&key)?);
                    let dig = pad_truncating(digest, LEN);
                    let dig = GA::try_from_slice(&dig)?;

                    let sig = loop {
                        let mut k: Protected = vec![0; LEN].into();
                        crate::crypto::random(&mut k)?;
                        let k = Scalar::reduce_bytes(
                            GA::try_from_slice(&k)?);
                        if let Ok(s) = key.try_sign_prehashed(k, &dig) {
                            break s.0;
                        }
                    };

                    Ok(mpi::Signature::ECDSA {
                        r: MPI::new(&sig.r().to_bytes()),
                        s: MPI::new(&sig.s().to_bytes()),
                    })
                },

                #[cfg(feature = "crypto-rust-nist")]
                Curve::NistP521 => {
                    use p521::Scalar;
                    const LEN: usize = 66;

                    let key = scalar.value_padded(LEN);
                    let key = Scalar::reduce_bytes(GA::try_from_slice(&key)?);
                    let dig = pad_truncating(digest, LEN);
                    let dig = GA::try_from_slice(&dig)?;

                    let sig = loop {
                        let mut k: Protected = vec![0; LEN].into();
                        crate::crypto::random(&mut k)?;
                        let k = Scalar::reduce_bytes(
                            GA::try_from_slice(&k)?);
                        if let Ok(s) = key.try_sign_prehashed(k, &dig) {
                            break s.0;
                        }
                    };

                    Ok(mpi::Signature::ECDSA {
                        r: MPI::new(&sig.r().to_bytes()),
                        s: MPI::new(&sig.s().to_bytes()),
                    })
                },

                _ => Err(Error::UnsupportedEllipticCurve(curve.clone()).into()),
            },

            (pk_algo, _, _) => {
                Err(Error::InvalidOperation(format!(
                    "unsupported combination of algorithm {:?}, key {:?}, \
                        and secret key {:?}",
                    pk_algo,
                    self.public(),
                    self.secret()
                )).into())
            }
        }
    }
}

impl KeyPair {
    pub(crate) fn decrypt_backend(&self, secret: &mpi::SecretKeyMaterial, ciphertext: &mpi::Ciphertext,
               plaintext_len: Option<usize>)
               -> Result<SessionKey>
    {
        use crate::PublicKeyAlgorithm::*;
        #[allow(deprecated)]
        match (self.public().mpis(), secret, ciphertext) {
            (mpi::PublicKey::RSA { e, n },
             mpi::SecretKeyMaterial::RSA { p, q, d, .. },
             mpi::Ciphertext::RSA { c }) => {
                let key = rsa_private_key(e, n, p, q, d)?;
                let decrypted = key.decrypt(Pkcs1v15Encrypt, c.value())?;
                Ok(SessionKey::from(decrypted))
            }

            (mpi::PublicKey::ElGamal { .. },
             mpi::SecretKeyMaterial::ElGamal { .. },
             mpi::Ciphertext::ElGamal { .. }) =>
                Err(Error::UnsupportedPublicKeyAlgorithm(ElGamalEncrypt).into()),

            (mpi::PublicKey::ECDH { .. },
             mpi::SecretKeyMaterial::ECDH { .. },
             mpi::Ciphertext::ECDH { .. }) =>
                crate::crypto::ecdh::decrypt(self.public(), secret, ciphertext,
                                             plaintext_len),

            (public, secret, ciphertext) =>
                Err(Error::InvalidOperation(format!(
                    "unsupported combination of key pair {:?}/{:?} \
                     and ciphertext {:?}",
                    public, secret, ciphertext)).into()),
        }
    }
}


impl<P: key::KeyParts, R: key::KeyRole> Key<P, R> {
    /// Encrypts the given data with this key.
    pub(crate) fn encrypt_backend(&self, data: &SessionKey) -> Result<mpi::Ciphertext> {
        use PublicKeyAlgorithm::*;
        #[allow(deprecated)]
        match self.pk_algo() {
            RSAEncryptSign | RSAEncrypt => match self.mpis() {
                mpi::PublicKey::RSA { e, n } => {
                    // The ciphertext has the length of the modulus.
                    let ciphertext_len = n.value().len();
                    if data.len() + 11 > ciphertext_len {
                        return Err(Error::InvalidArgument(
                            "Plaintext data too large".into()).into());
                    }
                    let key = rsa_public_key(e, n)?;
                    let ciphertext = key.encrypt(
                        &mut rsa::rand_core::OsRng,
                        Pkcs1v15Encrypt, data.as_ref())?;
                    Ok(mpi::Ciphertext::RSA {
                        c: mpi::MPI::new(&ciphertext)
                    })
                }
                pk => Err(Error::MalformedPacket(format!(
                    "Key: Expected RSA public key, got {:?}", pk)).into())
            }

            ECDH => crate::crypto::ecdh::encrypt(self.parts_as_public(), data),

            RSASign | DSA | ECDSA | EdDSA | Ed25519 | Ed448
                | MLDSA65_Ed25519 | MLDSA87_Ed448
                | SLHDSA128s | SLHDSA128f | SLHDSA256s =>
                Err(Error::InvalidOperation(
                    format!("{} is not an encryption algorithm", self.pk_algo())
                ).into()),

            X25519 | // Handled in common code.
            X448 | // Handled in common code.
            ElGamalEncrypt | ElGamalEncryptSign |
            MLKEM768_X25519 | // Handled in common code.
            MLKEM1024_X448 | // Handled in common code.
            Private(_) | Unknown(_) =>
                Err(Error::UnsupportedPublicKeyAlgorithm(self.pk_algo()).into()),
        }
    }

    /// Verifies the given signature.
    pub(crate) fn verify_backend(&self, sig: &mpi::Signature, hash_algo: HashAlgorithm,
                  digest: &[u8]) -> Result<()>
    {
        fn bad(e: impl ToString) -> anyhow::Error {
            Error::BadSignature(e.to_string()).into()
        }
        match (self.mpis(), sig) {
            (mpi::PublicKey::RSA { e, n }, mpi::Signature::RSA { s }) => {
                let key = rsa_public_key(e, n)?;
                let padding = pkcs1_padding(hash_algo)?;
                // Originally, we had:
                //
                // key.verify(padding, digest, s.value())?;
                //
                // Since version 0.9.0 of the rsa crate, this no
                // longer works, because the verify function checks
                // that the signature length in bytes is the same as
                // the key length.  No other crypto backend appears
                // care (including older version of the rsa crate),
                // but would happily left pad it with zeros.  We now
                // do that manually:
                //
                // See
                // https://docs.rs/rsa/0.9.0/src/rsa/pkcs1v15.rs.html#212
                // and https://github.com/RustCrypto/RSA/issues/322.
                key.verify(padding, digest, &s.value_padded(key.size())?)?;
                Ok(())
            }

            (mpi::PublicKey::ECDSA { curve, q },
             mpi::Signature::ECDSA { r, s }) => match curve
            {
                #[cfg(feature = "crypto-rust-nist")]
                Curve::NistP256 => {
                    use p256::{AffinePoint, ecdsa::Signature};
                    const LEN: usize = 32;

                    let key = AffinePoint::from_encoded_point(
                        &EncodedPoint::<p256::NistP256>::from_bytes(q.value())?);
                    let key = if key.is_some().into() {
                        key.unwrap()
                    } else {
                        return Err(Error::InvalidKey(
                            "Point is not on the curve".into()).into());
                    };

                    let sig = Signature::from_scalars(
                        GA::try_clone_from_slice(
                            &r.value_padded(LEN).map_err(bad)?)?,
                        GA::try_clone_from_slice(
                            &s.value_padded(LEN).map_err(bad)?)?)
                        .map_err(bad)?;
                    let dig = pad_truncating(digest, LEN);
                    let dig = GA::try_from_slice(&dig)?;
                    key.verify_prehashed(&dig, &sig).map_err(bad)
                },

                #[cfg(feature = "crypto-rust-nist")]
                Curve::NistP384 => {
                    use p384::{AffinePoint, ecdsa::Signature};
                    const LEN: usize = 48;

                    let key = AffinePoint::from_encoded_point(
                        &EncodedPoint::<p384::NistP384>::from_bytes(q.value())?);
                    let key = if key.is_some().into() {
                        key.unwrap()
                    } else {
                        return Err(Error::InvalidKey(
                            "Point is not on the curve".into()).into());
                    };

                    let sig = Signature::from_scalars(
                        GA::try_clone_from_slice(
                            &r.value_padded(LEN).map_err(bad)?)?,
                        GA::try_clone_from_slice(
                            &s.value_padded(LEN).map_err(bad)?)?)
                        .map_err(bad)?;
                    let dig = pad_truncating(digest, LEN);
                    let dig = GA::try_from_slice(&dig)?;
                    key.verify_prehashed(&dig, &sig).map_err(bad)
                },

                #[cfg(feature = "crypto-rust-nist")]
                Curve::NistP521 => {
                    use p521::{AffinePoint, ecdsa::Signature};
                    const LEN: usize = 66;

                    let key = AffinePoint::from_encoded_point(
                        &EncodedPoint::<p521::NistP521>::from_bytes(q.value())?);
                    let key = if key.is_some().into() {
                        key.unwrap()
                    } else {
                        return Err(Error::InvalidKey(
                            "Point is not on the curve".into()).into());
                    };

                    let sig = Signature::from_scalars(
                        GA::try_clone_from_slice(
                            &r.value_padded(LEN).map_err(bad)?)?,
                        GA::try_clone_from_slice(
                            &s.value_padded(LEN).map_err(bad)?)?)
                        .map_err(bad)?;
                    let dig = pad_truncating(digest, LEN);
                    let dig = GA::try_from_slice(&dig)?;
                    key.verify_prehashed(&dig, &sig).map_err(bad)
                },

                _ => Err(Error::UnsupportedEllipticCurve(curve.clone()).into()),
            },
            _ => Err(Error::MalformedPacket(format!(
                "unsupported combination of key {} and signature {:?}.",
                self.pk_algo(), sig)).into()),
        }
    }
}

impl<R> Key4<SecretParts, R>
    where R: key::KeyRole,
{
    /// Creates a new OpenPGP secret key packet for an existing RSA key.
    ///
    /// The RSA key will use the secret exponent `d`, derived from the
    /// secret primes `p` and `q`.  The key will have its creation
    /// date set to `ctime` or the current time if `None` is given.
    pub fn import_secret_rsa<T>(d: &[u8], p: &[u8], q: &[u8], ctime: T)
        -> Result<Self> where T: Into<Option<SystemTime>>
    {
        // RFC 4880: `p < q`
        let (p, q) = crate::crypto::rsa_sort_raw_pq(p, q);

        // RustCrypto can't compute the public key from the private one, so do it ourselves
        let big_p = BigUint::from_bytes_be(p);
        let big_q = BigUint::from_bytes_be(q);
        let n = big_p.clone() * big_q.clone();

        let big_d = BigUint::from_bytes_be(d);

        // Compute e ≡ d⁻¹ (lcm(p-1, q-1))
        let big_p_minus_1 = big_p.clone() - 1u32;
        let big_q_minus_1 = big_q.clone() - 1u32;

        let big_phi = big_p_minus_1.clone() * big_q_minus_1.clone();

        let gcd = big_p_minus_1.gcd(&big_q_minus_1);

        let m = big_phi / gcd;

        let e = big_d.mod_inverse(m)
            .and_then(|x| x.to_biguint())
            .ok_or_else(|| Error::MalformedMPI("RSA: `d` and `(p-1)(q-1)` aren't coprime".into()))?;

        let u: BigUint = big_p.mod_inverse(big_q) // RFC 4880: u ≡ p⁻¹ (mod q)
            .and_then(|x| x.to_biguint())
            .ok_or_else(|| Error::MalformedMPI("RSA: `p` and `q` aren't coprime".into()))?;

        Self::with_secret(
            ctime.into().unwrap_or_else(crate::now),
            PublicKeyAlgorithm::RSAEncryptSign,
            mpi::PublicKey::RSA {
                e: mpi::MPI::new(&e.to_bytes_be()),
                n: mpi::MPI::new(&n.to_bytes_be()),
            },
            mpi::SecretKeyMaterial::RSA {
                d: d.into(),
                p: p.into(),
                q: q.into(),
                u: u.to_bytes_be().into(),
            }.into()
        )
    }

    /// Generates a new RSA key with a public modulus of size `bits`.
    pub fn generate_rsa(bits: usize) -> Result<Self> {
        let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, bits)?;
        let (p, q) = match key.primes() {
            [p, q] => (p, q),
            _ => panic!("RSA key generation resulted in wrong number of primes"),
        };
        // RFC 4880: `p < q`
        let (p, q) = rsa_sort_pq(p, q);
        let u = p.mod_inverse(q) // RFC 4880: u ≡ p⁻¹ (mod q)
            .and_then(|x| x.to_biguint())
            .expect("rsa crate did not generate coprime p and q");

        let public = mpi::PublicKey::RSA {
            e: mpi::MPI::new(&key.to_public_key().e().to_bytes_be()),
            n: mpi::MPI::new(&key.to_public_key().n().to_bytes_be()),
        };

        let private = mpi::SecretKeyMaterial::RSA {
            p: p.to_bytes_be().into(),
            q: q.to_bytes_be().into(),
            d: key.d().to_bytes_be().into(),
            u: u.to_bytes_be().into(),
        };

        Self::with_secret(
            crate::now(),
            PublicKeyAlgorithm::RSAEncryptSign,
            public,
            private.into(),
        )
    }

    /// Generates a new ECC key over `curve`.
    ///
    /// If `for_signing` is false a ECDH key, if it's true either a
    /// EdDSA or ECDSA key is generated.  Giving `for_signing == true` and
    /// `curve == Cv25519` will produce an error. Likewise
    /// `for_signing == false` and `curve == Ed25519` will produce an error.
    pub(crate) fn generate_ecc_backend(for_signing: bool, curve: Curve)
                                       -> Result<(PublicKeyAlgorithm,
                                                  mpi::PublicKey,
                                                  mpi::SecretKeyMaterial)>
    {
        match (&curve, for_signing) {
            (Curve::Ed25519, true) =>
                unreachable!("handled in Key4::generate_ecc"),

            (Curve::Cv25519, false) =>
                unreachable!("handled in Key4::generate_ecc"),

            #[cfg(feature = "crypto-rust-nist")]
            (Curve::NistP256, true) => {
                use p256::{EncodedPoint, SecretKey};

                let secret = SecretKey::random(
                    &mut p256::elliptic_curve::rand_core::OsRng);
                let public = EncodedPoint::from(secret.public_key());

                let public_mpis = mpi::PublicKey::ECDSA {
                    curve,
                    q: MPI::new(public.as_bytes()),
                };
                let private_mpis = mpi::SecretKeyMaterial::ECDSA {
                    scalar: Vec::from(secret.to_bytes().as_slice()).into(),
                };

                Ok((PublicKeyAlgorithm::ECDSA, public_mpis, private_mpis))
            },

            #[cfg(feature = "crypto-rust-nist")]
            (Curve::NistP256, false) => {
                use p256::{EncodedPoint, SecretKey};

                let secret = SecretKey::random(
                    &mut p256::elliptic_curve::rand_core::OsRng);
                let public = EncodedPoint::from(secret.public_key());

                let public_mpis = mpi::PublicKey::ECDH {
                    q: MPI::new(public.as_bytes()),
                    hash:
                    crate::crypto::ecdh::default_ecdh_kdf_hash(&curve),
                    sym:
                    crate::crypto::ecdh::default_ecdh_kek_cipher(&curve),
                    curve,
                };
                let private_mpis = mpi::SecretKeyMaterial::ECDH {
                    scalar: Vec::from(secret.to_bytes().as_slice()).into(),
                };

                Ok((PublicKeyAlgorithm::ECDH, public_mpis, private_mpis))
            },

            #[cfg(feature = "crypto-rust-nist")]
            (Curve::NistP384, true) => {
                use p384::{EncodedPoint, SecretKey};

                let secret = SecretKey::random(
                    &mut p384::elliptic_curve::rand_core::OsRng);
                let public = EncodedPoint::from(secret.public_key());

                let public_mpis = mpi::PublicKey::ECDSA {
                    curve,
                    q: MPI::new(public.as_bytes()),
                };
                let private_mpis = mpi::SecretKeyMaterial::ECDSA {
                    scalar: Vec::from(secret.to_bytes().as_slice()).into(),
                };

                Ok((PublicKeyAlgorithm::ECDSA, public_mpis, private_mpis))
            },

            #[cfg(feature = "crypto-rust-nist")]
            (Curve::NistP384, false) => {
                use p384::{EncodedPoint, SecretKey};

                let secret = SecretKey::random(
                    &mut p384::elliptic_curve::rand_core::OsRng);
                let public = EncodedPoint::from(secret.public_key());

                let public_mpis = mpi::PublicKey::ECDH {
                    q: MPI::new(public.as_bytes()),
                    hash:
                    crate::crypto::ecdh::default_ecdh_kdf_hash(&curve),
                    sym:
                    crate::crypto::ecdh::default_ecdh_kek_cipher(&curve),
                    curve,
                };
                let private_mpis = mpi::SecretKeyMaterial::ECDH {
                    scalar: Vec::from(secret.to_bytes().as_slice()).into(),
                };

                Ok((PublicKeyAlgorithm::ECDH, public_mpis, private_mpis))
            },

            #[cfg(feature = "crypto-rust-nist")]
            (Curve::NistP521, true) => {
                use p521::{EncodedPoint, SecretKey};

                let secret = SecretKey::random(
                    &mut p521::elliptic_curve::rand_core::OsRng);
                let public = EncodedPoint::from(secret.public_key());

                let public_mpis = mpi::PublicKey::ECDSA {
                    curve,
                    q: MPI::new(public.as_bytes()),
                };
                let private_mpis = mpi::SecretKeyMaterial::ECDSA {
                    scalar: Vec::from(secret.to_bytes().as_slice()).into(),
                };

                Ok((PublicKeyAlgorithm::ECDSA, public_mpis, private_mpis))
            },

            #[cfg(feature = "crypto-rust-nist")]
            (Curve::NistP521, false) => {
                use p521::{EncodedPoint, SecretKey};

                let secret = SecretKey::random(
                    &mut p521::elliptic_curve::rand_core::OsRng);
                let public = EncodedPoint::from(secret.public_key());

                let public_mpis = mpi::PublicKey::ECDH {
                    q: MPI::new(public.as_bytes()),
                    hash:
                    crate::crypto::ecdh::default_ecdh_kdf_hash(&curve),
                    sym:
                    crate::crypto::ecdh::default_ecdh_kek_cipher(&curve),
                    curve,
                };
                let private_mpis = mpi::SecretKeyMaterial::ECDH {
                    scalar: Vec::from(secret.to_bytes().as_slice()).into(),
                };

                Ok((PublicKeyAlgorithm::ECDH, public_mpis, private_mpis))
            },

            _ => Err(Error::UnsupportedEllipticCurve(curve).into()),
        }
    }
}

/// Given the secret prime values `p` and `q`, returns the pair of
/// primes so that the smaller one comes first.
///
/// Section 5.5.3 of RFC4880 demands that `p < q`.  This function can
/// be used to order `p` and `q` accordingly.
///
/// Note: even though this function seems trivial, we introduce it as
/// explicit abstraction.  The reason is that the function's
/// expression also "works" (as in it compiles) for byte slices, but
/// does the wrong thing, see [`crate::crypto::rsa_sort_raw_pq`].
fn rsa_sort_pq<'a>(p: &'a BigUint, q: &'a BigUint)
                   -> (&'a BigUint, &'a BigUint)
{
    if p < q {
        (p, q)
    } else {
        (q, p)
    }
}
