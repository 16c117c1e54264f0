// Copyright 2026 Fondazione LINKS

// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at

//     http://www.apache.org/licenses/LICENSE-2.0

// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

use core::fmt::{self, Formatter};
use std::ops::Add;

use bls12_381_plus::{multi_miller_loop, G1Projective, G2Prepared, G2Projective, Scalar};
use elliptic_curve::hash2curve::ExpandMsg;
use elliptic_curve::Group;
use serde::{Deserialize, Serialize};
use crate::errors::Error;
use crate::schemes::algorithms::BBSplus;
use crate::bbsplus::commitment::BBSplusCommitment;
use crate::schemes::generics::{BlindSignature, Commitment, PoKSignature};
use crate::utils::message::bbsplus_message::BBSplusMessage;
use crate::utils::util::bbsplus_utils::{get_random, hash_to_scalar, parse_g1_projective, i2osp, ScalarExt};
use super::blind::{calculate_b, finalize_blind_sign, prepare_parameters};
use super::ciphersuites::BbsCiphersuite;
use super::commitment::{core_commit, BlindFactor};
use super::generators::Generators;
use super::keys::{BBSplusPublicKey, BBSplusSecretKey};
use super::proof::{proof_finalize, proof_init, proof_verify_init, BBSplusPoKSignature, ProofInitRes};
use super::signature::{core_verify, BBSplusSignature};
use bls12_381_plus::group::Curve;

#[derive(Clone, Debug, Serialize, Deserialize)]
struct PseudonymProofInitResult {
    pseudonym: G1Projective,
    context_id: Vec<u8>,
    Ut: G1Projective
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
/// Represents a BBS+ Pseudonym.
/// See https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-pseudonyms
pub struct BBSplusPseudonym{
    pseudonym: G1Projective
}

impl BBSplusPseudonym {
    /// Converts the `BBSplusPseudonym` to a byte vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes: Vec<u8> = Vec::new();

        bytes.extend_from_slice(&self.pseudonym.to_affine().to_compressed());
        bytes
    }

    /// Creates a `BBSplusPseudonym` from a byte slice.
    ///
    /// # Arguments
    ///
    /// * `bytes` - A byte slice representing the serialized `BBSplusPseudonym`.
    ///
    /// # Returns
    ///
    /// * `Result<Self, Error>` - A result containing the deserialized `BBSplusPseudonym` or an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let pseudonym = parse_g1_projective(&bytes[0..48])
            .map_err(|_| Error::InvalidProofOfKnowledgeSignature)?;

        Ok(Self{pseudonym})
    }
}

#[derive(Debug, PartialEq, Clone, Deserialize)]
/// A struct representing a pseudonym secret factor used in BBS+ pseudonyms.
pub struct PseudonymSecret(pub(crate) Scalar);

impl PseudonymSecret {
    /// Generates a random PseudonymSecret.
    pub fn random() -> Self {
        Self(get_random())
    }

    /// Generates a random vector of PseudonymSecrets.
    /// # Arguments
    ///
    /// * `size` - Number of PseudonymSecret.
    pub fn random_vec(size: usize) -> Vec<Self> {
        let mut secrets = Vec::with_capacity(size);

        for _ in 0..size {
            secrets.push(Self(get_random()))
        }

        secrets
    }

    /// Converts the PseudonymSecret to a byte array.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_be_bytes()
    }

    /// Converts a byte array to a PseudonymSecret.
    ///
    /// # Arguments
    ///
    /// * `bytes` - A byte array representing the serialized PseudonymSecret.
    ///
    /// # Returns
    ///
    /// * A result containing the `PseudonymSecret` or an error.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, Error> {
        Ok(Self(Scalar::from_bytes_be(bytes)?))
    }

    /// Converts an hex sring byte array to a PseudonymSecret.
    ///
    /// # Arguments
    ///
    /// * `hex` - An hex stre representing the serialized PseudonymSecret.
    ///
    /// # Returns
    ///
    /// * A result containing the `PseudonymSecret` or an error.
    pub fn from_hex(hex: &str) -> Result<Self, Error> {
        let scalar = Scalar::from_be_hex(hex).into_option().ok_or(Error::InvalidPseudonym)?;
        Ok(Self(scalar))
    }

}

impl Into<BBSplusMessage> for PseudonymSecret {
    fn into(self) -> BBSplusMessage {
        BBSplusMessage::new(self.0)
    }
}

impl<'a, 'b> Add<&'b PseudonymSecret> for &'a PseudonymSecret {
    type Output = PseudonymSecret;

    #[inline]
    fn add(self, rhn: &'b PseudonymSecret) -> PseudonymSecret {
        PseudonymSecret(self.0 + rhn.0)
    }
}

impl fmt::Display for PseudonymSecret {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        write!(f, "{:x}", self.0)
    }
}

impl<CS: BbsCiphersuite> Commitment<BBSplus<CS>>{
    /// # Description
    /// This operation is used by the Prover to create a commitment to a set of
    /// messages (committed_messages), that they intend to include to the blind signature.
    /// Note that this operation returns both the serialized combination of the commitment
    /// and its proof of correctness (commitment_with_proof), as well as the random scalar used to
    /// blind the commitment (secret_prover_blind). They will also choose their part of
    /// the pseudonym secret prover_nym as a random scalar value
    ///
    /// # Inputs:
    /// * `committed_messages` (OPTIONAL), a vector of octet strings.
    ///                                     If not supplied it defaults to the empty array.
    /// * `prover_nyms ` (REQUIRED), a vector of `[PseudonymSecret]`.
    ///
    /// # Output:
    /// ([`Commitment::BBSplus`], [`BlindFactor`]),
    ///   a tuple (**`commitment_with_proof`**, **`secret_prover_blind`**) or [`Error`].
    ///
    pub fn commit_with_nym(
        committed_messages: Option<&[Vec<u8>]>,
        prover_nyms: Vec<PseudonymSecret>
    ) -> Result<(Self, BlindFactor), Error>
    where
        CS::Expander: for<'a> ExpandMsg<'a>,
    {
        let (commitment_with_proof, secret) =
            commit_with_nym::<CS>(committed_messages, prover_nyms, Some(CS::API_ID_NYM))?;
        Ok((Self::BBSplus(commitment_with_proof), secret))
    }
        
}


/// https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-commitment
///
/// # Description
/// The Prover will chose a set of messages committed_messages that they want
/// to be included in the signature, without reveling them to the Signer.
/// They will also choose their part of the pseudonym secret prover_nym as a random scalar value
/// 
/// # Inputs:
/// * `committed_messages` (OPTIONAL), a vector of octet strings.
///                                    If not supplied it defaults to the empty array.
/// * `prover_nyms ` (REQUIRED), a vector of `[PseudonymSecret]`.
/// * `api_id` (OPTIONAL), octet string. If not supplied it defaults to the empty octet string.
///
/// # Output:
/// ([`BBSplusCommitment`], [`BlindFactor`]), a tuple (commitment + proof, secret_prover_blind)
/// or [`Error`].
///
fn commit_with_nym<CS>(
    committed_messages: Option<&[Vec<u8>]>,
    prover_nyms: Vec<PseudonymSecret>,
    api_id: Option<&[u8]>,
) -> Result<(BBSplusCommitment, BlindFactor), Error>
where
    CS: BbsCiphersuite,
    CS::Expander: for<'a> ExpandMsg<'a>,
{
    let committed_messages = committed_messages.unwrap_or(&[]);

    let api_id = api_id.unwrap_or(b"");

    let mut commited_message_scalars =
        BBSplusMessage::messages_to_scalar::<CS>(committed_messages, api_id)?;

    commited_message_scalars.append(&mut prover_nyms
        .iter()
        .map(|t| BBSplusMessage::new(t.0))
        .collect()
    );
    
    let blind_generators: Vec<G1Projective> = Generators::create::<CS>(
        commited_message_scalars.len() + 1, 
        Some(&[b"BLIND_", api_id].concat())
    ).values;

    core_commit::<CS>(blind_generators,Some(commited_message_scalars), Some(api_id))

}

impl<CS: BbsCiphersuite> BlindSignature<BBSplus<CS>> {
    /// <https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-blind-issuance>
    ///
    /// # Description
    /// The Signer generate a signature from a secret key (SK), the commitment with proof,
    /// the length_nym_vector, the signer_nym_entropy and optionally over a header
    /// and vector of messages using the BlindSignWithNym procedure shown below. The length of
    /// the nym vector parameter MUST be furnished by the prover along with the commitment with proof.
    /// Typically the signer_nym_entropy will be a fresh random scalar,
    /// however in the case of "reissue" of a signature for a prover who wants to keep their
    /// same pseudonymous identity this value can be reused for the same prover if desired.
    ///
    /// # Inputs:
    /// * `sk` (REQUIRED), a secret key
    /// * `pk` (REQUIRED), a public key
    /// * `commitment_with_proof` (OPTIONAL), an octet string, representing a serialized commitment
    ///                                       and commitment_proof, as the first element outputted
    ///                                       by the `commit_with_nym` operation. If not supplied,
    ///                                       it defaults to the empty string ("").
    /// * `length_nym_vector` (REQUIRED), the length of the prover_nyms secret vector.
    /// * `header` (OPTIONAL), an octet string containing context and application-specific information.
    /// * `signer_nym_entropy` (REQUIRED), a [`PseudonymSecret`] value
    /// * `messages` (OPTIONAL), a vector of octet strings. If not supplied,
    ///                         it defaults to the empty array.
    ///
    /// # Output:
    /// a [`BlindSignature::BBSplus`] or [`Error`].
    ///
    pub fn blind_sign_with_nym(
        sk: &BBSplusSecretKey,
        pk: &BBSplusPublicKey,
        commitment_with_proof: Option<&[u8]>,
        length_nym_vector: usize,
        header: Option<&[u8]>,
        signer_nym_entropy: &PseudonymSecret,
        messages: Option<&[Vec<u8>]>,
    ) -> Result<Self, Error> {
        let messages = messages.unwrap_or(&[]);
        let L = messages.len();
        let commitment_with_proof = commitment_with_proof.unwrap_or(&[]);
        let header = header.unwrap_or(&[]);
        let mut M: usize = commitment_with_proof.len();

        //commitment_with_proof = g1_point + [s_hat, m_hat0...m_hatM, challenge]
        //M = (length(commitment_with_proof) - point_length - 2*scalar_length)/scalar_length
        if M != 0 {
            M = M
                .checked_sub(G1Projective::COMPRESSED_BYTES)
                .ok_or(Error::InvalidCommitmentProof)?;
            M = M
                .checked_sub(2 * Scalar::BYTES)
                .ok_or(Error::InvalidCommitmentProof)?;
            M = M
                .checked_div(Scalar::BYTES)
                .ok_or(Error::InvalidCommitmentProof)?;
        }
   
        let generators = Generators::create::<CS>(L + 1, Some(CS::API_ID_NYM));

        //M+1 Taken from grotto bbs lib
        let blind_generators =
            Generators::create::<CS>(M + 1, Some(&[b"BLIND_", CS::API_ID_NYM].concat()));

        let commit: G1Projective = Commitment::<BBSplus<CS>>::deserialize_and_validate_commit(
            Some(commitment_with_proof),
            &blind_generators,
            Some(CS::API_ID_NYM)
        )?;
        
        let message_scalars: Vec<BBSplusMessage> = BBSplusMessage::messages_to_scalar::<CS>(
            messages,
            CS::API_ID_NYM
        )?;

        let nym_generator = blind_generators.last()
            .expect("Blind nym generator not found");

        let mut B: Vec<G1Projective> = calculate_b(
            &generators, 
            Some(commit),
            message_scalars
        )?;

        let mut B_val = B.pop().unwrap();

        B_val = B_val + nym_generator * signer_nym_entropy.0;

        let combined_header = [header , &i2osp::<8>(length_nym_vector)[..]].concat();

        let blind_sig = finalize_blind_sign::<CS>(
            sk,
            pk,
            B_val,
            &generators,
            &blind_generators,
            Some(combined_header.as_slice()),
            Some(CS::API_ID_NYM),
        )?;

        Ok(Self::BBSplus(blind_sig))
    }

    /// https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-verification-and-finalizati
    ///
    /// # Description
    /// The following operation both verifies the generated blind signature,
    /// as well as calculating and returning the final nym_secret, used to calculate
    /// the pseudonym value during proof generation.
    ///
    /// # Inputs:
    /// * `self`, a blind signature computed with the `blind_sign_with_nym` operation
    /// * `pk` (REQUIRED), a public key
    /// * `header` (OPTIONAL), an octet string containing context and application specific information.
    /// * `messages` (OPTIONAL), a vector of octet strings messages supplied by the Signer.
    ///                         If not supplied, it defaults to the empty array.
    /// * `committed_messages` (OPTIONAL), a vector of octet strings messages committed by the Prover.
    /// * `prover_nyms` (REQUIRED), a vector of scalar values ([`PseudonymSecret`]).
    /// * `signer_nym_entropy` (OPTIONAL), a scalar value ([`PseudonymSecret`]).
    ///                                     If not supplied it defaults to zero "0"
    /// * `secret_prover_blind` (OPTIONAL), a scalar value ([`BlindFactor`]).
    ///                                     If not supplied it defaults to zero "0"
    ///
    /// # Output:
    /// * `nym_secrets`, a vector of scalar values ([`PseudonymSecret`]) or [`Error`].
    pub fn verify_finalize_with_nym(
        &self,
        pk: &BBSplusPublicKey,
        header: Option<&[u8]>,
        messages: Option<&[Vec<u8>]>,
        committed_messages: Option<&[Vec<u8>]>,
        prover_nyms: Vec<PseudonymSecret>,
        signer_nym_entropy: Option<&PseudonymSecret>,
        secret_prover_blind: Option<&BlindFactor>,
    ) -> Result<Vec<PseudonymSecret>, Error> {
        let N = prover_nyms.len();
        let api_id: &[u8] = CS::API_ID_NYM;
        let messages = messages.unwrap_or(&[]);
        let committed_messages = committed_messages.unwrap_or(&[]);
        let secret_prover_blind = secret_prover_blind.unwrap_or(
            &BlindFactor(Scalar::ZERO)
        );
        let signer_nym_entropy = signer_nym_entropy.unwrap_or(
            &PseudonymSecret(Scalar::ZERO)
        );
        let header = header.unwrap_or(&[]);

        let (mut message_scalars, generators) = prepare_parameters::<CS>(
            Some(messages),
            Some(committed_messages),
            messages.len() + 1,
            committed_messages.len() + N + 1,
            Some(secret_prover_blind), 
            Some(api_id)
        )?;

        let mut nym_secrets = prover_nyms.clone();

        // update the last nym by adding signer_nym_entropy
        let last = nym_secrets.last_mut().ok_or(Error::InvalidPseudonym)?;
        let updated = (&*last) + signer_nym_entropy; // uses impl for &PseudonymSecret + &PseudonymSecret
        *last = updated;

        message_scalars.extend(
            nym_secrets
            .iter()
            .cloned()
            .map(|t| BBSplusMessage::new(t.0))
        );

        let combined_header = [header , &i2osp::<8>(prover_nyms.len())[..]].concat();

        core_verify::<CS>(
            pk,
            self.bbsPlusBlindSignature(),
            &message_scalars,
            generators,
            Some(combined_header.as_slice()),
            Some(api_id),
        ).map(|()| nym_secrets)
    }

}

impl<CS: BbsCiphersuite> PoKSignature<BBSplus<CS>> {
    /// <https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-proof-generation-with-pseud>
    ///
    /// # Description
    /// This section defines the ProofGenWithNym operations, for calculating a
    /// BBS proof with a pseudonym. The BBS proof is extended to include a zero-knowledge
    /// proof of correctness of the pseudonym value, i.e., that is correctly calculated using
    /// the (undisclosed) pseudonym secret (nym_secretS), and that is "bound" to the underlying
    /// BBS signature (i.e., that the nym_secretS value is signed by the Signer).
    /// Validating the proof, guarantees authenticity and integrity of the header,
    /// presentation header and disclosed messages, knowledge of a valid BBS signature
    /// as well as correctness and ownership of the pseudonym. To support pseudonyms,
    /// the ProofGenWithNym procedure takes the pseudonym secret nym_secret, as well as the context
    /// identifier context_id, which the pseudonym will be bounded to.
    ///
    /// # Inputs:
    /// * `pk` (REQUIRED), the Signer public key.
    /// * `signature` (REQUIRED), an octet string.
    /// * `header` (OPTIONAL), an octet string containing context and application.
    /// * `ph` (OPTIONAL), an octet string containing the presentation header.
    /// * `nym_secrets` (REQUIRED), the vector of nym secret scalars, known to Prover.
    ///                             ([`PseudonymSecret`]) value.
    /// * `context_id` (REQUIRED), an octet string containing the Context (or verifier) id
    /// * `messages` (OPTIONAL), a vector of octet strings messages supplied by the Signer.
    ///                          If not supplied, it defaults to the empty array.
    /// * `committed_messages` (OPTIONAL), a vector of octet strings messages committed by the Prover.
    /// * `disclosed_indexes` (OPTIONAL), vector of unsigned integers in ascending order.
    ///                                   Indexes of disclosed messages.
    /// * `disclosed_commitment_indexes` (OPTIONAL), vector of unsigned integers in ascending order.
    ///                                              Indexes of disclosed committed messages.
    /// * `secret_prover_blind` (OPTIONAL), a scalar value ([`BlindFactor`]).
    ///
    /// # Output:
    /// ([`PoKSignature::BBSplus`], [`BBSplusPseudonym`]) or [`Error`]:
    /// a PoK of a Signature, a vector of octet strings representing all the disclosed messages
    /// and their indexes an the pseudonym.
    ///
    pub fn proof_gen_with_nym(
        pk: &BBSplusPublicKey,
        signature: &[u8],
        header: Option<&[u8]>,
        ph: Option<&[u8]>,
        nym_secrets: &Vec<PseudonymSecret>,
        context_id: &[u8],
        messages: Option<&[Vec<u8>]>,
        committed_messages: Option<&[Vec<u8>]>,
        disclosed_indexes: Option<&[usize]>,
        disclosed_commitment_indexes: Option<&[usize]>,
        secret_prover_blind: Option<&BlindFactor>,
    ) -> Result<(Self, BBSplusPseudonym), Error>
    where
        CS::Expander: for<'a> ExpandMsg<'a>,
    {
        let signature = BBSplusSignature::from_bytes(
            signature.try_into().map_err(|_| Error::InvalidSignature)?,
        )?;
        let api_id = CS::API_ID_NYM;
        let messages = messages.unwrap_or(&[]);
        let committed_messages = committed_messages.unwrap_or(&[]);
        let secret_prover_blind = secret_prover_blind.unwrap_or(
            &BlindFactor(Scalar::ZERO)
        );

        let L = messages.len();
        let M = committed_messages.len();

        let nym_secrets_len = nym_secrets.len();

        let disclosed_indexes = disclosed_indexes.unwrap_or(&[]);
        let disclosed_commitment_indexes = disclosed_commitment_indexes.unwrap_or(&[]);

        if disclosed_indexes.len() > L {
            return Err(Error::BlindProofGenError(
                "number of disclosed indexes is grater than the number of messages".to_owned(),
            ));
        } else if disclosed_indexes.iter().any(|&i| i >= L) {
            return Err(Error::BlindProofGenError(
                "disclosed index out of range".to_owned(),
            ));
        } else if disclosed_commitment_indexes.len() > M {
            return Err(Error::BlindProofGenError(
                "number of commitment disclosed indexes is grater \
                   than the number of committed messages".to_owned()
            ));
        } else if disclosed_commitment_indexes.iter().any(|&i| i >= M) {
            return Err(Error::BlindProofGenError(
                "commitment disclosed index out of range".to_owned(),
            ));
        }
        
        let (mut message_scalars, combined_generators) = prepare_parameters::<CS>(
            Some(messages),
            Some(committed_messages),
            L + 1,
            M + nym_secrets_len + 1,
            Some(secret_prover_blind), 
            Some(api_id)
        )?;

        message_scalars.append(
            &mut nym_secrets
                .clone()
                .iter()
                .map(|t| BBSplusMessage::new(t.0))
                .collect()
        );

        let indexes = disclosed_indexes
            .iter()
            .copied()
            .chain(disclosed_commitment_indexes.iter().map(|&j| j + L + 1))
            .collect::<Vec<_>>();

        let (proof,  pseudonym) = core_proof_gen_with_nym::<CS>(
            pk,
            &signature,
            context_id,
            &combined_generators,
            &message_scalars,
            &indexes,
            nym_secrets_len,
            header,
            ph,
            Some(api_id),
            CS::SEED_MOCKED_SCALAR,
            &CS::BLIND_PROOF_DST,
        )?;

        Ok((Self::BBSplus(proof), pseudonym))
    }


    /// https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-proof-verification-with-pse
    ///
    /// # Description
    /// This operation validates a BBS proof with a pseudonym, given the Signer's public key (PK),
    /// the proof, the pseudonym, the context identifier used to create it, a header
    /// and presentation header, the disclosed messages and committed messages as well as the,
    /// the indexes those messages had in the original vectors of signed messages.
    /// Validating the proof also validates the correctness and ownership by the Prover
    /// of the received pseudonym.
    ///
    /// # Inputs:
    /// * `self`, a proof.
    /// * `pk` (REQUIRED), the Signer public key.
    /// * `header` (OPTIONAL), an octet string containing context and application.
    /// * `ph` (OPTIONAL), an octet string containing the presentation header.
    /// * `pseudonym` (REQUIRED), a ([`BBSplusPseudonym`]) value
    /// * `context_id` (REQUIRED), an octet string, representing the unique proof Verifier identifier
    /// * `length_nym_vector` (REQUIRED), the length of the prover_nyms secret vector.
    /// * `L` (OPTIONAL), an integer, representing the total number of Signer-known messages.
    ///                   If not supplied, it defaults to 0.
    /// * `disclosed_messages` (OPTIONAL), a vector of octet string representing the messages
    ///                                    disclosed to the Verifier. If not supplied, it defaults
    ///                                    to the empty array ("()").
    /// * `disclosed_committed_messages` (OPTIONAL), a vector of octet string representing
    ///                                             the committed messages disclosed to the Verifier.
    ///                                             If not supplied, it defaults to the empty array ("()").
    /// * `disclosed_indexes` (OPTIONAL), vector of usize in ascending order.
    ///                                   Indexes of disclosed messages. If not supplied,
    ///                                   it defaults to the empty array ("()").
    /// * `disclosed_commitment_indexes` (OPTIONAL), vector of usize in ascending order.
    ///                                   Indexes of disclosed commited messages. If not supplied,
    ///                                   it defaults to the empty array ("()").
    ///
    /// # Output:
    /// a result: [`Ok`] or [`Error`].
    ///
    pub fn proof_verify_with_nym(
        &self,
        pk: &BBSplusPublicKey,
        header: Option<&[u8]>,
        ph: Option<&[u8]>,
        pseudonym: &BBSplusPseudonym,
        context_id: &[u8],
        length_nym_vector: usize,
        L: Option<usize>,
        disclosed_messages: Option<&[Vec<u8>]>,
        disclosed_committed_messages: Option<&[Vec<u8>]>,
        disclosed_indexes: Option<&[usize]>,
        disclosed_commitment_indexes: Option<&[usize]>,
    ) -> Result<(), Error>
    where
        CS::Expander: for<'a> ExpandMsg<'a>,
    {
        let proof = self.to_bbsplus_proof();
        let L = L.unwrap_or(0);
        let disclosed_messages = disclosed_messages.unwrap_or(&[]);
        let disclosed_committed_messages = disclosed_committed_messages
                .unwrap_or(&[]);
        let mut disclosed_indexes = disclosed_indexes
                .unwrap_or(&[]).to_vec();
        disclosed_indexes.sort();
        disclosed_indexes.dedup();
        let mut disclosed_commitment_indexes = disclosed_commitment_indexes
                .unwrap_or(&[]).to_vec();
        disclosed_commitment_indexes.sort();
        disclosed_commitment_indexes.dedup();

        let api_id = CS::API_ID_NYM;

        let U = proof.m_cap.len();
        let M = disclosed_indexes.len() + disclosed_commitment_indexes.len() + U - 1 - L;

        let (message_scalars, generators) = prepare_parameters::<CS>(
            Some(disclosed_messages),
            Some(disclosed_committed_messages),
            L + 1,
            M + 1, //TODO: Edit taken from Grotto bbs sig library
            None, 
            Some(api_id)
        )?;

        let indexes = disclosed_indexes
            .iter()
            .copied()
            .chain(disclosed_commitment_indexes.iter().map(|j| j + L + 1))
            .collect::<Vec<_>>();

        core_proof_verify_with_nym::<CS>(
            pk,
            proof,
            pseudonym,
            context_id,
            length_nym_vector,
            &generators,
            header,
            ph,
            &message_scalars,
            &indexes,
            Some(api_id),
        ) 
    }

}


/// https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-core-proof-verification
///
/// # Description
/// This operation validates a BBS proof that also includes a pseudonym. Validating the proof,
/// other than the correctness and integrity of the revealed messages, the header, and the
/// presentation header values, also guarantees that the supplied pseudonym was correctly calculated, i.e.,
/// that it was produced using the Verifier's identifier and the signed (but undisclosed) Prover's identifier
/// 
/// # Inputs:
/// * `pk` (REQUIRED), the Signer public key.
/// * `proof` (REQUIRED), a [`BBSplusPoKSignature`].
/// * `pseudonym ` (REQUIRED), a [`BBSplusPseudonym`].
/// * `context_id` (REQUIRED), an octet string, representing the unique proof Verifier identifier
/// * `length_nym_vector` (REQUIRED), the length of the nym secrets vector from the Prover.
/// * `generators` (REQUIRED), vector of pseudo-random points in G1.
/// * `header` (OPTIONAL), an octet string containing context and application.
/// * `ph` (OPTIONAL), an octet string containing the presentation header.
/// * `disclosed_messages` (OPTIONAL), a vector of scalars ([`BBSplusMessage`])
///                                    representing the messages disclosed to the Verifier.
/// * `disclosed_indexes` (OPTIONAL), vector of unsigned integers in ascending order.
///                                   Indexes of disclosed messages.
/// * `api_id` (OPTIONAL), an octet string.
///
/// # Output:
/// result: [`Ok`] or [`Error`].
///
fn core_proof_verify_with_nym<CS>(
    pk: &BBSplusPublicKey,
    proof: &BBSplusPoKSignature,
    pseudonym: &BBSplusPseudonym,
    context_id: &[u8],
    length_nym_vector: usize,
    generators: &Generators,
    header: Option<&[u8]>,
    ph: Option<&[u8]>,
    disclosed_messages: &[BBSplusMessage],
    disclosed_indexes: &[usize],
    api_id: Option<&[u8]>,
) -> Result<(), Error>
where
    CS: BbsCiphersuite,
{
    let header = header.unwrap_or(&[]);
    let combined_header = [header , &i2osp::<8>(length_nym_vector)[..]].concat();

    let init_res = proof_verify_init::<CS>(
        pk,
        proof,
        generators,
        Some(&*combined_header),
        disclosed_messages,
        disclosed_indexes,
        api_id,
    )?;

    let commitments = &proof.m_cap[proof.m_cap.len().saturating_sub(length_nym_vector)..];

    let pseudonym_init_res = pseudonym_proof_verify_init::<CS>(
        pseudonym,
        context_id,
        commitments,
        &proof.challenge,
    )?;

    let challenge = proof_with_nym_challenge_calculate::<CS>(
        &init_res,
        &pseudonym_init_res,
        &disclosed_indexes,
        &disclosed_messages,
        ph,
        api_id,
    )?;

    if proof.challenge != challenge {
        return Err(Error::PoKSVerificationError("invalid challenge".to_owned()));
    }

    let BP2 = G2Projective::GENERATOR;

    let term1 = (&proof.Abar.to_affine(), &G2Prepared::from(pk.0.to_affine()));
    let term2 = (&proof.Bbar.to_affine(), &G2Prepared::from(-BP2.to_affine()));

    let pairing = multi_miller_loop(&[term1, term2]).final_exponentiation();

    if pairing.is_identity().into() {
        Ok(())
    } else {
        Err(Error::PoKSVerificationError("Invalid Proof".to_owned()))
    }
}


/// https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-core-proof-generation
///
/// # Description
/// This operation computes a BBS proof and a zero-knowledge proof of correctness of
/// the pseudonym in "parallel" (meaning using common randomness), as to both create a proof that
/// the pseudonym was correctly calculated using an undisclosed value that the Prover knows
/// (i.e., the nym_secrets value), but also that this value is "signed" by the BBS signature
/// (the last undisclosed message). As a result, validating the proof guarantees that the pseudonym
/// is correctly computed and that it was computed using the Prover identifier
/// that was included in the BBS signature
///
/// # Inputs:
/// * `pk` (REQUIRED), the Signer public key.
/// * `signature` (REQUIRED), a [`BBSplusSignature`].
/// * `context_id` (REQUIRED), an octet string containing the Context (or verifier) id
/// * `generators` (REQUIRED), vector of pseudo-random points in G1.
/// * `header` (OPTIONAL), an octet string containing context and application.
/// * `ph` (OPTIONAL), an octet string containing the presentation header.
/// * `messages` (OPTIONAL), a vector of scalars ([`BBSplusMessage`]) representing the signed messages.
/// * `disclosed_indexes` (OPTIONAL), vector of usize in ascending order. Indexes of disclosed messages.
/// * `length_nym_secrets` (REQUIRED), the length of the nym_secrets vector
/// * `api_id` (OPTIONAL), an octet string.
///
/// # Output:
/// a PoK of a Signature [`BBSplusPoKSignature`] and the pseudonym [`BBSplusPseudonym`]  or [`Error`].
///
fn core_proof_gen_with_nym<CS>(
    pk: &BBSplusPublicKey,
    signature: &BBSplusSignature,
    context_id: &[u8],
    generators: &Generators,
    messages: &[BBSplusMessage],
    disclosed_indexes: &[usize],
    length_nym_secrets: usize,
    header: Option<&[u8]>,
    ph: Option<&[u8]>,
    api_id: Option<&[u8]>,
    _seed: &[u8],
    _dst: &[u8],
) -> Result<(BBSplusPoKSignature, BBSplusPseudonym), Error>
where
    CS: BbsCiphersuite,
    CS::Expander: for<'a> ExpandMsg<'a>,
{
    let L = messages.len();
    if L > generators.values.len() - 1 {
        return Err(Error::NotEnoughGenerators);
    }

    let mut disclosed_indexes = disclosed_indexes.to_vec();
    disclosed_indexes.sort();
    disclosed_indexes.dedup();

    let R = disclosed_indexes.len();

    if R > L - 1 {
        return Err(Error::ProofGenError("Invalid disclosed index".to_string()));
    }

    if let Some(invalid_index) = disclosed_indexes.iter().find(|&&i| i > L - 1) {
        return Err(Error::ProofGenError(format!(
            "Invalid disclosed index: {}",
            invalid_index
        )));
    }

    let header = header.unwrap_or(&[]);

    let combined_header = [header , &i2osp::<8>(length_nym_secrets)[..]].concat();

    let init_res = proof_init::<CS>(
        pk,
        signature,
        generators,
        Some(&*combined_header),
        messages,
        &disclosed_indexes,
        api_id,
        _seed,
        _dst
    )?;

    let nym_secrets= &messages[messages.len().saturating_sub(length_nym_secrets)..]
        .iter()
        .map(|msg  | msg.value) // Extract Scalar values from BBSplusMessage
        .collect::<Vec<_>>();

    let random_scalars = init_res.random_scalars.as_ref()
            .expect("random scalars should be present");

    let pseudonym_init_res = pseudonym_proof_init::<CS>(
        context_id,
        nym_secrets,
        &random_scalars[random_scalars.len().saturating_sub(length_nym_secrets)..]
    )?;

    let pseudonym= BBSplusPseudonym{
        pseudonym: pseudonym_init_res.pseudonym
    };

    let challenge = proof_with_nym_challenge_calculate::<CS>(
        &init_res,
        &pseudonym_init_res,
        &disclosed_indexes,
        &init_res.disclosed_messages,
        ph,
        api_id,
    )?;

    let proof = proof_finalize(
        &init_res,
        challenge
    )?;

    Ok((proof, pseudonym))
}

///https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-pseudonym-proof-generation-i
///
///  # Inputs:
/// * `context_id` (REQUIRED), an octet string containing the Context (or verifier) id
/// * `nym_secrets` (REQUIRED), a slice of [`Scalar`] values
/// * `random_scalars` (REQUIRED), a slice of random [`Scalar`]
/// 
/// # Output:
/// [`PseudonymProofInitResult`], a tuple consisting of three elements from the G1 group or [`Error`].
fn pseudonym_proof_init<CS>(
    context_id: &[u8],
    nym_secrets: &[Scalar],
    random_scalars: &[Scalar]
) -> Result<PseudonymProofInitResult, Error> 
where
    CS: BbsCiphersuite,
    CS::Expander: for<'a> ExpandMsg<'a>
    {

    let OP = G1Projective::hash::<CS::Expander>(context_id, CS::API_ID_NYM);

    let z = hash_to_scalar::<CS>(context_id, &[CS::API_ID_NYM, b"VECT_NYM_SECRETS"].concat())?;

    // Polynomial evaluation over nym_secrets and random_scalars, this can
    // be done in any way desired, e.g., Horner's rule.
    let mut poly_eval_pseudo = nym_secrets[0];
    let mut poly_eval_proof = random_scalars[0];
    let mut z_n = z;

    for i in 1..nym_secrets.len() {
        poly_eval_pseudo += nym_secrets[i] * z_n;
        poly_eval_proof += random_scalars[i] * z_n;
        z_n *= z;
    }

    let pseudonym = OP * poly_eval_pseudo;

    let Ut = OP * poly_eval_proof;

    if pseudonym.is_identity().into() {
        return Err(Error::G1IdentityError)
    }

    Ok(PseudonymProofInitResult{pseudonym, context_id: context_id.to_vec(), Ut})
}

/// https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-pseudonym-proof-verificatio
///
///  # Inputs:
/// * `pseudonym` (REQUIRED), a [`BBSplusPseudonym`] value
/// * `context_id` (REQUIRED), an octet string containing the Context (or verifier) id
/// * `nym_secret_commitments ` (REQUIRED), a slice of [`Scalar`] values
/// * `proof_challenge ` (REQUIRED), a [`Scalar`] value
/// 
/// # Output:
/// [`PseudonymProofVerifyInitResult`], a tuple (pseudonym, context_id, Ut) or [`Error`].
fn pseudonym_proof_verify_init<CS>(
    pseudonym: &BBSplusPseudonym,
    context_id: &[u8],
    nym_secret_commitments: &[Scalar],
    proof_challenge : &Scalar
) -> Result<PseudonymProofInitResult, Error>
where
    CS: BbsCiphersuite,
    CS::Expander: for<'a> ExpandMsg<'a>
    {

    let OP = G1Projective::hash::<CS::Expander>(context_id, CS::API_ID_NYM);

    let z = hash_to_scalar::<CS>(context_id, &[CS::API_ID_NYM, b"VECT_NYM_SECRETS"].concat())?;

    // Polynomial evaluation over nym_secrets and random_scalars, this can
    // be done in any way desired, e.g., Horner's rule.

    let mut poly_eval_proof = nym_secret_commitments[0];
    let mut z_n = z;

    for i in 1..nym_secret_commitments.len() {
        poly_eval_proof += nym_secret_commitments[i] * z_n;
        z_n *= z;
    }

    let Uv = OP * poly_eval_proof - pseudonym.pseudonym * proof_challenge;

    if Uv.is_identity().into() {
        return Err(Error::G1IdentityError)
    }

    Ok(
        PseudonymProofInitResult{
        pseudonym: pseudonym.pseudonym.clone(),
        context_id: context_id.to_vec(),
        Ut: Uv
    })
}

/// https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bbs-per-verifier-linkability-03#name-challenge-calculation
///
/// # Inputs:
/// * `init_res` (REQUIRED), [`ProofInitRes`] returned after initializing the proof generation
///                          or verification operations, consisting of 5 points of
///                          G1 and a scalar value, in that order.
/// * `pseudonym_init_res` (REQUIRED), [`PseudonymProofInitResult`] vector representing
///                                    the value returned after initializing the pseudonym proof,
///                                    consisting of (pseudonym, context_id, Uv).
/// * `header` (OPTIONAL), an octet string containing context and application.
/// * `dsclosed_messages` (OPTIONAL), a vector of scalars ([`BBSplusMessage`])
///                                   representing the disclosed messages to the Verifier.
/// * `disclosed_indexes` (OPTIONAL), vector of usize in ascending order.
///                                   Indexes of disclosed messages.
/// * `ph` (OPTIONAL), an octet string containing the presentation header.
/// * `api_id` (OPTIONAL), an octet string.
///
/// # Output:
/// a challenge ([`Scalar`]) or [`Error`].
///
fn proof_with_nym_challenge_calculate<CS>(
    init_res: &ProofInitRes,
    pseudonym_init_res: &PseudonymProofInitResult,
    disclosed_indexes: &[usize],
    disclosed_messages: &[BBSplusMessage],
    ph: Option<&[u8]>,
    api_id: Option<&[u8]>,
) -> Result<Scalar, Error>
where
    CS: BbsCiphersuite,
{
    let R = disclosed_indexes.len();

    if disclosed_messages.len() != R {
        return Err(Error::ProofGenError(
            "Number of disclosed indexes different from number of disclosed messages".to_owned(),
        ));
    }

    let api_id = api_id.unwrap_or(b"");
    let challenge_dst = [api_id, CS::H2S].concat();

    let ph = ph.unwrap_or(b"");

    let mut c_arr: Vec<u8> = Vec::new();
    c_arr.extend_from_slice(&i2osp::<8>(R));
    for (i, m) in core::iter::zip(disclosed_indexes, disclosed_messages) {
        c_arr.extend_from_slice(&i2osp::<8>(*i));
        c_arr.extend_from_slice(&m.value.to_bytes_be());
    }
    c_arr.extend_from_slice(&init_res.Abar.to_affine().to_compressed());
    c_arr.extend_from_slice(&init_res.Bbar.to_affine().to_compressed());
    c_arr.extend_from_slice(&init_res.D.to_affine().to_compressed());
    c_arr.extend_from_slice(&init_res.T1.to_affine().to_compressed());
    c_arr.extend_from_slice(&init_res.T2.to_affine().to_compressed());
    c_arr.extend_from_slice(&pseudonym_init_res.pseudonym.to_affine().to_compressed());
    c_arr.extend_from_slice(&pseudonym_init_res.Ut.to_affine().to_compressed());
    c_arr.extend_from_slice(&init_res.domain.to_bytes_be());

    let ph_i2osp = i2osp::<8>(ph.len());

    c_arr.extend_from_slice(&ph_i2osp);
    c_arr.extend_from_slice(ph);

    let ph_context_id = i2osp::<8>(pseudonym_init_res.context_id.len());

    c_arr.extend_from_slice(&ph_context_id);
    c_arr.extend_from_slice(&pseudonym_init_res.context_id);

    hash_to_scalar::<CS>(&c_arr, &challenge_dst)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use elliptic_curve::hash2curve::ExpandMsg;
    use serde_json::Value;
    use crate::{
        bbsplus::{ciphersuites::BbsCiphersuite, commitment::BlindFactor, generators::Generators,
                  keys::{BBSplusPublicKey, BBSplusSecretKey},
        pseudonym::PseudonymSecret, signature::BBSplusSignature},
        schemes::{
            algorithms::{BBSplus, BbsBls12381Sha256, BbsBls12381Shake256, Scheme},
            generics::{BlindSignature, Commitment, PoKSignature},
        },
    };

    macro_rules! commit_tests {
        ( $( ($t:ident, $p:literal): { $( ($n:ident, $f:literal), )+ },)+ ) => { $($(
            #[test] fn $n() { commit_with_nym::<$t>($p, $f); }
        )+)+ }
    }

    commit_tests! {
        (BbsBls12381Sha256, "./fixture_data/fixture_data_nym/bls12-381-sha-256/"): {
            (commit_sha256_1, "nymCommit/nymCommit001.json"),
            (commit_sha256_2, "nymCommit/nymCommit002.json"),
            (commit_sha256_3, "nymCommit/nymCommit003.json"),
            (commit_sha256_4, "nymCommit/nymCommit004.json"),
        },
        (BbsBls12381Shake256, "./fixture_data/fixture_data_nym/bls12-381-shake-256/"): {
            (commit_shake256_1, "nymCommit/nymCommit001.json"),
            (commit_shake256_2, "nymCommit/nymCommit002.json"),
            (commit_shake256_3, "nymCommit/nymCommit003.json"),
            (commit_shake256_4, "nymCommit/nymCommit004.json"),
        },
    }

    fn commit_with_nym<S: Scheme>(pathname: &str, filename: &str)
    where
        S::Ciphersuite: BbsCiphersuite,
        <S::Ciphersuite as BbsCiphersuite>::Expander: for<'a> ExpandMsg<'a>,
    {
        let data = fs::read_to_string([pathname, filename].concat())
            .expect("Unable to read file");
        let proof_json: Value = serde_json::from_str(&data)
            .expect("Unable to parse");
        println!("{}", proof_json["caseName"]);

        let prover_blind = proof_json["proverBlind"].as_str().unwrap();
        let commitment_with_proof = proof_json["commitmentWithProof"].as_str().unwrap();

        let prover_nyms = get_pseudonymsecrets(&proof_json, "proverNyms");

        let prover_nyms_len = prover_nyms.len();

        let committed_messages = get_commited_messages(
            &proof_json,
            "committedMessages"
        );

        let expected_result = proof_json["result"]["valid"].as_bool().unwrap();

        let (commitment_with_proof_result, secret) =
        Commitment::<BBSplus<S::Ciphersuite>>::commit_with_nym(
            Some(&committed_messages), 
            prover_nyms
        ).unwrap();

        let commitment_with_proof_result_oct = commitment_with_proof_result.to_bytes();

        assert_eq!(
            hex::encode(&commitment_with_proof_result_oct),
            commitment_with_proof
        );

        assert_eq!(hex::encode(secret.to_bytes()), prover_blind);

        let blind_generators = Generators::create::<S::Ciphersuite>(
            committed_messages.len() + prover_nyms_len + 2,
            Some(&[b"BLIND_", <S::Ciphersuite as BbsCiphersuite>::API_ID_NYM].concat()),
        );

        let result = Commitment::<BBSplus<S::Ciphersuite>>::deserialize_and_validate_commit(
            Some(&commitment_with_proof_result_oct),
            &blind_generators,
            Some(<S::Ciphersuite as BbsCiphersuite>::API_ID_NYM),
        )
        .is_ok();

        assert_eq!(result, expected_result);
    } 

    macro_rules! sign_tests {
        ( $( ($t:ident, $p:literal): { $( ($n:ident, $f:literal), )+ },)+ ) => { $($(
            #[test] fn $n() { blind_sign_with_nym::<$t>($p, $f); }
        )+)+ }
    }

    sign_tests! {
        (BbsBls12381Sha256, "./fixture_data/fixture_data_nym/bls12-381-sha-256/"): {
            (blind_sign_with_nym_sha256_1, "nymSignature/nymSignature001.json"),
            (blind_sign_with_nym_sha256_2, "nymSignature/nymSignature002.json"),
            (blind_sign_with_nym_sha256_3, "nymSignature/nymSignature003.json"),
            (blind_sign_with_nym_sha256_4, "nymSignature/nymSignature004.json"),
            (blind_sign_with_nym_sha256_5, "nymSignature/nymSignature005.json"),
            (blind_sign_with_nym_sha256_6, "nymSignature/nymSignature006.json"),
        },
        (BbsBls12381Shake256, "./fixture_data/fixture_data_nym/bls12-381-shake-256/"): {
            (blind_sign_with_nym_shake256_1, "nymSignature/nymSignature001.json"),
            (blind_sign_with_nym_shake256_2, "nymSignature/nymSignature002.json"),
            (blind_sign_with_nym_shake256_3, "nymSignature/nymSignature003.json"),
            (blind_sign_with_nym_shake256_4, "nymSignature/nymSignature004.json"),
            (blind_sign_with_nym_shake256_5, "nymSignature/nymSignature005.json"),
            (blind_sign_with_nym_shake256_6, "nymSignature/nymSignature006.json"),
        },
    }

    fn blind_sign_with_nym<S: Scheme>(pathname: &str, filename: &str)
    where
        S::Ciphersuite: BbsCiphersuite,
        <S::Ciphersuite as BbsCiphersuite>::Expander: for<'a> ExpandMsg<'a>,
    {
        let data = fs::read_to_string([pathname, filename].concat())
            .expect("Unable to read file");
        let proof_json: Value = serde_json::from_str(&data)
            .expect("Unable to parse");
        println!("{}", proof_json["caseName"]);

        let sk_hex = proof_json["signerKeyPair"]["secretKey"].as_str().unwrap();
        let pk_hex = proof_json["signerKeyPair"]["publicKey"].as_str().unwrap();

        let sk = BBSplusSecretKey::from_bytes(&hex::decode(sk_hex).unwrap()).unwrap();
        let pk = BBSplusPublicKey::from_bytes(&hex::decode(pk_hex).unwrap()).unwrap();

        let prover_blind = get_blind_factor(&proof_json, "proverBlind");

        let commitment_with_proof = proof_json["commitmentWithProof"]
            .as_str()
            .map(|c| hex::decode(c).unwrap());

        let committed_messages = Some(
            get_commited_messages(
                &proof_json,
                "committedMessages"
            )
        );

        let header = hex::decode(proof_json["header"].as_str().unwrap()).unwrap();

        let messages = get_messages(&proof_json, "messages");

        let messages: Vec<Vec<u8>> = messages.iter().map(|m| hex::decode(m).unwrap()).collect();

        let signer_nym_entropy = PseudonymSecret::from_hex(
            proof_json["signer_nym_entropy"]
            .as_str()
            .unwrap()
        ).unwrap();

        let prover_nyms = get_pseudonymsecrets(&proof_json, "proverNyms");
        
        let signature = BlindSignature::<BBSplus<S::Ciphersuite>>::
        blind_sign_with_nym(
            &sk,
            &pk,
            commitment_with_proof.as_deref(),
            prover_nyms.len(),
            Some(&header),
            &signer_nym_entropy,
            Some(&messages),
        )
        .unwrap();

        let expected_signature = proof_json["signature"].as_str().unwrap();
        let signature_oct = signature.to_bytes();

        assert_eq!(hex::encode(&signature_oct), expected_signature);

        let nym_secrets = signature
            .verify_finalize_with_nym(
                &pk,
                Some(&header),
                Some(&messages),
                committed_messages.as_deref(),
                prover_nyms,
                Some(&signer_nym_entropy),
                prover_blind.as_ref(),
            ).unwrap();

        let expected_nym_secrets: Vec<PseudonymSecret> = proof_json["nym_secrets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| PseudonymSecret::from_hex(m.as_str().unwrap()).unwrap())
            .collect::<Vec<PseudonymSecret>>();

        assert_eq!(nym_secrets, expected_nym_secrets);
    }
    
    macro_rules! nym_proof_tests {
        ( $( ($t:ident, $p:literal): { $( ($n:ident, $f:literal), )+ },)+ ) => { $($(
            #[test] fn $n() { nym_proof_check::<$t>($p, $f); }
        )+)+ }
    }

    nym_proof_tests! {
        (BbsBls12381Sha256, "./fixture_data/fixture_data_nym/bls12-381-sha-256/"): {
            (nym_proof_check_sha256_1, "nymProof/nymProof001.json"),
            (nym_proof_check_sha256_2, "nymProof/nymProof002.json"),
            (nym_proof_check_sha256_3, "nymProof/nymProof003.json"),
            (nym_proof_check_sha256_4, "nymProof/nymProof004.json"),
            (nym_proof_check_sha256_5, "nymProof/nymProof005.json"),
            (nym_proof_check_sha256_6, "nymProof/nymProof006.json"),
            (nym_proof_check_sha256_7, "nymProof/nymProof007.json"),
            (nym_proof_check_sha256_101, "nymProof/nymProof101.json"),
            (nym_proof_check_sha256_102, "nymProof/nymProof102.json"),
            (nym_proof_check_sha256_103, "nymProof/nymProof103.json"),
            (nym_proof_check_sha256_104, "nymProof/nymProof104.json"),
        },
        (BbsBls12381Shake256, "./fixture_data/fixture_data_nym/bls12-381-shake-256/"): {
            (nym_proof_check_shake256_1, "nymProof/nymProof001.json"),
            (nym_proof_check_shake256_2, "nymProof/nymProof002.json"),
            (nym_proof_check_shake256_3, "nymProof/nymProof003.json"),
            (nym_proof_check_shake256_4, "nymProof/nymProof004.json"),
            (nym_proof_check_shake256_5, "nymProof/nymProof005.json"),
            (nym_proof_check_shake256_6, "nymProof/nymProof006.json"),
            (nym_proof_check_shake256_7, "nymProof/nymProof007.json"),
            (nym_proof_check_shake256_101, "nymProof/nymProof101.json"),
            (nym_proof_check_shake256_102, "nymProof/nymProof102.json"),
            (nym_proof_check_shake256_103, "nymProof/nymProof103.json"),
            (nym_proof_check_shake256_104, "nymProof/nymProof104.json"),
        },
    }

    fn nym_proof_check<S: Scheme>(pathname: &str, proof_filename: &str)
    where
        S::Ciphersuite: BbsCiphersuite,
        <S::Ciphersuite as BbsCiphersuite>::Expander: for<'a> ExpandMsg<'a>,
    {
        let data = fs::read_to_string([pathname, proof_filename].concat())
            .expect("Unable to read file");
        let proof_json: Value = serde_json::from_str(&data).expect("Unable to parse");

        println!("{}", proof_json["caseName"]);

        let pk_hex = proof_json["signerPublicKey"].as_str().unwrap();

        let pk = BBSplusPublicKey::from_bytes(&hex::decode(pk_hex).unwrap()).unwrap();

        let committed_messages = Some(
            get_commited_messages(
                &proof_json,
                "committedMessages"
            )
        );

        let messages = Some (
            get_messages(&proof_json, "messages")
        );

        let messages = match messages {
            Some(m) => Some(m.iter().map(|m| hex::decode(m).unwrap()).collect()),
            None => None,
        };

        let secret_prover_blind = get_blind_factor(&proof_json, "proverBlind");

        let header = hex::decode(proof_json["header"].as_str().unwrap()).unwrap();
        let ph = hex::decode(proof_json["presentationHeader"].as_str().unwrap()).unwrap();
        let signature = BBSplusSignature::from_bytes(
            &hex::decode(proof_json["signature"].as_str().unwrap())
                .unwrap()
                .try_into()
                .unwrap(),
        )
        .unwrap();

        let (disclosed_messages, disclosed_indexes) =
                get_revealed_messages(&proof_json, "revealedMessages");

        let (disclosed_committed_messages, disclosed_commitment_indexes) =
                get_revealed_messages(&proof_json, "revealedCommittedMessages");

        let used_committed_messages = if disclosed_commitment_indexes.is_some() {
            committed_messages
        } else {
            None
        };

        let context_id = hex::decode(proof_json["context_id"].as_str().unwrap()).unwrap();

        let nym_secrets = get_pseudonymsecrets(&proof_json, "nym_secrets");

        let (proof, pseudonym) =
            PoKSignature::<BBSplus<S::Ciphersuite>>::proof_gen_with_nym(
                &pk,
                &signature.to_bytes(),
                Some(&header),
                Some(&ph),
                &nym_secrets,
                &context_id,
                messages.as_deref(),
                used_committed_messages.as_deref(),
                disclosed_indexes.as_deref(),
                disclosed_commitment_indexes.as_deref(),
                secret_prover_blind.as_ref(),
        ).unwrap();

        let expected_proof = proof_json["proof"].as_str().unwrap();
        let expected_pseudonym = proof_json["pseudonym"].as_str().unwrap();

        assert_eq!(hex::encode(proof.to_bytes()), expected_proof);
        assert_eq!(hex::encode(pseudonym.pseudonym.to_compressed()), expected_pseudonym);

        let result = proof.proof_verify_with_nym(
            &pk,
            Some(&header),
            Some(&ph),
            &pseudonym,
            &context_id,
            nym_secrets.len(),
            messages.as_ref().map(Vec::len),
            disclosed_messages.as_deref(),
            disclosed_committed_messages.as_deref(),
            disclosed_indexes.as_deref(),
            disclosed_commitment_indexes.as_deref(),
        ).is_ok();

        let expected_result = proof_json["result"]["valid"].as_bool().unwrap();

        assert_eq!(result, expected_result);
    }

    fn get_pseudonymsecrets(proof_json: &Value, name: &str) -> Vec<PseudonymSecret>{
        let nym_secrets: Vec<PseudonymSecret> = proof_json[name]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| PseudonymSecret::from_hex(m.as_str().unwrap()).unwrap())
                .collect::<Vec<PseudonymSecret>>();

        nym_secrets
    }

    fn get_commited_messages(proof_json: &Value, name: &str) -> Vec<Vec<u8>>{
        let committed_messages: Vec<String> = proof_json[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| serde_json::from_value(m.clone()).unwrap())
            .collect();


        let committed_messages: Vec<Vec<u8>> = committed_messages
            .iter()
            .map(|m| hex::decode(m).unwrap())
            .collect();

        committed_messages
    }


    fn get_messages(proof_json: &Value, name: &str) -> Vec<String>
    {
        let messages: Vec <String> = proof_json[name]
            .as_array()
            .unwrap()
            .iter()
            .map( | m | serde_json::from_value(m.clone()).unwrap())
            .collect();

        messages
    }

    fn get_revealed_messages(proof_json: &Value, name: &str) -> (Option<Vec<Vec<u8>>>, Option<Vec<usize>>) {
        let (a, b) = proof_json
                [name]
                .as_object()
                .map(|values| {
                    let messages = values
                            .values()
                            .map(|h| hex::decode(h.as_str().unwrap()).unwrap())
                            .collect::<Vec<_>>();
                    let indexes = values
                            .keys()
                            .map(|s| s.parse().unwrap())
                            .collect::<Vec<_>>();
                    (messages, indexes)
                })
                .map_or((None, None), |(m, i)| (Some(m), Some(i)));

        (a, b)//
    }

    fn get_blind_factor(proof_json:&Value, name: &str) -> Option<BlindFactor> {
        proof_json[name].as_str().map(|b| {
            BlindFactor::from_bytes(&hex::decode(b).unwrap().try_into().unwrap()).unwrap()
        })
    }
}






